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
            sentences.Add(
                "**This run is unreliable:** the A/A copy's CI excludes 0 in "
                    + $"{findings.NoiseFloor.Excluding.Count} of {findings.NoiseFloor.Cells.Count} "
                    + "cells (chance allows 1 in 20); rerun before trusting any difference below."
            );
        foreach (var ranking in findings.Rankings)
        {
            var order = string.Join(
                ", ",
                ranking.Counters.Select(c => $"**{c.Variant}** {Signed(c.Net.Estimate)} ± {N(c.Net.HalfWidth)}")
            );
            sentences.Add($"{Capital(ranking.Context)}: cheapest first, {order} {ranking.Unit} over {baseline}.");
            var real = ranking.Pairs.Where(p => p.Significant).ToList();
            var unresolved = ranking.Pairs.Where(p => !p.Significant).ToList();
            if (real.Count > 0)
            {
                var differences = real.Select(p =>
                    $"{p.Costlier} costs {N(p.Difference.Estimate)} ± {N(p.Difference.HalfWidth)} {ranking.Unit} more than {p.Cheaper}"
                );
                sentences.Add($"Differences that are real (95% CI excludes 0): {string.Join("; ", differences)}.");
            }
            if (unresolved.Count > 0)
            {
                var open = unresolved.Select(p =>
                    $"{p.Cheaper} and {p.Costlier} ({Signed(p.Difference.Estimate)} ± {N(p.Difference.HalfWidth)} {ranking.Unit})"
                );
                sentences.Add(
                    $"Not resolved by this run (95% CI of the difference includes 0): {string.Join("; ", open)}."
                );
            }
        }
        if (findings.Rankings.Count == 0)
            sentences.Add(
                "No counter has a net figure in this run: run micro mode, or live mode with the drop sink, to rank them."
            );
        var floor = findings.NoiseFloor;
        if (floor.Cells.Count > 0)
        {
            var parts = new List<string>();
            if (floor.MicroHalfWidth is { } micro)
                parts.Add($"±{N(micro)} ns or less in micro");
            if (floor.LiveHalfWidth is { } live)
                parts.Add($"±{N(live)} CPU ns/packet live");
            sentences.Add(
                $"Noise floor: the A/A copy of {baseline} reads {string.Join(" and ", parts)} "
                    + $"(the widest of its CIs); its CI excludes 0 in {floor.Excluding.Count} of "
                    + $"{floor.Cells.Count} cells, where chance allows 1 in 20."
            );
        }
        else
            sentences.Add("Noise floor: not measured (no A/A copy in this run).");
        if (findings.StatsCostNsPerPacket is { } stats)
            sentences.Add(
                $"Run stats cost {N(stats.Estimate)} ± {N(stats.HalfWidth)} CPU ns per packet on "
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

    private static string N(double value) => Format.Number(value, Math.Abs(value) >= 10 ? "0.0" : "0.00");

    private static string Signed(double value) => (value >= 0 ? "+" : "") + N(value);

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
