using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting;

/// <summary>A trend as a table: a row per run, a column per variant.</summary>
public static class TrendTable
{
    public static Table Of(Trend trend)
    {
        var unit = trend.Metric switch
        {
            Metric.NsPerPacket => "ns/packet",
            Metric.Mpps => "Mpps; net: CPU ns/packet",
            Metric.NsPerRun => "ns/run",
            _ => EnumNames.Of(trend.Metric),
        };
        var rows = trend
            .Runs.Select(
                (run, i) =>
                    (IReadOnlyList<string>)
                        [
                            run.Id + (trend.MachineChanges.Contains(i) ? " *" : ""),
                            run.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                            run.Tag ?? "",
                            run.MachineKey[..Math.Min(8, run.MachineKey.Length)],
                            .. trend.Variants.Select(v =>
                                trend.Points.TryGetValue((run.Id, v), out var p) ? Point(p) : "-"
                            ),
                        ]
            )
            .ToList();
        return new Table(
            $"{trend.Cell}, {EnumNames.Of(trend.Metric)} ({unit})",
            ["RUN", "STARTED (UTC)", "TAG", "MACHINE", .. trend.Variants],
            rows
        )
        {
            Legend =
            [
                (
                    "variant columns",
                    "net of the run's own baseline ± 95% CI where the figure has one (the baseline "
                        + "itself: as measured, in brackets), else as measured"
                ),
            ],
            Footnote =
                trend.MachineChanges.Count > 0
                    ? "* the machine changed at this run (another fingerprint, or the baseline's cost "
                        + "beyond ×1.5 of the run before): absolute figures do not compare across the mark"
                    : null,
        };
    }

    private static string Point(TrendPoint p)
    {
        var value = p.Value.ToString(Math.Abs(p.Value) >= 100 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
        if (!p.IsNet)
            return $"({value})";
        return p.Low is { } low && p.High is { } high && double.IsFinite(low) && double.IsFinite(high)
            ? $"{value} ± {((high - low) / 2).ToString("0.00", CultureInfo.InvariantCulture)}"
            : value;
    }
}
