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
        Column.Of<MatrixRow>("RELEASE", "the kernel's uname -r", r => r.Kernel.Release) with
        {
            CsvName = "release",
        },
        Column.Of<MatrixRow>(
            "ACCEL",
            "`native` (the running kernel), `kvm` or `tcg` (a QEMU guest)",
            r => EnumNames.Of(r.Kernel.Accel)
        ) with
        {
            CsvName = "accel",
        },
        Column.Of<MatrixRow>(
            "LOADS",
            "whether the kernel loaded the program (`true`/`false`; tables: `yes`, or REFUSED with the verifier's final message)",
            r => r.Variant.Loaded
        ) with
        {
            CsvName = "loaded",
            Text = r => r.Variant.Loaded ? "yes" : $"REFUSED: {r.Variant.Refusal}",
        },
        Column.Csv<MatrixRow>("refusal", "why the kernel refused the program", r => r.Variant.Refusal),
        Column.Of<MatrixRow>("INSNS", "instructions the verifier processed", r => r.Variant.Verifier?.Insns) with
        {
            CsvName = "insns",
        },
        Column.Of<MatrixRow>("STATES", "the verifier's total states", r => r.Variant.Verifier?.States) with
        {
            CsvName = "states",
        },
        Column.Of<MatrixRow>("PEAK", "the verifier's peak states", r => r.Variant.Verifier?.PeakStates) with
        {
            CsvName = "peak_states",
        },
        Column.Of<MatrixRow>(
            "XLATED",
            "instructions the verifier emitted: the program the kernel runs",
            r => r.Variant.Verifier?.XlatedInsns
        ) with
        {
            CsvName = "xlated_insns",
        },
        Column.Of<MatrixRow>("JIT B", "bytes of machine code the JIT emitted", r => r.Variant.Verifier?.JitedBytes) with
        {
            CsvName = "jited_bytes",
            Unit = "bytes",
        },
        Column.Of<MatrixRow>(
            "CALLS",
            "calls into the kernel left in the translated program (helpers the verifier did not inline)",
            r => r.Variant.KernelCalls
        ) with
        {
            CsvName = "kernel_calls",
        },
        Column.Of<MatrixRow>(
            "COUNTS",
            "after every frame, the maps against what the frames sent so far give: `exact`, `within_bounds` "
                + "(a sampled count), `mismatch` (tables: MISMATCH and where), or `none` with nothing to count",
            r => EnumNames.Of(r.Variant.Counts)
        ) with
        {
            CsvName = "counts",
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
            "classes whose verdict differs from the reference kernel's (the running kernel when the matrix has it)",
            r => r.VerdictsDiffering
        ) with
        {
            CsvName = "verdicts_differing",
        },
        Column.Of<MatrixRow>("TIMING", "what time the kernel's row carries", r => r.Kernel.Timing) with
        {
            CsvName = "timing",
            InTable = false,
        },
    ];
}
