using PacketCounter.Abstractions;
using PacketCounter.Profiling.Plugins.Descriptors;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Engine;

/// <summary>
/// A descriptor declares what a C# variant declares: written for the shipped designs, each
/// descriptor gives the same maps, the same count per class and the same expected counts,
/// exact, sampled, bounded, in bytes and in histograms, for traffic of every class and size.
/// </summary>
[Trait(Category.Name, Category.Pure)]
public class DescriptorContractTests
{
    // Every class in three sizes, each kind sent a different number of times.
    private static readonly SentTraffic Sent = new(
        TrafficClasses.All.SelectMany(
            (c, i) => new[] { 64, 200, 1500 }.Select((size, j) => new SentFrames(c, size, 0, 1000 + 37 * i + 11 * j))
        )
    );

    [Fact]
    public void The_templates_descriptor_declares_what_ultra_declares()
    {
        var described = new DescriptorVariant(
            DescriptorReader.Read(Path.Combine(NativeTool.RepoRoot, "sdk", "template", "Ultra.variant.yaml")),
            "ultra.bpf.o"
        );
        var ultra = Variants.Named("Ultra").Variant;
        Assert.Equal("ultra.bpf.c", described.Descriptor.Source?.Value);
        Assert.Equal(
            (ultra.Name, ultra.Description, ultra.Role, ultra.ProgramName, ultra.RunsByDefault),
            (described.Name, described.Description, described.Role, described.ProgramName, described.RunsByDefault)
        );
        AssertSameContract(ultra, described);
    }

    [Fact]
    public void Descriptors_of_naive_flows_and_sampled_expect_what_their_classes_expect()
    {
        using var work = new TempFolder("pc-contract-");
        AssertSameContract(
            Variants.Named("Naive").Variant,
            Described(
                work,
                """
                name: Naive
                description: by protocol in a hash map
                program: naive_counter
                source: naive.bpf.c
                speedup_reference: true
                maps:
                  - map: naive_counts
                    per_key: protocol
                counts: {ipv4-tcp: tcp, ipv4-udp: udp, ipv4-options: udp, ipv4-icmp: icmp, ipv4-gre: gre}
                """
            )
        );
        AssertSameContract(
            Variants.Named("Flows").Variant,
            Described(
                work,
                """
                name: Flows
                description: per 5-tuple
                program: flows_counter
                source: flows.bpf.c
                maps:
                  - map: flows_totals
                    fields: [packets, bytes, new-flows]
                counts:
                  ipv4-tcp: packets
                  ipv4-udp: packets
                  ipv4-options: packets
                  ipv4-icmp: packets
                  ipv4-gre: packets
                expect:
                  - packets
                  - {kind: bytes, count: bytes}
                  - {kind: at_most, count: new-flows, why: at most one per frame (the LRU decides)}
                """
            )
        );
        var sampled = Described(
            work,
            """
            name: Sampled8
            description: 1 in 8
            program: sampled_counter
            object: sampled_8.bpf.o
            runs_by_default: false
            sweep: {family: Sampled, parameter: 1 in N, value: 8}
            maps:
              - map: sampled_counts
                fields: [ipv4]
            counts:
              ipv4-tcp: ipv4
              ipv4-udp: ipv4
              ipv4-options: ipv4
              ipv4-icmp: ipv4
              ipv4-gre: ipv4
            expect:
              - {kind: packets, sample_one_in: 8}
            """
        );
        var csharp = Variants.Named("Sampled8").Variant;
        AssertSameContract(csharp, sampled);
        Assert.Equal(csharp.Sweep, sampled.Sweep);
        Assert.False(sampled.RunsByDefault);
    }

    [Fact]
    public void Bytes_by_class_and_a_size_histogram_expect_what_sizes_expects()
    {
        using var work = new TempFolder("pc-contract-");
        // Sizes reads 640 fields; a descriptor reads the same counts from a map per key, and its
        // expectations (packets, {count}-bytes and the log2 histogram) are Sizes' own.
        var described = Described(
            work,
            """
            name: SizesLike
            description: packets, bytes and sizes by protocol
            program: sizes_counter
            source: sizes.bpf.c
            maps:
              - map: sizes_counts
                per_key: protocol
            counts: {ipv4-tcp: tcp, ipv4-udp: udp, ipv4-options: udp, ipv4-icmp: icmp, ipv4-gre: gre}
            expect: [packets, {kind: bytes, count: "{count}-bytes"}, histogram]
            """
        );
        var sizes = Variants.Named("Sizes").Variant;
        Assert.Equal(Expected(sizes), Expected(described));
        Assert.Contains(Expected(described), e => e is { Count: "size-1024-2047", Unit: CountUnit.Bucket });
    }

    public static TheoryData<string, string, int, int> Mistakes =>
        new()
        {
            // descriptor text (after a shared head), what the line says, line, column
            {
                "maps:\n  - map: m\n    fields: [a]\n    per_key: number\ncounts: {arp: a}",
                "a map is read either as fields or per key",
                5,
                5
            },
            {
                "maps: [{map: m, fields: [a]}]\ncounts: {arp: a}\nexpect: [bytes]",
                "unknown expectation 'bytes'",
                6,
                10
            },
            {
                "maps: [{map: m, fields: [a]}]\ncounts: {arp: a}\nexpect: [{kind: bytes, count: b}]",
                "count 'b' is read from no map; expected one the maps give (m: a)",
                6,
                31
            },
            {
                "maps: [{map: m, fields: [a]}]\ncounts: {arp: a}\nexpect: [{kind: histogram, count: a}]",
                "kind histogram takes no 'count'; expected kind",
                6,
                28
            },
            {
                "maps: [{map: m, per_key: protocol}]\ncounts: {arp: a}",
                "count 'a' is read from no map; expected one the maps give (m: one count per IP protocol",
                5,
                15
            },
            { "role: baseline\nmaps: [{map: m, fields: [a]}]", "a baseline counts nothing", 5, 7 },
            { "maps: [{map: m, fields: [a]}]", "a counter names the count of at least one class", 1, 1 },
            { "object: x.bpf.o", "source and object are both given; expected one of them", 4, 9 },
            { "role: counting", "role 'counting' is unknown; expected one of counter, baseline", 4, 7 },
            {
                "maps: [{map: m, fields: [a]}]\ncounts: {arp: a}\nexpect: [{kind: packets, sample_one_in: 0}]",
                "'0' is not a whole number of at least 1",
                6,
                41
            },
            { "counts: [arp]", "counts is not a mapping", 4, 9 },
        };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_mistake_the_file_alone_shows_is_named_at_its_line_and_column(
        string text,
        string message,
        int line,
        int column
    )
    {
        using var work = new TempFolder("pc-descriptor-");
        var path = Path.Combine(work.Path, "Wrong.variant.yaml");
        File.WriteAllText(path, "name: Wrong\ndescription: wrong\nsource: w.bpf.c\n" + text + "\nprogram: p\n");
        var e = Assert.Throws<DescriptorException>(() => DescriptorReader.Read(path));
        Assert.Equal((path, line, column), (e.File, e.Line, e.Column));
        Assert.StartsWith(message, e.Problem);
        Assert.StartsWith($"{path}:{line}:{column}: ", e.Message);
    }

    private static DescriptorVariant Described(TempFolder work, string yaml)
    {
        var path = Path.Combine(work.Path, $"{Guid.NewGuid():N}.variant.yaml");
        File.WriteAllText(path, yaml);
        return new DescriptorVariant(DescriptorReader.Read(path), "unused.bpf.o");
    }

    private static void AssertSameContract(ICounterVariant csharp, DescriptorVariant described)
    {
        Assert.Equal(
            csharp.CountMaps.Select(m => (m.MapName, m.Layout, string.Join(",", m.FieldNames), m.ValueSize)),
            described.CountMaps.Select(m => (m.MapName, m.Layout, string.Join(",", m.FieldNames), m.ValueSize))
        );
        foreach (var map in csharp.CountMaps.Where(m => m.Layout == CountLayout.PerKey))
        foreach (var key in new uint[] { 0, 1, 6, 17, 47, 255 })
            Assert.Equal(map.NameOfKey(key), described.CountMaps.Single(m => m.MapName == map.MapName).NameOfKey(key));
        Assert.Equal(TrafficClasses.All.Select(csharp.CountFor), TrafficClasses.All.Select(described.CountFor));
        Assert.Equal(csharp.IsSpeedupReference, described.IsSpeedupReference);
        Assert.Equal(Expected(csharp), Expected(described));
    }

    private static List<ExpectedCount> Expected(ICounterVariant variant) =>
        [.. variant.ExpectedCounts(Sent).OrderBy(e => e.Count, StringComparer.Ordinal).ThenBy(e => e.Unit)];
}
