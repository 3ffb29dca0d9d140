using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Analysis;

/// <summary>
/// A speedup and how it was estimated: from per-round ratios ("paired"), or from the two means by the delta
/// method ("delta").
/// </summary>
public sealed record Speedup(Interval Value, string Reference, string Method);

/// <summary>One variant's live figures within one setting.</summary>
/// <param name="Mpps">Throughput (run stats off) over rounds: each round's packets over its time.</param>
/// <param name="NetCpuNsPerPacket">CPU ns per packet minus the baseline's, paired within ABBA quadruples.</param>
/// <param name="RatioToBaseline">Mpps over the baseline's, paired within ABBA quadruples.</param>
/// <param name="NsPerRun">Δrun_time / Δrun_cnt over the run-stats slices.</param>
/// <param name="CpuPercent">Δrun_time / wall over the run-stats slices.</param>
/// <param name="StatsCostNsPerPacket">What run stats add per packet: CPU ns/packet of a stats slice minus the
/// same round's throughput slices.</param>
public sealed record LiveFigure(
    string Variant,
    MeasuredRole Role,
    LiveSetting Setting,
    SampleSummary? Mpps,
    Interval? NetCpuNsPerPacket,
    Interval? RatioToBaseline,
    Speedup? Speedup,
    SampleSummary? NsPerRun,
    SampleSummary? CpuPercent,
    Interval? StatsCostNsPerPacket,
    long PacketsSent,
    ulong PacketsDelivered,
    ulong PacketsCounted,
    int Windows,
    VerificationStatus Verification
);

public static class LiveFigures
{
    public static IReadOnlyList<LiveFigure> Of(BenchResults results)
    {
        var figures = new List<LiveFigure>();
        var baseline = results.Baseline;
        foreach (var setting in results.LiveSamples.Where(s => s.Round >= 0).GroupBy(s => s.Setting))
        {
            var samples = setting.ToList();
            foreach (var variant in samples.GroupBy(s => s.Variant))
            {
                var all = variant.ToList();
                var throughput = all.Where(s => s.Mpps is not null).ToList();
                var stats = all.Where(s =>
                        s.Kind == LiveWindowKind.RunStats && s.Succeeded && s.RunStats is { RunCount: > 0 }
                    )
                    .ToList();
                var rounds = RoundRates(all);
                var generated = !setting.Key.IsExternal;
                var isBaseline = variant.Key == baseline;
                var statsCost = stats
                    .Select(s => (Stats: s, Throughput: throughput.Where(t => t.Round == s.Round).ToList()))
                    .Where(p => p.Throughput.Count > 0)
                    .Select(p => p.Stats.CpuNsPerPacket - p.Throughput.Average(t => t.CpuNsPerPacket))
                    .ToList();

                figures.Add(
                    new LiveFigure(
                        variant.Key,
                        all[0].Role,
                        setting.Key,
                        rounds.Count > 0 ? SampleSummary.Of(rounds) : null,
                        generated && !isBaseline && baseline is not null
                            ? NonEmpty(QuadDifferences(samples, variant.Key, baseline))
                            : null,
                        generated && !isBaseline && baseline is not null
                            ? NonEmpty(QuadRatios(samples, variant.Key, baseline))
                            : null,
                        generated ? SpeedupOf(samples, variant.Key, results.Reference) : null,
                        stats.Count > 0
                            ? SampleSummary.Of(stats.Select(s => s.RunStats!.Value.NsPerRun).ToList())
                            : null,
                        stats.Count > 0 ? SampleSummary.Of(stats.Select(s => s.CpuPercent).ToList()) : null,
                        statsCost.Count >= 2 ? Paired.Location(statsCost) : null,
                        throughput.Sum(s => s.Sent),
                        (ulong)throughput.Sum(s => (decimal)s.Delivered),
                        (ulong)throughput.Sum(s => (decimal)s.CountedTotal),
                        throughput.Count,
                        VerificationStatuses.Of(all)
                    )
                );
            }
        }
        return figures;
    }

    private static Interval? NonEmpty(IReadOnlyList<double> pairs) => pairs.Count >= 2 ? Paired.Location(pairs) : null;

    /// <summary>Each round's throughput: its packets over its time, across the variant's throughput slices of the round.</summary>
    public static IReadOnlyList<double> RoundRates(IEnumerable<LiveSample> samples) =>
        samples
            .Where(s => s.Mpps is not null && s.Round >= 0)
            .GroupBy(s => s.Round)
            .OrderBy(g => g.Key)
            .Select(g =>
                g.Sum(s => s.Setting.IsExternal ? (double)s.Delivered : s.Sent) / g.Sum(s => s.Wall.TotalSeconds) / 1e6
            )
            .ToList();

    /// <summary>Per ABBA quadruple: the variant's CPU ns/packet minus the baseline's, each the mean of its two slices.</summary>
    public static IReadOnlyList<double> QuadDifferences(
        IEnumerable<LiveSample> samples,
        string variant,
        string baseline
    ) =>
        Quads(samples, variant, baseline)
            .Select(q => q.Variant.Average(s => s.CpuNsPerPacket) - q.Baseline.Average(s => s.CpuNsPerPacket))
            .ToList();

    /// <summary>Per ABBA quadruple: the variant's rate over the baseline's.</summary>
    public static IReadOnlyList<double> QuadRatios(IEnumerable<LiveSample> samples, string variant, string baseline) =>
        Quads(samples, variant, baseline)
            .Select(q => q.Baseline.Average(s => s.CpuNsPerPacket) / q.Variant.Average(s => s.CpuNsPerPacket))
            .ToList();

    private static IEnumerable<(IReadOnlyList<LiveSample> Variant, IReadOnlyList<LiveSample> Baseline)> Quads(
        IEnumerable<LiveSample> samples,
        string variant,
        string baseline
    ) =>
        samples
            .Where(s => s.Quad is not null && s.IsThroughput)
            .GroupBy(s => s.Quad)
            .Select(g =>
                (
                    Variant: (IReadOnlyList<LiveSample>)g.Where(s => s.Variant == variant).ToList(),
                    Baseline: (IReadOnlyList<LiveSample>)g.Where(s => s.Variant == baseline).ToList(),
                    All: g.ToList()
                )
            )
            .Where(q => q.Variant.Count > 0 && q.Baseline.Count > 0 && q.All.All(s => s.Succeeded))
            .Select(q => (q.Variant, q.Baseline));

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
            return new Speedup(new Interval(1, 1, 1, own.Count, "reference"), reference, "reference");
        var rounds = own.Keys.Intersect(other.Keys).Order().ToList();
        Interval? paired = rounds.Count >= 2 ? Paired.Location(rounds.Select(r => own[r] / other[r]).ToList()) : null;
        var deltaEstimate = Estimate.Ratio(
            Estimate.OfSamples(own.Values.ToList()),
            Estimate.OfSamples(other.Values.ToList())
        );
        var delta = Interval.Of(deltaEstimate, own.Count) with { Method = "ratio of means, delta method" };
        if (paired is { IsFinite: true } p && (!delta.IsFinite || p.HalfWidth <= delta.HalfWidth))
            return new Speedup(p, reference, "paired");
        return new Speedup(delta, reference, "delta");
    }

    private static double Rate(IEnumerable<LiveSample> slices) =>
        slices.Sum(s => (double)s.Sent) / slices.Sum(s => s.Wall.TotalSeconds) / 1e6;
}
