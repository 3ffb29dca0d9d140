using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Reporting;

namespace PacketCounter.Profiling.Comparison;

/// <summary>A row's absolute figure in each run: shown beside the decision, never gated.</summary>
public sealed record AbsoluteFigure(double? A, double? B, string Unit);

/// <summary>Two runs compared: the decisions, what the absolute figures read, and what the reader must know.</summary>
public sealed record RunComparisonResult(
    RunRecord A,
    RunRecord B,
    GateSettings Settings,
    IReadOnlyList<GateDecision> Rows,
    IReadOnlyDictionary<RowKey, AbsoluteFigure> Absolute,
    IReadOnlyList<string> Warnings
)
{
    public int Slower => Rows.Count(r => r.Verdict == Verdict.Slower);

    public int Faster => Rows.Count(r => r.Verdict == Verdict.Faster);

    /// <summary>False when the two runs ran on different machines: their absolute figures do not compare.</summary>
    public bool SameMachine => A.Machine.Differences(B.Machine).Count == 0;
}

/// <summary>Matches two runs row by row through their paired samples and hands them to the gate.</summary>
public static class RunComparison
{
    public const string ReportFile = "compare.md";

    /// <summary>The baseline's own cost moving by more than this between the runs is worth a warning.</summary>
    public const double SpeedWarning = 0.15;

    public static RunComparisonResult Compare(RunRecord a, RunRecord b, GateSettings settings)
    {
        foreach (var run in new[] { a, b })
            if (run.Pairs.Count == 0)
                throw new HistoryException(
                    $"run {run.Id} has no paired samples ({PairRow.FileName}): it was written before "
                        + "they were kept, so it cannot be gated; compare runs made since"
                );
        var samplesA = Group(a);
        var samplesB = Group(b);
        var keys = samplesA
            .Keys.Intersect(samplesB.Keys)
            .OrderBy(k => k.Mode)
            .ThenBy(k => k.Role == "control")
            .ThenBy(k => k.Variant, StringComparer.Ordinal)
            .ThenBy(k => k.Class, StringComparer.Ordinal)
            .ThenBy(k => k.FrameSize)
            .ThenBy(k => k.GenCpus)
            .ThenBy(k => k.Sink)
            .ToList();
        if (keys.Count == 0)
            throw new HistoryException(
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
        return new RunComparisonResult(a, b, settings, decisions, absolute, Warnings(a, b, keys));
    }

    private static Dictionary<RowKey, Dictionary<PairedFigure, List<double>>> Group(RunRecord run) =>
        run
            .Pairs.Select(p => (Pair: p, Known: PairedFigures.TryParse(p.Figure, out var figure), Figure: figure))
            .Where(p => p.Known)
            .GroupBy(p => new RowKey(
                p.Pair.Variant,
                p.Pair.Role,
                p.Pair.Mode,
                p.Pair.Class,
                p.Pair.FrameSize,
                p.Pair.GenCpus,
                p.Pair.Sink
            ))
            .ToDictionary(
                g => g.Key,
                g =>
                    g.GroupBy(p => p.Figure)
                        .ToDictionary(f => f.Key, f => f.OrderBy(p => p.Pair.Quad).Select(p => p.Pair.Value).ToList())
            );

    private static AbsoluteFigure Absolute(RunRecord a, RunRecord b, RowKey key)
    {
        var metric = key.Mode == RunRow.MicroMode ? Metrics.Name(Metric.NsPerPacket) : Metrics.Name(Metric.Mpps);
        double? Of(RunRecord run) =>
            run
                .Figures.FirstOrDefault(f =>
                    f.Variant == key.Variant
                    && f.Mode == key.Mode
                    && f.Class == key.Class
                    && f.FrameSize == key.FrameSize
                    && f.GenCpus == key.GenCpus
                    && f.Sink == key.Sink
                    && f.Metric == metric
                )
                ?.Mean;
        return new AbsoluteFigure(Of(a), Of(b), key.Mode == RunRow.MicroMode ? "ns/packet" : "Mpps");
    }

    private static List<string> Warnings(RunRecord a, RunRecord b, IReadOnlyList<RowKey> keys)
    {
        var warnings = new List<string>();
        if (a.Machine.Differences(b.Machine) is { Count: > 0 } differences)
            warnings.Add(
                $"A and B ran on different machines ({string.Join("; ", differences)}): their "
                    + "absolute figures are shown but do not compare; the gate uses only figures "
                    + "normalized inside each run"
            );
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
                a.Variants.FirstOrDefault(v => v.Name == variant),
                b.Variants.FirstOrDefault(v => v.Name == variant)
            );
            if (buildA is not null && buildB is not null && buildA.ProgramTag != buildB.ProgramTag)
                warnings.Add(
                    $"{variant} is a different program in B (kernel tag {buildA.ProgramTag} in A, {buildB.ProgramTag} in B)"
                );
        }
        foreach (var run in new[] { a, b }.Where(r => r.Incomplete))
            warnings.Add($"run {run.Id} was interrupted: it is compared on the rounds it finished");
        var missing = a
            .Pairs.Select(p => p.Variant)
            .Concat(b.Pairs.Select(p => p.Variant))
            .Distinct()
            .Except(keys.Select(k => k.Variant))
            .ToList();
        if (missing.Count > 0)
            warnings.Add($"only in one run, not compared: {string.Join(", ", missing)}");
        return warnings;
    }
}
