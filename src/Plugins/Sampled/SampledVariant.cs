using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Sampled;

/// <summary>
/// Counts one IPv4 frame in <see cref="OneIn"/>, picked by <c>bpf_get_prandom_u32</c>; its
/// count is a binomial sample, verified within 3σ of the expected share of what was sent.
/// </summary>
public abstract class SampledBuild(uint oneIn, string objectFile) : ICounterVariant
{
    /// <summary>The sampling rate the object is built with (sampled.bpf.c's SAMPLE_ONE_IN, a power of two).</summary>
    public uint OneIn { get; } = oneIn;

    public abstract string Name { get; }
    public string Description =>
        $"Counts 1 in {OneIn} IPv4 frames, chosen by bpf_get_prandom_u32; the estimate is {OneIn} × the count";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => objectFile;
    public string ProgramName => "sampled_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } = [CountMap.Fields("sampled_counts", "ipv4")];

    public string? CountFor(TrafficClass trafficClass) =>
        TrafficClasses.Ipv4Protocol(trafficClass) is null ? null : "ipv4";

    public IEnumerable<ExpectedCount> ExpectedCounts(SentTraffic sent) =>
        ExpectedCount
            .PacketsByClass(sent, CountFor)
            .Select(all => ExpectedCount.Sampled(all.Count, (long)all.Value, OneIn));

    public VariantSweep Sweep => new("Sampled", "1 in N", OneIn);

    public virtual bool RunsByDefault => true;
}

/// <summary>The rate a default bench runs.</summary>
public sealed class SampledVariant() : SampledBuild(64, "sampled.bpf.o")
{
    public override string Name => "Sampled";
}

/// <summary>A denser point of the sweep, run when named.</summary>
public sealed class Sampled8Variant() : SampledBuild(8, "sampled_8.bpf.o")
{
    public override string Name => "Sampled8";
    public override bool RunsByDefault => false;
}

/// <summary>A sparser point of the sweep, run when named.</summary>
public sealed class Sampled1024Variant() : SampledBuild(1024, "sampled_1024.bpf.o")
{
    public override string Name => "Sampled1024";
    public override bool RunsByDefault => false;
}
