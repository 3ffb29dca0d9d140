using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Comparison;

/// <summary>A compare as one report model: the terminal and compare.md render the same document.</summary>
public static class ComparisonReport
{
    public static ReportDocument Build(RunComparisonResult comparison)
    {
        var (a, b, settings) = (comparison.A, comparison.B, comparison.Settings);
        var correction = settings.Correction == Correction.Holm ? "Holm" : "Benjamini-Hochberg";
        var blocks = new List<Block>
        {
            new Bullets([$"A: {Describe(a)}", $"B: {Describe(b)}"]),
            new Paragraph(
                string.Create(
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
                )
            ),
        };
        if (comparison.Warnings.Count > 0)
            blocks.Add(new Bullets(comparison.Warnings.Select(w => $"warning: {w}").ToList()));
        blocks.Add(new TableBlock(Table(comparison)));
        return new ReportDocument($"Compare {a.Id} → {b.Id}", [new Section("Compare", blocks)]);
    }

    public static Table Table(RunComparisonResult comparison) =>
        new(
            null,
            ["VARIANT", "MODE", "CELL", "NET A", "NET B", "Δ NS", "Δ RATIO", "P", "ABSOLUTE A → B", "VERDICT", "WHY"],
            comparison
                .Rows.Select(r =>
                    (IReadOnlyList<string>)
                        [
                            r.Key.Role == Measurement.MeasuredRole.Control
                                ? $"{r.Key.Variant} (control)"
                                : r.Key.Variant,
                            Text.EnumNames.Of(r.Key.Cell.Mode),
                            r.Key.Cell.Place,
                            Ns(r.NetA),
                            Ns(r.NetB),
                            double.IsFinite(r.ShiftNs)
                                ? r.ShiftNs.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)
                                : "-",
                            double.IsFinite(r.RelativeChange)
                                ? r.RelativeChange.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)
                                : "-",
                            r.AdjustedPValue.ToString("0.####", CultureInfo.InvariantCulture),
                            Absolute(comparison.Absolute[r.Key], comparison.SameMachine),
                            r.Verdict.ToString().ToLowerInvariant(),
                            r.Reason,
                        ]
                )
                .ToList()
        )
        {
            Legend =
            [
                (
                    "NET A, NET B",
                    "ns per packet over the run's own baseline (micro: BPF_PROG_TEST_RUN; live: CPU "
                        + "ns), Hodges-Lehmann over the run's ABBA quadruples"
                ),
                (
                    "Δ NS",
                    "how far the net ns moved from A to B: the smaller of the Hodges-Lehmann shift "
                        + "(the typical quadruple) and the lower quartile's shift (the quiet machine), 0 "
                        + "when they disagree"
                ),
                (
                    "Δ RATIO",
                    "the same for the cost ratio (the variant's cost over the baseline's, per quadruple), relative to A"
                ),
                ("P", "Mann-Whitney on the cost ratios, two-sided, corrected across every row"),
                (
                    "ABSOLUTE A → B",
                    "ns/packet (micro) or Mpps (live) as measured: they move with the machine, so they are never gated"
                ),
            ],
        };

    private static string Describe(History.StoredRun run) =>
        $"{run.Id}{(run.Tag is { } tag ? $" (tag {tag})" : "")}, started "
        + $"{run.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}, "
        + $"on {run.Machine}";

    private static string Ns(double value) =>
        double.IsFinite(value) ? value.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Absolute(AbsoluteFigure figure, bool sameMachine)
    {
        static string Of(double? value) =>
            value is { } v && double.IsFinite(v) ? v.ToString("0.##", CultureInfo.InvariantCulture) : "-";
        return $"{Of(figure.A)} → {Of(figure.B)} {figure.Unit}{(sameMachine ? "" : " (other machine)")}";
    }
}
