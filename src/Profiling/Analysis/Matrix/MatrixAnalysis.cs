using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Matrix;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Analysis.Matrix;

/// <summary>A matrix's kernels as one <see cref="RunResult"/>: its verdict and how it ends.</summary>
public static class MatrixAnalysis
{
    public static RunResult Of(
        string id,
        IReadOnlyList<string> variants,
        IReadOnlyList<KernelRun> kernels,
        MachineFacts environment,
        IReadOnlyList<string> discoveryProblems,
        bool interrupted
    )
    {
        var failed = kernels.Where(k => k.Failure is not null).Select(k => k.Failure!).ToList();
        string Cell(KernelRun k, KernelVariant v) => $"{v.Name} on {KernelDifferences.Label(k)}";
        var miscounted = kernels
            .SelectMany(k => k.Variants.Where(v => v.Counts == CountsCheck.Mismatch).Select(v => Cell(k, v)))
            .ToList();
        var withinBound = kernels
            .SelectMany(k => k.Variants.Where(v => v.Counts == CountsCheck.WithinBounds).Select(v => Cell(k, v)))
            .ToList();
        var lines = failed
            .Concat(
                kernels.SelectMany(k =>
                    k.Variants.Where(v => v.Counts == CountsCheck.Mismatch)
                        .Select(v => $"{Cell(k, v)} miscounted: {v.CountProblem}")
                )
            )
            .Concat(discoveryProblems)
            .ToList();
        return new RunResult
        {
            Id = id,
            Plan = new PlanRecord
            {
                Variants = variants,
                Cells = [],
                DiscoveryProblems = discoveryProblems,
            },
            Environment = environment,
            Kernels = kernels,
            Failures = failed,
            Verdict = new RunVerdict(failed, miscounted, withinBound, false),
            Outcome = new RunOutcome(
                interrupted ? RunOutcome.Interrupted
                    : lines.Count > 0 ? RunOutcome.Failure
                    : RunOutcome.Success,
                lines
            ),
            Incomplete = interrupted,
        };
    }
}
