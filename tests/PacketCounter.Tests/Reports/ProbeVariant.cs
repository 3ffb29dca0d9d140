using PacketCounter.Abstractions;
using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Tests.Reports;

/// <summary>A test variant over a fixture object: "Probe", built fast or truly slower.</summary>
internal sealed class ProbeVariant(string objectFile) : ICounterVariant
{
    public string Name => "Probe";
    public string Description => "fixture: XDP_PASS, optionally after extra helper calls";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => objectFile;
    public string ProgramName => "probe";
    public IReadOnlyList<CountMap> CountMaps { get; } = [];
    public string? CountFor(TrafficClass trafficClass) => null;

    public static DiscoveredVariant Discovered(bool slow) =>
        new(new ProbeVariant(slow ? "probe_slow.bpf.o" : "probe_fast.bpf.o"), AppContext.BaseDirectory, typeof(ProbeVariant).Assembly.Location);
}
