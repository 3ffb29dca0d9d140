using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis.Matrix;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Guest;
using PacketCounter.Profiling.Matrix;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Results;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Faults;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Matrix;

/// <summary>
/// packetcounter matrix on the running kernel and on Debian 12's own kernel booted under QEMU:
/// what each kernel's verifier and JIT make of every variant, and the counts, checked per class.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
[Trait(Category.Name, Category.Slow)]
public class MatrixTests : KernelLeakGuard
{
    private static readonly string[] ExactCounters = ["Naive", "Optimized", "Ultra", "Lean", "Sizes"];

    [Fact]
    public void Every_shipped_variant_loads_on_the_host_and_on_debian_12_and_counts_every_class()
    {
        using var outDir = new TempFolder("pc-matrix-");
        var (exitCode, output, error) = HostProcess.Run(
            "matrix",
            "--cache",
            Guests.Cache,
            "--out",
            outDir.Path,
            "--json"
        );
        Assert.True(exitCode == 0, error);
        var result = ResultJson.Read(output);
        Assert.Equal(RunFolder.Read(outDir.Path), result);
        History.ResultSchema.AssertValid(Path.Combine(outDir.Path, RunFolder.ResultFile));

        Assert.Equal([MatrixPlan.Host, DebianKernel.Name], result.Kernels.Select(k => k.Name));
        var (host, debian) = (result.Kernels[0], result.Kernels[1]);
        Assert.Equal(
            (GuestAccel.Native, File.ReadAllText("/proc/sys/kernel/osrelease").Trim()),
            (host.Accel, host.Release)
        );
        Assert.StartsWith("6.1.", debian.Release);
        Assert.Contains(debian.Accel, new[] { GuestAccel.Tcg, GuestAccel.Kvm });
        if (debian.Accel == GuestAccel.Tcg)
            Assert.StartsWith("no timing under TCG", debian.Timing);

        var shipped = Variants.All.Where(v => v.Variant.RunsByDefault).Select(v => v.Name).Order().ToList();
        foreach (var kernel in result.Kernels)
        {
            Assert.Null(kernel.Failure);
            Assert.Equal(shipped, kernel.Variants.Select(v => v.Name).Order());
            foreach (var variant in kernel.Variants)
            {
                var cell = $"{variant.Name} on {kernel.Name}";
                Assert.True(variant.Loaded, $"{cell}: {variant.Refusal}");
                Assert.Equal(TrafficClasses.All, variant.Verdicts.Select(v => v.Class));
                Assert.True(variant.Counts != CountsCheck.Mismatch, $"{cell}: {variant.CountProblem}");
                if (variant.Role == Profiling.Measurement.MeasuredRole.Counter)
                    Assert.NotEqual(CountsCheck.None, variant.Counts);
                if (ExactCounters.Contains(variant.Name))
                    Assert.Equal(CountsCheck.Exact, variant.Counts);
                // Every verdict a guest gives is the running kernel's.
                Assert.Equal(host.Variants.Single(v => v.Name == variant.Name).Verdicts, variant.Verdicts);
            }
        }

        // The running kernel's figures are those bench reports: the same stats-log load.
        foreach (var variant in host.Variants)
        {
            var discovered = Variants.Named(variant.Name);
            var bench = VerifierStats.Measure(discovered.ObjectPath, discovered.Variant.ProgramName).Stats;
            Assert.Equal(Exact(bench), Exact(variant.Verifier!));
        }
        // Under emulation the verifier's clock is not a time.
        if (debian.Accel == GuestAccel.Tcg)
            Assert.All(debian.Variants, v => Assert.Null(v.Verifier!.DurationUs));

        // What this kernel's verifier does that 6.1's does not: it inlines the per-CPU array lookup.
        var lean = Assert.Single(KernelDifferences.Of(result), d => d.Variant == "Lean");
        Assert.Contains("the per-CPU array lookup is inlined on host, a call on debian-12", lean.Text);
        Assert.True(
            debian.Variants.Single(v => v.Name == "Lean").Verifier!.XlatedInsns
                < host.Variants.Single(v => v.Name == "Lean").Verifier!.XlatedInsns
        );

        var csv = File.ReadAllLines(Path.Combine(outDir.Path, MatrixColumns.CsvFile));
        Assert.Equal(1 + 2 * shipped.Count, csv.Length);
        Assert.Contains("## Kernel matrix", File.ReadAllText(Path.Combine(outDir.Path, "report.md")));
        using (var store = Profiling.History.HistoryStore.Open(HostProcess.Store))
            Assert.Equal(result, store.Load(result.Id).Result);
        var (historyExit, history, historyError) = HostProcess.Run("history", "--kernels", "--variant", "Lean");
        Assert.True(historyExit == 0, historyError);
        Assert.Contains(result.Id, history);
        var leanOnDebian = debian.Variants.Single(v => v.Name == "Lean").Verifier!;
        Assert.Matches(
            $@"Lean on debian-12 .*{leanOnDebian.XlatedInsns} / {leanOnDebian.JitedBytes}",
            history.Split('\n').Single(l => l.Contains("Lean on debian-12"))
        );
    }

    [Fact]
    public void A_variant_using_a_helper_6_1_lacks_is_refused_there_with_the_verifiers_message_and_loads_on_the_host()
    {
        using var outDir = new TempFolder("pc-matrix-refused-");
        var fixture = Path.Combine(NativeTool.RepoRoot, "tests", "fixtures", "descriptors", "PidStamp");
        var (exitCode, _, error) = HostProcess.Run(
            Guests.Matrix(outDir.Path, "--plugins", fixture, "--variants", "PidStamp")
        );
        Assert.True(exitCode == 0, error);
        var result = RunFolder.Read(outDir.Path);
        var onHost = result.Kernels[0].Variants.Single(v => v.Name == "PidStamp");
        var onDebian = result.Kernels[1].Variants.Single(v => v.Name == "PidStamp");
        Assert.True(onHost.Loaded, onHost.Refusal);
        Assert.Equal(CountsCheck.Exact, onHost.Counts);
        Assert.False(onDebian.Loaded);
        Assert.Equal("unknown func bpf_get_current_pid_tgid#14", onDebian.Refusal);
        Assert.Contains("unknown func bpf_get_current_pid_tgid#14", onDebian.VerifierLog);
        Assert.Null(onDebian.Verifier);
        var difference = Assert.Single(KernelDifferences.Of(result));
        Assert.Equal("loads on host, refused on debian-12: unknown func bpf_get_current_pid_tgid#14", difference.Text);
        Assert.Equal(
            onDebian.VerifierLog,
            File.ReadAllText(Path.Combine(outDir.Path, "verifier-PidStamp-on-debian-12.log"))
        );
        // A refused program has no verdicts to set against the running kernel's.
        var rows = Profiling.Reporting.Columns.MatrixRow.Of(result.Kernels);
        Assert.Null(
            rows.Single(r => r.Kernel.Name == DebianKernel.Name && r.Variant.Name == "PidStamp").VerdictsDiffering
        );
        Assert.Equal(
            "same",
            rows.Single(r => r.Kernel.Name == DebianKernel.Name && r.Variant.Name == "Null").VerdictsDiffering
        );
    }

    [Fact]
    public void A_kernel_that_cannot_boot_and_a_guest_out_of_time_each_end_in_one_line_and_the_host_is_complete()
    {
        using var outDir = new TempFolder("pc-matrix-faults-");
        using var runDirectory = new TempFolder("pc-matrix-run-");
        var truncated = outDir["truncated.bzImage"];
        using (var image = File.OpenRead(Guests.DebianImage))
        using (var copy = File.Create(truncated))
        {
            var head = new byte[3 << 20];
            image.ReadExactly(head);
            copy.Write(head);
        }
        // Under emulation a Debian kernel takes seconds to boot: one second is a guest out of time.
        const double limit = 1;
        var (exitCode, _, error) = HostProcess.RunWith(
            Guests.OwnRunDirectory(runDirectory),
            Guests.Matrix(
                outDir["run"],
                "--kernel",
                truncated,
                "--kernel",
                DebianKernel.Name,
                "--kernel",
                MatrixPlan.Host,
                "--variants",
                "Ultra",
                "--accel",
                "tcg",
                "--time-limit",
                $"{limit}"
            )
        );
        Assert.Equal(1, exitCode);
        var result = RunFolder.Read(outDir["run"]);
        var (broken, late, host) = (result.Kernels[0], result.Kernels[1], result.Kernels[2]);

        var brokenLine = Assert.Single(error.Split('\n'), l => l.StartsWith($"packetcounter: kernel {truncated}:"));
        Assert.Contains("the console's last line: ", brokenLine);
        Assert.Equal($"packetcounter: {broken.Failure}", brokenLine);
        Assert.True(broken.Seconds < limit + 5, $"{broken.Seconds} s");

        var lateLine = Assert.Single(
            error.Split('\n'),
            l => l.StartsWith($"packetcounter: kernel {DebianKernel.Name}:")
        );
        Assert.Contains($"did not finish within the time limit of {limit} s", lateLine);
        Assert.Contains("the console's last line: ", lateLine);
        Assert.True(late.Seconds < limit + 5, $"{late.Seconds} s");

        Assert.Null(host.Failure);
        var ultra = host.Variants.Single(v => v.Name == "Ultra");
        Assert.True(
            ultra.Loaded && ultra.Counts == CountsCheck.Exact && ultra.Verdicts.Count == TrafficClasses.All.Count
        );
        Assert.Empty(Guests.QemuNaming(runDirectory.Path));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(15)]
    public void A_host_killed_or_stopped_during_a_guest_leaves_no_QEMU_after_cleanup(int signal)
    {
        _ = Guests.DebianImage; // fetched before the child starts, so the guest starts at once
        using var outDir = new TempFolder("pc-matrix-kill-");
        using var runDirectory = new TempFolder("pc-matrix-run-");
        var environment = Guests.OwnRunDirectory(runDirectory);
        using var host = new ChildHost(
            environment.ToDictionary(e => e.Key, e => (string?)e.Value),
            Guests.Matrix(outDir.Path, "--kernel", DebianKernel.Name, "--accel", "tcg")
        );
        ChildHost.WaitUntil(
            () => Guests.QemuNaming(runDirectory.Path).Count > 0 || host.HasExited,
            TimeSpan.FromSeconds(60),
            "the guest's QEMU"
        );
        Assert.False(host.HasExited, host.Output + host.Errors);
        host.Signal(signal);
        var (exitCode, _, _) = host.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.Equal(128 + signal, exitCode);

        var (cleanupExit, cleanupOutput, cleanupError) = HostProcess.RunWith(environment, "cleanup");
        Assert.True(cleanupExit == 0, cleanupOutput + cleanupError);
        ChildHost.WaitUntil(
            () => Guests.QemuNaming(runDirectory.Path).Count == 0,
            TimeSpan.FromSeconds(10),
            "no QEMU left"
        );
        if (signal == 15)
        {
            Assert.True(RunFolder.Read(outDir.Path).Incomplete);
            Assert.Contains("**INCOMPLETE:**", File.ReadAllText(Path.Combine(outDir.Path, "report.md")));
        }
    }

    [Fact]
    public void Cleanup_stops_a_guest_whose_starter_is_dead()
    {
        using var runDirectory = new TempFolder("pc-matrix-sweep-");
        var guests = Path.Combine(runDirectory.Path, "guests");
        Directory.CreateDirectory(guests);
        // A pid that was a process and is no more: the starter of a guest it never stopped.
        var dead = NativeTool.StartedAndExited();
        var pidFile = Path.Combine(guests, $"{dead}-leftover.pid");
        // QEMU without a kernel idles in its firmware with nothing to boot: a guest that stays.
        using var qemu = System.Diagnostics.Process.Start(
            QemuGuest.Binary,
            ["-accel", "tcg", "-nodefaults", "-display", "none", "-net", "none", "-pidfile", pidFile]
        );
        try
        {
            ChildHost.WaitUntil(() => File.Exists(pidFile), TimeSpan.FromSeconds(10), "QEMU's pid file");
            var (exitCode, output, error) = HostProcess.RunWith(Guests.OwnRunDirectory(runDirectory), "cleanup");
            Assert.True(exitCode == 0, output + error);
            Assert.Contains($"stopped QEMU guest {qemu.Id}", output);
            Assert.True(qemu.WaitForExit(10_000));
            Assert.False(File.Exists(pidFile));
        }
        finally
        {
            if (!qemu.HasExited)
                qemu.Kill();
        }
    }

    private static object Exact(VerifierStats stats) =>
        (
            stats.Insns,
            stats.States,
            stats.PeakStates,
            stats.MaxStatesPerInsn,
            stats.MarkRead,
            stats.StackDepth,
            stats.XlatedInsns,
            stats.JitedBytes
        );
}
