using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Analysis;

/// <summary>One cell's A/A result: the control copy's net figure, which should be zero.</summary>
public sealed record ControlCell(string Cell, Interval Net);

/// <summary>
/// The run's noise floor, from the A/A copy of the baseline: in every micro class and live
/// setting its net figure should be zero. A 95% CI excludes zero by chance in 5% of cells;
/// when it does so in more than <see cref="UnreliableShare"/> of them, something besides
/// chance moved between the pairs, and the run says it is unreliable.
/// </summary>
public sealed record NoiseFloor(IReadOnlyList<ControlCell> Cells)
{
    public const double UnreliableShare = 0.10;

    public IReadOnlyList<ControlCell> Excluding => Cells.Where(c => c.Net.Excludes(0)).ToList();

    public bool Unreliable => Cells.Count > 0 && Excluding.Count > UnreliableShare * Cells.Count;

    /// <summary>The widest A/A half-width among micro cells: no net cost below it means anything in this run.</summary>
    public double? MicroHalfWidth { get; init; }

    /// <summary>The widest A/A half-width among live settings.</summary>
    public double? LiveHalfWidth { get; init; }

    public static NoiseFloor Of(IReadOnlyList<MicroFigure> micro, IReadOnlyList<LiveFigure> live)
    {
        var microCells = micro
            .Where(f => f.Role == MeasuredRole.Control && f.NetOfBaseline is { IsFinite: true })
            .Select(f => new ControlCell(
                $"micro {Abstractions.TrafficClasses.Name(f.Class)} {f.FrameSize} B",
                f.NetOfBaseline!.Value
            ))
            .ToList();
        var liveCells = live.Where(f => f.Role == MeasuredRole.Control && f.NetCpuNsPerPacket is { IsFinite: true })
            .Select(f => new ControlCell($"live {f.Setting}", f.NetCpuNsPerPacket!.Value))
            .ToList();
        return new NoiseFloor([.. microCells, .. liveCells])
        {
            MicroHalfWidth = microCells.Count > 0 ? microCells.Max(c => c.Net.HalfWidth) : null,
            LiveHalfWidth = liveCells.Count > 0 ? liveCells.Max(c => c.Net.HalfWidth) : null,
        };
    }
}
