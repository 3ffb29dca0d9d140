using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Analysis;

/// <summary>Micro figures of one variant on one class: its own ns/packet, and net of the baseline.</summary>
/// <param name="NsPerPacket">Over every slice of the variant: its absolute cost, which only compares within one run.</param>
/// <param name="NetOfBaseline">Paired within ABBA quadruples: Hodges–Lehmann with a Wilcoxon signed-rank CI
/// (Student t below 10 pairs).</param>
/// <param name="NetMean">The mean of the same pair differences with a Student t CI, kept for comparison: it
/// follows a neighbour's bursts, the estimate above does not.</param>
/// <param name="Pairs">ABBA quadruples measured.</param>
public sealed record MicroFigure(
    string Variant,
    MeasuredRole Role,
    TrafficClass Class,
    int FrameSize,
    SampleSummary NsPerPacket,
    Interval? NetOfBaseline,
    Interval? NetMean,
    int Pairs,
    double KernelDurationNs
)
{
    /// <summary>
    /// The smallest net effect this cell would detect at 80% power
    /// and a 5% two-sided level: (z₀.₉₇₅ + z₀.₈₀) × SE, with SE the CI's half-width over z₀.₉₇₅.
    /// </summary>
    public double DetectableNs =>
        NetOfBaseline is { IsFinite: true } net ? net.HalfWidth * (1.959964 + 0.841621) / 1.959964 : double.NaN;
}

/// <summary>
/// A variant's micro cost on a whole mix: class costs weighted by the mix, with the
/// class uncertainties propagated.
/// </summary>
public sealed record MicroMixFigure(
    string Variant,
    MeasuredRole Role,
    string Mix,
    int FrameSize,
    Estimate NsPerPacket,
    Interval? NetOfBaseline
);

public static class MicroFigures
{
    public static IReadOnlyList<MicroFigure> Of(BenchResults results)
    {
        var figures = new List<MicroFigure>();
        var baseline = results.Baseline;
        foreach (var cell in results.MicroSamples.GroupBy(s => (s.Class, s.FrameSize)))
        {
            var quads = cell.GroupBy(s => s.Quad).ToList();
            foreach (var group in cell.GroupBy(s => s.Variant))
            {
                var placed = group.Key == baseline ? [] : MicroPairs.Differences(quads, group.Key, baseline);
                var differences = placed.Select(d => d.Difference).ToList();
                figures.Add(
                    new MicroFigure(
                        group.Key,
                        group.First().Role,
                        cell.Key.Class,
                        cell.Key.FrameSize,
                        SampleSummary.Of(group.Select(s => s.NsPerPacket).ToList()),
                        differences.Count >= 2 ? Paired.LocationByCluster(placed) : null,
                        differences.Count >= 2 ? Interval.Of(Estimate.OfSamples(differences), differences.Count) : null,
                        differences.Count,
                        group.Average(s => s.KernelDurationNs)
                    )
                );
            }
        }
        return figures;
    }

    public static IReadOnlyList<MicroMixFigure> OfMix(IReadOnlyList<MicroFigure> micro, Traffic.TrafficMix mix)
    {
        var figures = new List<MicroMixFigure>();
        var weightSum = (double)mix.Weights.Values.Sum();
        foreach (var byVariant in micro.GroupBy(f => (f.Variant, f.FrameSize)))
        {
            var classes = byVariant.Where(f => mix.Weights.ContainsKey(f.Class)).ToList();
            if (classes.Count != mix.Weights.Count)
                continue;
            var own = Estimate.WeightedSum(
                classes.Select(f => (mix.Weights[f.Class] / weightSum, f.NsPerPacket.Mean)).ToList()
            );
            Interval? net = classes.All(f => f.NetOfBaseline is not null)
                ? Interval.Of(
                    Estimate.WeightedSum(
                        classes
                            .Select(f => (mix.Weights[f.Class] / weightSum, f.NetOfBaseline!.Value.AsEstimate()))
                            .ToList()
                    ),
                    classes.Min(f => f.NetOfBaseline!.Value.Count)
                ) with
                {
                    Method = "mix-weighted sum of the class intervals",
                }
                : null;
            figures.Add(
                new MicroMixFigure(byVariant.Key.Variant, classes[0].Role, mix.Name, byVariant.Key.FrameSize, own, net)
            );
        }
        return figures;
    }
}
