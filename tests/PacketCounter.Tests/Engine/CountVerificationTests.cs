using PacketCounter.Abstractions;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Tests.Engine;

[Trait(Category.Name, Category.Pure)]
public class CountVerificationTests
{
    private sealed class ProtocolCounter : ICounterVariant
    {
        public string Name => "P";
        public string Description => "";
        public VariantRole Role => VariantRole.Counter;
        public string ObjectFile => "";
        public string ProgramName => "";
        public IReadOnlyList<CountMap> CountMaps => [];

        public string? CountFor(TrafficClass trafficClass) => TrafficClasses.ProtocolCount(trafficClass);
    }

    private static SentTraffic Sent(params (TrafficClass Class, int Size, long Packets)[] frames) =>
        new(frames.Select(f => new SentFrames(f.Class, f.Size, 0, f.Packets)));

    [Fact]
    public void Expected_counts_merge_classes_that_land_in_the_same_count()
    {
        var expected = CountVerification.Expected(
            new ProtocolCounter(),
            Sent(
                (TrafficClass.Ipv4Udp, 64, 10),
                (TrafficClass.Ipv4Options, 64, 5), // UDP too
                (TrafficClass.Arp, 64, 7)
            )
        ); // not counted
        Assert.Equal([new ExpectedCount("udp", 15)], expected);
    }

    [Fact]
    public void A_sampled_count_verifies_inside_its_binomial_bound_and_fails_outside()
    {
        // 1 in 100 of 1,000,000: mean 10,000, sd sqrt(10^6 * 0.01 * 0.99) = 99.5, 3 sigma = 298.5.
        var expected = ExpectedCount.Sampled("sampled", 1_000_000, 100);
        Assert.Equal(10_000UL, expected.Value);
        Assert.Equal(298.5, expected.Tolerance, 1);
        Assert.True(
            CountVerification.Compare([expected], new Dictionary<string, ulong> { ["sampled"] = 10_298 }).Verifies
        );
        var outside = CountVerification.Compare([expected], new Dictionary<string, ulong> { ["sampled"] = 10_299 });
        Assert.False(outside.Verifies);
        Assert.Contains("FAILS", outside.Table());
        var inside = CountVerification.Compare([expected], new Dictionary<string, ulong> { ["sampled"] = 9_750 });
        Assert.True(inside.Verifies);
        Assert.False(inside.IsExact); // verified, but by a bound, not exactly
        Assert.Contains("3σ binomial, 1 in 100", inside.Table());
    }

    // Windows of a 1-in-100 sampler over 1,000,000 frames: 3 sigma is +-298.5 around 10,000.
    private static List<LiveSample> SampledWindows(int windows, int outside, bool exactCountOff = false)
    {
        var setting = new LiveSetting("ipv4-udp", 64, new GeneratorSource(CpuList.Of(0)), Sink.Drop);
        var expected = ExpectedCount.Sampled("sampled", 1_000_000, 100);
        return Enumerable
            .Range(0, windows)
            .Select(w => new LiveSample
            {
                Variant = "S",
                Role = MeasuredRole.Counter,
                Setting = setting,
                Round = w,
                Kind = LiveWindowKind.Throughput,
                Verification = CountVerification.Compare(
                    [expected, new ExpectedCount("exact", 5)],
                    new Dictionary<string, ulong>
                    {
                        ["sampled"] = w < outside ? 10_400UL : 10_100UL,
                        ["exact"] = exactCountOff && w == windows - 1 ? 4UL : 5UL,
                    }
                ),
            })
            .ToList();
    }

    [Fact]
    public void Sampled_misses_fail_a_run_only_when_more_than_chance_allows_and_an_exact_miscount_always_does()
    {
        // At 3 sigma each window misses with chance 0.0027: over 100 windows, 1 miss is common
        // (P = 0.24), 5 or more happen once in about 100,000 runs.
        Assert.Equal(0.0027, SampledWindows(1, 0)[0].Verification!.Statistical.MissChance, 4);
        Assert.Equal(VerificationStatus.OutsideBound, VerificationStatuses.Of(SampledWindows(100, 1)[0]));
        Assert.Equal(VerificationStatus.WithinBound, VerificationStatuses.Of(SampledWindows(100, 0)));
        Assert.Equal(VerificationStatus.WithinBound, VerificationStatuses.Of(SampledWindows(100, 1)));
        Assert.Equal(VerificationStatus.WithinBound, VerificationStatuses.Of(SampledWindows(100, 2)));
        Assert.Equal(VerificationStatus.Mismatch, VerificationStatuses.Of(SampledWindows(100, 5)));
        Assert.Equal(VerificationStatus.Mismatch, VerificationStatuses.Of(SampledWindows(100, 0, exactCountOff: true)));
        Assert.Equal(0.2374, VerificationStatuses.ChanceOfMisses(100, 1, 0.0027), 3);
        Assert.True(VerificationStatuses.ChanceOfMisses(100, 5, 0.0027) < VerificationStatuses.ChanceLevel);
    }

    [Fact]
    public void Imix_splits_exactly_7_4_1_and_mixed_sizes_are_filed_under_their_mean()
    {
        var kinds = FrameSizes.Imix.Split(
            new Dictionary<TrafficClass, long> { [TrafficClass.Ipv4Udp] = 1201, [TrafficClass.Arp] = 12 }
        );
        Assert.Equal(1201 + 12, kinds.Values.Sum());
        Assert.Equal(
            [701L, 400L, 100L],
            new[] { 64, 576, 1500 }.Select(size => kinds[new FrameKind(TrafficClass.Ipv4Udp, size)])
        );
        Assert.Equal(
            [7L, 4L, 1L],
            new[] { 64, 576, 1500 }.Select(size => kinds[new FrameKind(TrafficClass.Arp, size)])
        );
        Assert.Equal(354, FrameSizes.Imix.MeanSize); // (7 * 64 + 4 * 576 + 1500) / 12 = 354.3
        Assert.True(FrameSizes.TryParse("64:3,1500", out var weighted, out _));
        Assert.Equal(new Dictionary<int, int> { [64] = 3, [1500] = 1 }, weighted!.Weights);
        Assert.False(FrameSizes.TryParse("64,9000", out _, out var problem));
        Assert.Equal("frame size 9000 is outside 64 to 1500 bytes", problem);
    }

    [Theory]
    [InlineData(64, 6, "size-64-127")]
    [InlineData(127, 6, "size-64-127")]
    [InlineData(128, 7, "size-128-255")]
    [InlineData(1500, 10, "size-1024-2047")]
    [InlineData(14, 3, "size-8-15")]
    public void Sizes_fall_in_their_log2_bucket(int size, int bucket, string name)
    {
        Assert.Equal(bucket, SizeHistogram.Bucket(size));
        Assert.Equal(name, SizeHistogram.Name(bucket));
    }

    [Fact]
    public void A_missing_or_extra_count_is_a_mismatch_shown_in_the_table()
    {
        var verification = CountVerification.Compare(
            new Dictionary<string, ulong> { ["tcp"] = 10, ["udp"] = 5 },
            new Dictionary<string, ulong>
            {
                ["tcp"] = 10,
                ["udp"] = 4,
                ["proto-99"] = 1,
            }
        );
        Assert.False(verification.IsExact);
        var table = verification.Table();
        Assert.Contains("proto-99", table);
        Assert.Contains("-1", table);
        Assert.Contains("+1", table);
    }

    [Fact]
    public void Equal_counts_are_exact_and_a_zero_count_is_no_count()
    {
        var expected = new Dictionary<string, ulong> { ["tcp"] = 10, ["udp"] = 0 };
        var counted = new Dictionary<string, ulong> { ["tcp"] = 10 };
        var verification = CountVerification.Compare(expected, counted);
        Assert.True(verification.IsExact);
        Assert.Equal(["tcp"], verification.Rows.Select(r => r.Count));
        Assert.False(CountVerification.Compare(expected, new Dictionary<string, ulong> { ["tcp"] = 11 }).IsExact);
    }

    [Fact]
    public void Testbed_names_fit_ifnamsiz_and_give_their_owner_back()
    {
        var name = TestbedNames.GeneratorInterface(4_194_304, 12);
        Assert.True(name.Length <= 15, name);
        Assert.Equal(4_194_304, TestbedNames.OwnerOfInterface(name));
        Assert.Equal(77, TestbedNames.OwnerOfNamespace(TestbedNames.Namespace(77, 1)));
        Assert.Null(TestbedNames.OwnerOfInterface("eth0"));
        Assert.Null(TestbedNames.OwnerOfNamespace("pc-x-1"));
    }
}
