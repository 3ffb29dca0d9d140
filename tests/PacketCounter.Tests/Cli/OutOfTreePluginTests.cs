using PacketCounter.Abstractions;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Cli;

/// <summary>
/// Builds the variant the README's "Add a variant" section describes, from that section's
/// own text, against the packed contract, outside this repository, and runs it.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
[Trait(Category.Name, Category.Slow)]
public class OutOfTreePluginTests : KernelLeakGuard
{
    [Fact]
    public void The_readme_example_builds_out_of_tree_is_discovered_and_counts_exactly()
    {
        using var work = new TempFolder("pc-plugin-");
        var feed = Path.Combine(work.Path, "feed");
        NativeTool.RunOrFail(
            "dotnet",
            ["pack", Path.Combine(NativeTool.RepoRoot, "src", "Abstractions"), "-c", "Release", "-o", feed, "-nologo"]
        );

        var files = ReadmeFiles();
        Assert.Contains(files.Keys, f => f.EndsWith(".bpf.c", StringComparison.Ordinal));
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(work.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // The README's feed path is where a user packs to; this test packed to its own folder.
            File.WriteAllText(path, content.Replace("/opt/packetcounter-feed", feed));
        }
        var project = Path.Combine(work.Path, "TcpUdpCounter");
        // The C# way builds the descriptor way's source, as the README says.
        File.Copy(Path.Combine(work.Path, "TcpUdp", "tcp_udp.bpf.c"), Path.Combine(project, "tcp_udp.bpf.c"));
        NativeTool.RunOrFail(
            "dotnet",
            ["build", "-c", "Release", "-nologo", "--packages", Path.Combine(work.Path, "packages")],
            workingDirectory: project,
            timeout: TimeSpan.FromMinutes(5)
        );
        var output = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.True(
            File.Exists(Path.Combine(output, "tcp_udp.bpf.o")),
            "the BpfProgram item must put the object next to the assembly"
        );
        Assert.False(
            File.Exists(Path.Combine(output, "PacketCounter.Abstractions.dll")),
            "the contract must come from the host only"
        );

        var catalog = PluginCatalog.Discover([output]);
        Assert.Empty(catalog.Problems);
        var variant = Assert.Single(catalog.Variants);
        Assert.Equal("TcpUdp", variant.Name);

        var outcome = TestBench.Slices([variant], TrafficMix.Default, slicePackets: 100_000)[0];
        Assert.Null(outcome.Failure);
        Assert.True(outcome.Verification!.IsExact, outcome.Verification.Table());
        var split = TrafficMix.Default.Split(100_000);
        var tcpUdp = split
            .Where(c => TrafficClasses.Ipv4Protocol(c.Key) is IpProtocols.Tcp or IpProtocols.Udp)
            .Sum(c => c.Value);
        Assert.Equal((ulong)tcpUdp, outcome.Verification.CountedTotal);

        var (exitCode, list, error) = HostProcess.Run("list", "--plugins", output);
        Assert.True(exitCode == 0, error);
        Assert.Contains(
            list.Split('\n'),
            l =>
                l.TrimStart().StartsWith("TcpUdp ", StringComparison.Ordinal)
                && l.Contains(Path.Combine(output, "tcp_udp.bpf.o"))
        );
    }

    [Fact]
    public void New_scaffolds_a_variant_that_builds_benches_and_counts_exactly_as_generated()
    {
        using var work = new TempFolder("pc-new-");
        var (exitCode, output, error) = HostProcess.Run("new", "FreshCounter", "--dir", work.Path);
        Assert.True(exitCode == 0, error);
        var project = Path.Combine(work.Path, "FreshCounter");
        Assert.Equal(
            ["FreshCounter.csproj", "FreshCounterVariant.cs", "fresh_counter.bpf.c"],
            Directory.GetFiles(project).Select(Path.GetFileName).Order(StringComparer.Ordinal)
        );
        Assert.Contains(
            $"--plugins {Path.Combine(project, "bin", "Release", "net10.0")} --variants FreshCounter",
            output
        );

        NativeTool.RunOrFail(
            "dotnet",
            ["build", "-c", "Release", "-nologo"],
            workingDirectory: project,
            timeout: TimeSpan.FromMinutes(5)
        );
        var plugin = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.False(
            File.Exists(Path.Combine(plugin, "PacketCounter.Abstractions.dll")),
            "the contract must come from the host only"
        );

        (exitCode, output, error) = HostProcess.Run(
            HostProcess.LiveBench(
                "40k",
                2,
                "1k",
                Path.Combine(work.Path, "run"),
                "--plugins",
                plugin,
                "--variants",
                "FreshCounter"
            )
        );
        Assert.True(exitCode == 0, error);
        // Two rounds, two slices of 40k each: every one verified exactly.
        Assert.Matches(@"(?m)^\s*FreshCounter\s+160000\s.*exact\s*$", output);

        // A second scaffold into the same place is refused, naming it, with nothing overwritten.
        (exitCode, _, error) = HostProcess.Run("new", "FreshCounter", "--dir", work.Path);
        Assert.Equal(2, exitCode);
        Assert.StartsWith(
            $"packetcounter: '{project}' already exists and is not empty; choose another name or --dir",
            error
        );
        (exitCode, _, error) = HostProcess.Run("new", "9lives", "--dir", work.Path);
        Assert.Equal(2, exitCode);
        Assert.StartsWith("packetcounter: '9lives' is not a variant name", error);
    }

    /// <summary>
    /// The files of the README's "Add a variant" section: each fenced block preceded by <c>&lt;!-- file: PATH
    /// --&gt;</c>.
    /// </summary>
    internal static Dictionary<string, string> ReadmeFiles()
    {
        var readme = File.ReadAllText(Path.Combine(NativeTool.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("## Add a variant", StringComparison.Ordinal)..];
        var files = new Dictionary<string, string>();
        foreach (
            Match match in Regex.Matches(
                section,
                @"<!-- file: (?<path>\S+) -->\s*```\w*\n(?<body>.*?)```",
                RegexOptions.Singleline
            )
        )
            files[match.Groups["path"].Value] = match.Groups["body"].Value;
        Assert.True(files.Count >= 3, "the README's Add a variant section must give its files");
        return files;
    }
}
