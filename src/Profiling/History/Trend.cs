using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.History;

/// <summary>A figure's net of its run's baseline, with its CI where the store has one.</summary>
public sealed record TrendNet(double Value, double? Low, double? High);

/// <summary>One figure of one variant in one cell of a recorded run, as the store's figures table holds it.</summary>
public sealed record TrendFigure(
    string Variant,
    MeasuredRole Role,
    CellKey Cell,
    Metric Metric,
    double Mean,
    double Low,
    double High,
    TrendNet? Net
);

/// <summary>One variant's figure in one run of a trend: net of the run's baseline where the figure has one, else as measured.</summary>
public sealed record TrendPoint(double Value, double? Low, double? High, bool IsNet);

/// <summary>
/// One cell (mode, class or mix, size, generator, sink) and metric over the recorded runs,
/// oldest first, with the runs where the machine changed marked: a change of fingerprint, or
/// a baseline cost beyond <see cref="MachineFingerprint.SameSpeedFactor"/> of the run before.
/// </summary>
public sealed record Trend(
    CellKey Cell,
    Metric Metric,
    IReadOnlyList<RunEntry> Runs,
    IReadOnlyList<string> Variants,
    IReadOnlyDictionary<(string Run, string Variant), TrendPoint> Points,
    IReadOnlyList<int> MachineChanges
)
{
    /// <summary>One trend per cell the figures cover.</summary>
    public static IReadOnlyList<Trend> Of(IReadOnlyList<(RunEntry Run, TrendFigure Figure)> figures) =>
        figures
            .GroupBy(f => (f.Figure.Cell, f.Figure.Metric))
            .OrderBy(g => g.Key.Cell.Mode)
            .ThenBy(g => g.Key.Cell.Class, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Cell.FrameSize)
            .ThenBy(g => g.Key.Metric)
            .Select(cell =>
            {
                var runs = cell.Select(f => f.Run).DistinctBy(r => r.Id).ToList();
                // The baseline first, its A/A copy next, then the counters in the order they were recorded.
                var variants = cell.Select(f => (f.Figure.Variant, f.Figure.Role))
                    .Select((v, index) => (v.Variant, v.Role, index))
                    .OrderBy(v => v.Role)
                    .ThenBy(v => v.index)
                    .Select(v => v.Variant)
                    .Distinct()
                    .ToList();
                var points = cell.ToDictionary(
                    f => (f.Run.Id, f.Figure.Variant),
                    f =>
                        f.Figure.Net is { } net && f.Figure.Metric != Metric.NsPerRun
                            ? new TrendPoint(net.Value, net.Low, net.High, true)
                            : new TrendPoint(f.Figure.Mean, f.Figure.Low, f.Figure.High, false)
                );
                return new Trend(cell.Key.Cell, cell.Key.Metric, runs, variants, points, Changes(runs));
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
}
