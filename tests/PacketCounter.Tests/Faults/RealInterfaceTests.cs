using PacketCounter.Abstractions;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Faults;

/// <summary>
/// run and bench --iface on an interface the test made: the generator end of a testbed,
/// with traffic sent into it from the other end as the "external" source.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class RealInterfaceTests : KernelLeakGuard
{
    // Ultra on the interface, natively, for three seconds.
    private static void MonitorUltra(
        HostInterface iface,
        TimeSpan interval,
        Profiling.Monitoring.RunStatsMode stats,
        Action<Profiling.Monitoring.MonitorTick> onTick
    ) =>
        Profiling.Monitoring.RunMonitor.Run(
            Variants.Named("Ultra"),
            iface,
            Profiling.Bpf.XdpAttachMode.Native,
            interval,
            TimeSpan.FromSeconds(3),
            stats,
            onTick
        );

    [Fact]
    public void Run_prints_counts_every_interval_and_ends_with_the_exact_totals()
    {
        using var testbed = VethTestbed.Create();
        using var external = ExternalTraffic.Into(testbed);
        using var child = new ChildHost(
            HostProcess.RunUltra(testbed.GeneratorInterface, 4, "--interval", "0.5", "--stats", "on")
        );
        ChildHost.WaitUntil(() => child.Output.Contains("\n["), TimeSpan.FromSeconds(30), "the first interval line");
        external.Send(TrafficClass.Ipv4Udp, 50_000);
        external.Send(TrafficClass.Ipv4Tcp, 20_000);
        external.Send(TrafficClass.Arp, 5_000);
        var (exitCode, output, error) = child.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, error);
        var ticks = output.Split('\n').Where(l => l.StartsWith('[')).ToList();
        Assert.True(ticks.Count >= 4, output);
        Assert.Matches(
            @"\| icmp 0 \(\+\d+/s\) other 0 \(\+\d+/s\) tcp 20000 \(\+\d+/s\) udp 50000 \(\+\d+/s\)\s*$",
            ticks[^1]
        );
        Assert.Contains(ticks, t => Regex.IsMatch(t, @"ns/run\s+\d+\.\d \|"));
        Assert.Contains("run stats on", output.Split('\n')[0]);
    }

    [Fact]
    public void Run_keeps_run_stats_off_by_default_and_says_so()
    {
        using var testbed = VethTestbed.Create();
        var (exitCode, output, error) = HostProcess.Run(
            HostProcess.RunUltra(testbed.GeneratorInterface, 1, "--interval", "0.5")
        );
        Assert.True(exitCode == 0, error);
        Assert.Contains("run stats off", output.Split('\n')[0]);
        Assert.All(output.Split('\n').Where(l => l.StartsWith('[')), t => Assert.Matches(@"ns/run\s+- \| cpu\s+-%", t));
    }

    [Fact]
    public void The_monitors_rates_add_up_to_the_interface_counter_and_the_count_totals()
    {
        using var testbed = VethTestbed.Create();
        using var external = ExternalTraffic.Into(testbed);
        var iface = HostInterface.Resolve(testbed.GeneratorInterface);
        var rxBefore = iface.RxPackets();
        var ticks = new List<Profiling.Monitoring.MonitorTick>();
        var monitor = new Thread(() =>
            MonitorUltra(iface, TimeSpan.FromMilliseconds(300), Profiling.Monitoring.RunStatsMode.Off, ticks.Add)
        );
        monitor.Start();
        ChildHost.WaitUntil(() => ticks.Count >= 1, TimeSpan.FromSeconds(10), "the first interval");
        external.Send(TrafficClass.Ipv4Udp, 40_000);
        external.Send(TrafficClass.Ipv4Tcp, 15_000);
        external.Send(TrafficClass.Arp, 5_000);
        monitor.Join();
        var rx = iface.RxPackets() - rxBefore;
        Assert.Equal(60_000UL, rx);
        var elapsed = ticks.Select(t => t.Elapsed).Prepend(TimeSpan.Zero).ToList();
        double Integral(Func<Profiling.Monitoring.MonitorTick, double> rate) =>
            ticks.Select((t, i) => rate(t) * (elapsed[i + 1] - elapsed[i]).TotalSeconds).Sum();
        // The first interval's rates run from the attach, the others from the tick before.
        Assert.Equal(60_000, Integral(t => t.InterfacePps), 0);
        Assert.Equal(40_000, Integral(t => t.RatesPerSecond["udp"]), 0);
        Assert.Equal(15_000, Integral(t => t.RatesPerSecond["tcp"]), 0);
        Assert.Equal(40_000UL, ticks[^1].Totals["udp"]);
        Assert.All(ticks, t => Assert.True(double.IsNaN(t.NsPerRun))); // stats off: no ns/run, never a 0
    }

    [Fact]
    public void Sampled_run_stats_give_ns_per_run_while_traffic_flows()
    {
        using var testbed = VethTestbed.Create();
        using var external = ExternalTraffic.Into(testbed);
        var iface = HostInterface.Resolve(testbed.GeneratorInterface);
        var ticks = new List<Profiling.Monitoring.MonitorTick>();
        using (external.KeepSending(TrafficClass.Ipv4Udp))
            MonitorUltra(iface, TimeSpan.FromMilliseconds(500), Profiling.Monitoring.RunStatsMode.Sampled, ticks.Add);
        Assert.True(ticks.Count >= 4);
        Assert.True(
            ticks.Count(t => double.IsFinite(t.NsPerRun) && t.NsPerRun > 0 && t.CpuPercent > 0) >= ticks.Count / 2,
            string.Join("; ", ticks.Select(t => $"{t.NsPerRun:0.0} ns/run, {t.InterfacePps:0} pps"))
        );
    }

    [Fact]
    public void Run_never_replaces_an_attached_program_and_names_it()
    {
        using var testbed = VethTestbed.Create();
        using var holder = LoadedVariant.Load(Variants.Named("Null"));
        using var existing = holder.Program.AttachXdp(testbed.GeneratorIfindex);
        var (exitCode, _, error) = HostProcess.Run(HostProcess.RunUltra(testbed.GeneratorInterface, 1));
        Assert.Equal(1, exitCode);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("already has XDP program 'null_pass'", error);
        Assert.Contains("never replaces", error);
        // The program that was there is still there.
        Assert.Equal("null_pass", Profiling.Bpf.XdpLink.AttachedProgram(testbed.GeneratorIfindex)?.Name);
    }

    [Fact]
    public void A_missing_or_down_interface_gets_one_clear_line()
    {
        var missing = $"pc{Environment.ProcessId}g999";
        var (exitCode, _, error) = HostProcess.Run("run", "--variant", "Ultra", "--iface", missing);
        Assert.Equal(1, exitCode);
        Assert.Equal($"packetcounter: no interface named '{missing}'; list them with: ip link show", error.Trim());

        var down = $"pc{Environment.ProcessId}g998";
        NativeTool.RunOrFail(
            "ip",
            ["link", "add", down, "type", "veth", "peer", "name", $"pc{Environment.ProcessId}d998"]
        );
        try
        {
            (exitCode, _, error) = HostProcess.Run("run", "--variant", "Ultra", "--iface", down);
            Assert.Equal(1, exitCode);
            Assert.Equal(
                $"packetcounter: interface '{down}' is down; bring it up with: ip link set {down} up",
                error.Trim()
            );
        }
        finally
        {
            NativeTool.Run("ip", ["link", "del", down]);
        }
    }

    [Trait(Category.Name, Category.Slow)]
    [Fact]
    public void Bench_on_an_interface_measures_external_traffic_and_says_what_the_rate_means()
    {
        using var testbed = VethTestbed.Create();
        using var external = ExternalTraffic.Into(testbed);
        using var outDir = new TempFolder("pc-iface-");
        using var feeding = external.KeepSending(TrafficClass.Ipv4Udp);
        var (exitCode, output, error) = HostProcess.Run(
            "bench",
            "--iface",
            testbed.GeneratorInterface,
            "--variants",
            "Ultra",
            "--duration",
            "2",
            "--rounds",
            "1",
            "--out",
            outDir.Path
        );
        Assert.True(exitCode == 0, output + error);
        Assert.Contains("the rate is whatever the external traffic offers", output);
        var rows = CsvRow
            .Read(Path.Combine(outDir.Path, RunArtifacts.RunsFile))
            .Where(r => r["variant"] == "Ultra")
            .ToList();
        Assert.All(rows, r => Assert.Equal("external", r["verified"]));
        var throughput = Assert.Single(rows, r => r["window"] == "throughput");
        var stats = Assert.Single(rows, r => r["window"] == "run_stats");
        Assert.True(
            throughput.Long("packets_delivered") > 0 && throughput.Long("packets_counted") > 0,
            "traffic was flowing"
        );
        Assert.Equal(0, throughput.Long("run_cnt")); // the rate comes from a window with run stats off
        Assert.True(stats.Long("run_cnt") > 0 && stats.Double("ns_per_run") > 0);
        Assert.Null(stats.Double("mpps"));
        // The interface's own traffic lands on whatever CPU received it: /proc/stat's shares say where.
        Assert.NotNull(throughput.Double("softirq_percent"));
        History.ResultSchema.AssertValid(Path.Combine(outDir.Path, Profiling.Results.RunFolder.ResultFile));
    }
}

/// <summary>Traffic sent from a testbed's DUT end into its generator end, playing an outside source.</summary>
internal sealed class ExternalTraffic : IDisposable
{
    private readonly VethTestbed _testbed;
    private readonly LiveFramesGenerator _generator;

    private ExternalTraffic(VethTestbed testbed, LiveFramesGenerator generator)
    {
        _testbed = testbed;
        _generator = generator;
    }

    public static ExternalTraffic Into(VethTestbed testbed)
    {
        // veth delivers redirected frames only to a peer running XDP: here that is the
        // variant the command under test attaches, so frames count only while it is attached.
        var generator = LiveFramesGenerator.Create(testbed.DutIfindex);
        testbed.Anchor.Hold(generator.Program);
        return new ExternalTraffic(testbed, generator);
    }

    public void Send(TrafficClass trafficClass, long packets) =>
        _testbed.DutNamespace.Run(() =>
            _generator.Send(
                new Dictionary<TrafficClass, long> { [trafficClass] = packets },
                64,
                GeneratorOptions.OnCpu(0)
            )
        );

    public IDisposable KeepSending(TrafficClass trafficClass)
    {
        var stop = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Send(trafficClass, 20_000);
                Thread.Sleep(10);
            }
        })
        {
            IsBackground = true,
        };
        thread.Start();
        return new Stopper(stop, thread);
    }

    private sealed class Stopper(CancellationTokenSource stop, Thread thread) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            thread.Join();
            stop.Dispose();
        }
    }

    public void Dispose() => _generator.Dispose();
}
