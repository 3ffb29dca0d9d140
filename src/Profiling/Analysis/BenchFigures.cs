using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Analysis;

/// <summary>
/// Every figure of a run, computed once from its samples: micro costs per class and per mix,
/// live figures per setting, correlations and attribution. Exporters and the terminal
/// summary all read this one model.
/// </summary>
public sealed class BenchFigures
{
    private BenchFigures(BenchResults results, IReadOnlyDictionary<string, TrafficMix> mixes)
    {
        Results = results;
        Mixes = mixes;
        Micro = MicroFigures.Of(results);
        MicroMix = mixes.Values.SelectMany(m => MicroFigures.OfMix(Micro, m)).ToList();
        Live = LiveFigures.Of(results);
        Correlations = Analysis.Correlations.Of(results);
        NoiseFloor = NoiseFloor.Of(Micro, Live);
        Findings = Findings.Of(this);
        AttributionNet = AttributionNetOfBaseline(results);
    }

    public static BenchFigures Of(BenchResults results, IReadOnlyDictionary<string, TrafficMix> mixes) =>
        new(results, mixes);

    public BenchResults Results { get; }

    /// <summary>The mixes of the run, by name.</summary>
    public IReadOnlyDictionary<string, TrafficMix> Mixes { get; }

    public IReadOnlyList<MicroFigure> Micro { get; }

    public IReadOnlyList<MicroMixFigure> MicroMix { get; }

    public IReadOnlyList<LiveFigure> Live { get; }

    public IReadOnlyList<Correlation> Correlations { get; }

    /// <summary>The A/A copy's net figures: the run's noise floor, and whether the run can be trusted.</summary>
    public NoiseFloor NoiseFloor { get; }

    /// <summary>The answer first: counters ranked, differences judged, noise, costs and failures.</summary>
    public Findings Findings { get; }

    /// <summary>Each attribution figure net of the same measurement on the baseline (the trampoline's own cost cancels).</summary>
    public IReadOnlyList<(Counters.AttributionReading Reading, double NetPerRun)> AttributionNet { get; }

    /// <summary>A variant's executed instructions and helper calls per packet of a mix, or null when not profiled.</summary>
    public (double Instructions, double HelperCalls)? InstructionsPerPacket(string variant, string mix, int frameSize)
    {
        if (!Mixes.TryGetValue(mix, out var trafficMix))
            return null;
        var profiles = Results
            .InstructionProfiles.Where(p => p.FrameSize == frameSize && p.Profile.Variant == variant)
            .Select(p => p.Profile)
            .ToList();
        return profiles.Count == 0 ? null : Emulation.InstructionProfiler.MixMean(profiles, trafficMix);
    }

    private static IReadOnlyList<(Counters.AttributionReading, double)> AttributionNetOfBaseline(BenchResults results)
    {
        var baseline = results.Baseline;
        return results
            .Attributions.Where(a => a.Variant != baseline)
            .Select(a =>
            {
                var reference = results.Attributions.FirstOrDefault(b =>
                    b.Variant == baseline && b.Event == a.Event && b.Mix == a.Mix && b.FrameSize == a.FrameSize
                );
                return (a, reference is null ? double.NaN : a.PerRun - reference.PerRun);
            })
            .ToList();
    }
}
