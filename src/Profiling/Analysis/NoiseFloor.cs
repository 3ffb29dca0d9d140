using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Analysis;

/// <summary>One cell's A/A result: the control copy's net figure, which should be zero.</summary>
/// <param name="Family">The cells it shares its loads with; by default it stands alone.</param>
public sealed record ControlCell(string Cell, Interval Net, string? Family = null)
{
    public string FamilyName => Family ?? Cell;
}

/// <summary>
/// Control cells that share their loads: the micro classes of one frame size are measured
/// over the same program loads, whose placement moves every class's A/A figure the same
/// way, so they are judged as one. Their mean is held against the mean of their half-widths:
/// the interval they have if they move together, the widest they can honestly claim.
/// </summary>
public sealed record ControlFamily(string Name, IReadOnlyList<ControlCell> Cells)
{
    public double Estimate => Cells.Average(c => c.Net.Estimate);

    public double HalfWidth => Cells.Average(c => c.Net.HalfWidth);

    /// <summary>Off zero at the 95% level: chance does it in 1 family in 20.</summary>
    public bool Excludes => Math.Abs(Estimate) > HalfWidth;

    /// <summary>Off zero by more than twice its half-width: chance does that less than once in ten thousand.</summary>
    public bool FarOff => Math.Abs(Estimate) > 2 * HalfWidth;
}

/// <summary>
/// The run's noise floor, from the A/A copy of the baseline: in every micro class and live
/// setting its net figure should be zero. The cells are judged by family (cells that share
/// their loads move together, so counting them apart counts one draw many times): the run
/// says it is unreliable when a family is far off zero, or when more families are off than
/// chance gives once in a thousand runs.
/// </summary>
public sealed record NoiseFloor(IReadOnlyList<ControlCell> Cells)
{
    public IReadOnlyList<ControlCell> Excluding => Cells.Where(c => c.Net.Excludes(0)).ToList();

    public IReadOnlyList<ControlFamily> Families =>
        Cells.GroupBy(c => c.FamilyName).Select(g => new ControlFamily(g.Key, g.ToList())).ToList();

    public bool Unreliable =>
        Families is var families
        && (
            families.Any(f => f.FarOff)
            || ChanceTail.TooMany(families.Count(f => f.Excludes), families.Count, 1 - Interval.Confidence)
        );

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
                f.NetOfBaseline!.Value,
                $"micro {f.FrameSize} B"
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
