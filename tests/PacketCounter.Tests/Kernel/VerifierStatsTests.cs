using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Tests.Kernel;

/// <summary>The verifier's figures of every shipped variant, against what the kernel itself says.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class VerifierStatsTests(ITestOutputHelper output) : KernelLeakGuard
{
    public static TheoryData<string> All => Variants.Names(includeBaseline: true);

    [Theory]
    [MemberData(nameof(All))]
    public void The_figures_are_the_kernels_log_and_prog_info(string name)
    {
        var variant = Variants.Named(name);
        var (stats, log) = VerifierStats.Measure(variant.ObjectPath, variant.Variant.ProgramName);
        output.WriteLine(log.Trim());
        // Each figure is where the kernel's log puts it, under its own name.
        Assert.Contains($"processed {stats.Insns} insns", log);
        Assert.Contains($"max_states_per_insn {stats.MaxStatesPerInsn} ", log);
        Assert.Contains($"total_states {stats.States} ", log);
        Assert.Contains($"peak_states {stats.PeakStates} ", log);
        Assert.Contains($"mark_read {stats.MarkRead}", log);
        Assert.Contains($"verification time {stats.DurationUs} usec", log);
        Assert.Contains($"stack depth {string.Join('+', stats.StackDepths)}", log);
        // The load that is measured, with its own flags, is the same program to the verifier.
        using var loaded = LoadedVariant.Load(variant);
        var info = loaded.Program.Info();
        Assert.Equal(info.VerifiedInstructions, stats.Insns);
        Assert.Equal(info.XlatedInstructions, stats.XlatedInsns);
        Assert.Equal(info.JitedBytes, stats.JitedBytes);
        Assert.True(stats.Insns > 0, $"{stats}");
    }
}

/// <summary>The stats log's parser on logs whose figures are known.</summary>
[Trait(Category.Name, Category.Pure)]
public class VerifierLogTests
{
    [Fact]
    public void A_log_with_subprograms_sums_their_stack_depths()
    {
        var stats = VerifierStats.Parse(
            "verification time 138 usec\nstack depth 32+16\nprocessed 90 insns (limit 1000000) max_states_per_insn 1 "
                + "total_states 7 peak_states 6 mark_read 2\n",
            81,
            377
        );
        Assert.Equal(
            new VerifierStats(90, 7, 6, 1, 2, 138, 48, [32, 16], 81, 377) with
            {
                StackDepths = stats.StackDepths,
            },
            stats
        );
        Assert.Equal([32, 16], stats.StackDepths);
    }

    [Fact]
    public void A_log_without_its_totals_is_refused_quoting_it()
    {
        var error = Assert.Throws<FormatException>(() => VerifierStats.Parse("func#0 @0\n", 1, 1));
        Assert.Contains("lacks its totals: 'func#0 @0'", error.Message);
    }
}
