using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Cli;

/// <summary>bench --object: any XDP program, measured as it is, with what it does to each class tabled.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class ObjectBenchTests : KernelLeakGuard
{
    [Fact]
    public void A_program_that_drops_icmp_is_measured_micro_and_live_and_its_verdicts_tabled()
    {
        using var outDir = new TempFolder("pc-object-");
        var (exitCode, output, error) = HostProcess.Run(
            HostProcess.Bench(
                "all",
                "20k",
                2,
                "1k",
                outDir.Path,
                "--object",
                NativeTool.Fixture("icmp_drop.bpf.o"),
                "--mix",
                "uniform",
                "--sink",
                "drop,pass",
                "--micro-rounds",
                "4",
                "--micro-max-rounds",
                "4",
                "--budget",
                "0"
            )
        );
        Assert.True(exitCode == 0, output + error);
        var result = RunFolder.Read(outDir.Path);
        var verdicts = result.Verdicts.Where(v => v.Variant == "icmp_drop").ToList();
        Assert.Equal(TrafficClasses.All.Count, verdicts.Count);
        Assert.All(
            verdicts,
            v => Assert.Equal(v.Class == TrafficClass.Ipv4Icmp ? XdpAction.Drop : XdpAction.Pass, v.Verdict)
        );
        // Measured like a variant against the baseline, in both modes and both sinks; nothing verified.
        Assert.Equal(MeasuredRole.Program, result.Variants.Single(v => v.Name == "icmp_drop").Role);
        Assert.Contains(result.Micro, f => f.Variant == "icmp_drop" && f.NetOfBaseline is not null);
        Assert.Equal(2, result.Live.Count(f => f.Variant == "icmp_drop" && f.NetCpuNsPerPacket is not null));
        Assert.Contains(result.Verification, v => v.Variant == "icmp_drop" && v.Windows > 0);
        Assert.Matches(@"(?m)^\s*icmp_drop\s+.*no counts\s*$", output);
        Assert.Contains("=== Verdicts per class ===", output);
        Assert.Matches(@"(?m)^\s*icmp_drop\s+(PASS\s+){2}DROP\s+(PASS\s+)*PASS\s*$", output);
        History.ResultSchema.AssertValid(Path.Combine(outDir.Path, RunFolder.ResultFile));
    }

    [Theory]
    [InlineData("not-an-object")]
    [InlineData("missing")]
    public void A_file_that_is_no_xdp_object_is_one_line_and_exit_2(string what)
    {
        using var work = new TempFolder("pc-badobject-");
        var path = Path.Combine(work.Path, "prog.o");
        if (what == "not-an-object")
            File.WriteAllText(path, "this is text, not ELF\n");
        var (exitCode, output, error) = HostProcess.Run("bench", "--object", path, "--mode", "micro");
        Assert.Equal(2, exitCode);
        Assert.StartsWith($"packetcounter: --object", error);
        Assert.Contains(path, error.Split('\n')[0]);
        Assert.Equal("", output);
    }
}
