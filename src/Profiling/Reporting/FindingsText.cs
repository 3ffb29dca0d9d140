using PacketCounter.Profiling.Analysis;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The findings in sentences a reviewer can paste: every name and figure comes from
/// <see cref="Findings"/>; the words around them are the same whatever the variants are.
/// </summary>
public static class FindingsText
{
    public static IReadOnlyList<string> Sentences(Findings findings, RunVerdict verdict)
    {
        var baseline = findings.Baseline ?? "the baseline";
        var sentences = new List<string>();
        if (verdict.Unreliable)
        {
            var off = findings.NoiseFloor.Families.Where(f => f.Excludes).ToList();
            sentences.Add(
                "**This run is unreliable:** the A/A copy, which must read 0, is off it beyond chance in "
                    + string.Join(
                        "; ",
                        off.Select(f => $"{f.Name} ({Format.Signed(f.Estimate)} ± {Format.Figure(f.HalfWidth)})")
                    )
                    + "; rerun before trusting any difference below."
            );
        }
        sentences.AddRange(findings.Rankings.Select(r => Headline(r, baseline)));
        if (findings.Rankings.Count == 0)
            sentences.Add(
                "No counter has a net figure in this run: run micro mode, or live mode with the drop sink, to rank them."
            );
        var floor = findings.NoiseFloor;
        if (floor.Cells.Count > 0)
        {
            var parts = new List<string>();
            if (floor.MicroHalfWidth is { } micro)
                parts.Add($"±{Format.Figure(micro)} ns or less in micro");
            if (floor.LiveHalfWidth is { } live)
                parts.Add($"±{Format.Figure(live)} CPU ns/packet live");
            sentences.Add(
                $"Noise floor: the A/A copy of {baseline} reads {string.Join(" and ", parts)} "
                    + $"(the widest of its CIs); its CI excludes 0 in {floor.Excluding.Count} of "
                    + $"{floor.Cells.Count} cells. Cells that share their program loads (the micro "
                    + "classes of a frame size) move together, so they are judged together: "
                    + $"{floor.Families.Count(f => f.Excludes)} of {floor.Families.Count} groups are off 0, where "
                    + "chance allows 1 in 20."
            );
        }
        else
            sentences.Add("Noise floor: not measured (no A/A copy in this run).");
        if (findings.StatsCostNsPerPacket is { } stats)
            sentences.Add(
                $"Run stats cost {Format.Figure(stats.Estimate)} ± {Format.Figure(stats.HalfWidth)} CPU ns per packet on "
                    + "this live path: no rate here was taken with them on."
            );
        sentences.Add(
            verdict.Failed.Count + verdict.Miscounted.Count == 0
                ? verdict.WithinBound.Count == 0
                    ? "Every variant loaded, ran and counted exactly."
                    : "Every variant loaded, ran and verified: exactly, except "
                        + $"{string.Join(", ", verdict.WithinBound)}, within their declared bounds (a "
                        + "sampled count's misses no more than chance allows)."
                : string.Join(
                    " ",
                    new[]
                    {
                        verdict.Failed.Count > 0
                            ? $"Failed: {string.Join(", ", verdict.Failed)} (see Failures)."
                            : null,
                        verdict.Miscounted.Count > 0
                            ? $"MISCOUNTED: {string.Join(", ", verdict.Miscounted)} (see Miscounts)."
                            : null,
                    }.OfType<string>()
                )
        );
        return sentences;
    }

    /// <summary>
    /// A ranking in one sentence, by tier: "Micro (mix m, 64 B): tier a Alpha, Beta (+0.10 to
    /// +0.15); b Gamma (+5.00) ns/packet over Zero."
    /// </summary>
    public static string Headline(Ranking ranking, string baseline)
    {
        var tiers = ranking.Tiers.Select(
            (t, i) =>
                $"{(i == 0 ? "tier " : "")}{t.Tier} {string.Join(", ", t.Counters.Select(c => $"**{c.Variant}**"))} "
                + $"({Range(t.Counters)})"
        );
        var comma = ranking.Context.IndexOf(", ", StringComparison.Ordinal);
        var context =
            comma < 0
                ? Capital(ranking.Context)
                : $"{Capital(ranking.Context[..comma])} ({ranking.Context[(comma + 2)..]})";
        return $"{context}: {string.Join("; ", tiers)} {ranking.Unit} over {baseline}.";
    }

    private static string Range(IReadOnlyList<RankedCounter> counters)
    {
        var low = counters.Min(c => c.Net.Estimate);
        var high = counters.Max(c => c.Net.Estimate);
        return Format.Figure(low) == Format.Figure(high)
            ? Format.Signed(low)
            : $"{Format.Signed(low)} to {Format.Signed(high)}";
    }

    /// <summary>Every pair of a ranking: the difference, its CI, its p before and after Holm's correction.</summary>
    public static Table Pairwise(Ranking ranking) =>
        Columns.ColumnTable.Of(
            $"{Capital(ranking.Context)}, {ranking.Unit}",
            PairColumns,
            ranking.Pairs.OrderBy(p => ranking.Counters.ToList().FindIndex(c => c.Variant == p.Cheaper))
        );

    private static readonly IReadOnlyList<Columns.Column<PairComparison>> PairColumns =
    [
        Columns.Column.Key<PairComparison>("CHEAPER", null, "", p => p.Cheaper),
        Columns.Column.Key<PairComparison>("COSTLIER", null, "", p => p.Costlier),
        Columns.Column.Number<PairComparison>(
            "DIFFERENCE",
            null,
            "the costlier's net figure minus the cheaper's",
            p => p.Difference.Estimate,
            "0.00"
        ),
        Columns.Column.Ci<PairComparison>(p => p.Difference.HalfWidth, "0.00"),
        Columns.Column.Number<PairComparison>(
            "P",
            null,
            "two-sided p of the difference, its interval read as normal",
            p => p.PValue,
            "0.####"
        ),
        Columns.Column.Number<PairComparison>(
            "P (HOLM)",
            null,
            "p after Holm's correction over every pair of the ranking, as compare corrects its rows",
            p => p.AdjustedPValue,
            "0.####"
        ),
        Columns.Column.Of<PairComparison>(
            "TOLD APART",
            "yes when the corrected p is below 0.05: the two are in different tiers",
            p => p.Significant ? "yes" : "no"
        ),
    ];

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
