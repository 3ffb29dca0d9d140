using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Fixtures;

namespace PacketCounter.Tests.Kernel;

/// <summary>
/// Micro and live drop-sink figures must see known extra work, in the right order, growing
/// with the work. Each step is many standard errors wide: 16 helper calls cost 90 to 280 ns
/// on the machines of this kind, against CIs of a few ns. Whether the A/A copy sees nothing
/// is judged over many cells, as bench judges it (<see cref="ControlTests"/>).
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class SensitivityTests : KernelLeakGuard
{
    [Fact]
    public void Fixtures_with_more_extra_work_cost_more_net_of_the_baseline_in_micro_mode()
    {
        var probes = new[] { 0, 16, 64 }.Select(ProbeVariant.WithExtraWork).ToList();
        var results = TestBench.Run(
            TestBench.Plan(
                [Variants.Baseline, .. probes],
                TrafficMix.Single(TrafficClass.Ipv4Udp),
                BenchModes.Micro,
                micro: TestBench.Micro(rounds: 40)
            )
        );
        var net = MicroFigures
            .Of(results)
            .Where(f => f.NetOfBaseline is not null)
            .ToDictionary(f => f.Variant, f => f.NetOfBaseline!.Value);
        var (none, some, most) = (net["Probe0"], net["Probe16"], net["Probe64"]);
        var report =
            $"net ns/packet: 0 calls {none.Estimate:0.00} [{none.Low:0.00}, "
            + $"{none.High:0.00}], 16 calls {some.Estimate:0.00} [{some.Low:0.00}, "
            + $"{some.High:0.00}], 64 calls {most.Estimate:0.00} [{most.Low:0.00}, {most.High:0.00}]";
        Assert.True(some.Low > none.High, report);
        Assert.True(most.Low > some.High, report);
        // 48 calls more cost more than 16 calls more: net cost grows with the work.
        Assert.True(most.Estimate - some.Estimate > some.Estimate - none.Estimate, report);
    }

    [Fact]
    public void Fixtures_with_more_extra_work_cost_more_net_of_the_baseline_in_live_drop_mode()
    {
        var probes = new[] { 0, 16, 64 }.Select(ProbeVariant.WithExtraWork).ToList();
        var results = TestBench.Run(
            TestBench.Plan(
                [Variants.Baseline, .. probes],
                TrafficMix.Single(TrafficClass.Ipv4Udp),
                BenchModes.Live,
                TestBench.Live(rounds: 8, slicePackets: 100_000, statsRounds: 0)
            )
        );
        var net = LiveFigures
            .Of(results)
            .Where(f => f.Role == MeasuredRole.Counter)
            .ToDictionary(f => f.Variant, f => f.NetCpuNsPerPacket!.Value);
        var (none, some, most) = (net["Probe0"], net["Probe16"], net["Probe64"]);
        var report =
            $"net CPU ns/packet: 0 calls {none.Estimate:0.0} [{none.Low:0.0}, "
            + $"{none.High:0.0}], 16 calls {some.Estimate:0.0} [{some.Low:0.0}, "
            + $"{some.High:0.0}], 64 calls {most.Estimate:0.0} [{most.Low:0.0}, {most.High:0.0}]";
        Assert.True(some.Low > none.High, report);
        Assert.True(most.Low > some.High, report);
        // 48 calls more cost more than 16 calls more: net cost grows with the work.
        Assert.True(most.Estimate - some.Estimate > some.Estimate - none.Estimate, report);
    }
}
