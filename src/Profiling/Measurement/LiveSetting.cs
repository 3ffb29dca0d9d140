using System.Text.Json.Serialization;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Measurement;

/// <summary>Where a live window's frames end on the device under test.</summary>
public enum Sink
{
    /// <summary>The variant's own verdict: XDP_PASS hands every frame to the network stack.</summary>
    Pass,

    /// <summary>
    /// The variant's code runs unchanged and the frame ends at the hook with XDP_DROP (its
    /// <see cref="Bpf.DropTwin"/>), as xdp-bench's drop mode and the XDP paper measure.
    /// </summary>
    Drop,
}

/// <summary>Where a live window's traffic comes from.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(GeneratorSource), "generator")]
[JsonDerivedType(typeof(ExternalSource), "external")]
public abstract record TrafficSource
{
    /// <summary>How many CPUs carry the traffic, so a per-packet figure can be put per CPU.</summary>
    public abstract int CpuCount { get; }
}

/// <summary>PacketCounter's own generator on the embedded testbed, one pinned thread per CPU.</summary>
public sealed record GeneratorSource(CpuList Cpus) : TrafficSource
{
    public override int CpuCount => Cpus.Count;

    public override string ToString() => $"cpu {Cpus}";
}

/// <summary>Whatever a real interface receives from outside (bench --iface); nothing here knows what was sent.</summary>
public sealed record ExternalSource(string Interface) : TrafficSource
{
    public override int CpuCount => 1;

    public override string ToString() => $"iface {Interface}";
}

/// <summary>
/// One live setting: a mix, a frame size, a traffic source and a sink. Every live window
/// belongs to exactly one, and every live figure is computed within one.
/// </summary>
public sealed record LiveSetting(string Mix, int FrameSize, TrafficSource Source, Sink Sink)
{
    private readonly Traffic.FrameSizes? _sizes;

    /// <summary>The sizes the generator sends: <see cref="FrameSize"/> alone unless a mix is given.</summary>
    public Traffic.FrameSizes Sizes
    {
        get => _sizes ?? Traffic.FrameSizes.Fixed(FrameSize);
        init => _sizes = value;
    }

    /// <summary>The mix name of windows fed by traffic PacketCounter did not send.</summary>
    public const string ExternalMix = "external";

    public bool IsExternal => Source is ExternalSource;

    /// <summary>The generator CPUs, or null for external traffic.</summary>
    public CpuList? GeneratorCpus => (Source as GeneratorSource)?.Cpus;

    /// <summary>How many flows frames with ports walk through (1: each class is one flow).</summary>
    public int Flows { get; init; } = 1;

    // Sizes compare as sent: a fixed size given or left to default is the same setting.
    public bool Equals(LiveSetting? other) =>
        other is not null
        && Mix == other.Mix
        && FrameSize == other.FrameSize
        && Source == other.Source
        && Sink == other.Sink
        && Flows == other.Flows
        && Sizes.Equals(other.Sizes);

    public override int GetHashCode() => HashCode.Combine(Mix, FrameSize, Source, Sink, Flows, Sizes);

    /// <summary>e.g. "default 64 B, cpu 0, drop sink", or "default imix (mean 354 B), 1000 flows, cpu 0, drop sink".</summary>
    /// <remarks>The one rendering of a setting: tables, plots, notes and findings all use it.</remarks>
    public override string ToString() =>
        IsExternal
            ? $"{Source}, its own traffic, {EnumNames.Of(Sink)} sink"
            : $"{Mix} {SizeText}{FlowsText}, {Source}, {EnumNames.Of(Sink)} sink";

    private string FlowsText => Flows > 1 ? string.Create(CultureInfo.InvariantCulture, $", {Flows:N0} flows") : "";

    /// <summary>
    /// What the CSV files and the history file the setting's traffic under: the mix, then
    /// <c>@SIZES</c> when a size mix was sent and <c>/N-flows</c> when frames walked N flows,
    /// so settings that differ only there stay apart.
    /// </summary>
    public string TrafficLabel => Mix + (Sizes.IsFixed ? "" : $"@{Sizes.Name}") + (Flows > 1 ? $"/{Flows}-flows" : "");

    /// <summary>The cell its figures are filed under.</summary>
    public CellKey Key =>
        new(BenchMode.Live, TrafficLabel, FrameSize, GeneratorCpus, (Source as ExternalSource)?.Interface, Sink);

    /// <summary>"64 B", or "imix (mean 354 B)".</summary>
    public string SizeText => Sizes.IsFixed ? $"{FrameSize} B" : $"{Sizes.Name} (mean {FrameSize} B)";
}
