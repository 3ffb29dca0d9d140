using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Sizes;

/// <summary>
/// Ultra plus size tracking: bytes per protocol and a log2 histogram of counted frames'
/// sizes, in the same per-CPU value, so its net cost over Ultra is the price of sizes.
/// </summary>
public sealed class SizesVariant : ICounterVariant
{
    private static readonly string[] Protocols = ["tcp", "udp", "icmp", "other"];

    public string Name => "Sizes";
    public string Description => "Ultra's per-CPU struct plus bytes per protocol and a log2 size histogram of counted frames";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "sizes.bpf.o";
    public string ProgramName => "sizes_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } =
    [
        CountMap.Fields("sizes_counts",
        [
            .. Protocols,
            .. Protocols.Select(p => $"{p}-bytes"),
            .. Enumerable.Range(0, SizeHistogram.Buckets).Select(SizeHistogram.Name),
        ]),
    ];

    public string? CountFor(TrafficClass trafficClass) => TrafficClasses.Ipv4Protocol(trafficClass) switch
    {
        IpProtocols.Tcp => "tcp",
        IpProtocols.Udp => "udp",
        IpProtocols.Icmp => "icmp",
        null => null,
        _ => "other",
    };

    public IEnumerable<ExpectedCount> ExpectedCounts(SentTraffic sent) =>
    [
        .. ExpectedCount.PacketsByClass(sent, CountFor),
        .. ExpectedCount.Sum(sent, f => CountFor(f.Class) is { } count ? [($"{count}-bytes", (ulong)(f.Packets * f.Size))] : [], CountUnit.Bytes),
        .. ExpectedCount.Sum(sent, f => CountFor(f.Class) is not null ? [(SizeHistogram.Name(SizeHistogram.Bucket(f.Size)), (ulong)f.Packets)] : []),
    ];
}
