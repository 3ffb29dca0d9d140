using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Tests.Kernel;

/// <summary>
/// The A/A copy as bench applies it: a default bench's micro measurement (every default
/// variant beside the baseline and its copy, the default mix, bench's options and its time
/// share), so the copy is reloaded as often as in a bench and its CI carries the offset each
/// load puts on a program. An honest 95% CI excludes 0 in one cell in twenty by chance, so
/// the cells are judged together against the binomial tail, never one by one.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
[Trait(Category.Name, Category.Slow)]
public class ControlTests(ITestOutputHelper output) : KernelLeakGuard
{
    [Fact]
    public void The_aa_copy_excludes_0_in_no_more_micro_cells_than_chance_allows_with_the_load_offsets_inside_its_interval()
    {
        var variants = Variants.All.Where(v => v.Variant.RunsByDefault).ToList();
        var micro = new BenchSettings { MicroCellBudget = BenchPlan.DefaultBudget * BenchPlan.MicroShare };
        var results = TestBench.Run(
            TestBench.Plan(variants, TrafficMix.Default, BenchModes.Micro, micro: micro, control: true)
        );
        var control = Variants.Baseline.Name + LoadedVariant.ControlSuffix;
        var cells = MicroFigures.Of(results).Where(f => f.Variant == control).ToList();
        var loads = results.MicroSamples.Select(s => s.Placement).Distinct().Count();
        var table = string.Join("\n", cells.Select(c => $"{TrafficClasses.Name(c.Class)}: {c.NetOfBaseline}"));
        output.WriteLine($"{loads} loads of each program; A/A net ns/packet per class:\n{table}");

        Assert.Equal(BenchPlan.MicroClasses(TrafficMix.Default).Count, cells.Count);
        // The copy's pairs come from many loads, so the offset each load puts on a program
        // is in their spread: by load when a load holds enough pairs to be estimated on its
        // own, as they are when loads hold one or two (then they are nearly independent).
        Assert.True(loads >= 5, $"only {loads} loads: the offsets could not be spread");
        var excluding = cells.Count(c => c.NetOfBaseline!.Value.Excludes(0));
        var chance = ChanceTail.OfAtLeast(excluding, cells.Count, 0.05);
        Assert.False(
            ChanceTail.TooMany(excluding, cells.Count, 0.05),
            $"the A/A CI excludes 0 in {excluding} of {cells.Count} cells, which honest intervals do with chance {chance:0.#####}:\n{table}"
        );
    }
}
