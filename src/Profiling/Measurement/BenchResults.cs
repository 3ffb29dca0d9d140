using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Measurement;

/// <summary>Static facts of a loaded variant, from bpf_prog_info.</summary>
public sealed record StaticFacts(string Variant, VariantRole Role, ProgramInfo Program);

/// <summary>Micro figures of one variant on one class: its own ns/packet, and net of Null.</summary>
public sealed record MicroFigure(string Variant, TrafficClass Class, int FrameSize, SampleSummary NsPerPacket, Estimate? NetOfNull, double KernelDurationNs);

/// <summary>
/// A variant's micro cost on a whole mix: class costs weighted by the mix, with the
/// class uncertainties propagated.
/// </summary>
public sealed record MicroMixFigure(string Variant, string Mix, int FrameSize, Estimate NsPerPacket, Estimate? NetOfNull);

/// <summary>Live figures of one variant for one mix, size and generator setting, over its repeats.</summary>
public sealed record LiveFigure(
    string Variant,
    VariantRole Role,
    string Mix,
    int FrameSize,
    string GeneratorCpus,
    SampleSummary Mpps,
    SampleSummary NsPerRun,
    SampleSummary CpuPercent,
    Estimate? SpeedupVsNaive,
    Estimate? SpeedupVsNull,
    long PacketsSent,
    ulong PacketsDelivered,
    ulong PacketsCounted,
    int Windows,
    int ExactWindows,
    int FailedWindows);

/// <summary>The whole run's results: every sample, and the figures computed from them.</summary>
public sealed class BenchResults
{
    public const string BaselineName = "Null";
    public const string ReferenceName = "Naive";

    public List<MicroSample> MicroSamples { get; } = [];
    public List<LiveSample> LiveSamples { get; } = [];
    public List<StaticFacts> Facts { get; } = [];
    public List<string> Failures { get; } = [];

    /// <summary>Things a reader must know about how the figures came about (e.g. a repeat cap hit).</summary>
    public List<string> Notes { get; } = [];
    public List<Plugins.VariantLoadException> LoadFailures { get; } = [];
    public bool Incomplete { get; set; }

    public IReadOnlyList<MicroFigure> MicroFigures()
    {
        var figures = new List<MicroFigure>();
        foreach (var group in MicroSamples.GroupBy(s => (s.Variant, s.Class, s.FrameSize)))
        {
            var summary = SampleSummary.Of(group.Select(s => s.NsPerPacket).ToList());
            var baseline = MicroSamples.Where(s => s.Variant == BaselineName && s.Class == group.Key.Class && s.FrameSize == group.Key.FrameSize)
                .ToDictionary(s => s.Index, s => s.NsPerPacket);
            figures.Add(new MicroFigure(group.Key.Variant, group.Key.Class, group.Key.FrameSize, summary, NetOfBaseline(group.ToList(), baseline),
                group.Average(s => s.KernelDurationNs)));
        }
        return figures;
    }

    // Variants and Null take turns sample by sample, so sample i of each was taken
    // moments apart: the paired difference cancels drift both saw. Unpaired data falls
    // back to Welch's difference of means.
    private static Estimate? NetOfBaseline(IReadOnlyList<MicroSample> samples, IReadOnlyDictionary<int, double> baseline)
    {
        if (baseline.Count < 2)
            return null;
        if (samples.All(s => baseline.ContainsKey(s.Index)) && samples.Count >= 2)
            return Estimate.OfSamples(samples.Select(s => s.NsPerPacket - baseline[s.Index]).ToList());
        return Estimate.Difference(Estimate.OfSamples(samples.Select(s => s.NsPerPacket).ToList()), Estimate.OfSamples(baseline.Values.ToList()));
    }


    public IReadOnlyList<MicroMixFigure> MicroMixFigures(Traffic.TrafficMix mix)
    {
        var figures = new List<MicroMixFigure>();
        var weightSum = (double)mix.Weights.Values.Sum();
        foreach (var byVariant in MicroFigures().GroupBy(f => (f.Variant, f.FrameSize)))
        {
            var classes = byVariant.Where(f => mix.Weights.ContainsKey(f.Class)).ToList();
            if (classes.Count != mix.Weights.Count)
                continue;
            var own = Estimate.WeightedSum(classes.Select(f => (mix.Weights[f.Class] / weightSum, f.NsPerPacket.Mean)).ToList());
            Estimate? net = classes.All(f => f.NetOfNull is not null)
                ? Estimate.WeightedSum(classes.Select(f => (mix.Weights[f.Class] / weightSum, f.NetOfNull!.Value)).ToList())
                : null;
            figures.Add(new MicroMixFigure(byVariant.Key.Variant, mix.Name, byVariant.Key.FrameSize, own, net));
        }
        return figures;
    }

    public IReadOnlyList<LiveFigure> LiveFigures()
    {
        var figures = new List<LiveFigure>();
        var groups = LiveSamples.GroupBy(s => (s.Variant, s.Mix, s.FrameSize, s.GeneratorCpus)).ToList();
        SampleSummary? MppsOf(string variant, (string Variant, string Mix, int FrameSize, string GeneratorCpus) key)
        {
            var ok = LiveSamples.Where(s => s.Variant == variant && s.Mix == key.Mix && s.FrameSize == key.FrameSize
                && s.GeneratorCpus == key.GeneratorCpus && s.Succeeded).Select(s => s.Mpps).ToList();
            return ok.Count > 0 ? SampleSummary.Of(ok) : null;
        }
        foreach (var group in groups)
        {
            var ok = group.Where(s => s.Succeeded).ToList();
            if (ok.Count == 0)
            {
                continue;
            }
            var mpps = SampleSummary.Of(ok.Select(s => s.Mpps).ToList());
            var naive = MppsOf(ReferenceName, group.Key);
            var baseline = MppsOf(BaselineName, group.Key);
            figures.Add(new LiveFigure(
                group.Key.Variant, ok[0].Role, group.Key.Mix, group.Key.FrameSize, group.Key.GeneratorCpus,
                mpps,
                SampleSummary.Of(ok.Select(s => s.NsPerRun).Where(double.IsFinite).DefaultIfEmpty(double.NaN).ToList()),
                SampleSummary.Of(ok.Select(s => s.CpuPercent).ToList()),
                naive is { Count: >= 2 } && mpps.Count >= 2 ? Estimate.Ratio(mpps.Mean, naive.Mean) : null,
                baseline is { Count: >= 2 } && mpps.Count >= 2 ? Estimate.Ratio(mpps.Mean, baseline.Mean) : null,
                ok.Sum(s => s.Sent),
                (ulong)ok.Sum(s => (decimal)s.Delivered),
                (ulong)ok.Sum(s => (decimal)(s.Verification?.CountedTotal ?? 0)),
                group.Count(),
                ok.Count(s => s.Verification?.IsExact ?? false),
                group.Count(s => !s.Succeeded)));
        }
        return figures;
    }
}
