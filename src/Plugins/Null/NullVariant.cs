using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Null;

/// <summary>The floor: XDP_PASS and nothing else. Every cost is reported net of it.</summary>
public sealed class NullVariant : ICounterVariant
{
    public string Name => "Null";
    public string Description => "Reference floor: returns XDP_PASS, counts nothing";
    public VariantRole Role => VariantRole.Baseline;
    public string ObjectFile => "null.bpf.o";
    public string ProgramName => "null_pass";
    public IReadOnlyList<CountMap> CountMaps { get; } = Array.Empty<CountMap>();

    public string? CountFor(TrafficClass trafficClass) => null;
}
