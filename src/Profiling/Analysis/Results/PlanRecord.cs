using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Results;

/// <summary>
/// What a run was asked to do, as its result keeps it: the plan with the variants by name
/// and the perf events by their spelling, so a stored run says how it was measured.
/// </summary>
public sealed record PlanRecord
{
    public IReadOnlyList<string> Variants { get; init; } = [];

    public IReadOnlyList<BenchCell> Cells { get; init; } = [];

    public LiveOptions Live { get; init; } = LiveOptions.Default;

    public MicroOptions Micro { get; init; } = MicroOptions.Default;

    /// <summary>The CPUs of each generator setting.</summary>
    public IReadOnlyList<CpuList> Generators { get; init; } = [];

    public IReadOnlyList<int> Flows { get; init; } = [1];

    public IReadOnlyList<Sink> Sinks { get; init; } = [Sink.Drop];

    public IReadOnlyList<string> Events { get; init; } = [];

    public int InstructionBudget { get; init; } = BenchPlan.DefaultInstructionBudget;

    public string? Reference { get; init; }

    public bool Control { get; init; } = true;

    public TimeSpan? Budget { get; init; }

    public InterfaceTarget? Interface { get; init; }

    /// <summary>Plugins that could not be used, each in one line: a run with any is not a success.</summary>
    public IReadOnlyList<string> DiscoveryProblems { get; init; } = [];

    /// <summary>The mixes the cells send, by name, in the order first named.</summary>
    public IReadOnlyList<Traffic.TrafficMix> Mixes => Cells.Select(c => c.Mix).DistinctBy(m => m.Name).ToList();

    public static PlanRecord Of(BenchPlan plan, IEnumerable<string>? discoveryProblems = null) =>
        new()
        {
            Variants = plan.Variants.Select(v => v.Name).ToList(),
            Cells = plan.Cells,
            Live = plan.Live,
            Micro = plan.Micro,
            Generators = plan.Generators.Select(g => g.Cpus).ToList(),
            Flows = plan.Flows,
            Sinks = plan.Sinks,
            Events = plan.Events.Select(e => e.Name).ToList(),
            InstructionBudget = plan.InstructionBudget,
            Reference = plan.Reference,
            Control = plan.Control,
            Budget = plan.Budget,
            Interface = plan.Interface,
            DiscoveryProblems = discoveryProblems?.ToList() ?? [],
        };
}
