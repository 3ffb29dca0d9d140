using PacketCounter.Abstractions;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Tests.Kernel;

[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class VariantCountingTests(ITestOutputHelper output) : KernelLeakGuard
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
            Assert.Equal(
                loaded.Source.Variant.ProgramName[..Math.Min(15, loaded.Source.Variant.ProgramName.Length)],
                info.Name
            );
            Assert.True(info.XlatedInstructions > 0);
            Assert.True(info.JitedBytes > 0, "the JIT is on here, so a jited image must exist");
            Assert.Contains(
                ReadLinkList(testbed.DutNamespace.Name),
                line => line.Contains(testbed.DutInterface) && line.Contains("xdp")
            );
        }
        Assert.DoesNotContain(
            ReadLinkList(testbed.DutNamespace.Name),
            line => line.Contains(testbed.DutInterface) && line.Contains("xdp")
        );
    }

    [Theory]
    [MemberData(nameof(Counters))]
    public void Every_counter_counts_the_default_mix_exactly_with_either_sink(string name)
    {
        var verifications = new List<CountVerification>();
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
                verifications.Add(outcome.Verification!);
                // The default mix has classes no counter may count, so the counted total is below the sent total.
                var countedClasses = TrafficMix
                    .Default.Split(150_000)
                    .Where(c => variantCounts(c.Key))
                    .Sum(c => c.Value);
                AssertPacketCounts(Variants.Named(name).Variant, outcome.Verification!, countedClasses);
            }
        }
        AssertHold(verifications);

        bool variantCounts(TrafficClass c) => Variants.Named(name).Variant.CountFor(c) is not null;
    }

    /// <summary>
    /// The counts a variant names per class add up to the packets of the classes it counts:
    /// exactly for exact counts, and, for a sampled count, a positive expectation. Every exact
    /// count and hard bound holds in the window; sampled counts are judged over the test's
    /// windows together (<see cref="AssertHold"/>), as bench judges them over a run, since
    /// an honest sample misses 3σ in 0.27% of windows.
    /// </summary>
    private static void AssertPacketCounts(ICounterVariant variant, CountVerification verification, long countedClasses)
    {
        var perClass = TrafficClasses.All.Select(variant.CountFor).OfType<string>().ToHashSet();
        var rows = verification.Rows.Where(r => perClass.Contains(r.Count)).ToList();
        Assert.True(verification.HardCountsHold, verification.Table());
        if (rows.All(r => r.IsExactCount))
        {
            Assert.Equal((ulong)countedClasses, (ulong)rows.Sum(r => (decimal)r.Counted));
            Assert.Equal(verification.Rows.All(r => r.IsExactCount), verification.IsExact);
        }
        else
            Assert.All(rows, r => Assert.True(countedClasses == 0 || r.Expected > 0, verification.Table()));
    }

    private static void AssertHold(IReadOnlyCollection<CountVerification> verifications) =>
        Assert.True(VerificationStatuses.Hold(verifications), string.Join("\n", verifications.Select(v => v.Table())));

    [Theory]
    [MemberData(nameof(Counters))]
    public void Every_counter_counts_each_class_alone_exactly(string name)
    {
        var variant = Variants.Named(name);
        var verifications = new List<CountVerification>();
        foreach (var trafficClass in TrafficClasses.All)
        {
            var outcome = TestBench.Slices([variant], TrafficMix.Single(trafficClass), slicePackets: 20_000)[0];
            Assert.Null(outcome.Failure);
            verifications.Add(outcome.Verification!);
            AssertPacketCounts(
                variant.Variant,
                outcome.Verification!,
                variant.Variant.CountFor(trafficClass) is null ? 0 : 20_000
            );
        }
        AssertHold(verifications);
    }

    [Fact]
    public void The_generator_on_both_cpus_delivers_and_counts_every_packet()
    {
        var cpus = Profiling.Cpu.CpuAffinity.AllowedForCurrentThread();
        Assert.True(cpus.Count >= 2, "this machine kind has 2 vCPUs");
        var outcome = TestBench.Slices(
            [Variants.Named("Ultra")],
            TrafficMix.Default,
            slicePackets: 400_000,
            generator: CpuList.Of(cpus[0], cpus[1])
        )[0];
        Assert.Equal(400_000UL, outcome.Delivered);
        Assert.True(outcome.Verification!.IsExact, outcome.Verification.Table());
    }

    [Theory]
    [MemberData(nameof(Counters))]
    public void Every_counter_verifies_an_imix_of_sizes_and_byte_counts_are_exact(string name)
    {
        var variant = Variants.Named(name);
        var plan = TestBench.Plan(
            [Variants.Baseline, variant],
            TrafficMix.Default,
            BenchModes.Live,
            TestBench.Live(rounds: 1, slicePackets: 60_000, statsRounds: 0),
            sizes: FrameSizes.Imix
        );
        var slices = TestBench
            .Run(plan)
            .LiveSamples.Where(s => s.IsThroughput && s.Round >= 0 && s.Variant == name)
            .ToList();
        Assert.Equal(2, slices.Count);
        foreach (var slice in slices)
        {
            Assert.Null(slice.Failure);
            Assert.Equal(60_000UL, slice.Delivered);
            Assert.Equal(
                [64, 576, 1500],
                slice.Traffic!.Frames.Where(f => f.Class == TrafficClass.Ipv4Udp).Select(f => f.Size).Order()
            );
            Assert.True(slice.Verification!.HardCountsHold, slice.Verification.Table());
            var bytes = slice.Verification.Rows.Where(r => r.Expectation.Unit == CountUnit.Bytes).ToList();
            if (name == "Sizes")
            {
                // 60,000 frames split by the default mix, then 7:4:1 over 64, 576 and 1500 bytes per class.
                var udp = FrameSizes
                    .Imix.Split(
                        new Dictionary<TrafficClass, long>
                        {
                            [TrafficClass.Ipv4Udp] = TrafficMix.Default.Split(60_000)[TrafficClass.Ipv4Udp],
                        }
                    )
                    .Sum(k => k.Value * k.Key.Size);
                Assert.Equal(
                    (ulong)udp + ExpectedOptionsUdpBytes(60_000),
                    Assert.Single(bytes, r => r.Count == "udp-bytes").Counted
                );
                Assert.Contains(slice.Verification.Rows, r => r.Count == "size-1024-2047" && r.Counted > 0);
            }
        }
        AssertHold([.. slices.Select(s => s.Verification!)]);
    }

    // ipv4-options frames are UDP too, and every size of the mix applies to them as well.
    private static ulong ExpectedOptionsUdpBytes(long total) =>
        (ulong)
            FrameSizes
                .Imix.Split(
                    new Dictionary<TrafficClass, long>
                    {
                        [TrafficClass.Ipv4Options] = TrafficMix.Default.Split(total)[TrafficClass.Ipv4Options],
                    }
                )
                .Sum(k => k.Value * k.Key.Size);

    [Fact]
    public void Sampled_lands_within_3_sigma_of_its_binomial_in_nearly_every_one_of_100_windows()
    {
        var sampled = Variants.Named("Sampled");
        var plan = TestBench.Plan(
            [Variants.Baseline, sampled],
            TrafficMix.Single(TrafficClass.Ipv4Udp),
            BenchModes.Live,
            TestBench.Live(rounds: 50, slicePackets: 40_000, statsRounds: 0)
        );
        var windows = TestBench
            .Run(plan)
            .LiveSamples.Where(s => s.IsThroughput && s.Round >= 0 && s.Variant == "Sampled")
            .ToList();
        Assert.Equal(100, windows.Count);
        Assert.All(windows, w => Assert.Null(w.Failure));
        var rows = windows.Select(w => Assert.Single(w.Verification!.Rows)).ToList();
        Assert.All(rows, r => Assert.Equal(625UL, r.Expected)); // 40,000 / 64
        var outside = rows.Count(r => !r.Matches);
        // Each window misses 3 sigma with chance 0.27%: 5 or more misses in 100 happen about once
        // in 100,000 runs of an unbiased sampler, while one keeping 1 in 60 misses in most windows.
        Assert.True(
            outside <= 4,
            $"{outside} of 100 windows outside 3 sigma: {string.Join(", ", rows.Select(r => r.Counted))}"
        );
        var mean = rows.Average(r => (double)r.Counted);
        // The mean of 100 windows has sd 24.8 / sqrt(100); 5 sd is missed about once in two million runs.
        Assert.InRange(mean, 625 - 5 * 2.48, 625 + 5 * 2.48);
        output.WriteLine($"Sampled: {100 - outside} of 100 windows within 3 sigma; mean count {mean:0.0} against 625");
    }

    private static string[] ReadLinkList(string netns) =>
        NativeTool
            .RunOrFail("ip", ["-n", netns, "-o", "link", "show"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
