namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// The pairing every net figure rests on: within an ABBA quadruple, the variant's two
/// slices against the baseline's two. It belongs with the samples, so the stopping rules
/// that decide whether to take more of them and the figures computed after both use it.
/// </summary>
public static class LivePairs
{
    /// <summary>Each round's throughput: its packets over its time, across the variant's throughput slices of the round.</summary>
    public static IReadOnlyList<RoundRate> RoundRates(IEnumerable<LiveSample> samples) =>
        samples
            .Where(s => s.Mpps is not null && s.Round >= 0)
            .GroupBy(s => s.Round)
            .OrderBy(g => g.Key)
            .Select(g => new RoundRate(
                g.Key,
                g.Sum(s => s.Setting.IsExternal ? (double)s.Delivered : s.Sent) / g.Sum(s => s.Wall.TotalSeconds) / 1e6
            ))
            .ToList();

    /// <summary>Per ABBA quadruple: the variant's CPU ns/packet minus the baseline's, each the mean of its two slices.</summary>
    public static IReadOnlyList<double> Differences(IEnumerable<LiveSample> samples, string variant, string baseline) =>
        Quads(samples, variant, baseline)
            .Select(q => q.Variant.Average(s => s.CpuNsPerPacket) - q.Baseline.Average(s => s.CpuNsPerPacket))
            .ToList();

    /// <summary>Per ABBA quadruple: the variant's rate over the baseline's.</summary>
    public static IReadOnlyList<double> Ratios(IEnumerable<LiveSample> samples, string variant, string baseline) =>
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
}

/// <summary>One round's throughput of one variant.</summary>
public sealed record RoundRate(int Round, double Mpps);

/// <summary>The same pairing for micro slices, with the load of the programs each quadruple was timed on.</summary>
public static class MicroPairs
{
    /// <summary>Per quadruple (ABBA or BAAB): the variant's ns/packet minus the baseline's, each the mean of its two slices.</summary>
    public static IReadOnlyList<(int Placement, double Difference)> Differences(
        IEnumerable<IGrouping<int, MicroSample>> quads,
        string variant,
        string? baseline
    ) => Quads(quads, variant, baseline).Select(q => (q.Placement, q.Variant - q.Baseline)).ToList();

    /// <summary>Per quadruple: the variant's ns/packet over the baseline's.</summary>
    public static IReadOnlyList<double> Ratios(
        IEnumerable<IGrouping<int, MicroSample>> quads,
        string variant,
        string? baseline
    ) => Quads(quads, variant, baseline).Select(q => q.Variant / q.Baseline).ToList();

    private static IEnumerable<(int Placement, double Variant, double Baseline)> Quads(
        IEnumerable<IGrouping<int, MicroSample>> quads,
        string variant,
        string? baseline
    ) =>
        quads
            .Select(q =>
                (
                    Placement: q.First().Placement,
                    Variant: q.Where(s => s.Variant == variant).ToList(),
                    Baseline: q.Where(s => s.Variant == baseline).ToList()
                )
            )
            .Where(q => q.Variant.Count > 0 && q.Baseline.Count > 0)
            .Select(q => (q.Placement, q.Variant.Average(s => s.NsPerPacket), q.Baseline.Average(s => s.NsPerPacket)));
}
