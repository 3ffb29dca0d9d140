using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Plugins.Descriptors;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Cli;

/// <summary>
/// Variants without C#: a descriptor scaffolded by <c>new --format yaml</c> benches and verifies
/// exactly as generated, and each kind of mistake in one is a single line that points at the
/// descriptor's line and column, exit 2, before anything is loaded.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class DescriptorTests : KernelLeakGuard
{
    [Fact]
    public void New_yaml_scaffolds_a_descriptor_that_builds_benches_and_verifies_exactly_as_generated()
    {
        using var work = new TempFolder("pc-newyaml-");
        var (exitCode, output, error) = HostProcess.Run("new", "FreshYaml", "--dir", work.Path, "--format", "yaml");
        Assert.True(exitCode == 0, error);
        var folder = Path.Combine(work.Path, "FreshYaml");
        Assert.Equal(
            ["FreshYaml.variant.yaml", "fresh_yaml.bpf.c"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)
        );
        Assert.Contains($"bench --plugins {folder} --variants FreshYaml", output);

        var run = Path.Combine(work.Path, "run");
        (exitCode, output, error) = HostProcess.Run(
            HostProcess.Bench(
                "all",
                "40k",
                2,
                "1k",
                run,
                "--plugins",
                folder,
                "--variants",
                "FreshYaml",
                "--micro-rounds",
                "4",
                "--micro-max-rounds",
                "4",
                "--budget",
                "0"
            )
        );
        Assert.True(exitCode == 0, output + error);
        // Two rounds, two slices of 40k each: every one verified exactly.
        Assert.Matches(@"(?m)^\s*FreshYaml\s+160000\s.*exact\s*$", output);

        var result = RunFolder.Read(run);
        var build = result.Variants.Single(v => v.Name == "FreshYaml");
        Assert.Equal(MeasuredRole.Counter, build.Role);
        Assert.Equal("fresh_yaml_counter", build.Program);
        Assert.Contains(result.Micro, f => f.Variant == "FreshYaml" && f.NetOfBaseline is not null);
        // The object was built into the cache, named after its source, and is the one measured.
        var built = Assert.Single(
            Directory.GetFiles(HostProcess.CompileCache, "fresh_yaml.bpf.o", SearchOption.AllDirectories)
        );
        Assert.Equal(Sha256(built), build.ObjectSha256);
        History.ResultSchema.AssertValid(Path.Combine(run, RunFolder.ResultFile));
    }

    [Fact]
    public void The_readme_descriptor_is_discovered_compiled_and_counts_exactly()
    {
        using var work = new TempFolder("pc-readme-yaml-");
        var folder = Path.Combine(work.Path, "TcpUdp");
        Directory.CreateDirectory(folder);
        foreach (var (relative, content) in OutOfTreePluginTests.ReadmeFiles().Where(f => f.Key.StartsWith("TcpUdp/")))
            File.WriteAllText(Path.Combine(work.Path, relative), content);

        var loader = new DescriptorLoader(
            BpfCompiler.FromTargets(Path.Combine(AppContext.BaseDirectory, VariantScaffold.SdkFolder)),
            Path.Combine(work.Path, "cache")
        );
        var catalog = PluginCatalog.Discover([folder], loader);
        Assert.Empty(catalog.Problems);
        var variant = Assert.Single(catalog.Variants);
        Assert.Equal(("TcpUdp", Path.Combine(folder, "TcpUdp.variant.yaml")), (variant.Name, variant.Origin));

        var outcome = TestBench.Slices([variant], TrafficMix.Default, slicePackets: 100_000)[0];
        Assert.Null(outcome.Failure);
        Assert.True(outcome.Verification!.IsExact, outcome.Verification.Table());
        var tcpUdp = TrafficMix
            .Default.Split(100_000)
            .Where(c => TrafficClasses.Ipv4Protocol(c.Key) is IpProtocols.Tcp or IpProtocols.Udp)
            .Sum(c => c.Value);
        Assert.Equal((ulong)tcpUdp, outcome.Verification.CountedTotal);
    }

    public static TheoryData<string, string, string, string, string, string> Mistakes =>
        new()
        {
            // what, file edited, text replaced, replacement, where the line points (within the
            // replacement, or the source line for the source), what the line says after the position
            {
                "unknown class",
                "descriptor",
                "ipv4-tcp: tcp",
                "ipv4-tpc: tcp",
                "ipv4-tpc",
                "unknown class 'ipv4-tpc'; expected one of ipv4-tcp, ipv4-udp, ipv4-icmp, ipv4-gre, "
                    + "ipv4-options, ipv6, arp, vlan-ipv4, ethernet-only, truncated-ipv4"
            },
            {
                "map missing from the object",
                "descriptor",
                "map: mistake_counts",
                "map: mistake_totals",
                "mistake_totals",
                "map 'mistake_totals' is not in mistake.bpf.o; expected one of mistake_counts"
            },
            {
                "fields that do not match the value size",
                "descriptor",
                "fields: [tcp, udp, icmp, other]",
                "fields: [tcp, udp, icmp, other, spare]",
                "[",
                "fields lists 5 counts (40 bytes), but map 'mistake_counts' has 32-byte values; "
                    + "expected 4 __u64 fields"
            },
            {
                "program missing from the object",
                "descriptor",
                "program: mistake_counter",
                "program: mistake_count",
                "mistake_count",
                "program 'mistake_count' is not in mistake.bpf.o; expected one of mistake_counter"
            },
            {
                "a count no map gives",
                "descriptor",
                "ipv4-gre: other",
                "ipv4-gre: others",
                "others",
                "count 'others' is read from no map; expected one the maps give "
                    + "(mistake_counts: tcp, udp, icmp, other)"
            },
            {
                "an unknown key",
                "descriptor",
                "role: counter",
                "rol: counter",
                "rol",
                "unknown key 'rol'; expected one of name, description, role, source, object, program, "
                    + "cflags, maps, counts, expect, sweep, runs_by_default, speedup_reference"
            },
            {
                "a source that is not there",
                "descriptor",
                "source: mistake.bpf.c",
                "source: absent.bpf.c",
                "absent.bpf.c",
                "source 'absent.bpf.c' does not exist"
            },
            {
                "a source that does not compile",
                "source",
                "counts->tcp++;",
                "counts->tcpp++;",
                "mistake.bpf.c",
                "the source does not compile: "
            },
            {
                "a name another variant has",
                "descriptor",
                "name: Mistake",
                "name: Ultra",
                "Ultra",
                "variant name 'Ultra' is already taken by "
            },
            {
                "an unknown expectation kind",
                "descriptor",
                "  - packets",
                "  - kind: packet",
                "packet",
                "unknown kind 'packet'; expected one of packets, bytes, histogram, at_most"
            },
        };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_wrong_descriptor_is_one_line_at_its_line_and_column_and_exit_2(
        string what,
        string edited,
        string text,
        string replacement,
        string marker,
        string message
    )
    {
        using var work = new TempFolder("pc-mistake-");
        VariantScaffold.Write("Mistake", work.Path, AppContext.BaseDirectory, ScaffoldFormat.Yaml);
        var folder = Path.Combine(work.Path, "Mistake");
        var descriptor = Path.Combine(folder, "Mistake.variant.yaml");
        var file = edited == "descriptor" ? descriptor : Path.Combine(folder, "mistake.bpf.c");
        var content = File.ReadAllText(file);
        Assert.Contains(text, content);
        File.WriteAllText(file, content.Replace(text, replacement, StringComparison.Ordinal));
        // Where an editor should jump: the replaced value in the descriptor, or for the source the
        // descriptor's source line (the compiler's own position follows in the message).
        var (line, column) = Position(
            File.ReadAllText(descriptor),
            edited == "descriptor" ? replacement : "source: mistake.bpf.c",
            marker
        );

        var (exitCode, output, error) = HostProcess.Run(
            "bench",
            "--plugins",
            folder,
            "--variants",
            "Mistake",
            "--mode",
            "micro"
        );

        Assert.True(exitCode == 2, $"{what}: exit {exitCode}\n{error}");
        Assert.Equal("", output);
        var only = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"packetcounter: {descriptor}:{line}:{column}: {message}", only);
        if (edited == "source")
            Assert.Contains("mistake.bpf.c:", only[only.IndexOf("compile: ", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void A_descriptor_others_may_write_is_refused_and_list_exits_2()
    {
        using var work = new TempFolder("pc-trust-");
        VariantScaffold.Write("Loose", work.Path, AppContext.BaseDirectory, ScaffoldFormat.Yaml);
        var descriptor = Path.Combine(work.Path, "Loose", "Loose.variant.yaml");
        NativeTool.RunOrFail("chmod", ["g+w", descriptor]);
        var (exitCode, _, error) = HostProcess.Run("list", "--plugins", Path.Combine(work.Path, "Loose"));
        Assert.Equal(2, exitCode);
        var only = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(
            $"packetcounter: {descriptor}:1:1: refusing to load: {descriptor} is writable by its group",
            only
        );
    }

    // The 1-based line and column of `marker` in the first line that holds `text` and is no comment.
    private static (int Line, int Column) Position(string content, string text, string marker)
    {
        var lines = content.Split('\n');
        var index = Array.FindIndex(
            lines,
            l => l.Contains(text, StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')
        );
        Assert.True(index >= 0, $"'{text}' is not in the descriptor");
        var start = lines[index].IndexOf(text, StringComparison.Ordinal);
        return (index + 1, lines[index].IndexOf(marker, start, StringComparison.Ordinal) + 1);
    }

    private static string Sha256(string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
