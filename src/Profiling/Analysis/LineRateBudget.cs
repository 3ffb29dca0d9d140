using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Analysis;

/// <summary>An Ethernet link at full rate with one frame size: how many packets a second, and the time each may take per core.</summary>
public sealed record LineRate(int Gbps, int FrameBytes)
{
    /// <summary>Preamble, start-of-frame delimiter and the minimum inter-frame gap: 20 bytes on the wire around every frame.</summary>
    public const int WireOverheadBytes = 20;

    /// <summary>The link's rate in million packets per second.</summary>
    public double Mpps => Gbps * 1e3 / ((FrameBytes + WireOverheadBytes) * 8.0);

    /// <summary>Nanoseconds one core may spend per packet to keep up alone.</summary>
    public double NsPerPacketPerCore => 1000 / Mpps;

    /// <summary>The rates the budget table lists: 10, 25, 40 and 100 GbE with 64-byte frames.</summary>
    public static IReadOnlyList<LineRate> Standard { get; } = [new(10, 64), new(25, 64), new(40, 64), new(100, 64)];
}

/// <summary>One design's cost per packet against a target rate: what it takes, and how many cores it needs.</summary>
/// <param name="MicroNsPerPacket">The program alone in BPF_PROG_TEST_RUN: an XDP program's cost, without the
/// driver or stack around it.</param>
/// <param name="LiveNsPerPacketPerCore">
/// The testbed's whole path per packet and per sending core (generator, veth and the program, drop sink):
/// cores × 1000 / Mpps. It includes what a NIC driver would do instead, so it bounds the cost from above.
/// </param>
/// <param name="NetNsPerPacket">The design's own cost over the baseline: micro net, or live net where micro did not run.</param>
public sealed record DesignBudget(
    string Variant,
    MeasuredRole Role,
    double? MicroNsPerPacket,
    double? LiveNsPerPacketPerCore,
    double? NetNsPerPacket
)
{
    /// <summary>The target of the seed's first challenge.</summary>
    public const double TargetMpps = 40;

    /// <summary>Cores needed for <paramref name="mpps"/> at <paramref name="nsPerPacket"/> each, if the work spreads evenly.</summary>
    public static int? CoresFor(double mpps, double? nsPerPacket) =>
        nsPerPacket is { } ns && ns > 0 ? (int)Math.Ceiling(mpps * ns / 1000 - 1e-9) : null;

    /// <summary>The share of one core the design's own work takes at <paramref name="mpps"/>.</summary>
    public static double? CoreShareAt(double mpps, double? netNsPerPacket) =>
        netNsPerPacket is { } ns ? mpps * ns / 1000 : null;
}

/// <summary>Every design's cost in one mix and size against the target rate.</summary>
public sealed record BudgetFigure(string Mix, int FrameSize, IReadOnlyList<DesignBudget> Designs);

/// <summary>Throughput with one count of generator CPUs.</summary>
public sealed record ScalingPoint(int Cpus, double Mpps, double HalfWidth);

/// <summary>How throughput grows with generator CPUs within one mix, size and sink.</summary>
/// <param name="Mpps">Throughput per generator-CPU count, fewest CPUs first.</param>
public sealed record Scaling(string Variant, MeasuredRole Role, string Setting, IReadOnlyList<ScalingPoint> Mpps)
{
    /// <summary>Throughput at the most CPUs over the fewest, divided by the CPU ratio: 1 is perfect scaling.</summary>
    public double? Efficiency =>
        Mpps.Count >= 2 && Mpps[0].Mpps > 0
            ? Mpps[^1].Mpps / Mpps[0].Mpps / ((double)Mpps[^1].Cpus / Mpps[0].Cpus)
            : null;
}

public static class Budgets
{
    /// <summary>The mixes and sizes that have micro figures or a drop-sink live setting of one flow per class.</summary>
    public static IReadOnlyList<(string Mix, int FrameSize)> CellsOf(RunResult figures) =>
        figures
            .MicroMix.Select(f => (f.Mix, f.FrameSize))
            .Union(figures.Live.Where(IsPlainDrop).Select(f => (f.Setting.Mix, f.Setting.FrameSize)))
            .ToList();

    /// <summary>
    /// The live figures a mix and size are priced by: the drop sink (where a counter's cost
    /// shows), one flow per class (more flows are a sweep of their own), and the fewest
    /// generator CPUs measured.
    /// </summary>
    public static IReadOnlyList<LiveFigure> DropFiguresOf(RunResult figures, string mix, int frameSize) =>
        figures
            .Live.Where(f =>
                IsPlainDrop(f) && f.Setting.Mix == mix && f.Setting.FrameSize == frameSize && f.Mpps is not null
            )
            .GroupBy(f => f.Setting.Source.CpuCount)
            .OrderBy(g => g.Key)
            .FirstOrDefault()
            ?.ToList()
        ?? [];

    private static bool IsPlainDrop(LiveFigure figure) =>
        !figure.Setting.IsExternal && figure.Setting.Sink == Sink.Drop && figure.Setting.Flows == 1;

    /// <summary>Every mix and size priced against the target rate, each with at least one design.</summary>
    public static IReadOnlyList<BudgetFigure> Of(RunResult figures) =>
        CellsOf(figures)
            .Select(cell => new BudgetFigure(cell.Mix, cell.FrameSize, Of(figures, cell.Mix, cell.FrameSize)))
            .ToList();

    /// <summary>
    /// Per variant: micro cost of the given mix and size, and the live drop-sink cost per core of its fewest-CPU
    /// setting.
    /// </summary>
    public static IReadOnlyList<DesignBudget> Of(RunResult figures, string mix, int frameSize)
    {
        var micro = figures.MicroMix.Where(f => f.Mix == mix && f.FrameSize == frameSize).ToList();
        var live = DropFiguresOf(figures, mix, frameSize);
        return micro
            .Select(m => m.Variant)
            .Union(live.Select(l => l.Variant))
            .Select(variant =>
            {
                var m = micro.FirstOrDefault(f => f.Variant == variant);
                var l = live.FirstOrDefault(f => f.Variant == variant);
                var perCore =
                    l?.Mpps is { } mpps && mpps.Mean.Mean > 0
                        ? l.Setting.Source.CpuCount * 1000 / mpps.Mean.Mean
                        : (double?)null;
                return new DesignBudget(
                    variant,
                    m?.Role ?? l!.Role,
                    m?.NsPerPacket.Mean,
                    perCore,
                    m?.NetOfBaseline?.Estimate ?? l?.NetCpuNsPerPacket?.Estimate
                );
            })
            .ToList();
    }

    /// <summary>
    /// Every variant's Mpps over generator-CPU counts, per traffic (mix, sizes, flows) and sink that was measured
    /// with more than one count.
    /// </summary>
    public static IReadOnlyList<Scaling> ScalingOf(RunResult figures) =>
        figures
            .Live.Where(f => !f.Setting.IsExternal && f.Mpps is not null)
            .GroupBy(f => (f.Variant, f.Role, f.Setting.TrafficLabel, f.Setting.SizeText, f.Setting.Sink))
            .Select(g => new Scaling(
                g.Key.Variant,
                g.Key.Role,
                $"mix {g.Key.TrafficLabel}, {g.Key.SizeText}, {EnumNames.Of(g.Key.Sink)} sink",
                g.GroupBy(f => f.Setting.Source.CpuCount)
                    .OrderBy(c => c.Key)
                    .Select(c => new ScalingPoint(c.Key, c.First().Mpps!.Mean.Mean, c.First().Mpps!.Mean.HalfWidth))
                    .ToList()
            ))
            .Where(s => s.Mpps.Count >= 2)
            .ToList();
}
