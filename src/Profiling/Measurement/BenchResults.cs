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

/// <summary>Mpps against one per-packet figure over every live window of a setting.</summary>
public sealed record Correlation(string Mix, int FrameSize, string GeneratorCpus, string Figure, int Points, double PearsonR, double Slope, double Intercept, double RSquared);

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

    /// <summary>Counter sources that could not run, with why (the available ones show up in the samples).</summary>
    public List<Machine.SourceState> CounterSources { get; } = [];

    /// <summary>Executed BPF instructions per packet, per variant, class and frame size (emulated).</summary>
    public List<(int FrameSize, Emulation.InstructionProfile Profile)> InstructionProfiles { get; } = [];

    public int InstructionBudget { get; set; } = 50;

    /// <summary>A variant's executed instructions and helper calls per packet of a mix, or null when not profiled.</summary>
    public (double Instructions, double HelperCalls)? InstructionsPerPacket(string variant, Traffic.TrafficMix mix, int frameSize)
    {
        var profiles = InstructionProfiles.Where(p => p.FrameSize == frameSize && p.Profile.Variant == variant).Select(p => p.Profile).ToList();
        return profiles.Count == 0 ? null : Emulation.InstructionProfiler.MixMean(profiles, mix);
    }

    /// <summary>Per-run counter values from fentry/fexit attribution, where it can run.</summary>
    public List<Counters.AttributionReading> Attributions { get; } = [];

    /// <summary>Each attribution figure net of the same measurement on Null (the trampoline's own cost cancels).</summary>
    public IReadOnlyList<(Counters.AttributionReading Reading, double NetPerRun)> AttributionsNetOfNull() =>
        Attributions.Where(a => a.Variant != BaselineName).Select(a =>
        {
            var baseline = Attributions.FirstOrDefault(b => b.Variant == BaselineName && b.Event == a.Event && b.Mix == a.Mix && b.FrameSize == a.FrameSize);
            return (a, baseline is null ? double.NaN : a.PerRun - baseline.PerRun);
        }).ToList();

    /// <summary>
    /// Throughput against every per-packet figure across all variants and repeats:
    /// Pearson r and a least-squares line with R².
    /// </summary>
    public IReadOnlyList<Correlation> Correlations()
    {
        var correlations = new List<Correlation>();
        foreach (var setting in LiveSamples.Where(s => s.Succeeded && s.Delivered > 0).GroupBy(s => (s.Mix, s.FrameSize, s.GeneratorCpus)))
        {
            var samples = setting.ToList();
            var figures = samples.SelectMany(s => s.CountersPerPacket.Keys).Distinct()
                .Select(k => (Name: k, Of: (Func<LiveSample, double?>)(s => s.CountersPerPacket.TryGetValue(k, out var v) ? v : null)))
                .Append(("ns/run", s => double.IsFinite(s.NsPerRun) ? s.NsPerRun : null))
                .Append(("cpu%", s => double.IsFinite(s.CpuPercent) ? s.CpuPercent : null));
            foreach (var (name, of) in figures)
            {
                var points = samples.Select(s => (X: of(s), Y: s.Mpps)).Where(p => p.X is { } x && double.IsFinite(x)).Select(p => (X: p.X!.Value, p.Y)).ToList();
                if (points.Count < 3 || points.Select(p => p.X).Distinct().Count() < 2)
                    continue;
                var xs = points.Select(p => p.X).ToArray();
                var ys = points.Select(p => p.Y).ToArray();
                var (intercept, slope) = MathNet.Numerics.Fit.Line(xs, ys);
                var r = MathNet.Numerics.Statistics.Correlation.Pearson(xs, ys);
                correlations.Add(new Correlation(setting.Key.Mix, setting.Key.FrameSize, setting.Key.GeneratorCpus, name, points.Count, r, slope, intercept,
                    MathNet.Numerics.GoodnessOfFit.RSquared(xs.Select(x => intercept + slope * x), ys)));
            }
        }
        return correlations;
    }
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
                naive is not null ? Estimate.Ratio(mpps.Mean, naive.Mean) : null,
                baseline is not null ? Estimate.Ratio(mpps.Mean, baseline.Mean) : null,
                ok.Sum(s => s.Sent),
                (ulong)ok.Sum(s => (decimal)s.Delivered),
                (ulong)ok.Sum(s => (decimal)s.CountedTotal),
                group.Count(),
                ok.Count(s => s.Verification?.IsExact ?? false),
                group.Count(s => !s.Succeeded)));
        }
        return figures;
    }
}
