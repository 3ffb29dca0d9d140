using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Sampled;

/// <summary>
/// Counts one IPv4 frame in <see cref="OneIn"/>, picked by <c>bpf_get_prandom_u32</c>; its
/// count is a binomial sample, verified within 3σ of the expected share of what was sent.
/// </summary>
public sealed class SampledVariant : ICounterVariant
{
    /// <summary>The sampling rate the object is built with (sampled.bpf.c's SAMPLE_ONE_IN).</summary>
    public const uint OneIn = 64;

    public string Name => "Sampled";
    public string Description => $"Counts 1 in {OneIn} IPv4 frames, chosen by bpf_get_prandom_u32; the estimate is {OneIn} × the count";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "sampled.bpf.o";
    public string ProgramName => "sampled_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } = [CountMap.Fields("sampled_counts", "ipv4")];

    public string? CountFor(TrafficClass trafficClass) => TrafficClasses.Ipv4Protocol(trafficClass) is null ? null : "ipv4";

    public IEnumerable<ExpectedCount> ExpectedCounts(SentTraffic sent) =>
        ExpectedCount.PacketsByClass(sent, CountFor).Select(all => ExpectedCount.Sampled(all.Count, (long)all.Value, OneIn));
}
