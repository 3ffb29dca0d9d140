using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Results;

/// <summary>
/// One run, whole and immutable: what was asked, where it ran, which builds ran, every
/// figure with its CI, the pairs behind the net figures, the verdict and how the run ends.
/// The analysis computes it once; every exporter (terminal, Markdown, HTML, CSV, plots, the
/// history store, compare and history) reads only this. It is written to results.json and
/// read back equal, so a run loaded from the store or a folder is the run that was measured.
/// </summary>
public sealed record RunResult
{
    /// <summary>The schema the document follows: schemas/results.v{N}.schema.json.</summary>
    public int SchemaVersion { get; init; } = ResultJson.SchemaVersion;

    /// <summary>The run's id: its folder's name.</summary>
    public required string Id { get; init; }

    public required PlanRecord Plan { get; init; }

    /// <summary>The machine, the kernel, the counter sources and the command line.</summary>
    public required MachineFacts Environment { get; init; }

    /// <summary>Every variant loaded, with what bpf_prog_info says of its program.</summary>
    public IReadOnlyList<VariantBuild> Variants { get; init; } = [];

    /// <summary>Variants that could not be loaded, with the verifier's log where it refused one.</summary>
    public IReadOnlyList<LoadFailure> LoadFailures { get; init; } = [];

    public IReadOnlyList<MicroFigure> Micro { get; init; } = [];

    public IReadOnlyList<MicroMixFigure> MicroMix { get; init; } = [];

    public IReadOnlyList<LiveFigure> Live { get; init; } = [];

    public IReadOnlyList<LiveWindowFigure> LiveWindows { get; init; } = [];

    /// <summary>The paired samples every net figure is computed from.</summary>
    public IReadOnlyList<PairSeries> Pairs { get; init; } = [];

    public IReadOnlyList<InstructionFigure> Instructions { get; init; } = [];

    /// <summary>What each program returns for a frame of each class.</summary>
    public IReadOnlyList<ClassVerdict> Verdicts { get; init; } = [];

    public IReadOnlyList<InstructionMixFigure> InstructionsPerMix { get; init; } = [];

    /// <summary>Per counter and mix, the three source lines with the most executed instructions per packet.</summary>
    public IReadOnlyList<Emulation.HotLine> HotLines { get; init; } = [];

    public IReadOnlyList<CountersFigure> CountersPerPacket { get; init; } = [];

    public IReadOnlyList<Correlation> Correlations { get; init; } = [];

    /// <summary>Per-packet figures that read 0 in every throughput window: said once, not tabled, plotted or correlated.</summary>
    public IReadOnlyList<string> NegligibleFigures { get; init; } = [];

    public IReadOnlyList<AttributionFigure> Attribution { get; init; } = [];

    public IReadOnlyList<BudgetFigure> Budgets { get; init; } = [];

    public IReadOnlyList<Scaling> Scaling { get; init; } = [];

    public IReadOnlyList<SweepFigure> Sweeps { get; init; } = [];

    /// <summary>The A/A copy's net figures: the run's noise floor.</summary>
    public NoiseFloor NoiseFloor { get; init; } = new([]);

    public Findings Findings { get; init; } = Findings.None;

    public IReadOnlyList<VariantVerification> Verification { get; init; } = [];

    public IReadOnlyList<MiscountWindow> Miscounts { get; init; } = [];

    public RunVerdict Verdict { get; init; } = new([], [], [], false);

    public RunOutcome Outcome { get; init; } = new(RunOutcome.Success, []);

    public IReadOnlyList<Warning> Warnings { get; init; } = [];

    /// <summary>Things a reader must know about how the figures came about (e.g. a round cap hit).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>One line per thing that went wrong.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>Every counter source this run tried, and whether it could run here, with why not.</summary>
    public IReadOnlyList<SourceState> CounterSources { get; init; } = [];

    /// <summary>A matrix run's kernels: every variant on each, loaded or refused, with its verifier figures and counts.</summary>
    public IReadOnlyList<Matrix.KernelRun> Kernels { get; init; } = [];

    /// <summary>The run was interrupted: the figures cover the samples finished before that.</summary>
    public bool Incomplete { get; init; }

    /// <summary>The baseline's name in this run, found by its role.</summary>
    public string? Baseline =>
        Variants.FirstOrDefault(f => f.Role == MeasuredRole.Baseline)?.Name
        ?? Live.FirstOrDefault(f => f.Role == MeasuredRole.Baseline)?.Variant
        ?? Micro.FirstOrDefault(f => f.Role == MeasuredRole.Baseline)?.Variant;

    /// <summary>The median over classes of the baseline's micro ns/packet: how fast the machine ran.</summary>
    public double? BaselineNs
    {
        get
        {
            var costs = Micro
                .Where(f => f.Role == MeasuredRole.Baseline)
                .Select(f => f.NsPerPacket.Mean.Mean)
                .Order()
                .ToList();
            return costs.Count == 0 ? null
                : costs.Count % 2 == 1 ? costs[costs.Count / 2]
                : (costs[costs.Count / 2 - 1] + costs[costs.Count / 2]) / 2;
        }
    }

    /// <summary>The same run: equal in every figure, as results.json holds it.</summary>
    public bool Equals(RunResult? other) =>
        other is not null && (ReferenceEquals(this, other) || ResultJson.Compact(this) == ResultJson.Compact(other));

    public override int GetHashCode() => ResultJson.Compact(this).GetHashCode(StringComparison.Ordinal);
}

/// <summary>A variant that could not be loaded: the line that says why, and the verifier's log when it refused the program.</summary>
public sealed record LoadFailure(string Variant, string Message, string? VerifierLog);
