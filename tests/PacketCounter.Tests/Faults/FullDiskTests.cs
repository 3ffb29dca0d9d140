using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Faults;

/// <summary>A bench whose run folder fills up while it measures.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class FullDiskTests : KernelLeakGuard
{
    [Fact]
    public void A_run_folder_that_fills_stops_the_bench_in_one_line_and_keeps_what_was_written()
    {
        using var mount = new TempFolder("pc-full-");
        // A tmpfs of 64 KiB: the header and a few hundred rows of runs.csv, not a whole run.
        NativeTool.RunOrFail("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.Path]);
        try
        {
            var outDir = Path.Combine(mount.Path, "run");
            var store = Path.Combine(Path.GetTempPath(), $"pc-full-{Guid.NewGuid():N}.db");
            var (exitCode, output, error) = HostProcess.RunWith(
                new Dictionary<string, string> { [HistoryStore.EnvironmentVariable] = store },
                HostProcess.LiveBench("100k", 500, "0", outDir, "--mix", "ipv4-udp")
            );
            Assert.Equal(1, exitCode);
            var last = error.TrimEnd('\n').Split('\n')[^1];
            Assert.StartsWith($"packetcounter: cannot write the run folder {outDir}: the disk is full", last);
            Assert.DoesNotContain("   at ", error);
            Assert.DoesNotContain("recorded:", output);
            // What was written before the disk filled is there and reads back as CSV.
            var rows = CsvRows.Read(Path.Combine(outDir, RunArtifacts.RunsFile));
            Assert.NotEmpty(rows.Rows);
            // The file was cut back to its last whole row: every row the message counts, no more.
            var said = int.Parse(Regex.Match(last, @"the (\d+) sample\(s\)").Groups[1].Value);
            Assert.Equal(said, rows.Rows.Count);
            // Nothing recorded half-done: the store holds no run at all.
            if (File.Exists(store))
            {
                using var history = HistoryStore.Open(store);
                Assert.Empty(history.Runs());
                File.Delete(store);
            }
        }
        finally
        {
            NativeTool.RunOrFail("umount", [mount.Path]);
        }
    }
}
