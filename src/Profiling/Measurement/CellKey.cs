using PacketCounter.Abstractions;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Measurement;

/// <summary>The two ways a figure is measured.</summary>
public enum BenchMode
{
    /// <summary>BPF_PROG_TEST_RUN of one class of frame, the program alone.</summary>
    Micro,

    /// <summary>Frames through the testbed's veth pairs, or a real interface.</summary>
    Live,
}

/// <summary>
/// Where a figure was measured: a micro class and frame size, or a live setting. Every
/// file, table and store row that names a cell names it with these fields, so two runs'
/// figures meet on one key.
/// </summary>
/// <param name="Class">A traffic class (micro), or the setting's traffic label (live: mix, @sizes, /N-flows).</param>
/// <param name="GeneratorCpus">Live on the testbed: the generator CPUs.</param>
/// <param name="Interface">Live on a real interface: its name.</param>
/// <param name="Sink">Live: where the frames ended.</param>
public sealed record CellKey(
    BenchMode Mode,
    string Class,
    int FrameSize,
    CpuList? GeneratorCpus = null,
    string? Interface = null,
    Sink? Sink = null
)
{
    public static CellKey Micro(TrafficClass trafficClass, int frameSize) =>
        new(BenchMode.Micro, TrafficClasses.Name(trafficClass), frameSize);

    /// <summary>"ipv4-udp 64 B", or "default 64 B, cpu 0, drop sink": the cell without its mode.</summary>
    public string Place =>
        Mode == BenchMode.Micro
            ? $"{Class} {FrameSize} B"
            : $"{Class} {FrameSize} B, {Interface ?? $"cpu {GeneratorCpus}"}, {(Sink is { } s ? EnumNames.Of(s) : "-")} sink";

    /// <summary>"micro ipv4-udp 64 B", or "live default 64 B, cpu 0, drop sink".</summary>
    public override string ToString() => $"{EnumNames.Of(Mode)} {Place}";
}

/// <summary>A row filed under a cell: a sample, a figure, a pair of a variant.</summary>
public interface ICellRow
{
    string Variant { get; }

    MeasuredRole Role { get; }

    CellKey Cell { get; }
}
