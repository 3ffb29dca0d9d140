using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Lean;

/// <summary>
/// A design that executes fewer instructions than Ultra: a counter per IP protocol number in
/// one per-CPU value, the protocol byte as the index, so no compare picks the field.
/// </summary>
public sealed class LeanVariant : ICounterVariant
{
    public string Name => "Lean";
    public string Description =>
        "One per-CPU value of 256 counters indexed by the IP protocol byte: no compares pick the field";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "lean.bpf.o";
    public string ProgramName => "lean_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } =
    [CountMap.Fields("lean_counts", [.. Enumerable.Range(0, 256).Select(p => IpProtocols.Name((uint)p))])];

    public string? CountFor(TrafficClass trafficClass) => TrafficClasses.ProtocolCount(trafficClass);
}
