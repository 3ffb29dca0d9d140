
namespace PacketCounter.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class VariantCountingTests : KernelLeakGuard
{
    public static TheoryData<string> AllVariants() => Variants.Names(includeBaseline: true);
    public static TheoryData<string> Counters() => Variants.Names(includeBaseline: false);

    [Fact]
    public void The_seed_variants_are_discovered_with_their_objects_and_one_baseline()
    {
        var names = Variants.All.Select(v => v.Name).ToList();
        Assert.Superset(new HashSet<string> { "Naive", "Null", "Optimized", "Ultra" }, names.ToHashSet());
        Assert.All(Variants.All, v => Assert.True(File.Exists(v.ObjectPath), $"{v.ObjectPath} is missing"));
        Assert.Equal("Null", Assert.Single(Variants.All, v => v.Variant.Role == VariantRole.Baseline).Name);
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
    public void Every_counter_counts_the_default_mix_exactly_with_either_sink(string name)
    {
        foreach (var sink in new[] { Sink.Pass, Sink.Drop })
        {
            var slices = TestBench.Slices([Variants.Named(name)], TrafficMix.Default, slicePackets: 150_000, sink);
            Assert.Equal(2, slices.Count); // the variant's two slices of the round's quadruple
            foreach (var outcome in slices)
            {
                Assert.Null(outcome.Failure);
                Assert.Equal(150_000, outcome.Sent);
                Assert.Equal(150_000UL, outcome.Delivered);
                Assert.NotNull(outcome.Verification);
                Assert.True(outcome.Verification!.IsExact, $"{sink}:\n{outcome.Verification.Table()}");
                // The default mix has classes no counter may count, so the counted total is below the sent total.
                var countedClasses = TrafficMix.Default.Split(150_000).Where(c => variantCounts(c.Key)).Sum(c => c.Value);
                Assert.Equal((ulong)countedClasses, outcome.Verification.CountedTotal);
            }
        }

        bool variantCounts(TrafficClass c) => Variants.Named(name).Variant.CountFor(c) is not null;
    }

    [Theory]
    [MemberData(nameof(Counters))]
    public void Every_counter_counts_each_class_alone_exactly(string name)
    {
        var variant = Variants.Named(name);
        foreach (var trafficClass in TrafficClasses.All)
        {
            var outcome = TestBench.Slices([variant], TrafficMix.Single(trafficClass), slicePackets: 20_000)[0];
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
        var outcome = TestBench.Slices([Variants.Named("Ultra")], TrafficMix.Default, slicePackets: 400_000, generator: new GeneratorOptions(CpuList.Of(cpus[0], cpus[1])))[0];
        Assert.Equal(400_000UL, outcome.Delivered);
        Assert.True(outcome.Verification!.IsExact, outcome.Verification.Table());
    }

    private static string[] ReadLinkList(string netns) =>
        NativeTool.RunOrFail("ip", ["-n", netns, "-o", "link", "show"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
