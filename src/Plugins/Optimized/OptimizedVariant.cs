using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Optimized;

/// <summary>The seed's second design: a per-CPU array indexed directly by IP protocol.</summary>
public sealed class OptimizedVariant : ICounterVariant
{
    public string Name => "Optimized";
    public string Description => "Per-CPU array indexed by IP protocol; one bounds check, early exit";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "optimized.bpf.o";
    public string ProgramName => "optimized_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } = [CountMap.PerKey("optimized_counts", IpProtocols.Name)];

    public string? CountFor(TrafficClass trafficClass) => TrafficClasses.ProtocolCount(trafficClass);
}
