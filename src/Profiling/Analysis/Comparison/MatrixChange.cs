using PacketCounter.Profiling.Matrix;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Comparison;

/// <summary>How one variant on one kernel changed from matrix A to matrix B.</summary>
/// <param name="Cell">"VARIANT on KERNEL".</param>
/// <param name="Regression">It loaded and now does not, or counted right and now does not.</param>
public sealed record MatrixChange(string Cell, string A, string B, bool Regression);

/// <summary>Every cell two matrices share, and those that changed in loading, counts or verdicts.</summary>
public sealed record MatrixChanges(int Shared, IReadOnlyList<MatrixChange> Changes)
{
    public IReadOnlyList<MatrixChange> Regressions => Changes.Where(c => c.Regression).ToList();
}

public static class MatrixCells
{
    /// <summary>Each variant on each kernel that gave results, named "VARIANT on KERNEL".</summary>
    public static IEnumerable<(string Name, KernelVariant Variant)> Cells(RunResult run) =>
        run.Kernels.Where(k => k.Failure is null).SelectMany(k => k.Variants.Select(v => ($"{v.Name} on {k.Name}", v)));

    public static MatrixChanges Of(RunResult a, RunResult b)
    {
        var shared = Cells(a)
            .Join(Cells(b), c => c.Name, c => c.Name, (x, y) => (x.Name, A: x.Variant, B: y.Variant))
            .ToList();
        var changes = new List<MatrixChange>();
        foreach (var (name, before, after) in shared)
        {
            // A load won or lost says it all: counts and verdicts exist on one side only.
            if (before.Loaded != after.Loaded)
            {
                changes.Add(new MatrixChange(name, Load(before), Load(after), before.Loaded));
                continue;
            }
            if (before.Counts != after.Counts)
                changes.Add(
                    new MatrixChange(
                        name,
                        $"counts {Text.EnumNames.Of(before.Counts)}",
                        $"counts {Text.EnumNames.Of(after.Counts)}{(after.CountProblem is { } p ? $": {p}" : "")}",
                        after.Counts == CountsCheck.Mismatch
                    )
                );
            var verdicts = before
                .Verdicts.Join(
                    after.Verdicts,
                    v => v.Class,
                    v => v.Class,
                    (x, y) => (x.Class, x.Verdict, After: y.Verdict)
                )
                .Where(v => v.Verdict != v.After)
                .ToList();
            if (verdicts.Count > 0)
                changes.Add(
                    new MatrixChange(
                        name,
                        string.Join(
                            "; ",
                            verdicts.Select(v =>
                                $"{Abstractions.TrafficClasses.Name(v.Class)} {Text.EnumNames.Of(v.Verdict)}"
                            )
                        ),
                        string.Join(
                            "; ",
                            verdicts.Select(v =>
                                $"{Abstractions.TrafficClasses.Name(v.Class)} {Text.EnumNames.Of(v.After)}"
                            )
                        ),
                        false
                    )
                );
        }
        return new MatrixChanges(shared.Count, changes);
    }

    private static string Load(KernelVariant variant) => variant.Loaded ? "loads" : $"refused: {variant.Refusal}";
}
