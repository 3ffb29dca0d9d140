using PacketCounter.Profiling.Comparison;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting;

/// <summary>A compare as one report model: the terminal and compare.md render the same document.</summary>
public static class ComparisonReport
{
    public static ReportDocument Build(RunComparisonResult comparison)
    {
        var (a, b) = (comparison.A, comparison.B);
        var (heading, summary, table) = comparison.Matrix is { } matrix
            ? ("Compare kernel matrices", MatrixSummary(matrix), MatrixTable(matrix))
            : ("Compare", GateSummary(comparison), Table(comparison));
        var blocks = new List<Block>
        {
            new Bullets([$"A: {Describe(a)}", $"B: {Describe(b)}"]),
            new Paragraph(summary),
        };
        if (comparison.Warnings.Count > 0)
            blocks.Add(new Bullets(comparison.Warnings.Select(w => $"warning: {w}").ToList()));
        blocks.Add(new TableBlock(table));
        return new ReportDocument($"Compare {a.Id} → {b.Id}", [new(heading, blocks), .. VerifierSections(comparison)]);
    }

    private static string GateSummary(RunComparisonResult comparison)
    {
        var settings = comparison.Settings;
        var correction = settings.Correction == Correction.Holm ? "Holm" : "Benjamini-Hochberg";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{comparison.Slower} slower, {comparison.Faster} faster, "
                + $"{comparison.Rows.Count - comparison.Slower - comparison.Faster} same, of "
                + $"{comparison.Rows.Count} rows. "
                + $"A row is slower or faster only when the Mann-Whitney test on its per-quadruple "
                + $"cost ratios is significant at {settings.Alpha} after {correction} correction "
                + $"across all rows, "
                + $"the ratio moved beyond {settings.Threshold:0.#%}, and the net cost moved beyond "
                + $"{settings.FloorNs:0.##} ns, in the same direction. Absolute figures are shown, "
                + $"never gated."
        );
    }

    private static string MatrixSummary(MatrixChanges matrix) =>
        $"{matrix.Shared} variant-on-kernel cells in both; {matrix.Changes.Count} change(s) in "
        + $"loading, counts or verdicts, {matrix.Regressions.Count} of them regressions (a load "
        + "refused, or counts that no longer verify).";

    public static Table MatrixTable(MatrixChanges matrix) =>
        ColumnTable.Of(
            null,
            [
                Column.Key<MatrixChange>("CELL", null, "the variant on the kernel", c => c.Cell),
                Column.Of<MatrixChange>("A", "in run A", c => c.A),
                Column.Of<MatrixChange>("B", "in run B", c => c.B),
                Column.Of<MatrixChange>(
                    "REGRESSION",
                    "`yes` when B lost a load or a count A had",
                    c => c.Regression ? "yes" : "no"
                ),
            ],
            matrix.Changes
        );

    private static IEnumerable<Section> VerifierSections(RunComparisonResult comparison)
    {
        if (comparison.Verifier.Count > 0)
            yield return new Section(
                "Verifier",
                [
                    new Paragraph(
                        "What the verifier made of each variant in A and in B (its stats log, a load of its own), "
                            + "as veristat compares builds. Every figure is exact but the verification time, so no "
                            + "test is applied: a difference is a difference."
                    ),
                    new TableBlock(VerifierTable(comparison)),
                ]
            );
    }

    public static Table Table(RunComparisonResult comparison)
    {
        const string net =
            "ns per packet over the run's own baseline (micro: BPF_PROG_TEST_RUN; live: CPU ns), Hodges-Lehmann "
            + "over the run's ABBA quadruples";
        IReadOnlyList<Column<GateDecision>> columns =
        [
            Column.Key<GateDecision>(
                "VARIANT",
                null,
                "the variant",
                r => r.Key.Role == MeasuredRole.Control ? $"{r.Key.Variant} (control)" : r.Key.Variant
            ),
            Column.Key<GateDecision>("MODE", null, "micro or live", r => EnumNames.Of(r.Key.Cell.Mode)),
            Column.Key<GateDecision>("CELL", null, "the class or live setting", r => r.Key.Cell.Place),
            Column.Number<GateDecision>("NET A", null, $"A's {net}", r => r.NetA, "0.00", "ns"),
            Column.Number<GateDecision>("NET B", null, $"B's {net}", r => r.NetB, "0.00", "ns"),
            Column.Number<GateDecision>(
                "Δ NS",
                null,
                "how far the net ns moved from A to B: the smaller of the Hodges-Lehmann shift (the typical "
                    + "quadruple) and the lower quartile's shift (the quiet machine), 0 when they disagree",
                r => r.ShiftNs,
                "+0.00;-0.00",
                "ns"
            ),
            Column.Number<GateDecision>(
                "Δ RATIO",
                null,
                "the same for the cost ratio (the variant's cost over the baseline's, per quadruple), relative to A",
                r => r.RelativeChange,
                "+0.0%;-0.0%"
            ),
            Column.Number<GateDecision>(
                "P",
                null,
                "Mann-Whitney on the cost ratios, two-sided, corrected across every row",
                r => r.AdjustedPValue,
                "0.####"
            ),
            new Column<GateDecision>
            {
                Header = "ABSOLUTE A → B",
                Legend =
                    "ns/packet (micro) or Mpps (live) as measured: they move with the machine, so they are "
                    + "never gated",
                Value = r => Absolute(comparison.Absolute[r.Key], comparison.SameMachine),
            },
            Column.Key<GateDecision>("VERDICT", null, "slower, faster or same", r => EnumNames.Of(r.Verdict)),
            Column.Key<GateDecision>("WHY", null, "the reason for the verdict", r => r.Reason),
        ];
        return ColumnTable.Of(null, columns, comparison.Rows);
    }

    public static Table VerifierTable(RunComparisonResult comparison) =>
        ColumnTable.Of(
            null,
            [
                Column.Key<VerifierDiff>("VARIANT", null, "the variant", d => d.Variant),
                Column.Key<VerifierDiff>(
                    "FIGURE",
                    null,
                    "the verifier's figure, named as veristat names it",
                    d => d.Figure
                ),
                Column.Of<VerifierDiff>("A", "in run A", d => d.A),
                Column.Of<VerifierDiff>("B", "in run B", d => d.B),
                new Column<VerifierDiff>
                {
                    Header = "DIFF",
                    Legend = "B minus A, and that over A",
                    Value = d => d.Difference,
                    Text = d =>
                        d.Difference.ToString("+0;-0;0", CultureInfo.InvariantCulture)
                        + (
                            d.Change is { } c
                                ? $" ({c.ToString("+0.00%;-0.00%;0.00%", CultureInfo.InvariantCulture)})"
                                : ""
                        ),
                },
            ],
            comparison.Verifier
        );

    private static string Describe(Results.StoredRun run) =>
        $"{run.Id}{(run.Tag is { } tag ? $" (tag {tag})" : "")}, started "
        + $"{run.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}, "
        + $"on {run.Machine}";

    private static string Absolute(AbsoluteFigure figure, bool sameMachine)
    {
        static string Of(double? value) =>
            value is { } v && double.IsFinite(v) ? v.ToString("0.##", CultureInfo.InvariantCulture) : "-";
        return $"{Of(figure.A)} → {Of(figure.B)} {figure.Unit}{(sameMachine ? "" : " (other machine)")}";
    }
}
