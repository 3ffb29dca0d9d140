using PacketCounter.Profiling.Verification;

namespace PacketCounter.Tests.Engine;

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

    [Fact]
    public void Expected_counts_merge_classes_that_land_in_the_same_count()
    {
        var expected = CountVerification.Expected(new ProtocolCounter(), new Dictionary<TrafficClass, long>
        {
            [TrafficClass.Ipv4Udp] = 10,
            [TrafficClass.Ipv4Options] = 5, // UDP too
            [TrafficClass.Arp] = 7,         // not counted
        });
        Assert.Equal(new Dictionary<string, ulong> { ["udp"] = 15 }, expected);
    }

    [Fact]
    public void A_missing_or_extra_count_is_a_mismatch_shown_in_the_table()
    {
        var verification = CountVerification.Compare(
            new Dictionary<string, ulong> { ["tcp"] = 10, ["udp"] = 5 },
            new Dictionary<string, ulong> { ["tcp"] = 10, ["udp"] = 4, ["proto-99"] = 1 });
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
