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
        var cells = kernels
            .SelectMany(k => k.Variants.Select(v => (Name: $"{v.Name} on {KernelDifferences.Label(k)}", Variant: v)))
            .ToList();
        var miscounted = cells.Where(c => c.Variant.Counts == CountsCheck.Mismatch).ToList();
        var withinBound = cells.Where(c => c.Variant.Counts == CountsCheck.WithinBounds).Select(c => c.Name).ToList();
        var lines = failed
            .Concat(miscounted.Select(c => $"{c.Name} miscounted: {c.Variant.CountProblem}"))
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
            Verdict = new RunVerdict(failed, miscounted.Select(c => c.Name).ToList(), withinBound, false),
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
