using PacketCounter.Profiling.Analysis;

namespace PacketCounter.Tests.Kernel;

/// <summary>Micro and live drop-sink figures must see known extra work, in the right order, growing with the work; the A/A copy must see none.</summary>
[Collection(KernelCollection.Name)]
public class SensitivityTests : KernelLeakGuard
{
    [Fact]
    public void Fixtures_with_more_extra_work_cost_more_net_of_the_baseline_in_micro_mode_and_the_aa_copy_costs_nothing()
    {
        var probes = new[] { 0, 16, 64 }.Select(ProbeVariant.WithExtraWork).ToList();
        var results = TestBench.Run(TestBench.Plan([Variants.Baseline, .. probes], TrafficMix.Single(TrafficClass.Ipv4Udp), BenchModes.Micro,
            micro: TestBench.Micro(rounds: 40)) with { Control = true });
        var net = MicroFigures.Of(results).Where(f => f.NetOfBaseline is not null).ToDictionary(f => f.Variant, f => f.NetOfBaseline!.Value);
        var (none, some, most) = (net["Probe0"], net["Probe16"], net["Probe64"]);
        var control = net[Variants.Baseline.Name + Profiling.Plugins.LoadedVariant.ControlSuffix];
        var report = $"net ns/packet: A/A {control}, 0 calls {none.Estimate:0.00} [{none.Low:0.00}, {none.High:0.00}], 16 calls {some.Estimate:0.00} [{some.Low:0.00}, {some.High:0.00}], 64 calls {most.Estimate:0.00} [{most.Low:0.00}, {most.High:0.00}]";
        Assert.True(some.Low > none.High, report);
        Assert.True(most.Low > some.High, report);
        Assert.True(most.Estimate - some.Estimate > some.Estimate - none.Estimate, report);
        Assert.False(control.Excludes(0), report);
    }

    [Fact]
    public void Fixtures_with_more_extra_work_cost_more_net_of_the_baseline_in_live_drop_mode()
    {
        var probes = new[] { 0, 16, 64 }.Select(ProbeVariant.WithExtraWork).ToList();
        var results = TestBench.Run(TestBench.Plan([Variants.Baseline, .. probes], TrafficMix.Single(TrafficClass.Ipv4Udp), BenchModes.Live,
            TestBench.Live(rounds: 8, slicePackets: 100_000, statsRounds: 0)));
        var net = LiveFigures.Of(results).Where(f => f.Role == MeasuredRole.Counter).ToDictionary(f => f.Variant, f => f.NetCpuNsPerPacket!.Value);
        var (none, some, most) = (net["Probe0"], net["Probe16"], net["Probe64"]);
        var report = $"net CPU ns/packet: 0 calls {none.Estimate:0.0} [{none.Low:0.0}, {none.High:0.0}], 16 calls {some.Estimate:0.0} [{some.Low:0.0}, {some.High:0.0}], 64 calls {most.Estimate:0.0} [{most.Low:0.0}, {most.High:0.0}]";
        Assert.True(some.Low > none.High, report);
        Assert.True(most.Low > some.High, report);
        // 48 calls more cost more than 16 calls more: net cost grows with the work.
        Assert.True(most.Estimate - some.Estimate > some.Estimate - none.Estimate, report);
    }
}
