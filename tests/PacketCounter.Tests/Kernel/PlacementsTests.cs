using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Tests.Kernel;

[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class PlacementsTests : KernelLeakGuard
{
    [Fact]
    public void Each_renewal_times_fresh_loads_and_releases_the_previous_ones()
    {
        using var testbed = VethTestbed.Create(lanes: 0);
        using var baseline = LoadedVariant.Load(Variants.Baseline);
        using var control = LoadedVariant.LoadControl(Variants.Baseline);
        using var ultra = LoadedVariant.Load(Variants.Named("Ultra"));
        LoadedVariant[] variants = [baseline, control, ultra];
        foreach (var variant in variants)
            testbed.Anchor.Hold(variant.Program);
        var seen = new HashSet<uint>(variants.Select(v => v.Program.Info().Id));
        using (var placements = new Placements(variants, testbed.Anchor, seed: 5))
        {
            Assert.All(variants, v => Assert.Same(v.Program, placements.ProgramOf(v)));
            for (var epoch = 1; epoch <= 3; epoch++)
            {
                var before = variants.Select(v => placements.ProgramOf(v)).ToList();
                placements.Renew();
                Assert.Equal(epoch, placements.Epoch);
                foreach (var variant in variants)
                {
                    var program = placements.ProgramOf(variant);
                    Assert.True(seen.Add(program.Info().Id), $"{variant.Name} was not loaded afresh in epoch {epoch}");
                    Assert.Equal(variant.Program.Info().Tag, program.Info().Tag);
                    Assert.Equal(
                        XdpAction.Pass,
                        program.TestRun(FrameBuilder.Build(TrafficClass.Ipv4Udp, 64), new XdpTestRun(1)).Verdict
                    );
                }
                // The previous epoch's copies are gone from the kernel; the originals stay.
                if (epoch > 1)
                    Assert.All(before, old => Assert.Throws<ObjectDisposedException>(() => old.Info()));
            }
        }
        Assert.All(variants, v => Assert.True(v.Program.Info().Id > 0));
        // While a renewal swaps, the three originals, the three copies in use and three fresh
        // ones are held together (the fresh ones load before the old go, so they land at new
        // addresses): what counts against the dispatcher's 48 direct slots.
        Assert.Equal(9, testbed.Anchor.PeakHeld);
    }

    [Fact]
    public void Micro_samples_say_which_load_they_were_timed_on()
    {
        var results = TestBench.Run(
            TestBench.Plan(
                [Variants.Baseline, Variants.Named("Ultra")],
                TrafficMix.Single(TrafficClass.Ipv4Udp),
                BenchModes.Micro,
                micro: TestBench.Micro(rounds: 60) with
                {
                    MicroPlacementTime = TimeSpan.FromMilliseconds(60),
                },
                control: true
            )
        );
        var placements = results.MicroSamples.Select(s => s.Placement).Distinct().Count();
        Assert.True(placements >= 3, $"{placements} loads");
        // Every quadruple is timed on one load: its four slices share it.
        Assert.All(
            results.MicroSamples.GroupBy(s => (s.Class, s.Quad)),
            q => Assert.Single(q.Select(s => s.Placement).Distinct())
        );
        var net = Profiling.Analysis.MicroFigures.Of(results).Single(f => f.Variant == "Ultra").NetOfBaseline!.Value;
        Assert.Contains("loads", net.Method);
    }
}
