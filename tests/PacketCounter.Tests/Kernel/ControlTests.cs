using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Tests.Kernel;

/// <summary>
/// The A/A copy as bench applies it: a default bench's micro measurement (every default
/// variant beside the baseline and its copy, the default mix, bench's options and its time
/// share), so the copy is reloaded as often as in a bench and its CI carries the offset each
/// load puts on a program.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
[Trait(Category.Name, Category.Slow)]
public class ControlTests(ITestOutputHelper output) : KernelLeakGuard
{
    [Fact]
    public void The_aa_copy_of_the_micro_classes_is_one_family_not_far_off_zero_over_loads_ordered_by_a_fresh_seed()
    {
        // A fresh seed each run, as bench draws one: the orders the programs are loaded in set
        // their placement offsets, and a fixed seed would make every run of this test the
        // same draw of them.
        var seed = Random.Shared.Next(1, 1_000_000);
        var variants = Variants.All.Where(v => v.Variant.RunsByDefault).ToList();
        var micro = new BenchSettings { MicroCellBudget = BenchPlan.DefaultBudget * BenchPlan.MicroShare };
        var live = TestBench.Live(rounds: 1, slicePackets: 50_000, seed: seed);
        var plan = TestBench.Plan(variants, TrafficMix.Default, BenchModes.Micro, live, micro: micro, control: true);
        var results = TestBench.Run(plan);
        var floor = TestBench.Analyse(plan, results).NoiseFloor;
        var loads = results.MicroSamples.Select(s => s.Placement).Distinct().Count();
        var table = string.Join("\n", floor.Cells.Select(c => $"{c.Cell}: {c.Net}"));
        var family = Assert.Single(floor.Families);
        var line = $"{family.Name}: {family.Estimate:0.###} ± {family.HalfWidth:0.###} ns";
        output.WriteLine($"seed {seed}; {loads} loads of each program; A/A net ns/packet:\n{table}\n{line}");

        Assert.Equal(plan.Micro.Seed, seed);
        Assert.Equal(BenchPlan.MicroClasses(TrafficMix.Default).Count, family.Cells.Count);
        // The offsets reach the interval only through many loads.
        Assert.True(loads >= 5, $"only {loads} loads: the offsets could not be spread");
        // The classes share their loads, so they lean together and are one draw: off zero by
        // its width 1 run in 20, as an honest interval is; by twice it, under 1 in 10,000.
        // The run's own rule: with one family, unreliable only when it is that far off.
        Assert.False(
            floor.Unreliable,
            $"the A/A family is {line}, more than twice its half-width off zero (seed {seed})"
        );
    }
}
