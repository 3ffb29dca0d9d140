using PacketCounter.Abstractions;

namespace PacketCounter.Plugins.Flows;

/// <summary>
/// Packets and bytes per 5-tuple in a per-CPU LRU hash of 65,536 flows. Its totals are exact;
/// its new-flow count shows the LRU at work: once per flow when the flows fit, and on nearly
/// every frame when they thrash.
/// </summary>
public sealed class FlowsVariant : ICounterVariant
{
    /// <summary>The LRU's size (flows.bpf.c's FLOW_CAPACITY).</summary>
    public const int Capacity = 65_536;

    public string Name => "Flows";
    public string Description =>
        $"Packets and bytes per 5-tuple in a per-CPU LRU hash of {Capacity:N0} flows, with per-CPU totals and a count of flows inserted";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "flows.bpf.o";
    public string ProgramName => "flows_counter";
    public IReadOnlyList<CountMap> CountMaps { get; } =
    [CountMap.Fields("flows_totals", "packets", "bytes", "new-flows")];

    public string? CountFor(TrafficClass trafficClass) =>
        TrafficClasses.Ipv4Protocol(trafficClass) is null ? null : "packets";

    public IEnumerable<ExpectedCount> ExpectedCounts(SentTraffic sent)
    {
        var counted = sent.Frames.Where(f => CountFor(f.Class) is not null).ToList();
        var packets = (ulong)counted.Sum(f => f.Packets);
        return
        [
            new ExpectedCount("packets", packets),
            new ExpectedCount("bytes", (ulong)counted.Sum(f => f.Packets * f.Size)) { Unit = CountUnit.Bytes },
            // A flow is inserted on its first frame and again after each eviction: never more often than frames arrive.
            ExpectedCount.AtMost("new-flows", packets, "at most one per frame (the LRU decides)"),
        ];
    }
}
