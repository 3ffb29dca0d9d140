using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis.Matrix;
using PacketCounter.Profiling.Matrix;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>One variant on one kernel of a matrix, with the reference kernel's row beside it for the verdicts.</summary>
public sealed record MatrixRow(KernelRun Kernel, KernelVariant Variant, KernelVariant? OnReference)
{
    /// <summary>Every variant on every kernel that gave results, kernel by kernel.</summary>
    public static IReadOnlyList<MatrixRow> Of(IReadOnlyList<KernelRun> kernels)
    {
        var reference = KernelDifferences.Reference(kernels);
        return kernels
            .Where(k => k.Failure is null)
            .SelectMany(k =>
                k.Variants.Select(v => new MatrixRow(
                    k,
                    v,
                    k == reference ? null : reference?.Variants.FirstOrDefault(r => r.Name == v.Name)
                ))
            )
            .ToList();
    }

    /// <summary>
    /// "ipv4-tcp DROP (reference PASS)" for each class whose verdict is not the reference kernel's,
    /// "same", or null where there is nothing to set side by side.
    /// </summary>
    public string? VerdictsDiffering =>
        OnReference is null || Variant.Verdicts.Count == 0 || OnReference.Verdicts.Count == 0 ? null
        : string.Join(
            "; ",
            Variant
                .Verdicts.Join(OnReference.Verdicts, v => v.Class, r => r.Class, (v, r) => (v, r))
                .Where(p => p.v.Verdict != p.r.Verdict)
                .Select(p =>
                    $"{TrafficClasses.Name(p.v.Class)} {EnumNames.Of(p.v.Verdict).ToUpperInvariant()} "
                    + $"(reference {EnumNames.Of(p.r.Verdict).ToUpperInvariant()})"
                )
        )
            is { Length: > 0 } text
            ? text
        : "same";
}

/// <summary>The kernel matrix: report.md, report.html, the terminal and matrix.csv.</summary>
public static class MatrixColumns
{
    public const string CsvFile = "matrix.csv";

    public static IReadOnlyList<Column<MatrixRow>> All { get; } =
    [
        Column.Key<MatrixRow>("VARIANT", "variant", "the variant", r => r.Variant.Name),
        Column.Key<MatrixRow>("KERNEL", "kernel", "the kernel as given to --kernel", r => r.Kernel.Name),
        Column.Of<MatrixRow>("RELEASE", "release", "the kernel's uname -r", r => r.Kernel.Release),
        Column.Of<MatrixRow>(
            "ACCEL",
            "accel",
            "`native` (the running kernel), `kvm` or `tcg` (a QEMU guest)",
            r => EnumNames.Of(r.Kernel.Accel)
        ),
        Column.Of<MatrixRow>(
            "LOADS",
            "loaded",
            "whether the kernel loaded the program (`true`/`false`; tables: `yes`, or REFUSED with the verifier's final message)",
            r => r.Variant.Loaded
        ) with
        {
            Text = r => r.Variant.Loaded ? "yes" : $"REFUSED: {r.Variant.Refusal}",
        },
        Column.Csv<MatrixRow>("refusal", "why the kernel refused the program", r => r.Variant.Refusal),
        Column.Of<MatrixRow>("INSNS", "insns", "instructions the verifier processed", r => r.Variant.Verifier?.Insns),
        Column.Of<MatrixRow>("STATES", "states", "the verifier's total states", r => r.Variant.Verifier?.States),
        Column.Of<MatrixRow>("PEAK", "peak_states", "the verifier's peak states", r => r.Variant.Verifier?.PeakStates),
        Column.Of<MatrixRow>(
            "XLATED",
            "xlated_insns",
            "instructions the verifier emitted: the program the kernel runs",
            r => r.Variant.Verifier?.XlatedInsns
        ),
        Column.Of<MatrixRow>(
            "JIT B",
            "jited_bytes",
            "bytes of machine code the JIT emitted",
            r => r.Variant.Verifier?.JitedBytes
        ) with
        {
            Unit = "bytes",
        },
        Column.Of<MatrixRow>(
            "CALLS",
            "kernel_calls",
            "calls into the kernel left in the translated program (helpers the verifier did not inline)",
            r => r.Variant.KernelCalls
        ),
        Column.Of<MatrixRow>(
            "COUNTS",
            "counts",
            "after every frame, the maps against what the frames sent so far give: `exact`, `within_bounds` "
                + "(a sampled count), `mismatch` (tables: MISMATCH and where), or `none` with nothing to count",
            r => EnumNames.Of(r.Variant.Counts)
        ) with
        {
            Text = r =>
                r.Variant.Counts switch
                {
                    CountsCheck.Mismatch => $"MISMATCH: {r.Variant.CountProblem}",
                    CountsCheck.WithinBounds => "within bounds",
                    CountsCheck.None => "-",
                    var c => EnumNames.Of(c),
                },
        },
        Column.Csv<MatrixRow>("count_problem", "where a count first went wrong", r => r.Variant.CountProblem),
        Column.Of<MatrixRow>(
            "VERDICTS",
            "verdicts_differing",
            "classes whose verdict differs from the reference kernel's (the running kernel when the matrix has it)",
            r => r.VerdictsDiffering
        ),
        Column.Csv<MatrixRow>("timing", "what time the kernel's row carries", r => r.Kernel.Timing),
    ];
}
