using System.Buffers.Binary;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Tests.Engine;

[Trait(Category.Name, Category.Pure)]
public class TrafficTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(7L)]
    [InlineData(99L)]
    [InlineData(10_000_000L)]
    [InlineData(123_456_789L)]
    public void Splitting_a_total_over_the_default_mix_adds_up_exactly(long total)
    {
        var split = TrafficMix.Default.Split(total);
        Assert.Equal(total, split.Values.Sum());
        Assert.All(split.Values, v => Assert.True(v >= 0));
    }

    [Fact]
    public void Splitting_follows_the_weights()
    {
        var split = TrafficMix.Default.Split(100_000);
        Assert.Equal(40_000, split[TrafficClass.Ipv4Tcp]);
        Assert.Equal(25_000, split[TrafficClass.Ipv4Udp]);
        Assert.Equal(2_000, split[TrafficClass.TruncatedIpv4]);
    }

    public static TheoryData<TrafficClass> Classes()
    {
        var data = new TheoryData<TrafficClass>();
        foreach (var c in TrafficClasses.All)
            data.Add(c);
        return data;
    }

    [Theory]
    [MemberData(nameof(Classes))]
    public void Frames_have_the_asked_size_unless_short_by_nature(TrafficClass trafficClass)
    {
        foreach (var size in new[] { 64, 512, 1500 })
        {
            var frame = FrameBuilder.Build(trafficClass, size);
            var expected = trafficClass switch
            {
                TrafficClass.EthernetOnly => 14,
                TrafficClass.TruncatedIpv4 => 24,
                _ => size,
            };
            Assert.Equal(expected, frame.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Classes))]
    public void IPv4_headers_carry_a_valid_checksum_and_the_protocol_the_class_promises(TrafficClass trafficClass)
    {
        var frame = FrameBuilder.Build(trafficClass, 64);
        var protocol = TrafficClasses.Ipv4Protocol(trafficClass);
        var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        if (protocol is null)
        {
            // What a counter must skip: not IPv4 behind an untagged header, or no complete header.
            Assert.True(etherType != 0x0800 || frame.Length < 34, $"{trafficClass} looks countable");
            return;
        }
        Assert.Equal(0x0800, etherType);
        var ihl = (frame[14] & 0x0F) * 4;
        Assert.Equal(protocol, frame[14 + 9]);
        Assert.Equal(0, FrameBuilder.InternetChecksum(frame.AsSpan(14, ihl)));
        Assert.Equal(trafficClass == TrafficClass.Ipv4Options ? 28 : 20, ihl);
    }

    [Fact]
    public void Sizes_outside_64_to_1500_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameBuilder.Build(TrafficClass.Ipv4Udp, 63));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameBuilder.Build(TrafficClass.Ipv4Udp, 1501));
    }

    [Fact]
    public void Mixes_parse_by_name_and_by_class()
    {
        Assert.True(TrafficMix.TryParse("default", out var mix));
        Assert.Same(TrafficMix.Default, mix);
        Assert.True(TrafficMix.TryParse("ipv4-udp", out mix));
        Assert.Equal([TrafficClass.Ipv4Udp], mix.Weights.Keys);
        Assert.False(TrafficMix.TryParse("bogus", out _));
    }
}
