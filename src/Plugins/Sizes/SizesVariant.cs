using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Sizes;

/// <summary>
/// Size tracking on Ultra's design, indexed like Lean: packets and bytes per IP protocol and a
/// log2 histogram of counted frames' sizes in one per-CPU value, so its net cost over Ultra and
/// Lean is the price of sizes.
/// </summary>
public sealed class SizesVariant : ICounterVariant
{
    public string Name => "Sizes";
    public string Description => "Packets and bytes per IP protocol and a log2 size histogram in one per-CPU value, indexed by the protocol byte";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "sizes.bpf.o";
    public string ProgramName => "sizes_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } =
    [
        CountMap.Fields("sizes_counts",
        [
            .. Enumerable.Range(0, 256).SelectMany(p => new[] { IpProtocols.Name((uint)p), BytesOf(IpProtocols.Name((uint)p)) }),
            .. Enumerable.Range(0, SizeHistogram.Buckets).Select(SizeHistogram.Name),
        ]),
    ];

    public string? CountFor(TrafficClass trafficClass) => TrafficClasses.ProtocolCount(trafficClass);

    public IEnumerable<ExpectedCount> ExpectedCounts(SentTraffic sent) =>
    [
        .. ExpectedCount.PacketsByClass(sent, CountFor),
        .. ExpectedCount.Sum(sent, f => CountFor(f.Class) is { } count ? [(BytesOf(count), (ulong)(f.Packets * f.Size))] : [], CountUnit.Bytes),
        .. ExpectedCount.Sum(sent, f => CountFor(f.Class) is not null ? [(SizeHistogram.Name(SizeHistogram.Bucket(f.Size)), (ulong)f.Packets)] : [], CountUnit.Bucket),
    ];

    private static string BytesOf(string count) => $"{count}-bytes";
}
