using PacketCounter.Profiling.Reporting;
using PacketCounter.Tests.Kernel;
using Xunit;

namespace PacketCounter.Tests.Cli;

[Collection(KernelCollection.Name)]
public class CliTests : KernelLeakGuard
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("bench", "--packets", "lots")]
    [InlineData("bench", "--size", "63")]
    [InlineData("bench", "--size", "1501")]
    [InlineData("bench", "--mix", "nonsense")]
    [InlineData("bench", "--no-such-option", "1")]
    [InlineData("bench", "--variants", "NoSuchVariant")]
    [InlineData("bench", "--gen-cpus", "999")]
    [InlineData("bench", "--packets")]
    [InlineData("run", "--variant", "Ultra", "--iface", "lo", "--interval", "soon")]
    public void Bad_arguments_print_one_line_and_the_usage_and_exit_2(params string[] arguments)
    {
        var (exitCode, output, error) = HostProcess.Run(arguments);
        Assert.Equal(2, exitCode);
        var lines = error.Split('\n');
        Assert.StartsWith("packetcounter: ", lines[0]);
        Assert.Contains("usage: packetcounter", error);
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.Equal("", output);
    }

    [Fact]
    public void List_prints_every_variant_with_its_directory_and_object()
    {
        var (exitCode, output, error) = HostProcess.Run("list");
        Assert.True(exitCode == 0, error);
        foreach (var (name, obj) in new[] { ("Null", "null.bpf.o"), ("Naive", "naive.bpf.o"), ("Optimized", "optimized.bpf.o"), ("Ultra", "ultra.bpf.o") })
        {
            var line = output.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
            Assert.Contains(Path.Combine(AppContext.BaseDirectory, "plugins", name, obj), line);
        }
    }

    [Fact]
    public void Bench_prints_the_seed_table_verifies_every_variant_and_writes_its_csv_files()
    {
        var outDir = Directory.CreateTempSubdirectory("pc-bench-");
        try
        {
            var (exitCode, output, error) = HostProcess.Run("bench", "--mode", "live", "--packets", "100k", "--repeats", "2", "--max-repeats", "2", "--warmup", "10k",
                "--seed", "7", "--out", outDir.FullName);
            Assert.True(exitCode == 0, output + error);
            Assert.Matches(@"VARIANT\s+PACKETS\s+MPPS\s+±CI\s+SPEEDUP", output);
            Assert.Contains("order seed 7", output);
            foreach (var name in new[] { "Naive", "Optimized", "Ultra" })
                Assert.Matches($@"(?m)^{name}\s+200000\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\dx\s+\d+\.\d\d\s+\d+\.\d\s+\d+\.\d\s+.*exact$", output);
            Assert.Matches(@"(?m)^Null\*\s+200000\s+.*baseline$", output);

            var rows = CsvAppender<LiveResultRow, LiveResultRowMap>.Read(Path.Combine(outDir.FullName, RunArtifacts.ResultsFile));
            Assert.Equal(["Naive", "Null", "Optimized", "Ultra"], rows.Select(r => r.Variant).Order());
            Assert.All(rows.Where(r => r.Role == "counter"), r => Assert.Equal("exact", r.Verified));
            Assert.All(rows, r => Assert.Equal(200_000, r.PacketsSent));
            Assert.Equal(1.0, rows.Single(r => r.Variant == "Naive").SpeedupVsNaive!.Value, 6);

            var runs = CsvAppender<RunRow, RunRowMap>.Read(Path.Combine(outDir.FullName, RunArtifacts.RunsFile));
            Assert.Equal(8, runs.Count);
            Assert.All(runs, r => Assert.Equal(100_000UL, r.PacketsDelivered));
            Assert.False(File.Exists(Path.Combine(outDir.FullName, RunArtifacts.IncompleteFile)));
        }
        finally
        {
            outDir.Delete(recursive: true);
        }
    }
}
