using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Ultra;

/// <summary>The seed's third design: one per-CPU struct of four counters and an unrolled switch.</summary>
public sealed class UltraVariant : ICounterVariant
{
    public string Name => "Ultra";
    public string Description => "One per-CPU struct {tcp, udp, icmp, other} at a constant key; unrolled switch";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "ultra.bpf.o";
    public string ProgramName => "ultra_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } =
    [CountMap.Fields("ultra_counts", "tcp", "udp", "icmp", "other")];

    public string? CountFor(TrafficClass trafficClass) =>
        TrafficClasses.Ipv4Protocol(trafficClass) switch
        {
            IpProtocols.Tcp => "tcp",
            IpProtocols.Udp => "udp",
            IpProtocols.Icmp => "icmp",
            null => null,
            _ => "other",
        };
}
