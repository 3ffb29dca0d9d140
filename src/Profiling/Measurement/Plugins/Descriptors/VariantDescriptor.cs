using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Plugins.Descriptors;

/// <summary>
/// A variant declared in a <c>NAME.variant.yaml</c> file instead of a C# class: everything
/// <see cref="ICounterVariant"/> declares, as data, with where each value was written.
/// </summary>
/// <param name="File">The descriptor's full path.</param>
/// <param name="Source">The <c>.bpf.c</c> to compile, relative to the descriptor; or null when <paramref name="Object"/> is given.</param>
/// <param name="Object">A prebuilt <c>.bpf.o</c>, relative to the descriptor; or null when <paramref name="Source"/> is given.</param>
/// <param name="CFlags">Extra clang flags for <paramref name="Source"/>, as the BpfProgram item's CFlags metadata.</param>
/// <param name="Counts">The count each traffic class lands in; a class not named is not counted.</param>
/// <param name="Expect">How the counts follow from the traffic sent.</param>
public sealed record VariantDescriptor(
    string File,
    string Name,
    string Description,
    VariantRole Role,
    Located<string>? Source,
    Located<string>? Object,
    Located<string> Program,
    IReadOnlyList<string> CFlags,
    IReadOnlyList<DescribedMap> Maps,
    IReadOnlyDictionary<TrafficClass, string> Counts,
    IReadOnlyList<Expectation> Expect,
    VariantSweep? Sweep,
    bool RunsByDefault,
    bool IsSpeedupReference,
    Located NameAt
)
{
    /// <summary>The file name every descriptor ends with.</summary>
    public const string Suffix = ".variant.yaml";

    /// <summary>The folder the descriptor is in; its files are named relative to it.</summary>
    public string Directory => Path.GetDirectoryName(File)!;
}

/// <summary>How a per-key map's keys name their counts.</summary>
public enum KeyNaming
{
    /// <summary>The key is an IP protocol number: tcp, udp, icmp, gre, else proto-N.</summary>
    Protocol,

    /// <summary>The key itself, in decimal.</summary>
    Number,
}

/// <summary>One map of a descriptor and how it reads out as counts.</summary>
/// <param name="Map">The map's name in the object.</param>
/// <param name="Fields">For a fields map, the counts in field order, with where the list was written.</param>
/// <param name="PerKey">For a per-key map, how keys name counts.</param>
public sealed record DescribedMap(Located<string> Map, Located<IReadOnlyList<string>>? Fields, KeyNaming? PerKey)
{
    public CountMap ToCountMap() =>
        Fields is { } fields
            ? CountMap.Fields(Map.Value, [.. fields.Value])
            : CountMap.PerKey(Map.Value, NameOfKey(PerKey!.Value));

    /// <summary>Whether a count of this name can be read from the map.</summary>
    public bool Gives(string count) =>
        Fields is { } fields ? fields.Value.Contains(count)
        : PerKey == KeyNaming.Number ? uint.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out _)
        : Enumerable.Range(0, 256).Any(p => IpProtocols.Name((uint)p) == count);

    /// <summary>What the map gives, for a message.</summary>
    public string Describe() =>
        Fields is { } fields ? $"{Map.Value}: {string.Join(", ", fields.Value)}"
        : PerKey == KeyNaming.Number ? $"{Map.Value}: one count per key, named by its number"
        : $"{Map.Value}: one count per IP protocol (tcp, udp, icmp, gre, proto-N)";

    private static Func<uint, string> NameOfKey(KeyNaming naming) =>
        naming == KeyNaming.Number ? key => key.ToString(CultureInfo.InvariantCulture) : IpProtocols.Name;
}

/// <summary>One rule of how counts follow from the frames of counted classes.</summary>
public abstract record Expectation
{
    private Expectation() { }

    /// <summary>One per frame into its class's count; with a sampling rate, a binomial share of them.</summary>
    /// <param name="SampleOneIn">Each frame is counted with chance 1 in this; null for every frame.</param>
    /// <param name="Sigmas">The sampled bound's width in standard deviations.</param>
    public sealed record Packets(uint? SampleOneIn, double Sigmas) : Expectation;

    /// <summary>Each frame's length into a count named from its class's count.</summary>
    /// <param name="CountTemplate">The count's name; <c>{count}</c> stands for the class's count.</param>
    public sealed record Bytes(Located<string> CountTemplate) : Expectation;

    /// <summary>One per frame into its log2 size bucket, named as <see cref="SizeHistogram.Name"/> names it.</summary>
    public sealed record Histogram : Expectation;

    /// <summary>A count anywhere from 0 to one per counted frame: a hard bound, e.g. flows an LRU inserted.</summary>
    public sealed record AtMost(Located<string> Count, string Why) : Expectation;

    /// <summary>The rule a descriptor that says nothing gets: one packet per frame, exactly.</summary>
    public static Expectation EveryPacket { get; } = new Packets(null, 3);
}
