using PacketCounter.Profiling.Emulation;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Analysis;

/// <summary>Executed BPF instructions and helper calls of one class at one frame size (emulated).</summary>
public sealed record InstructionFigure(int FrameSize, InstructionProfile Profile);

/// <summary>A variant's executed instructions and helper calls per packet of a mix: class figures weighted by the mix.</summary>
public sealed record InstructionMixFigure(
    string Variant,
    string Mix,
    int FrameSize,
    double Instructions,
    double HelperCalls
)
{
    public static IReadOnlyList<InstructionMixFigure> Of(
        IReadOnlyList<InstructionFigure> figures,
        IReadOnlyList<TrafficMix> mixes
    ) =>
        figures
            .GroupBy(f => (f.Profile.Variant, f.FrameSize))
            .SelectMany(group =>
                mixes.Select(mix =>
                {
                    var (instructions, helpers) = InstructionProfiler.MixMean(
                        group.Select(f => f.Profile).ToList(),
                        mix
                    );
                    return new InstructionMixFigure(
                        group.Key.Variant,
                        mix.Name,
                        group.Key.FrameSize,
                        instructions,
                        helpers
                    );
                })
            )
            .Where(f => double.IsFinite(f.Instructions))
            .ToList();
}

/// <summary>A per-run counter value from fentry/fexit attribution, and the same net of the baseline's.</summary>
public sealed record AttributionFigure(Counters.AttributionReading Reading, double NetPerRun)
{
    // The trampoline's own cost is in every reading, so it cancels against the baseline's.
    public static IReadOnlyList<AttributionFigure> Of(BenchResults results)
    {
        var baseline = results.Baseline;
        return results
            .Attributions.Where(a => a.Variant != baseline)
            .Select(a =>
            {
                var reference = results.Attributions.FirstOrDefault(b =>
                    b.Variant == baseline && b.Event == a.Event && b.Mix == a.Mix && b.FrameSize == a.FrameSize
                );
                return new AttributionFigure(a, reference is null ? double.NaN : a.PerRun - reference.PerRun);
            })
            .ToList();
    }
}
