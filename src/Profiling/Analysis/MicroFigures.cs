using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Analysis;

/// <summary>Micro figures of one variant on one class: its own ns/packet, and net of the baseline.</summary>
public sealed record MicroFigure(string Variant, MeasuredRole Role, TrafficClass Class, int FrameSize, SampleSummary NsPerPacket, Interval? NetOfBaseline, double KernelDurationNs);

/// <summary>
/// A variant's micro cost on a whole mix: class costs weighted by the mix, with the
/// class uncertainties propagated.
/// </summary>
public sealed record MicroMixFigure(string Variant, MeasuredRole Role, string Mix, int FrameSize, Estimate NsPerPacket, Interval? NetOfBaseline);

public static class MicroFigures
{
    public static IReadOnlyList<MicroFigure> Of(BenchResults results)
    {
        var figures = new List<MicroFigure>();
        var baseline = results.Baseline;
        foreach (var group in results.MicroSamples.GroupBy(s => (s.Variant, s.Class, s.FrameSize)))
        {
            var summary = SampleSummary.Of(group.Select(s => s.NsPerPacket).ToList());
            var baselineSamples = results.MicroSamples.Where(s => s.Variant == baseline && s.Class == group.Key.Class && s.FrameSize == group.Key.FrameSize)
                .ToDictionary(s => s.Index, s => s.NsPerPacket);
            figures.Add(new MicroFigure(group.Key.Variant, group.First().Role, group.Key.Class, group.Key.FrameSize, summary,
                group.Key.Variant == baseline ? null : NetOfBaseline(group.ToList(), baselineSamples),
                group.Average(s => s.KernelDurationNs)));
        }
        return figures;
    }

    // Variants and the baseline take turns sample by sample, so sample i of each was taken
    // moments apart: the paired difference cancels drift both saw. Unpaired data falls
    // back to Welch's difference of means.
    private static Interval? NetOfBaseline(IReadOnlyList<MicroSample> samples, IReadOnlyDictionary<int, double> baseline)
    {
        if (baseline.Count < 2)
            return null;
        if (samples.All(s => baseline.ContainsKey(s.Index)) && samples.Count >= 2)
            return Interval.Of(Paired.Difference(samples.Select(s => (s.NsPerPacket, baseline[s.Index]))), samples.Count);
        return Interval.Of(Estimate.Difference(Estimate.OfSamples(samples.Select(s => s.NsPerPacket).ToList()), Estimate.OfSamples(baseline.Values.ToList())), samples.Count);
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
            var own = Estimate.WeightedSum(classes.Select(f => (mix.Weights[f.Class] / weightSum, f.NsPerPacket.Mean)).ToList());
            Interval? net = classes.All(f => f.NetOfBaseline is not null)
                ? Interval.Of(Estimate.WeightedSum(classes.Select(f => (mix.Weights[f.Class] / weightSum, f.NetOfBaseline!.Value.AsEstimate())).ToList()), classes.Min(f => f.NetOfBaseline!.Value.Count)) with { Method = "mix-weighted sum of the class intervals" }
                : null;
            figures.Add(new MicroMixFigure(byVariant.Key.Variant, classes[0].Role, mix.Name, byVariant.Key.FrameSize, own, net));
        }
        return figures;
    }
}
