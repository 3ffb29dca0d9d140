using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Tests.Engine;

/// <summary>Plans built from options and config keys, as bench builds them: no kernel needed.</summary>
[Trait(Category.Name, Category.Pure)]
public class BenchPlanBuilderTests
{
    private sealed class Named(string name, VariantRole role, bool reference = false) : ICounterVariant
    {
        public string Name => name;
        public string Description => "a plan test's variant";
        public VariantRole Role => role;
        public string ObjectFile => "none.bpf.o";
        public string ProgramName => "none";
        public IReadOnlyList<CountMap> CountMaps => [];
        public bool IsSpeedupReference => reference;

        public string? CountFor(TrafficClass trafficClass) => null;
    }

    private static readonly IReadOnlyList<DiscoveredVariant> Available =
    [
        new(new Named("Alpha", VariantRole.Counter, reference: true), "/", "/alpha.dll"),
        new(new Named("Zero", VariantRole.Baseline), "/", "/zero.dll"),
        new(new Named("Beta", VariantRole.Counter), "/", "/beta.dll"),
    ];

    private static BenchSettings Given(params (string Flag, string[] Tokens)[] options) =>
        options.Aggregate(
            new BenchSettings(),
            (settings, o) => BenchOptions.All.Single(r => r.Flag == o.Flag).Apply(settings, o.Tokens, o.Flag)
        );

    [Fact]
    public void One_seed_orders_live_and_micro_and_a_run_without_one_draws_its_own()
    {
        var given = BenchPlanBuilder.Build(Given(("--seed", ["42"])), Available);
        Assert.Equal((42, 42), (given.Live.Seed, given.Micro.Seed));
        // Micro's seed orders the program loads; left at its default it was 1 in every run.
        var drawn = Enumerable.Range(0, 5).Select(_ => BenchPlanBuilder.Build(new BenchSettings(), Available)).ToList();
        Assert.All(drawn, plan => Assert.Equal(plan.Live.Seed, plan.Micro.Seed));
        Assert.True(drawn.Select(p => p.Micro.Seed).Distinct().Count() > 1, "five runs drew one seed");
    }

    [Fact]
    public void The_command_line_wins_over_the_config_file_and_each_key_reads_as_its_option()
    {
        var config = BenchOptions.FromConfig(
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["rounds"] = ["7"],
                ["packets"] = ["2M"],
                ["sizes"] = ["64", "512"],
                ["mixes"] = ["default", "ipv4-udp"],
                ["gen_cpus"] = ["0"],
            },
            "matrix.yaml"
        );
        var settings = BenchOptions.All.Single(o => o.Flag == "--rounds").Apply(config, ["3"], "--rounds");
        var plan = BenchPlanBuilder.Build(settings, Available);
        Assert.Equal(3, plan.Live.Rounds);
        Assert.Equal(2_000_000, plan.Live.SlicePackets);
        Assert.Equal(4, plan.Cells.Count); // 2 sizes x 2 mixes
        Assert.Equal([64, 512], plan.Cells.Select(c => c.FrameSize).Distinct().Order());
        // The baseline first, then every counter that runs by default; the declared reference is the reference.
        Assert.Equal(["Zero", "Alpha", "Beta"], plan.Variants.Select(v => v.Name));
        Assert.Equal("Alpha", plan.Reference);
    }

    [Fact]
    public void A_size_mix_is_one_live_cell_and_a_micro_cell_per_size()
    {
        var plan = BenchPlanBuilder.Build(Given(("--sizes", ["imix"]), ("--variants", ["beta"])), Available);
        var live = Assert.Single(plan.Cells, c => c.Modes == BenchModes.Live);
        Assert.Equal(FrameSizes.Imix, live.Sizes);
        Assert.Equal(FrameSizes.Imix.MeanSize, live.FrameSize);
        Assert.Equal([64, 576, 1500], plan.Cells.Where(c => c.Modes == BenchModes.Micro).Select(c => c.FrameSize));
        Assert.Equal(["Zero", "Beta"], plan.Variants.Select(v => v.Name));
        Assert.Null(plan.Reference); // the reference counter is not in this run
        var both = Assert.Throws<OptionException>(() =>
            BenchPlanBuilder.Build(Given(("--sizes", ["imix"]), ("--size", ["64"])), Available)
        );
        Assert.Contains("--size and --sizes cannot be used together", both.Message);
    }

    [Fact]
    public void A_real_interface_takes_the_pass_sink_no_testbed_cells_and_no_aa_copy()
    {
        var plan = BenchPlanBuilder.Build(Given(("--iface", ["eth9"]), ("--attach", ["generic"])), Available);
        Assert.Equal([Sink.Pass], plan.Sinks);
        Assert.Empty(plan.Cells);
        Assert.False(plan.Control);
        Assert.Equal(new InterfaceTarget("eth9", XdpAttachMode.Generic, TimeSpan.FromSeconds(10)), plan.Interface);
        var drop = Assert.Throws<OptionException>(() =>
            BenchPlanBuilder.Build(Given(("--iface", ["eth9"]), ("--sink", ["drop"])), Available)
        );
        Assert.StartsWith("--sink drop cannot be used with --iface", drop.Message);
    }

    [Fact]
    public void Bad_values_names_and_keys_are_one_line_saying_what_to_give()
    {
        var messages = new[]
        {
            Assert.Throws<OptionException>(() => Given(("--packets", ["lots"]))).Message,
            Assert.Throws<OptionException>(() => Given(("--size", ["63"]))).Message,
            Assert.Throws<OptionException>(() => Given(("--mode", ["sideways"]))).Message,
            Assert
                .Throws<OptionException>(() => BenchPlanBuilder.Build(Given(("--variants", ["Gamma"])), Available))
                .Message,
            Assert
                .Throws<OptionException>(() => BenchPlanBuilder.Build(Given(("--reference", ["Zero"])), Available))
                .Message,
            Assert
                .Throws<OptionException>(() =>
                    BenchOptions.FromConfig(
                        new Dictionary<string, IReadOnlyList<string>> { ["round"] = ["3"] },
                        "m.yaml"
                    )
                )
                .Message,
        };
        Assert.Contains("k, M and G suffixes allowed", messages[0]);
        Assert.Contains("outside 64 to 1500", messages[1]);
        Assert.Contains("use micro, live or all", messages[2]);
        Assert.Contains("discovered: Alpha, Zero, Beta", messages[3]);
        Assert.Contains("Zero is the baseline", messages[4]);
        Assert.Contains("unknown key 'round'; keys are variants, objects, program, modes, packets", messages[5]);
        Assert.All(messages, m => Assert.DoesNotContain('\n', m));
    }
}
