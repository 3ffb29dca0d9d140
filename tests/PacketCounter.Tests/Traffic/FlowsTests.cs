using System.Buffers.Binary;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Traffic;

/// <summary>The generator's flows dimension against the Flows counter's own table, on the real kernel.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class FlowsTests(ITestOutputHelper output) : KernelLeakGuard
{
    private sealed class Rig : IDisposable
    {
        private readonly VethTestbed _testbed = VethTestbed.Create();
        private readonly XdpLink _link;

        public Rig()
        {
            Flows = LoadedVariant.Load(Variants.Named("Flows"));
            _link = _testbed.DutNamespace.Run(() => Flows.Program.AttachXdp(_testbed.DutIfindex));
            Generator = LiveFramesGenerator.Create(_testbed.GeneratorIfindex);
            _testbed.Anchor.Hold(Generator.Program);
            _testbed.Anchor.Hold(Generator.FlowsProgram);
        }

        public LoadedVariant Flows { get; }
        public LiveFramesGenerator Generator { get; }

        public GeneratorRun Send(Dictionary<TrafficClass, long> packets, int flows) =>
            Generator.Send(FrameSizes.Fixed(64).Split(packets), GeneratorOptions.OnCpu(0), flows: flows);

        public void Dispose()
        {
            Generator.Dispose();
            _link.Dispose();
            Flows.Dispose();
            _testbed.Dispose();
        }
    }

    [Fact]
    public void A_thousand_flows_each_get_exactly_their_share_and_are_inserted_once()
    {
        using var rig = new Rig();
        var run = rig.Send(
            new()
            {
                [TrafficClass.Ipv4Udp] = 5_000,
                [TrafficClass.Ipv4Tcp] = 3_000,
                [TrafficClass.Ipv4Icmp] = 700,
            },
            flows: 1_000
        );
        rig.Send(
            new()
            {
                [TrafficClass.Ipv4Udp] = 5_000,
                [TrafficClass.Ipv4Tcp] = 3_000,
                [TrafficClass.Ipv4Icmp] = 700,
            },
            flows: 1_000
        );

        // Frames with ports are spread over the flows; ICMP has none and stays one flow.
        Assert.Equal(1_000, run.Traffic.Flows);
        Assert.All(
            run.Traffic.Frames,
            f => Assert.Equal(f.Class == TrafficClass.Ipv4Icmp ? 0 : SentFrames.AllFlows, f.Flow)
        );

        var counts = rig.Flows.ReadCounts();
        Assert.Equal(17_400UL, counts["packets"]);
        Assert.Equal(17_400UL * 64, counts["bytes"]);
        Assert.Equal(2_001UL, counts["new-flows"]); // 1,000 UDP + 1,000 TCP + the ICMP flow, each inserted on its first frame only

        var table = rig.Flows.Object.Map("flows").Entries();
        Assert.Equal(2_001, table.Count);
        var byFlow = table.ToDictionary(
            e =>
                (
                    Protocol: BitConverter.ToUInt32(e.Key, 12),
                    Source: BinaryPrimitives.ReadUInt16BigEndian(e.Key.AsSpan(8)),
                    Destination: BinaryPrimitives.ReadUInt16BigEndian(e.Key.AsSpan(10))
                ),
            e => e.Sum[0]
        );
        // Flow f sends from port 40000 + f; two runs of 5,000 UDP frames over 1,000 flows give each 10, TCP 6.
        for (var flow = 0; flow < 1_000; flow++)
        {
            Assert.Equal(10UL, byFlow[(IpProtocols.Udp, (ushort)(40_000 + flow), 9)]);
            Assert.Equal(6UL, byFlow[(IpProtocols.Tcp, (ushort)(40_000 + flow), 80)]);
        }
        Assert.Equal(1_400UL, byFlow[(IpProtocols.Icmp, 0, 0)]);
        Assert.Equal(17_400UL, (ulong)table.Sum(e => (decimal)e.Sum[0])); // nothing evicted: counted in the table equals sent
    }

    [Fact]
    public void More_flows_than_the_lru_holds_make_it_thrash_and_the_totals_stay_exact()
    {
        using var rig = new Rig();
        const int Flows = 100_000; // above the table's 65,536
        const long Packets = 400_000;
        var run = rig.Send(new() { [TrafficClass.Ipv4Udp] = Packets }, Flows);
        var counts = rig.Flows.ReadCounts();
        var verification = CountVerification.Compare(
            CountVerification.Expected(Variants.Named("Flows").Variant, run.Traffic),
            counts
        );
        Assert.True(verification.Verifies, verification.Table());
        Assert.Equal((ulong)Packets, counts["packets"]);

        var table = rig.Flows.Object.Map("flows").Entries();
        var inTable = (ulong)table.Sum(e => (decimal)e.Sum[0]);
        var evicted = counts["packets"] - inTable; // frames whose flow entry was evicted after counting them
        output.WriteLine(
            $"{Flows:N0} flows through a 65,536-entry LRU: {counts["new-flows"]:N0} inserts "
                + $"for {Packets:N0} frames; {table.Count:N0} entries hold {inTable:N0} frames, "
                + $"{evicted:N0} went with evicted entries"
        );
        Assert.True(table.Count <= 65_536 && table.Count > 0, $"{table.Count} entries");
        // Cycling through more flows than fit, every flow is gone before it comes round again:
        // nearly every frame inserts, where 100,000 flows that fitted would insert 100,000 times.
        Assert.True(counts["new-flows"] > 3 * (ulong)Flows, $"{counts["new-flows"]} inserts");
        Assert.True(evicted > 0);
    }
}
