using PacketCounter.Abstractions;
using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Tests.Fixtures;

/// <summary>
/// A test variant over a probe fixture object: XDP_PASS after a known number of extra helper
/// calls the verifier cannot remove (probe.bpf.c built with -DEXTRA_WORK=N).
/// </summary>
internal sealed class ProbeVariant(string name, string objectFile) : ICounterVariant
{
    public string Name => name;
    public string Description => "fixture: XDP_PASS, optionally after extra helper calls";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => objectFile;
    public string ProgramName => "probe";
    public IReadOnlyList<CountMap> CountMaps { get; } = [];

    public string? CountFor(TrafficClass trafficClass) => null;

    /// <summary>"Probe", built fast (no extra work) or truly slower (64 extra helper calls): the same name in two runs.</summary>
    public static DiscoveredVariant Discovered(bool slow) =>
        Of(new ProbeVariant("Probe", slow ? "probe_slow.bpf.o" : "probe_fast.bpf.o"));

    /// <summary>"ProbeN": N extra helper calls per packet (0, 16 or 64 are built).</summary>
    public static DiscoveredVariant WithExtraWork(int calls) =>
        Of(
            new ProbeVariant(
                $"Probe{calls}",
                calls switch
                {
                    0 => "probe_fast.bpf.o",
                    64 => "probe_slow.bpf.o",
                    _ => $"probe_{calls}.bpf.o",
                }
            )
        );

    /// <summary>"Probe" that parses to the IP protocol, with 64 extra helper calls on IPv4 UDP frames alone, or none.</summary>
    public static DiscoveredVariant WithUdpWork(bool work) =>
        Of(new ProbeVariant("Probe", work ? "probe_udp64.bpf.o" : "probe_udp0.bpf.o"));

    internal static DiscoveredVariant Of(ICounterVariant variant) =>
        new(variant, AppContext.BaseDirectory, typeof(ProbeVariant).Assembly.Location);
}

/// <summary>
/// A counter whose program calls a bpf-to-bpf subprogram (subprogram.bpf.c): every frame of 34 bytes or more
/// counts as "framed".
/// </summary>
internal sealed class SubprogramVariant : ICounterVariant
{
    public string Name => "Subprogram";
    public string Description => "fixture: counts through a bpf-to-bpf call";
    public VariantRole Role => VariantRole.Counter;
    public string ObjectFile => "subprogram.bpf.o";
    public string ProgramName => "with_subprogram";
    public IReadOnlyList<CountMap> CountMaps { get; } =
    [CountMap.PerKey("sub_counts", key => key == 1 ? "framed" : "short")];

    public string? CountFor(TrafficClass trafficClass) =>
        Profiling.Traffic.FrameBuilder.LengthOf(trafficClass, Profiling.Traffic.FrameBuilder.MinimumSize) >= 34
            ? "framed"
            : "short";

    public static DiscoveredVariant Discovered() => ProbeVariant.Of(new SubprogramVariant());
}
