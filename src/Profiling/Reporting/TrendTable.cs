using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Reporting.Columns;
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
        IReadOnlyList<Column<(int Index, RunEntry Run)>> columns =
        [
            Column.Key<(int Index, RunEntry Run)>(
                "RUN",
                null,
                "the run",
                r => r.Run.Id + (trend.MachineChanges.Contains(r.Index) ? " *" : "")
            ),
            Column.Key<(int Index, RunEntry Run)>(
                "STARTED (UTC)",
                null,
                "when it started",
                r => r.Run.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            ),
            Column.Key<(int Index, RunEntry Run)>("TAG", null, "its tag", r => r.Run.Tag ?? ""),
            Column.Key<(int Index, RunEntry Run)>(
                "MACHINE",
                null,
                "its machine's fingerprint",
                r => r.Run.MachineKey[..Math.Min(8, r.Run.MachineKey.Length)]
            ),
            .. trend.Variants.Select(v => new Column<(int Index, RunEntry Run)>
            {
                Header = v,
                Legend = "",
                Value = r => trend.Points.TryGetValue((r.Run.Id, v), out var p) ? Point(p) : "-",
            }),
        ];
        return ColumnTable.Of(
            $"{trend.Cell}, {EnumNames.Of(trend.Metric)} ({unit})",
            columns,
            trend.Runs.Select((run, i) => (i, run))
        ) with
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
