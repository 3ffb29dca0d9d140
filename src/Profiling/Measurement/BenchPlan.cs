using PacketCounter.Abstractions;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

[Flags]
public enum BenchModes
{
    Micro = 1,
    Live = 2,
    All = Micro | Live,
}

/// <summary>One cell of a bench: a frame size and a mix, measured in the modes asked for.</summary>
public sealed record BenchCell(int FrameSize, TrafficMix Mix, BenchModes Modes);

/// <summary>Everything a bench run does. Built by the CLI from options or a --config matrix.</summary>
public sealed record BenchPlan(
    IReadOnlyList<DiscoveredVariant> Variants,
    IReadOnlyList<BenchCell> Cells,
    long Packets,
    long WarmupPackets,
    int Repeats,
    IReadOnlyList<GeneratorOptions> GeneratorSettings,
    MicroOptions Micro,
    int Seed,
    int MaxRepeats = 0,
    IReadOnlyList<Counters.PerfEventSpec>? Events = null,
    int InstructionBudget = 50)
{
    /// <summary>Micro mode measures each class of the mix alone.</summary>
    public static IReadOnlyList<TrafficClass> MicroClasses(TrafficMix mix) => mix.Weights.Keys.Order().ToList();
}
