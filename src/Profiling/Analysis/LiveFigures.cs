using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Analysis;

/// <summary>How a speedup was estimated.</summary>
public enum SpeedupMethod
{
    /// <summary>The counter the others are quoted against: 1 by definition.</summary>
    Reference,

    /// <summary>From per-round ratios, which cancel the drift both saw within the round.</summary>
    Paired,

    /// <summary>From the two means by the delta method, which needs no pairing.</summary>
    Delta,
}

/// <summary>A speedup over the reference counter and how it was estimated.</summary>
public sealed record Speedup(Interval Value, string Reference, SpeedupMethod Method);

/// <summary>One variant's live figures within one setting.</summary>
public sealed record LiveFigure
{
    public required string Variant { get; init; }

    public required MeasuredRole Role { get; init; }

    public required LiveSetting Setting { get; init; }

    /// <summary>Throughput (run stats off) over rounds: each round's packets over its time.</summary>
    public SampleSummary? Mpps { get; init; }

    /// <summary>Each round's throughput, in the order the rounds ran.</summary>
    public IReadOnlyList<RoundRate> Rounds { get; init; } = [];

    /// <summary>CPU ns per packet minus the baseline's, paired within ABBA quadruples.</summary>
    public Interval? NetCpuNsPerPacket { get; init; }

    /// <summary>Mpps over the baseline's, paired within ABBA quadruples.</summary>
    public Interval? RatioToBaseline { get; init; }

    public Speedup? Speedup { get; init; }

    /// <summary>Δrun_time / Δrun_cnt over the run-stats slices.</summary>
    public SampleSummary? NsPerRun { get; init; }

    /// <summary>Δrun_time / wall over the run-stats slices.</summary>
    public SampleSummary? CpuPercent { get; init; }

    /// <summary>What run stats add per packet: CPU ns/packet of a stats slice minus the same round's throughput slices.</summary>
    public Interval? StatsCostNsPerPacket { get; init; }

    public long PacketsSent { get; init; }

    public ulong PacketsDelivered { get; init; }

    public ulong PacketsCounted { get; init; }

    /// <summary>The generator's wall time over the throughput slices.</summary>
    public double WallSeconds { get; init; }

    /// <summary>Throughput slices measured.</summary>
    public int Windows { get; init; }

    public VerificationStatus Verification { get; init; }
}

public static class LiveFigures
{
    public static IReadOnlyList<LiveFigure> Of(BenchResults results)
    {
        var figures = new List<LiveFigure>();
        var baseline = results.Baseline;
        foreach (var setting in results.LiveSamples.Where(s => s.Round >= 0).GroupBy(s => s.Setting))
        {
            var samples = setting.ToList();
            var generated = !setting.Key.IsExternal;
            foreach (var variant in samples.GroupBy(s => s.Variant))
            {
                var all = variant.ToList();
                var throughput = all.Where(s => s.Mpps is not null).ToList();
                var stats = all.Where(s =>
                        s.Kind == LiveWindowKind.RunStats && s.Succeeded && s.RunStats is { RunCount: > 0 }
                    )
                    .ToList();
                var rounds = LivePairs.RoundRates(all);
                var paired = generated && variant.Key != baseline && baseline is not null;
                var statsCost = stats
                    .Select(s => (Stats: s, Throughput: throughput.Where(t => t.Round == s.Round).ToList()))
                    .Where(p => p.Throughput.Count > 0)
                    .Select(p => p.Stats.CpuNsPerPacket - p.Throughput.Average(t => t.CpuNsPerPacket))
                    .ToList();
                figures.Add(
                    new LiveFigure
                    {
                        Variant = variant.Key,
                        Role = all[0].Role,
                        Setting = setting.Key,
                        Mpps = rounds.Count > 0 ? SampleSummary.Of(rounds.Select(r => r.Mpps).ToList()) : null,
                        Rounds = rounds,
                        NetCpuNsPerPacket = paired
                            ? NonEmpty(LivePairs.Differences(samples, variant.Key, baseline!))
                            : null,
                        RatioToBaseline = paired ? NonEmpty(LivePairs.Ratios(samples, variant.Key, baseline!)) : null,
                        Speedup = generated ? SpeedupOf(samples, variant.Key, results.Reference) : null,
                        NsPerRun =
                            stats.Count > 0
                                ? SampleSummary.Of(stats.Select(s => s.RunStats!.Value.NsPerRun).ToList())
                                : null,
                        CpuPercent =
                            stats.Count > 0 ? SampleSummary.Of(stats.Select(s => s.CpuPercent).ToList()) : null,
                        StatsCostNsPerPacket = statsCost.Count >= 2 ? Paired.Location(statsCost) : null,
                        PacketsSent = throughput.Sum(s => s.Sent),
                        PacketsDelivered = (ulong)throughput.Sum(s => (decimal)s.Delivered),
                        PacketsCounted = (ulong)throughput.Sum(s => (decimal)s.CountedTotal),
                        WallSeconds = throughput.Sum(s => s.Wall.TotalSeconds),
                        Windows = throughput.Count,
                        Verification = VerificationStatuses.Of(all),
                    }
                );
            }
        }
        return figures;
    }

    private static Interval? NonEmpty(IReadOnlyList<double> pairs) => pairs.Count >= 2 ? Paired.Location(pairs) : null;

    // Per-round ratios cancel the drift both saw within the round; the delta method on the
    // two means does not, but needs no pairing. The tighter of the two is reported, with
    // the method named.
    private static Speedup? SpeedupOf(IReadOnlyList<LiveSample> samples, string variant, string? reference)
    {
        if (reference is null)
            return null;
        var own = samples
            .Where(s => s.Variant == variant && s.Mpps is not null)
            .GroupBy(s => s.Round)
            .ToDictionary(g => g.Key, Rate);
        var other = samples
            .Where(s => s.Variant == reference && s.Mpps is not null)
            .GroupBy(s => s.Round)
            .ToDictionary(g => g.Key, Rate);
        if (own.Count == 0 || other.Count == 0)
            return null;
        if (variant == reference)
            return new Speedup(new Interval(1, 1, 1, own.Count, "reference"), reference, SpeedupMethod.Reference);
        var rounds = own.Keys.Intersect(other.Keys).Order().ToList();
        Interval? paired = rounds.Count >= 2 ? Paired.Location(rounds.Select(r => own[r] / other[r]).ToList()) : null;
        var deltaEstimate = Estimate.Ratio(
            Estimate.OfSamples(own.Values.ToList()),
            Estimate.OfSamples(other.Values.ToList())
        );
        var delta = Interval.Of(deltaEstimate, own.Count) with { Method = "ratio of means, delta method" };
        if (paired is { IsFinite: true } p && (!delta.IsFinite || p.HalfWidth <= delta.HalfWidth))
            return new Speedup(p, reference, SpeedupMethod.Paired);
        return new Speedup(delta, reference, SpeedupMethod.Delta);
    }

    private static double Rate(IEnumerable<LiveSample> slices) =>
        slices.Sum(s => (double)s.Sent) / slices.Sum(s => s.Wall.TotalSeconds) / 1e6;
}
