using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Comparison;

/// <summary>A row's absolute figure in each run: shown beside the decision, never gated.</summary>
public sealed record AbsoluteFigure(double? A, double? B, string Unit);

/// <summary>Two runs compared: the decisions, what the absolute figures read, and what the reader must know.</summary>
public sealed record RunComparisonResult(
    StoredRun A,
    StoredRun B,
    GateSettings Settings,
    IReadOnlyList<GateDecision> Rows,
    IReadOnlyDictionary<RowKey, AbsoluteFigure> Absolute,
    IReadOnlyList<string> Warnings
)
{
    /// <summary>Two kernel matrices: each variant on each kernel both have, and what changed.</summary>
    public MatrixChanges? Matrix { get; init; }

    /// <summary>What the verifier made of each variant in both runs, figure by figure: exact, so never tested.</summary>
    public IReadOnlyList<VerifierDiff> Verifier { get; init; } = [];

    /// <summary>Processed instructions or peak states that grew by more than <paramref name="share"/> from A to B.</summary>
    public IReadOnlyList<VerifierDiff> VerifierGrowth(double share) =>
        Verifier.Where(d => d.Figure is VerifierDiff.Insns or VerifierDiff.PeakStates && d.Change > share).ToList();

    public int Slower => Rows.Count(r => r.Verdict == Verdict.Slower);

    public int Faster => Rows.Count(r => r.Verdict == Verdict.Faster);

    /// <summary>
    /// False when the two runs ran on different machines, or at speeds too far apart: their
    /// absolute figures do not compare.
    /// </summary>
    public bool SameMachine => A.Machine.Differences(B.Machine).Count == 0;
}

/// <summary>Matches two runs row by row through their paired samples and hands them to the gate.</summary>
public static class RunComparison
{
    public const string ReportFile = "compare.md";

    /// <summary>The baseline's own cost moving by more than this between the runs is worth a warning.</summary>
    public const double SpeedWarning = 0.15;

    public static RunComparisonResult Compare(StoredRun a, StoredRun b, GateSettings settings)
    {
        if (a.Result.Kernels.Count > 0 || b.Result.Kernels.Count > 0)
            return CompareMatrices(a, b, settings);
        foreach (var run in new[] { a, b })
            if (run.Result.Pairs.Count == 0)
                throw new ComparisonException(
                    $"run {run.Id} has no paired samples: it measured no variant beside the baseline, so it cannot be gated"
                );
        var samplesA = Group(a);
        var samplesB = Group(b);
        var keys = samplesA
            .Keys.Intersect(samplesB.Keys)
            .OrderBy(k => k.Cell.Mode)
            .ThenBy(k => k.Role == MeasuredRole.Control)
            .ThenBy(k => k.Variant, StringComparer.Ordinal)
            .ThenBy(k => k.Cell.Class, StringComparer.Ordinal)
            .ThenBy(k => k.Cell.FrameSize)
            .ThenBy(k => k.Cell.GeneratorCpus?.ToString(), StringComparer.Ordinal)
            .ThenBy(k => k.Cell.Sink)
            .ToList();
        if (keys.Count == 0)
            throw new ComparisonException(
                $"runs {a.Id} and {b.Id} share no variant in the same cell (mode, class or mix, "
                    + "size, generator CPUs, sink); there is nothing to compare"
            );
        var rows = keys.Select(k => new RowSamples(
                k,
                samplesA[k].GetValueOrDefault(PairedFigure.CostRatio, []),
                samplesB[k].GetValueOrDefault(PairedFigure.CostRatio, []),
                samplesA[k].GetValueOrDefault(PairedFigure.NetNs, []),
                samplesB[k].GetValueOrDefault(PairedFigure.NetNs, [])
            ))
            .ToList();
        var decisions = RegressionGate.Decide(rows, settings);
        var absolute = keys.ToDictionary(k => k, k => Absolute(a, b, k));
        return new RunComparisonResult(a, b, settings, decisions, absolute, Warnings(a, b, keys))
        {
            Verifier = VerifierDiff.Of(a.Result, b.Result),
        };
    }

    // Two kernel matrices: no time to gate, only what each kernel decided, cell by cell.
    private static RunComparisonResult CompareMatrices(StoredRun a, StoredRun b, GateSettings settings)
    {
        if (a.Result.Kernels.Count == 0 || b.Result.Kernels.Count == 0)
            throw new ComparisonException(
                $"run {(a.Result.Kernels.Count == 0 ? a.Id : b.Id)} is a bench and the other a kernel matrix; "
                    + "compare a matrix with a matrix, a bench with a bench"
            );
        var changes = MatrixCells.Of(a.Result, b.Result);
        if (changes.Shared == 0)
            throw new ComparisonException(
                $"matrices {a.Id} and {b.Id} share no variant on a kernel of the same name; there is nothing to compare"
            );
        return new RunComparisonResult(a, b, settings, [], new Dictionary<RowKey, AbsoluteFigure>(), Warnings(a, b, []))
        {
            Verifier = VerifierDiff.Of(a.Result, b.Result),
            Matrix = changes,
        };
    }

    private static Dictionary<RowKey, Dictionary<PairedFigure, IReadOnlyList<double>>> Group(StoredRun run) =>
        run
            .Result.Pairs.GroupBy(p => new RowKey(p.Variant, p.Role, p.Cell))
            .ToDictionary(g => g.Key, g => g.ToDictionary(p => p.Figure, p => p.Values));

    private static AbsoluteFigure Absolute(StoredRun a, StoredRun b, RowKey key)
    {
        var micro = key.Cell.Mode == BenchMode.Micro;
        var metric = micro ? Metric.NsPerPacket : Metric.Mpps;
        double? Of(StoredRun run) =>
            FigureRow
                .Of(run.Result)
                .FirstOrDefault(f => f.Variant == key.Variant && f.Cell == key.Cell && f.Metric == metric)
                ?.Value.Mean.Mean;
        return new AbsoluteFigure(Of(a), Of(b), micro ? "ns/packet" : "Mpps");
    }

    private static List<string> Warnings(StoredRun a, StoredRun b, IReadOnlyList<RowKey> keys)
    {
        var warnings = new List<string>();
        const string normalizedOnly =
            "their absolute figures are shown but do not compare; the gate uses only figures normalized inside each run";
        if (a.Machine.IdentityDifferences(b.Machine) is { Count: > 0 } differences)
            warnings.Add(
                $"A and B ran on different machines ({string.Join("; ", a.Machine.Differences(b.Machine))}): "
                    + normalizedOnly
            );
        // The same machine as far as it says, but not the same speed: machines of one kind share a
        // CPU model string and differ 3x, and one machine's regime can move its baseline as far.
        else if (a.Machine.SpeedDifference(b.Machine) is { } speed)
            warnings.Add($"A and B ran at speeds too far apart to compare ({speed}): {normalizedOnly}");
        else if (
            a.Machine.BaselineNs is { } before
            && b.Machine.BaselineNs is { } after
            && Math.Abs(after / before - 1) > SpeedWarning
        )
            warnings.Add(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the machine ran {Math.Abs(after / before - 1):0%} "
                        + $"{(after > before ? "slower" : "faster")} in B than in A (the baseline's own "
                        + $"micro cost {before:0.00} → {after:0.00} ns): a counter that touches memory does "
                        + $"not slow in proportion, so its cost ratio moves too; on the reference VM a 40% "
                        + $"slowdown within minutes moved Naive's ratio by 10%. Rerun both close together "
                        + $"before trusting a verdict"
                )
            );
        foreach (var variant in keys.Select(k => k.Variant).Distinct())
        {
            var (buildA, buildB) = (
                a.Result.Variants.FirstOrDefault(v => v.Name == variant),
                b.Result.Variants.FirstOrDefault(v => v.Name == variant)
            );
            if (buildA is not null && buildB is not null && buildA.Info.Tag != buildB.Info.Tag)
                warnings.Add(
                    $"{variant} is a different program in B (kernel tag {buildA.Info.Tag} in A, {buildB.Info.Tag} in B)"
                );
        }
        foreach (var run in new[] { a, b }.Where(r => r.Result.Incomplete))
            warnings.Add($"run {run.Id} was interrupted: it is compared on the rounds it finished");
        var missing = a
            .Result.Pairs.Select(p => p.Variant)
            .Concat(b.Result.Pairs.Select(p => p.Variant))
            .Distinct()
            .Except(keys.Select(k => k.Variant))
            .ToList();
        if (missing.Count > 0)
            warnings.Add($"only in one run, not compared: {string.Join(", ", missing)}");
        return warnings;
    }
}

/// <summary>Two runs that cannot be compared; the message is one line saying why.</summary>
public sealed class ComparisonException(string message) : Exception(message);

/// <summary>One verifier figure of one variant in two runs, as veristat's compare shows it: A, B and the difference.</summary>
public sealed record VerifierDiff(string Variant, string Figure, long A, long B)
{
    public const string Insns = "insns";
    public const string PeakStates = "peak_states";

    public long Difference => B - A;

    /// <summary>The difference over A; null where A is 0.</summary>
    public double? Change => A != 0 ? (double)Difference / A : null;

    /// <summary>Every figure of every variant whose verifier figures both runs have, in the order veristat lists them.</summary>
    /// <remarks>A matrix's variants are named "VARIANT on KERNEL".</remarks>
    public static IReadOnlyList<VerifierDiff> Of(RunResult a, RunResult b) =>
        Stats(a)
            .Join(Stats(b), p => p.Name, p => p.Name, (x, y) => (x.Name, A: x.Stats, B: y.Stats))
            .SelectMany(p =>
                Figures(p.A)
                    .Zip(Figures(p.B))
                    .Where(f => f.First.Value is not null && f.Second.Value is not null)
                    .Select(f => new VerifierDiff(p.Name, f.First.Name, f.First.Value!.Value, f.Second.Value!.Value))
            )
            .ToList();

    private static IEnumerable<(string Name, Bpf.VerifierStats Stats)> Stats(RunResult run) =>
        run
            .Variants.Where(v => v.Role != MeasuredRole.Control && v.Verifier is not null)
            .Select(v => (v.Name, v.Verifier!))
            .Concat(
                MatrixCells
                    .Cells(run)
                    .Where(c => c.Variant.Verifier is not null)
                    .Select(c => (c.Name, c.Variant.Verifier!))
            );

    private static IEnumerable<(string Name, long? Value)> Figures(Bpf.VerifierStats v) =>
        [
            (Insns, v.Insns),
            ("states", v.States),
            (PeakStates, v.PeakStates),
            ("max_states_per_insn", v.MaxStatesPerInsn),
            ("mark_read", v.MarkRead),
            ("duration_us", v.DurationUs),
            ("stack_depth", v.StackDepth),
            ("xlated_insns", v.XlatedInsns),
            ("jited_bytes", v.JitedBytes),
        ];
}
