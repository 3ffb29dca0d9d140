using PacketCounter.Profiling.Plugins;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Faults;

/// <summary>Plugins that fail on purpose, one way each: each fails alone, in one line that names it.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class BadPluginTests : KernelLeakGuard
{
    private static string FixturePlugins => Path.Combine(AppContext.BaseDirectory, "fixture-plugins");

    [Fact]
    public void Discovery_reports_each_broken_plugin_in_one_line_and_keeps_the_rest()
    {
        var catalog = PluginCatalog.Discover([PluginCatalog.DefaultDirectory, FixturePlugins]);
        var problems = catalog.Problems.Select(p => p.ToString()).ToList();
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
        Assert.Contains(
            problems,
            p =>
                p.StartsWith("plugin BadVariants: constructor of")
                && p.Contains("ThrowingConstructor threw InvalidOperationException")
        );
        Assert.Contains(problems, p => p.StartsWith("plugin BadVariants: variant name 'Ultra' is already taken by"));
        // The contract-version refusal is checked through the real host below: the test
        // runner resolves assemblies by simple name and would hide it in-process.
        // The in-tree Ultra keeps its name; the other broken variants surface when loaded.
        Assert.Equal(
            Path.Combine(PluginCatalog.DefaultDirectory, "Ultra", "Ultra.dll"),
            catalog.Variants.Single(v => v.Name == "Ultra").Origin
        );
        Assert.Contains(catalog.Variants, v => v.Name == "GoodNeighbour");
    }

    [Fact]
    public void A_bench_with_broken_plugins_runs_the_good_ones_saves_the_verifier_log_and_exits_non_zero()
    {
        using var outDir = new TempFolder("pc-bad-");
        var (exitCode, output, error) = HostProcess.Run(
            HostProcess.LiveBench("30k", 2, "1k", outDir.Path, "--plugins", FixturePlugins, "--mix", "ipv4-udp")
        );
        Assert.Equal(1, exitCode);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Line(string start) => Assert.Single(lines, l => l.StartsWith(start, StringComparison.Ordinal));
        Assert.Contains("No such file or directory", Line("packetcounter: variant MissingObject: open BPF object"));
        Assert.Contains(
            "the object has bad_counter",
            Line("packetcounter: variant WrongProgram: find program 'no_such_program'")
        );
        Assert.EndsWith("R0 invalid mem access 'map_value_or_null'", Line("packetcounter: variant RefusedByVerifier:"));
        Assert.Contains("declares map 'absent_counts'", Line("packetcounter: variant MissingMap:"));
        Assert.Contains(
            "has 32-byte values but the plugin declares 24",
            Line("packetcounter: variant WrongValueSize:")
        );
        Line("packetcounter: plugin BadVariants: constructor of");
        Assert.Equal(
            "packetcounter: plugin FutureVariant: built against PacketCounter.Abstractions "
                + "2.0.0.0, but this host has 1.2.0.0; rebuild it against 1.2.0.0",
            Line("packetcounter: plugin FutureVariant:")
        );
        Assert.DoesNotContain("   at ", error);

        var log = File.ReadAllText(Path.Combine(outDir.Path, "verifier-RefusedByVerifier.log"));
        Assert.Contains("invalid mem access 'map_value_or_null'", log);
        // Each good counter ran its two slices of 30k packets in each of the 2 rounds.
        foreach (var good in new[] { "Naive", "Optimized", "Ultra", "GoodNeighbour", "PastVariant" })
            Assert.Matches($@"(?m)^\s*{good}\s+120000\s.*exact\s*$", output);
        Assert.Matches(@"(?m)^\s*Null\*\s+\d+\s.*baseline\s*$", output);
    }

    [Theory]
    [InlineData("directory-mode")]
    [InlineData("file-mode")]
    [InlineData("owner")]
    public void Plugins_anyone_but_root_can_write_are_refused_naming_the_path(string weakness)
    {
        using var root = new TempFolder("pc-trust-");
        var plugin = Path.Combine(root.Path, "Ultra");
        Directory.CreateDirectory(plugin);
        foreach (var file in Directory.GetFiles(Path.Combine(PluginCatalog.DefaultDirectory, "Ultra")))
            File.Copy(file, Path.Combine(plugin, Path.GetFileName(file)));
        var dll = Path.Combine(plugin, "Ultra.dll");
        var (unsafePath, expected) = weakness switch
        {
            "directory-mode" => (plugin, "is writable by others (mode 777)"),
            "file-mode" => (dll, "is writable by its group (mode 664)"),
            _ => (dll, "is owned by uid 65534, not root"),
        };
        switch (weakness)
        {
            case "directory-mode":
                NativeTool.RunOrFail("chmod", ["777", plugin]);
                break;
            case "file-mode":
                NativeTool.RunOrFail("chmod", ["664", dll]);
                break;
            default:
                NativeTool.RunOrFail("chown", ["65534", dll]);
                break;
        }

        var catalog = PluginCatalog.Discover([root.Path]);
        Assert.Empty(catalog.Variants);
        var problem = Assert.Single(catalog.Problems).ToString();
        Assert.Contains($"refusing to load: {unsafePath} {expected}", problem);
    }
}

[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class PrivilegeTests : KernelLeakGuard
{
    [Theory]
    [InlineData("bench")]
    [InlineData("run")]
    public void Without_capabilities_one_line_names_them_and_how_to_run(string command)
    {
        // capsh drops the capabilities from the bounding set, so even root runs without them.
        var (exitCode, output, error) = NativeTool.Run(
            "capsh",
            [
                "--drop=cap_bpf,cap_net_admin,cap_perfmon,cap_sys_admin",
                "--",
                "-c",
                $"dotnet '{HostProcess.HostDll}' {(command == "run" ? "run --variant Ultra --iface lo" : command)}",
            ]
        );
        Assert.Equal(77, exitCode);
        Assert.Equal(
            $"packetcounter: missing CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON; run it as root: sudo ./packetcounter {command} ...",
            error.Trim()
        );
        Assert.Equal("", output);
    }

    [Fact]
    public void CAP_SYS_ADMIN_stands_in_for_bpf_and_perfmon()
    {
        var (exitCode, _, error) = NativeTool.Run(
            "capsh",
            [
                "--drop=cap_bpf,cap_perfmon,cap_net_admin",
                "--",
                "-c",
                $"dotnet '{HostProcess.HostDll}' bench --packets 1",
            ]
        );
        Assert.Equal(77, exitCode);
        Assert.Equal(
            "packetcounter: missing CAP_NET_ADMIN; run it as root: sudo ./packetcounter bench ...",
            error.Trim()
        );
    }
}
