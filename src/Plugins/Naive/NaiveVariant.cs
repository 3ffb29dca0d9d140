using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Naive;

/// <summary>The seed's first design: a hash map keyed by IP protocol, looked up per packet.</summary>
public sealed class NaiveVariant : ICounterVariant
{
    public string Name => "Naive";
    public string Description => "Hash map keyed by IP protocol; full parse, lookup then insert-on-miss per packet";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "naive.bpf.o";
    public string ProgramName => "naive_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } = [CountMap.PerKey("naive_counts", IpProtocols.Name)];

    public string? CountFor(TrafficClass trafficClass) => TrafficClasses.ProtocolCount(trafficClass);

    /// <summary>The seed quotes every speedup against its first design.</summary>
    public bool IsSpeedupReference => true;
}
