using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// What a bench was asked for, each value as given or null for its default: the command
/// line's options and a config file's keys fill it through <see cref="BenchOptions"/>, and
/// <see cref="BenchPlanBuilder"/> turns it into the plan. A few knobs have no option; tools
/// and tests set them directly.
/// </summary>
public sealed record BenchSettings
{
    public IReadOnlyList<string>? PluginDirectories { get; init; }
    public IReadOnlyList<string>? Variants { get; init; }
    public BenchModes? Modes { get; init; }
    public long? Packets { get; init; }
    public TimeSpan? SliceTime { get; init; }
    public long? Warmup { get; init; }
    public int? Rounds { get; init; }
    public int? MaxRounds { get; init; }
    public IReadOnlyList<Sink>? Sinks { get; init; }
    public IReadOnlyList<CpuList>? GeneratorCpus { get; init; }
    public int? MicroRounds { get; init; }
    public int? MicroMaxRounds { get; init; }

    /// <summary>Seconds the measurements may take together; 0: no limit.</summary>
    public double? Budget { get; init; }

    /// <summary>Frame sizes, each a cell of its own.</summary>
    public IReadOnlyList<int>? FrameSizes { get; init; }

    /// <summary>A mix of sizes every live slice sends.</summary>
    public FrameSizes? SizeMix { get; init; }

    public IReadOnlyList<int>? Flows { get; init; }
    public IReadOnlyList<TrafficMix>? Mixes { get; init; }
    public IReadOnlyList<Counters.PerfEventSpec>? Events { get; init; }
    public int? InstructionBudget { get; init; }
    public int? Seed { get; init; }

    /// <summary>A counter's name, or "none".</summary>
    public string? Reference { get; init; }

    /// <summary>XDP objects measured as they are, beside the variants.</summary>
    public IReadOnlyList<string>? Objects { get; init; }

    /// <summary>The program of each object, where an object has more than one.</summary>
    public string? Program { get; init; }

    public string? ConfigFile { get; init; }
    public string? OutDirectory { get; init; }
    public string? Tag { get; init; }
    public string? Store { get; init; }
    public string? Interface { get; init; }
    public double? Duration { get; init; }
    public XdpAttachMode? AttachMode { get; init; }

    /// <summary>Print the run's result as JSON on stdout, and everything else on stderr.</summary>
    public bool? Json { get; init; }

    /// <summary>Exit at once when another bench holds the host, instead of waiting.</summary>
    public bool? NoWait { get; init; }

    /// <summary>Show the report's appendix (every pair behind the tiers) in the terminal too.</summary>
    public bool? Verbose { get; init; }

    /// <summary>No option: the first this many live rounds end with a run-stats pass.</summary>
    public int? StatsRounds { get; init; }

    /// <summary>No option: measure the baseline's A/A copy (default yes).</summary>
    public bool? Control { get; init; }

    /// <summary>No option: micro warm-up rounds, discarded.</summary>
    public int? MicroWarmupRounds { get; init; }

    /// <summary>No option: the time one micro cell may take when the plan has no overall budget.</summary>
    public TimeSpan? MicroCellBudget { get; init; }

    /// <summary>No option: how long micro measures one load of the programs before loading them afresh.</summary>
    public TimeSpan? MicroPlacementTime { get; init; }
}
