using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Analysis;

/// <summary>A paired figure: one value per ABBA quadruple of a variant and the baseline.</summary>
public enum PairedFigure
{
    /// <summary>The variant's ns/packet minus the baseline's (micro), or its CPU ns/packet minus the baseline's (live).</summary>
    NetNs,

    /// <summary>The variant's cost over the baseline's: ns/packet (micro), or CPU ns/packet, the inverse Mpps ratio (live).</summary>
    CostRatio,
}

/// <summary>
/// The paired samples one net figure of the run is computed from, kept so that another run
/// can be compared with this one quadruple by quadruple.
/// </summary>
public sealed record PairSeries(
    CellKey Cell,
    string Variant,
    MeasuredRole Role,
    PairedFigure Figure,
    IReadOnlyList<double> Values
)
{
    public static IReadOnlyList<PairSeries> Of(BenchResults results)
    {
        if (results.Baseline is not { } baseline)
            return [];
        var series = new List<PairSeries>();
        foreach (var cell in results.MicroSamples.GroupBy(s => (s.Class, s.FrameSize)))
        {
            var quads = cell.GroupBy(s => s.Quad).ToList();
            var key = CellKey.Micro(cell.Key.Class, cell.Key.FrameSize);
            foreach (var variant in cell.Where(s => s.Variant != baseline).GroupBy(s => s.Variant))
            {
                var role = variant.First().Role;
                var differences = MicroPairs.Differences(quads, variant.Key, baseline).Select(d => d.Difference);
                series.Add(new PairSeries(key, variant.Key, role, PairedFigure.NetNs, differences.ToList()));
                var ratios = MicroPairs.Ratios(quads, variant.Key, baseline);
                series.Add(new PairSeries(key, variant.Key, role, PairedFigure.CostRatio, ratios));
            }
        }
        foreach (
            var setting in results.LiveSamples.Where(s => s.Round >= 0 && !s.Setting.IsExternal).GroupBy(s => s.Setting)
        )
        {
            foreach (var variant in setting.Where(s => s.Variant != baseline).GroupBy(s => s.Variant))
            {
                var role = variant.First().Role;
                var differences = LivePairs.Differences(setting, variant.Key, baseline);
                series.Add(new PairSeries(setting.Key.Key, variant.Key, role, PairedFigure.NetNs, differences));
                var ratios = LivePairs.Ratios(setting, variant.Key, baseline).Select(r => 1 / r).ToList();
                series.Add(new PairSeries(setting.Key.Key, variant.Key, role, PairedFigure.CostRatio, ratios));
            }
        }
        return series;
    }
}

/// <summary>One quadruple's value of a paired figure: a row of pairs.csv.</summary>
public sealed record PairPoint(PairSeries Series, int Quad, double Value) : ICellRow
{
    public string Variant => Series.Variant;

    public MeasuredRole Role => Series.Role;

    public CellKey Cell => Series.Cell;

    /// <summary>Every value of every series, in order.</summary>
    public static IEnumerable<PairPoint> Of(IEnumerable<PairSeries> series) =>
        series.SelectMany(s => s.Values.Select((value, quad) => new PairPoint(s, quad, value)));
}
