using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
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
/// <remarks>
/// A live cell can send a mix of sizes (<see cref="Sizes"/>); it is then filed under
/// <see cref="FrameSize"/>, the mix's mean size.
/// </remarks>
public sealed record BenchCell(int FrameSize, TrafficMix Mix, BenchModes Modes)
{
    private readonly FrameSizes? _sizes;

    /// <summary>The sizes live traffic is sent at: <see cref="FrameSize"/> alone unless a mix is given.</summary>
    public FrameSizes Sizes
    {
        get => _sizes ?? FrameSizes.Fixed(FrameSize);
        init => _sizes = value;
    }

    // Sizes compare as sent: a fixed size given or left to default is the same cell.
    public bool Equals(BenchCell? other) =>
        other is not null
        && FrameSize == other.FrameSize
        && Mix.Name == other.Mix.Name
        && Modes == other.Modes
        && Sizes.Equals(other.Sizes);

    public override int GetHashCode() => HashCode.Combine(FrameSize, Mix.Name, Modes, Sizes);

    /// <summary>A live-only cell sending <paramref name="sizes"/>, filed under their mean size.</summary>
    public static BenchCell LiveMix(FrameSizes sizes, TrafficMix mix) =>
        new(sizes.MeanSize, mix, BenchModes.Live) { Sizes = sizes };
}

/// <summary>bench --iface: a real interface and whatever traffic it receives, in windows of a fixed duration.</summary>
public sealed record InterfaceTarget(string Interface, XdpAttachMode AttachMode, TimeSpan WindowDuration);

/// <summary>Everything a bench run does, typed. Built by the CLI from options or a --config matrix; the tests build it too.</summary>
public sealed record BenchPlan
{
    public required IReadOnlyList<DiscoveredVariant> Variants { get; init; }

    public required IReadOnlyList<BenchCell> Cells { get; init; }

    public LiveOptions Live { get; init; } = LiveOptions.Default;

    /// <summary>Live: each generator setting is measured with every variant.</summary>
    public IReadOnlyList<GeneratorOptions> Generators { get; init; } = [GeneratorOptions.OnCpu(0)];

    /// <summary>Live: each flow count is a setting of its own (1: every frame of a class is the same flow).</summary>
    public IReadOnlyList<int> Flows { get; init; } = [1];

    /// <summary>Live: each sink is measured with every variant.</summary>
    public IReadOnlyList<Sink> Sinks { get; init; } = [Sink.Drop];

    public MicroOptions Micro { get; init; } = MicroOptions.Default;

    /// <summary>perf events counted system-wide in every throughput window.</summary>
    public IReadOnlyList<Counters.PerfEventSpec> Events { get; init; } = [];

    public int InstructionBudget { get; init; } = DefaultInstructionBudget;

    public const int DefaultInstructionBudget = 50;

    /// <summary>The counter speedups are quoted against (a variant name), if any.</summary>
    public string? Reference { get; init; }

    /// <summary>Measure a second, separately loaded copy of the baseline exactly like a variant: the run's noise floor.</summary>
    public bool Control { get; init; } = true;

    /// <summary>
    /// The time the measurements may take together: micro cells share <see cref="MicroShare"/> of
    /// it, live settings what is left; within its share each stops adding rounds. Null: each mode's own limits only.
    /// </summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>The part of <see cref="Budget"/> micro mode gets when live mode runs too.</summary>
    public const double MicroShare = 0.45;

    /// <summary>The budget of a default bench: with the build, it keeps a newcomer's first run near a minute and a half.</summary>
    public static TimeSpan DefaultBudget { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Set for bench --iface: measure there instead of on the embedded testbed.</summary>
    public InterfaceTarget? Interface { get; init; }

    /// <summary>Micro mode measures each class of the mix alone.</summary>
    public static IReadOnlyList<TrafficClass> MicroClasses(TrafficMix mix) => mix.Weights.Keys.Order().ToList();
}
