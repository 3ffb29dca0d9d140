using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Analysis;

/// <summary>
/// One live window as the figures and plots use it: its rate, and what was counted per
/// packet beside it. Stats windows carry ns/run and never a rate.
/// </summary>
/// <param name="Mpps">The window's throughput: a successful throughput window only.</param>
/// <param name="NsPerRun">Δrun_time / Δrun_cnt: a stats window only.</param>
/// <param name="CountersPerPacket">Every non-time perf event per delivered packet, and IPC where it could be computed.</param>
public sealed record LiveWindowFigure(
    string Variant,
    MeasuredRole Role,
    LiveSetting Setting,
    int Round,
    int? Quad,
    LiveWindowKind Kind,
    double? Mpps,
    double? NsPerRun,
    IReadOnlyDictionary<string, double> CountersPerPacket
)
{
    public static IReadOnlyList<LiveWindowFigure> Of(BenchResults results) =>
        results
            .LiveSamples.Where(s => s.Round >= 0)
            .Select(s => new LiveWindowFigure(
                s.Variant,
                s.Role,
                s.Setting,
                s.Round,
                s.Quad,
                s.Kind,
                s.Mpps,
                s.Kind == LiveWindowKind.RunStats && s.Succeeded && s.RunStats is { RunCount: > 0 } stats
                    ? stats.NsPerRun
                    : null,
                s.CountersPerPacket
            ))
            .ToList();
}

/// <summary>A variant's perf events per packet in one setting: the mean over its throughput windows.</summary>
public sealed record CountersFigure(
    string Variant,
    LiveSetting Setting,
    double Mpps,
    IReadOnlyDictionary<string, double> PerPacket
)
{
    public static IReadOnlyList<CountersFigure> Of(IReadOnlyList<LiveWindowFigure> windows)
    {
        var live = windows.Where(w => w.Mpps is not null && w.CountersPerPacket.Count > 0).ToList();
        var names = live.SelectMany(w => w.CountersPerPacket.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        return live.GroupBy(w => (w.Variant, w.Setting))
            .Select(g => new CountersFigure(
                g.Key.Variant,
                g.Key.Setting,
                g.Average(w => w.Mpps!.Value),
                names
                    .Select(n => (Name: n, Values: g.Where(w => w.CountersPerPacket.ContainsKey(n)).ToList()))
                    .Where(n => n.Values.Count > 0)
                    .ToDictionary(n => n.Name, n => n.Values.Average(w => w.CountersPerPacket[n.Name]))
            ))
            .ToList();
    }
}

/// <summary>
/// Per-packet figures that read 0 in every throughput window (context switches and page
/// faults on a quiet testbed): said once, neither tabled, plotted nor correlated.
/// </summary>
public static class NegligibleFigures
{
    /// <summary>Below this a per-packet figure prints as 0.000.</summary>
    public const double Threshold = 0.0005;

    public static IReadOnlyList<string> Of(IReadOnlyList<LiveWindowFigure> windows) =>
        windows
            .Where(w => w.Mpps is not null)
            .SelectMany(w => w.CountersPerPacket)
            .GroupBy(p => p.Key)
            .Where(g => g.All(p => Math.Abs(p.Value) < Threshold))
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The line that says so, or null when every figure reads something.</summary>
    public static string? Sentence(IReadOnlyList<string> figures) =>
        figures.Count == 0
            ? null
            : $"{string.Join(" and ", figures)} read 0 in every throughput window (under {Threshold} per "
                + $"packet), so {(figures.Count == 1 ? "it is" : "they are")} neither tabled, plotted nor "
                + "set against the rate.";
}
