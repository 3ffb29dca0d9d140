using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Emulation;

/// <summary>Executed BPF instructions and helper calls for one packet of a class, in steady state.</summary>
public sealed record InstructionProfile(
    string Variant,
    TrafficClass Class,
    int Instructions,
    int HelperCalls,
    XdpAction Verdict
);

/// <summary>
/// Counts what a packet of each class executes, by running the variant's prepared program
/// in the emulator. The first packet of a class warms the maps (a hash counter inserts its
/// key then) and is not counted; the figure is the steady-state packet after it.
/// </summary>
public static class InstructionProfiler
{
    public static IReadOnlyList<InstructionProfile> Profile(
        LoadedVariant variant,
        IEnumerable<TrafficClass> classes,
        int frameSize
    )
    {
        var emulator = new BpfEmulator(variant.Program.PreparedInstructions(), BpfEmulator.ModelMaps(variant.Object));
        var profiles = new List<InstructionProfile>();
        foreach (var trafficClass in classes)
        {
            var frame = FrameBuilder.Build(trafficClass, frameSize);
            emulator.Run(frame);
            var run = emulator.Run(frame);
            profiles.Add(
                new InstructionProfile(variant.Source.Name, trafficClass, run.Executed, run.HelperCalls, run.Verdict)
            );
        }
        return profiles;
    }

    /// <summary>The mix's mean per packet, weighting each class's steady-state figure by the mix.</summary>
    public static (double Instructions, double HelperCalls) MixMean(
        IReadOnlyList<InstructionProfile> profiles,
        TrafficMix mix
    )
    {
        var weights = (double)mix.Weights.Where(w => profiles.Any(p => p.Class == w.Key)).Sum(w => w.Value);
        var instructions = profiles
            .Where(p => mix.Weights.ContainsKey(p.Class))
            .Sum(p => p.Instructions * mix.Weights[p.Class] / weights);
        var helpers = profiles
            .Where(p => mix.Weights.ContainsKey(p.Class))
            .Sum(p => p.HelperCalls * mix.Weights[p.Class] / weights);
        return (instructions, helpers);
    }
}
