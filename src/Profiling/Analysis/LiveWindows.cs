using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Analysis;

/// <summary>
/// One live window as the figures and plots use it: its rate, and what was counted per
/// packet beside it. Stats windows carry ns/run and never a rate.
/// </summary>
public sealed record LiveWindowFigure
{
    public required string Variant { get; init; }

    public required MeasuredRole Role { get; init; }

    public required LiveSetting Setting { get; init; }

    public required int Round { get; init; }

    public int? Quad { get; init; }

    public required LiveWindowKind Kind { get; init; }

    /// <summary>The window's throughput: a successful throughput window only.</summary>
    public double? Mpps { get; init; }

    /// <summary>Δrun_time / Δrun_cnt: a stats window only.</summary>
    public double? NsPerRun { get; init; }

    /// <summary>Every non-time perf event per delivered packet, and IPC where it could be computed.</summary>
    public IReadOnlyDictionary<string, double> CountersPerPacket { get; init; } = new Dictionary<string, double>();

    public static IReadOnlyList<LiveWindowFigure> Of(BenchResults results) =>
        results
            .LiveSamples.Where(s => s.Round >= 0)
            .Select(s => new LiveWindowFigure
            {
                Variant = s.Variant,
                Role = s.Role,
                Setting = s.Setting,
                Round = s.Round,
                Quad = s.Quad,
                Kind = s.Kind,
                Mpps = s.Mpps,
                NsPerRun =
                    s.Kind == LiveWindowKind.RunStats && s.Succeeded && s.RunStats is { RunCount: > 0 } stats
                        ? stats.NsPerRun
                        : null,
                CountersPerPacket = s.CountersPerPacket,
            })
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
