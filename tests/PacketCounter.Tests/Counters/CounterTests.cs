using System.Diagnostics;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Counters;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Counters;

[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class CounterTests(ITestOutputHelper output) : KernelLeakGuard
{
    /// <summary>
    /// Our system-wide cpu-clock and perf stat's count the same thing, each CPU's enabled
    /// time, over windows that nest: ours opens before perf starts and closes after it
    /// exits, perf's spans at least the 2 s its command sleeps. So ours is never below
    /// perf's, and above it by at most what our window is longer: CPUs x (ours − 2 s).
    /// </summary>
    [Fact]
    public void System_wide_cpu_clock_agrees_with_perf_stat_over_a_window_nested_in_ours()
    {
        var cpus = Profiling.Cpu.CpuAffinity.AllowedForCurrentThread();
        using var counters = new SystemCounters([PerfEventSpec.Parse("cpu-clock")], cpus);
        Assert.Empty(counters.Unsupported);

        var start = new ProcessStartInfo("perf", ["stat", "-a", "-x", ",", "-e", "cpu-clock", "--", "sleep", "2"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // Our clock runs around our counters' window, as theirs runs around perf's.
        var window = Stopwatch.StartNew();
        counters.Start();
        string stderr;
        int exitCode;
        using (var perf = Process.Start(start)!)
        {
            stderr = perf.StandardError.ReadToEnd();
            perf.WaitForExit();
            exitCode = perf.ExitCode;
        }
        var ours = counters.Stop().Single();
        var oursWindowNs = window.Elapsed.TotalNanoseconds;
        Assert.Equal(0, exitCode);

        // perf -x, prints "<msec>,msec,cpu-clock,...".
        var line = stderr.Split('\n').Single(l => l.Contains("cpu-clock", StringComparison.Ordinal));
        var perfNs = double.Parse(line.Split(',')[0], CultureInfo.InvariantCulture) * 1e6;
        var slackNs = cpus.Count * (oursWindowNs - 2e9);
        var report =
            $"cpu-clock on {cpus.Count} CPUs: ours {ours.Value / 1e6:0.0} ms over a "
            + $"{oursWindowNs / 1e6:0.0} ms window, perf stat -a {perfNs / 1e6:0.0} ms";
        output.WriteLine(report);
        // A millisecond per CPU covers the enable and disable calls, which are not atomic across CPUs.
        var tolerance = cpus.Count * 1e6;
        Assert.True(ours.Value >= perfNs - tolerance, report);
        Assert.True(ours.Value <= perfNs + slackNs + tolerance, report);
        Assert.Equal(cpus.Count, ours.PerCpu.Count);
    }

    /// <summary>
    /// task-clock counts the time the scheduler ran the thread: the sum of its exec runtime,
    /// which /proc/thread-self/schedstat shows too, brought up to date only at a tick or a
    /// switch, so two readings may lag each other by a tick or two (4 ms at 250 Hz, 10 ms at
    /// 100 Hz). A busy thread that shares its CPU with a neighbour gets less than wall time,
    /// and both figures say so alike.
    /// </summary>
    [Fact]
    public void Task_clock_of_a_busy_thread_is_the_time_the_scheduler_ran_it()
    {
        double taskNs = 0,
            scheduledNs = 0,
            wallNs = 0;
        var thread = new Thread(() =>
        {
            using var counter = PerfCounter.Open(
                PerfEventSpec.Parse("task-clock"),
                pid: Interop.Libc.GetThreadId(),
                cpu: -1
            );
            var clock = Stopwatch.StartNew();
            var before = counter.Read();
            var scheduledBefore = ThreadSchedstat.ExecNs();
            while (clock.Elapsed < TimeSpan.FromMilliseconds(400))
                Thread.SpinWait(100);
            var after = counter.Read();
            scheduledNs = ThreadSchedstat.ExecNs() - scheduledBefore;
            wallNs = clock.Elapsed.TotalNanoseconds;
            taskNs = (after - before).Scaled;
        });
        thread.Start();
        thread.Join();
        var report =
            $"busy thread: task-clock {taskNs / 1e6:0.0} ms, schedstat {scheduledNs / 1e6:0.0} ms, wall {wallNs / 1e6:0.0} ms";
        output.WriteLine(report);
        Assert.True(Math.Abs(taskNs - scheduledNs) <= 25e6, report);
        Assert.True(taskNs <= wallNs + 1e6, report);
        Assert.True(taskNs > 0, report);
    }

    [SkippableFact]
    public void Without_a_pmu_hardware_events_say_not_supported_no_pmu_never_zero()
    {
        Skip.If(Profiling.Machine.HardwarePmu.Exists, "this machine has a PMU: the no-PMU path cannot be reached here");
        var failure = Assert.Throws<PerfEventException>(() => PerfCounter.Open(PerfEventSpec.Parse("cycles"), -1, 0));
        Assert.Equal("no PMU on this machine", failure.Reason);
        Assert.Equal("cycles: not supported: no PMU on this machine", failure.Message);

        using var counters = new SystemCounters(
            new[] { "cycles", "instructions:k", "LLC-load-misses", "cpu-clock" }.Select(PerfEventSpec.Parse),
            [0]
        );
        Assert.Equal(["cpu-clock"], counters.Events);
        Assert.Equal(3, counters.Unsupported.Count);
        Assert.All(counters.Unsupported, s => Assert.Equal("not supported: no PMU on this machine", s.Detail));
    }

    [SkippableFact]
    public void With_a_pmu_cycles_and_instructions_count_a_busy_window()
    {
        Skip.IfNot(Profiling.Machine.HardwarePmu.Exists, "not supported: no PMU on this machine");
        using var counters = new SystemCounters(new[] { "cycles", "instructions" }.Select(PerfEventSpec.Parse), [0]);
        Assert.Empty(counters.Unsupported);
        counters.Start();
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 200)
            Thread.SpinWait(100);
        var values = counters.Stop();
        Assert.All(values, v => Assert.True(v.Value > 0, $"{v.Event} counted nothing"));
    }

    [SkippableFact]
    public void Fentry_attribution_is_refused_here_with_the_reason()
    {
        using var loaded = LoadedVariant.Load(Variants.Named("Null"));
        var state = ProgramAttribution.Probe(loaded.Program);
        output.WriteLine($"{state.Source}: {(state.Available ? "available" : state.Detail)}");
        Skip.If(state.Available, "fentry loads on this machine: the refusal path cannot be reached here");
        Assert.StartsWith("not supported: loading fentry/fexit programs was refused (EPERM", state.Detail);
    }

    [SkippableFact]
    public void Where_fentry_loads_attribution_counts_one_run_per_packet()
    {
        using var probeTarget = LoadedVariant.Load(Variants.Named("Null"));
        var state = ProgramAttribution.Probe(probeTarget.Program);
        Skip.IfNot(state.Available, state.Detail);

        using var testbed = VethTestbed.Create();
        using var ultra = LoadedVariant.Load(Variants.Named("Ultra"));
        using var link = testbed.DutNamespace.Run(() => ultra.Program.AttachXdp(testbed.DutIfindex));
        using var generator = LiveFramesGenerator.Create(testbed.GeneratorIfindex);
        using var attribution = ProgramAttribution.Attach(
            ultra.Program,
            PerfEventSpec.Parse("cpu-clock"),
            Profiling.Cpu.CpuAffinity.AllowedForCurrentThread()
        );
        generator.Send(
            new Dictionary<TrafficClass, long> { [TrafficClass.Ipv4Udp] = 10_000 },
            64,
            GeneratorOptions.OnCpu(0)
        );
        var reading = attribution.Read("Ultra");
        Assert.Equal(10_000UL, reading.Runs);
        Assert.True(reading.PerRun > 0);
    }

    [Fact]
    public void A_group_is_read_in_one_snapshot_with_one_time_base()
    {
        using var group = new PerfEventGroup(
            new[] { "cpu-clock", "task-clock", "context-switches" }.Select(PerfEventSpec.Parse),
            pid: -1,
            cpu: 0
        );
        Assert.Empty(group.Unsupported);
        var window = Stopwatch.StartNew();
        group.Start();
        Thread.Sleep(300);
        group.Stop();
        var windowNs = window.Elapsed.TotalNanoseconds;
        var readings = group.Read();
        Assert.Equal(3, readings.Count);
        Assert.All(readings, r => Assert.Equal(readings[0].TimeEnabled, r.TimeEnabled));
        // System-wide on one CPU, cpu-clock counts the whole enabled window: no less than the
        // sleep between enable and disable, no more than our clock around both. task-clock
        // counts only the time tasks ran there, so it can be no more than cpu-clock.
        var report =
            $"cpu-clock {readings[0].Scaled / 1e6:0.0} ms, task-clock {readings[1].Scaled / 1e6:0.0} ms, window {windowNs / 1e6:0.0} ms";
        Assert.True(readings[0].Scaled >= 0.3e9 * 0.99 && readings[0].Scaled <= windowNs + 1e6, report);
        Assert.InRange(readings[1].Scaled, 0, 1.05 * readings[0].Scaled);
        Assert.Equal(100, readings[0].RunningPercent, 3);
    }

    [SkippableFact]
    public void Without_a_pmu_a_hardware_group_is_empty_and_says_why()
    {
        Skip.If(Profiling.Machine.HardwarePmu.Exists, "this machine has a PMU: the no-PMU path cannot be reached here");
        using var group = new PerfEventGroup(
            new[] { "cycles", "instructions" }.Select(PerfEventSpec.Parse),
            pid: -1,
            cpu: 0
        );
        Assert.Empty(group.Events);
        Assert.All(group.Unsupported, u => Assert.Equal("no PMU on this machine", u.Reason));
        group.Start();
        group.Stop();
        Assert.Empty(group.Read());
    }
}

[Trait(Category.Name, Category.Pure)]
public class EventNameTests
{
    [Fact]
    public void Unknown_event_names_are_refused_with_the_known_list()
    {
        var failure = Assert.Throws<ArgumentException>(() => PerfEventSpec.Parse("cycels"));
        Assert.Contains("cycles", failure.Message);
        Assert.True(PerfEventSpec.Parse("cycles:k").KernelOnly);
    }
}

[Trait(Category.Name, Category.Pure)]
public class HardwarePmuTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("cpu_core")]
    [InlineData("cpu_atom")]
    public void A_cpu_pmu_under_any_of_its_names_counts_as_present(string source)
    {
        using var root = new TempFolder("pc-pmu-");
        Directory.CreateDirectory(Path.Combine(root.Path, "software"));
        Assert.Empty(Profiling.Machine.HardwarePmu.Present(root.Path));
        Assert.StartsWith(
            "not supported: no PMU on this machine",
            Profiling.Machine.HardwarePmu.State(root.Path).Detail
        );
        Directory.CreateDirectory(Path.Combine(root.Path, source));
        Assert.Equal([source], Profiling.Machine.HardwarePmu.Present(root.Path));
        Assert.True(Profiling.Machine.HardwarePmu.State(root.Path).Available);
    }
}
