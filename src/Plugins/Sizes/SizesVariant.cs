using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Sizes;

/// <summary>
/// Size tracking on Ultra's design, indexed like Lean: packets and bytes per IP protocol and a
/// log2 histogram of counted frames' sizes in one per-CPU value, so its net cost over Ultra and
/// Lean is the price of sizes. The program counts 32-byte bands; the log2 buckets are the bands
/// summed when the counts are read.
/// </summary>
public sealed class SizesVariant : ICounterVariant
{
    public string Name => "Sizes";
    public string Description =>
        "Packets and bytes per IP protocol and a log2 size histogram (32-byte bands "
        + "folded at read time) in one per-CPU value, indexed by the protocol byte";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "sizes.bpf.o";
    public string ProgramName => "sizes_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } =
    [
        CountMap.Fields(
            "sizes_counts",
            [
                .. Enumerable
                    .Range(0, 256)
                    .SelectMany(p => new[] { IpProtocols.Name((uint)p), BytesOf(IpProtocols.Name((uint)p)) }),
                .. Enumerable.Range(0, Bands).Select(BandName),
            ]
        ),
    ];

    // sizes.bpf.c counts 32-byte bands; naming each band after the log2 bucket it lies in makes
    // the reader sum the bands into the histogram. Band 0 (under 32 bytes) never holds a counted
    // frame, which carries at least 34 bytes of headers.
    private const int Bands = 128;

    private static string BandName(int band) =>
        band == 0 ? "size-0-31" : SizeHistogram.Name(SizeHistogram.Bucket(band * 32));

    public string? CountFor(TrafficClass trafficClass) => TrafficClasses.ProtocolCount(trafficClass);

    public IEnumerable<ExpectedCount> ExpectedCounts(SentTraffic sent) =>
        [
            .. ExpectedCount.PacketsByClass(sent, CountFor),
            .. ExpectedCount.Sum(
                sent,
                f => CountFor(f.Class) is { } count ? [(BytesOf(count), (ulong)(f.Packets * f.Size))] : [],
                CountUnit.Bytes
            ),
            .. ExpectedCount.Sum(
                sent,
                f =>
                    CountFor(f.Class) is not null
                        ? [(SizeHistogram.Name(SizeHistogram.Bucket(f.Size)), (ulong)f.Packets)]
                        : [],
                CountUnit.Bucket
            ),
        ];

    private static string BytesOf(string count) => $"{count}-bytes";
}
