using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using Xunit;

namespace PacketCounter.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class VariantCountingTests : KernelLeakGuard
{
    public static TheoryData<string> AllVariants() => Variants.Names(includeBaseline: true);
    public static TheoryData<string> Counters() => Variants.Names(includeBaseline: false);

    [Fact]
    public void The_four_seed_variants_are_discovered_with_their_objects()
    {
        var names = Variants.All.Select(v => v.Name).Order().ToList();
        Assert.Equal(["Naive", "Null", "Optimized", "Ultra"], names);
        Assert.All(Variants.All, v => Assert.True(File.Exists(v.ObjectPath), $"{v.ObjectPath} is missing"));
        Assert.Equal(VariantRole.Baseline, Variants.Named("Null").Variant.Role);
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void Every_variant_loads_and_attaches_to_a_testbed(string name)
    {
        using var testbed = VethTestbed.Create();
        using var loaded = LoadedVariant.Load(Variants.Named(name));
        using (testbed.DutNamespace.Run(() => loaded.Program.AttachXdp(testbed.DutIfindex)))
        {
            var info = loaded.Program.Info();
            Assert.Equal(loaded.Source.Variant.ProgramName[..Math.Min(15, loaded.Source.Variant.ProgramName.Length)], info.Name);
            Assert.True(info.XlatedInstructions > 0);
            Assert.True(info.JitedBytes > 0, "the JIT is on here, so a jited image must exist");
            Assert.Contains(ReadLinkList(testbed.DutNamespace.Name), line => line.Contains(testbed.DutInterface) && line.Contains("xdp"));
        }
        Assert.DoesNotContain(ReadLinkList(testbed.DutNamespace.Name), line => line.Contains(testbed.DutInterface) && line.Contains("xdp"));
    }

    [Theory]
    [MemberData(nameof(Counters))]
    public void Every_counter_counts_the_default_mix_exactly(string name)
    {
        var outcomes = RunLive([Variants.Named(name)], TrafficMix.Default, packets: 300_000);
        var outcome = Assert.Single(outcomes);
        Assert.Null(outcome.Failure);
        Assert.Equal(300_000, outcome.Sent);
        Assert.Equal(300_000UL, outcome.Delivered);
        Assert.NotNull(outcome.Verification);
        Assert.True(outcome.Verification!.IsExact, outcome.Verification.Table());
        // The default mix has classes no counter may count, so the counted total is below the sent total.
        var countedClasses = TrafficMix.Default.Split(300_000).Where(c => TrafficClasses.Ipv4Protocol(c.Key) is not null).Sum(c => c.Value);
        Assert.Equal((ulong)countedClasses, outcome.Verification.CountedTotal);
    }

    [Theory]
    [MemberData(nameof(Counters))]
    public void Every_counter_counts_each_class_alone_exactly(string name)
    {
        var variant = Variants.Named(name);
        foreach (var trafficClass in TrafficClasses.All)
        {
            var outcome = Assert.Single(RunLive([variant], TrafficMix.Single(trafficClass), packets: 20_000));
            Assert.Null(outcome.Failure);
            Assert.True(outcome.Verification!.IsExact, $"{TrafficClasses.Name(trafficClass)}:\n{outcome.Verification.Table()}");
            var expected = variant.Variant.CountFor(trafficClass) is null ? 0UL : 20_000UL;
            Assert.Equal(expected, outcome.Verification.CountedTotal);
        }
    }

    [Fact]
    public void The_generator_on_both_cpus_delivers_and_counts_every_packet()
    {
        var cpus = Profiling.Cpu.CpuAffinity.AllowedForCurrentThread();
        Assert.True(cpus.Count >= 2, "this machine kind has 2 vCPUs");
        var outcome = Assert.Single(RunLive([Variants.Named("Ultra")], TrafficMix.Default, packets: 400_000, new GeneratorOptions([cpus[0], cpus[1]])));
        Assert.Equal(400_000UL, outcome.Delivered);
        Assert.True(outcome.Verification!.IsExact, outcome.Verification.Table());
    }

    internal static List<LiveSample> RunLive(IReadOnlyList<DiscoveredVariant> variants, TrafficMix mix, long packets, GeneratorOptions? generator = null)
    {
        var bench = new LiveBench();
        var samples = bench.RunAll(new LivePlan(variants, packets, FrameBuilder.MinimumSize, mix, [generator ?? GeneratorOptions.OnCpu(0)], WarmupPackets: 1_000));
        Assert.Empty(bench.LoadFailures);
        return samples;
    }

    private static string[] ReadLinkList(string netns) =>
        NativeTool.RunOrFail("ip", ["-n", netns, "-o", "link", "show"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
