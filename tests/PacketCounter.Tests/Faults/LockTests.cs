using System.Diagnostics;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Faults;

/// <summary>The measurement lock on its own: a private lock folder, no kernel.</summary>
[Trait(Category.Name, Category.Pure)]
public class MeasurementLockTests
{
    [Fact]
    public void One_holder_at_a_time_and_the_others_learn_who()
    {
        using var folder = new TempFolder("pc-lock-");
        using (var first = MeasurementLock.TryAcquire("bench --mode live", out _, folder.Path))
        {
            Assert.NotNull(first);
            Assert.True(first!.Owned);
            // flock belongs to the open file: a second open in this very process is refused too.
            Assert.Null(MeasurementLock.TryAcquire("bench other", out var holder, folder.Path));
            Assert.Equal(Environment.ProcessId, holder!.Pid);
            Assert.Equal("bench --mode live", holder.CommandLine);
            Assert.Matches(@"^bench \(pid \d+, started \d\d:\d\d:\d\d, `bench --mode live`\)$", holder.ToString());
        }
        using var again = MeasurementLock.TryAcquire("bench again", out _, folder.Path);
        Assert.NotNull(again);
    }

    [Fact]
    public void A_holder_killed_with_9_leaves_the_lock_free()
    {
        using var folder = new TempFolder("pc-lock-");
        // flock(1) holds the same kind of lock on the same file as a bench would; -o keeps
        // it from its child, so the lock dies with flock itself.
        using var holder = Process.Start(
            new ProcessStartInfo("flock", ["-o", Path.Combine(folder.Path, "bench.lock"), "sleep", "60"])
        )!;
        var children = new List<int>();
        try
        {
            ChildHost.WaitUntil(
                () =>
                {
                    using var probe = MeasurementLock.TryAcquire("probe", out _, folder.Path);
                    return probe is null;
                },
                TimeSpan.FromSeconds(10),
                "flock to take the lock"
            );
            children.AddRange(
                File.ReadAllText($"/proc/{holder.Id}/task/{holder.Id}/children")
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(int.Parse)
            );
            holder.Kill(); // SIGKILL
            holder.WaitForExit();
            using var taken = MeasurementLock.TryAcquire("after the kill", out _, folder.Path);
            Assert.NotNull(taken);
        }
        finally
        {
            if (!holder.HasExited)
                holder.Kill();
            foreach (var child in children)
                try
                {
                    Process.GetProcessById(child).Kill();
                }
                catch (ArgumentException) { } // already gone
        }
    }

    [Fact]
    public void Waiting_is_said_once_and_giving_up_takes_nothing()
    {
        using var folder = new TempFolder("pc-lock-");
        using var held = MeasurementLock.TryAcquire("bench first", out _, folder.Path);
        var told = new List<LockHolder?>();
        var gaveUp = MeasurementLock.Acquire(
            "bench second",
            h =>
            {
                told.Add(h);
                return false;
            },
            CancellationToken.None,
            folder.Path
        );
        Assert.Null(gaveUp);
        Assert.Equal("bench first", Assert.Single(told)!.CommandLine);
        // A waiter is released by cancellation, as a signal does.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            MeasurementLock.Acquire("bench third", _ => true, cancel.Token, folder.Path)
        );
    }
}

/// <summary>Two benches on one host, and run stats held on by another process during a bench.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class HostLockTests : KernelLeakGuard
{
    // A bench of its own lock folder, outside the lock the test collection holds.
    private static Dictionary<string, string?> PrivateLock(string folder) =>
        new() { [MeasurementLock.DirectoryVariable] = folder, [MeasurementLock.HolderVariable] = null };

    [Fact]
    public void A_second_bench_waits_for_the_first_and_says_for_whom_and_no_wait_exits_75()
    {
        using var locks = new TempFolder("pc-lock-");
        using var outA = new TempFolder("pc-lock-a-");
        using var outB = new TempFolder("pc-lock-b-");
        using var outC = new TempFolder("pc-lock-c-");
        using var first = new ChildHost(
            PrivateLock(locks.Path),
            HostProcess.MicroBench(outA.Path, 400, "--store", "none")
        );
        ChildHost.WaitUntil(
            () => MeasurementLock.ReadHolder(locks.Path)?.Pid == first.Pid,
            TimeSpan.FromSeconds(60),
            "the first bench to take the lock"
        );

        using (
            var impatient = new ChildHost(
                PrivateLock(locks.Path),
                HostProcess.MicroBench(outB.Path, 4, "--store", "none", "--no-wait")
            )
        )
        {
            var (exitCode, output, error) = impatient.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.Equal(75, exitCode);
            var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
            Assert.Matches(
                $@"^packetcounter: bench \(pid {first.Pid}, started \d\d:\d\d:\d\d, `.*bench --mode micro.*`\) "
                    + @"is measuring on this host; not waiting \(--no-wait\)$",
                line
            );
            Assert.DoesNotContain("results:", output);
        }

        using var patient = new ChildHost(
            PrivateLock(locks.Path),
            HostProcess.MicroBench(outC.Path, 4, "--store", "none")
        );
        ChildHost.WaitUntil(
            () => patient.Errors.Contains("waiting for bench"),
            TimeSpan.FromSeconds(60),
            "the second bench to say it waits"
        );
        Assert.Contains($"packetcounter: waiting for bench (pid {first.Pid}, started ", patient.Errors);
        Assert.False(patient.HasExited);
        var (firstExit, _, firstError) = first.WaitForExit(TimeSpan.FromMinutes(3));
        var firstEnded = DateTime.UtcNow;
        Assert.True(firstExit == 0, firstError);
        var (patientExit, patientOutput, patientError) = patient.WaitForExit(TimeSpan.FromMinutes(2));
        Assert.True(patientExit == 0, patientError);
        // It measured only once the first had let go: its run folder was written after.
        Assert.True(
            File.GetLastWriteTimeUtc(Path.Combine(outC.Path, Profiling.Reporting.RunArtifacts.RunsFile))
                >= firstEnded.AddSeconds(-1),
            patientOutput
        );
        Assert.Null(MeasurementLock.ReadHolder(locks.Path)); // the last holder cleared its name
    }

    [Fact]
    public void A_throughput_slice_refused_for_run_stats_names_the_process_holding_them()
    {
        using var monitored = VethTestbed.Create();
        // run --stats on holds a run-stats descriptor for as long as it monitors.
        using var monitor = new ChildHost(
            HostProcess.RunUltra(monitored.GeneratorInterface, 30, "--interval", "0.5", "--stats", "on")
        );
        try
        {
            ChildHost.WaitUntil(
                () => monitor.Output.Contains("\n["),
                TimeSpan.FromSeconds(30),
                "the monitor's first interval"
            );
            Assert.Contains(Profiling.Bpf.RunStatsHolders.Others(), h => h.Pid == monitor.Pid);

            var plan = TestBench.Plan(
                [Variants.Baseline, Variants.Named("Ultra")],
                TrafficMix.Single(TrafficClass.Ipv4Udp),
                BenchModes.Live,
                TestBench.Live(rounds: 2, slicePackets: 20_000, statsRounds: 0)
            );
            var samples = TestBench.Run(plan);
            var throughput = samples.LiveSamples.Where(s => s.Kind == LiveWindowKind.Throughput).ToList();
            Assert.NotEmpty(throughput);
            Assert.All(
                throughput,
                s => Assert.Contains($"another process holds run stats on (pid {monitor.Pid}, ", s.Failure)
            );
        }
        finally
        {
            monitor.Signal(2);
            monitor.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }
}
