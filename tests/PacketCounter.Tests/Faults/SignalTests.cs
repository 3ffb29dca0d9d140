using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Faults;

[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class SignalTests : KernelLeakGuard
{
    private const int SIGHUP = 1;
    private const int SIGINT = 2;
    private const int SIGKILL = 9;
    private const int SIGTERM = 15;

    /// <summary>A bench long enough to be signalled while it runs, once runs.csv holds <paramref name="samples"/> samples.</summary>
    private static ChildHost LongBench(string outDir, int samples, string? lockFolder = null)
    {
        var runs = Path.Combine(outDir, RunArtifacts.RunsFile);
        // A lock folder of its own, so the test can see the bench take the lock and let it go.
        var environment = new Dictionary<string, string?>();
        if (lockFolder is not null)
        {
            environment[Profiling.Machine.MeasurementLock.DirectoryVariable] = lockFolder;
            environment[Profiling.Machine.MeasurementLock.HolderVariable] = null;
        }
        var child = new ChildHost(environment, HostProcess.LiveBench("300k", 500, "0", outDir, "--mix", "ipv4-udp"));
        try
        {
            ChildHost.WaitUntil(
                () => File.Exists(runs) && File.ReadAllLines(runs).Length > samples,
                TimeSpan.FromSeconds(60),
                $"{samples} sample(s) in runs.csv"
            );
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    [Theory]
    [InlineData(SIGINT)]
    [InlineData(SIGTERM)]
    [InlineData(SIGHUP)]
    public void An_interrupted_bench_keeps_its_samples_marks_them_incomplete_and_leaves_nothing(int signal)
    {
        using var outDir = new TempFolder("pc-signal-");
        using var locks = new TempFolder("pc-signal-lock-");
        var runs = Path.Combine(outDir.Path, RunArtifacts.RunsFile);
        using var child = LongBench(outDir.Path, samples: 3, locks.Path);
        var rowsBefore = File.ReadAllLines(runs).Length - 1;
        Assert.Equal(child.Pid, Profiling.Machine.MeasurementLock.ReadHolder(locks.Path)?.Pid);
        child.Signal(signal);
        var (exitCode, _, error) = child.WaitForExit(TimeSpan.FromSeconds(60));

        // 128 + the signal, as a shell reports it: 130, 143, 129.
        Assert.Equal(128 + signal, exitCode);
        using (var free = Profiling.Machine.MeasurementLock.TryAcquire("test", out var holder, locks.Path))
            Assert.True(free is not null, $"the lock is still held by {holder}");
        Assert.Contains("interrupted", error);
        Assert.True(File.Exists(Path.Combine(outDir.Path, RunArtifacts.IncompleteFile)));
        Assert.True(File.ReadAllLines(runs).Length - 1 >= rowsBefore, "rows written before the signal were lost");
        Assert.Contains("INCOMPLETE", File.ReadAllText(Path.Combine(outDir.Path, RunReport.MarkdownFile)));
        Assert.DoesNotContain(TestbedInterfaces(), name => TestbedNames.OwnerOfInterface(name) == child.Pid);
        Assert.DoesNotContain(TestbedNamespaces(), name => TestbedNames.OwnerOfNamespace(name) == child.Pid);
    }

    [Fact]
    public void After_kill_9_nothing_stays_attached_and_cleanup_removes_the_testbed()
    {
        using var outDir = new TempFolder("pc-kill-");
        using var child = LongBench(outDir.Path, samples: 1);
        child.Signal(SIGKILL);
        child.WaitForExit(TimeSpan.FromSeconds(30));

        // The process is gone, so its bpf_links are closed and nothing is attached any more.
        // Its interfaces remain until a sweep, and the kernel's lists say so.
        var left = TestbedInterfaces().Where(n => TestbedNames.OwnerOfInterface(n) == child.Pid).ToList();
        Assert.NotEmpty(left);
        var ns = Assert.Single(TestbedNamespaces(), n => TestbedNames.OwnerOfNamespace(n) == child.Pid);
        var links = NativeTool.RunOrFail("ip", ["-n", ns, "-o", "link", "show"]);
        Assert.Contains($"pc{child.Pid}d", links);
        Assert.DoesNotContain("xdp", links);

        var (exitCode, output, error) = HostProcess.Run("cleanup");
        Assert.True(exitCode == 0, error);
        foreach (var name in left.Where(n => n.Contains('g')))
            Assert.Contains($"removed interface {name}", output);
        Assert.Contains($"removed namespace pc-{child.Pid}-", output);
        Assert.DoesNotContain(TestbedInterfaces(), name => TestbedNames.OwnerOfInterface(name) == child.Pid);
        Assert.DoesNotContain(TestbedNamespaces(), name => TestbedNames.OwnerOfNamespace(name) == child.Pid);
    }
}
