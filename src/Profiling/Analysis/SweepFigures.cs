using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Analysis;

/// <summary>One build of a swept design: its number and its net costs in this run.</summary>
public sealed record SweepPoint(string Variant, double Value, Interval? MicroNet, Interval? LiveNet);

/// <summary>A family of builds of one design measured together: cost against the number that differs.</summary>
public sealed record SweepFigure(string Family, string Parameter, string Context, IReadOnlyList<SweepPoint> Points);

public static class SweepFigures
{
    /// <summary>
    /// Per family with at least two builds in the run, per mix and size: micro net, and live net of the drop sink's
    /// fewest-CPU setting.
    /// </summary>
    public static IReadOnlyList<SweepFigure> Of(RunResult figures)
    {
        var swept = figures.Variants.Where(f => f.Sweep is not null).ToList();
        var sweeps = new List<SweepFigure>();
        var cells = Budgets.CellsOf(figures);
        foreach (var family in swept.GroupBy(f => (f.Sweep!.Family, f.Sweep.Parameter)).Where(g => g.Count() >= 2))
        {
            foreach (var (mix, size) in cells)
            {
                var live = Budgets.DropFiguresOf(figures, mix, size);
                var points = family
                    .OrderBy(f => f.Sweep!.Value)
                    .Select(f => new SweepPoint(
                        f.Name,
                        f.Sweep!.Value,
                        figures
                            .MicroMix.FirstOrDefault(m => m.Variant == f.Name && m.Mix == mix && m.FrameSize == size)
                            ?.NetOfBaseline,
                        live.FirstOrDefault(l => l.Variant == f.Name)?.NetCpuNsPerPacket
                    ))
                    .Where(p => p.MicroNet is not null || p.LiveNet is not null)
                    .ToList();
                if (points.Count >= 2)
                    sweeps.Add(
                        new SweepFigure(family.Key.Family, family.Key.Parameter, $"mix {mix}, {size} B", points)
                    );
            }
        }
        return sweeps;
    }
}
