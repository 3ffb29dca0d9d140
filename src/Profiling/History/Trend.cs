using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting;

namespace PacketCounter.Profiling.History;

/// <summary>One variant's figure in one run of a trend: net of the run's baseline where the figure has one, else as measured.</summary>
public sealed record TrendPoint(double Value, double? Low, double? High, bool IsNet);

/// <summary>
/// One cell (mode, class or mix, size, generator, sink, metric) over the recorded runs,
/// oldest first, with the runs where the machine changed marked: a change of fingerprint, or
/// a baseline cost beyond <see cref="MachineFingerprint.SameSpeedFactor"/> of the run before.
/// </summary>
public sealed record Trend(
    string Cell,
    string Metric,
    IReadOnlyList<RunEntry> Runs,
    IReadOnlyList<string> Variants,
    IReadOnlyDictionary<(string Run, string Variant), TrendPoint> Points,
    IReadOnlyList<int> MachineChanges
)
{
    /// <summary>One trend per cell the figures cover.</summary>
    public static IReadOnlyList<Trend> Of(IReadOnlyList<(RunEntry Run, SummaryRow Figure)> figures) =>
        figures
            .GroupBy(f =>
                (
                    f.Figure.Mode,
                    f.Figure.Class,
                    f.Figure.FrameSize,
                    f.Figure.GenCpus,
                    f.Figure.Iface,
                    f.Figure.Sink,
                    f.Figure.Metric
                )
            )
            .OrderBy(g => g.Key.Mode)
            .ThenBy(g => g.Key.Class, StringComparer.Ordinal)
            .ThenBy(g => g.Key.FrameSize)
            .ThenBy(g => g.Key.Metric, StringComparer.Ordinal)
            .Select(cell =>
            {
                var runs = cell.Select(f => f.Run).DistinctBy(r => r.Id).ToList();
                var variants = Tables
                    .InRoleOrder(
                        cell.Select(f =>
                                (
                                    f.Figure.Variant,
                                    Role: Enum.TryParse<MeasuredRole>(f.Figure.Role, true, out var role)
                                        ? role
                                        : MeasuredRole.Counter
                                )
                            )
                            .Distinct()
                            .ToList(),
                        v => v.Role
                    )
                    .Select(v => v.Variant)
                    .Distinct()
                    .ToList();
                var points = cell.ToDictionary(
                    f => (f.Run.Id, f.Figure.Variant),
                    f =>
                        f.Figure.NetOfBaseline is { } net && f.Figure.Metric != Metrics.Name(Reporting.Metric.NsPerRun)
                            ? new TrendPoint(net, f.Figure.NetCiLow, f.Figure.NetCiHigh, true)
                            : new TrendPoint(f.Figure.Mean, f.Figure.CiLow, f.Figure.CiHigh, false)
                );
                var k = cell.Key;
                var name =
                    k.Mode == RunRow.MicroMode
                        ? $"micro {k.Class} {k.FrameSize} B"
                        : $"live {k.Class} {k.FrameSize} B, {(k.Iface.Length > 0 ? k.Iface : $"cpu {k.GenCpus}")}, {k.Sink} sink";
                return new Trend(name, k.Metric, runs, variants, points, Changes(runs));
            })
            .ToList();

    private static List<int> Changes(IReadOnlyList<RunEntry> runs)
    {
        var changes = new List<int>();
        for (var i = 1; i < runs.Count; i++)
        {
            var (before, after) = (runs[i - 1], runs[i]);
            var slower =
                before.BaselineNs is { } x
                && after.BaselineNs is { } y
                && Math.Max(x, y) > MachineFingerprint.SameSpeedFactor * Math.Min(x, y);
            if (before.MachineKey != after.MachineKey || slower)
                changes.Add(i);
        }
        return changes;
    }

    /// <summary>The trend as a table: a row per run, a column per variant.</summary>
    public Table ToTable()
    {
        var unit = Metric switch
        {
            "ns_per_packet" => "ns/packet",
            "mpps" => "Mpps; net: CPU ns/packet",
            "ns_per_run" => "ns/run",
            _ => Metric,
        };
        var rows = Runs.Select(
                (run, i) =>
                    (IReadOnlyList<string>)
                        [
                            run.Id + (MachineChanges.Contains(i) ? " *" : ""),
                            run.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                            run.Tag ?? "",
                            run.MachineKey[..Math.Min(8, run.MachineKey.Length)],
                            .. Variants.Select(v => Points.TryGetValue((run.Id, v), out var p) ? Format(p) : "-"),
                        ]
            )
            .ToList();
        return new Table($"{Cell}, {Metric} ({unit})", ["RUN", "STARTED (UTC)", "TAG", "MACHINE", .. Variants], rows)
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
                MachineChanges.Count > 0
                    ? "* the machine changed at this run (another fingerprint, or the baseline's cost "
                        + "beyond ×1.5 of the run before): absolute figures do not compare across the mark"
                    : null,
        };
    }

    private static string Format(TrendPoint p)
    {
        var value = p.Value.ToString(Math.Abs(p.Value) >= 100 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
        if (!p.IsNet)
            return $"({value})";
        return p.Low is { } low && p.High is { } high && double.IsFinite(low) && double.IsFinite(high)
            ? $"{value} ± {((high - low) / 2).ToString("0.00", CultureInfo.InvariantCulture)}"
            : value;
    }
}
