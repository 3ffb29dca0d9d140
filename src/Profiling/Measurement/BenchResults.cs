using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// Everything a run measured, as taken: samples, static facts, failures and notes. The
/// runner fills it; the analysis turns it into the run's result once,
/// and no exporter reads it.
/// </summary>
public sealed class BenchResults
{
    public List<MicroSample> MicroSamples { get; } = [];
    public List<LiveSample> LiveSamples { get; } = [];
    public List<VariantBuild> Facts { get; } = [];

    /// <summary>One line per thing that went wrong: a variant that did not load, a window that failed.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Things a reader must know about how the figures came about (e.g. a round cap hit).</summary>
    public List<string> Notes { get; } = [];

    public List<Plugins.VariantLoadException> LoadFailures { get; } = [];

    /// <summary>Every counter source and whether it could run here, with why not.</summary>
    public List<Machine.SourceState> CounterSources { get; } = [];

    /// <summary>Executed BPF instructions per packet, per variant, class and frame size (emulated).</summary>
    public List<(int FrameSize, Emulation.InstructionProfile Profile)> InstructionProfiles { get; } = [];

    /// <summary>Per counter and mix, the source lines where most executed instructions go.</summary>
    public List<Emulation.HotLine> HotLines { get; } = [];

    /// <summary>What each program returns for each class of frame, by a test run of one frame.</summary>
    public List<ClassVerdict> Verdicts { get; } = [];

    /// <summary>Per-run counter values from fentry/fexit attribution, where it can run.</summary>
    public List<Counters.AttributionReading> Attributions { get; } = [];

    /// <summary>The counter speedups are quoted against, when there is one.</summary>
    public string? Reference { get; set; }

    public bool Incomplete { get; set; }

    /// <summary>When the run started: taken as it starts, for environment.json.</summary>
    public DateTimeOffset StartedUtc { get; } = DateTimeOffset.UtcNow;

    /// <summary>The measured role of a variant by its name, from its facts or samples.</summary>
    public MeasuredRole? RoleOf(string variant) =>
        Facts.FirstOrDefault(f => f.Name == variant)?.Role
        ?? LiveSamples.FirstOrDefault(s => s.Variant == variant)?.Role
        ?? MicroSamples.FirstOrDefault(s => s.Variant == variant)?.Role;

    /// <summary>The baseline's name in this run, found by its role.</summary>
    public string? Baseline =>
        Facts.FirstOrDefault(f => f.Role == MeasuredRole.Baseline)?.Name
        ?? LiveSamples.FirstOrDefault(s => s.Role == MeasuredRole.Baseline)?.Variant
        ?? MicroSamples.FirstOrDefault(s => s.Role == MeasuredRole.Baseline)?.Variant;

    /// <summary>The variants whose counts failed over the run: an exact miscount anywhere, or statistical misses beyond chance.</summary>
    public IReadOnlyList<string> MiscountedVariants() =>
        LiveSamples
            .Where(s => s.Verification is not null && s.Failure is null)
            .GroupBy(s => s.Variant)
            .Where(g => VerificationStatuses.Of(g) == VerificationStatus.Mismatch)
            .Select(g => g.Key)
            .ToList();
}
