using PacketCounter.Profiling.Analysis.Matrix;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting;

/// <summary>The sections of a matrix run's report: what differs, the table, and each kernel's one line.</summary>
public static class MatrixReport
{
    public static IReadOnlyList<Section> Sections(RunResult result)
    {
        var differences = KernelDifferences.Of(result);
        var reference = KernelDifferences.Reference(result.Kernels);
        var findings = differences
            .GroupBy(d => d.Variant)
            .SelectMany(g => g.Select(d => $"{d.Variant}: {d.Text}"))
            .ToList();
        if (findings.Count == 0 && reference is not null)
            findings.Add(
                $"Every variant loads, verifies and is translated alike on {result.Kernels.Count(k => k.Failure is null)} kernel(s)."
            );
        var sections = new List<Section>();
        if (result.Incomplete)
            sections.Add(
                new Section(
                    "Incomplete run",
                    [
                        new Paragraph(
                            "**INCOMPLETE:** the matrix was interrupted; the kernels finished before that are here."
                        ),
                    ]
                )
            );
        sections.AddRange([
            new(
                "Findings",
                [
                    new Paragraph(
                        reference is null
                            ? "No kernel gave results."
                            : $"What differs between kernels, against {KernelDifferences.Label(reference)}:"
                    ),
                    new Bullets(findings),
                ]
            ),
            new(
                "Kernel matrix",
                [
                    new TableBlock(
                        ColumnTable.Of(null, MatrixColumns.All, MatrixRow.Of(result.Kernels)) with
                        {
                            Footnote =
                                "Loads, verifier figures and verdicts are the kernel's own: exact under emulation too. "
                                + "Counts are read from the maps after each class's frame and checked by the host.",
                        }
                    ),
                ]
            ),
            new(
                "Kernels",
                [
                    new Bullets(
                        result
                            .Kernels.Select(k =>
                                k.Failure
                                ?? $"{KernelDifferences.Label(k)}: {EnumNames.Of(k.Accel)}, {k.Source}, "
                                    + $"{k.Seconds:0.0} s; {k.Timing}"
                            )
                            .ToList()
                    ),
                ]
            ),
        ]);
        var logs = LogFiles(result).Select(l => $"`{l.File}`").ToList();
        if (logs.Count > 0)
            sections.Add(
                new Section(
                    "Refusals",
                    [
                        new Paragraph(
                            $"The verifier's whole log of each refused program is beside this report: {string.Join(", ", logs)}."
                        ),
                    ],
                    InTerminal: false
                )
            );
        return sections;
    }

    /// <summary>The verifier log of every refused program, and the file the run folder keeps it in.</summary>
    public static IEnumerable<(string File, string Log)> LogFiles(RunResult result) =>
        result.Kernels.SelectMany(k =>
            k.Variants.Where(v => v.VerifierLog is not null)
                .Select(v => (FileName($"verifier-{v.Name}-on-{k.Name}.log"), v.VerifierLog!))
        );

    // A kernel given as a path, or a variant named dir/stem, is one file name here.
    private static string FileName(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_'));
}
