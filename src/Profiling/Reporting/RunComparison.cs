using System.Text;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace PacketCounter.Profiling.Reporting;

public enum Verdict { Same, Faster, Slower }

/// <summary>One matched figure of two runs and the decision about it.</summary>
public sealed record ComparisonRow(
    string Variant, string Mode, string Class, int FrameSize, string GenCpus, string Metric,
    int CountA, double MeanA, int CountB, double MeanB, double RelativeChange, double PValue, Verdict Verdict);

/// <summary>
/// Compares two runs' raw samples, row by row (variant × mode × class × size × generator
/// CPUs). A row is faster or slower only when Welch's t-test finds the difference
/// significant (p &lt; 0.05) and it exceeds the relative threshold; otherwise it is the
/// same. Micro rows compare ns/packet (lower is faster), live rows Mpps (higher is faster).
/// </summary>
public static class RunComparison
{
    public const string ReportFile = "compare.md";
    public const double Alpha = 0.05;

    public static IReadOnlyList<ComparisonRow> Compare(string runA, string runB, double threshold)
    {
        var a = Load(runA);
        var b = Load(runB);
        var keysA = a.Keys.ToHashSet();
        var shared = keysA.Intersect(b.Keys).OrderBy(k => k.Variant).ThenBy(k => k.Mode).ThenBy(k => k.Class).ThenBy(k => k.FrameSize).ToList();
        if (shared.Count == 0)
            throw new InvalidDataException($"{runA} and {runB} share no variant × mode × class × size; they cannot be compared");
        return shared.Select(k => Decide(k, a[k], b[k], threshold)).ToList();
    }

    private static ComparisonRow Decide((string Variant, string Mode, string Class, int FrameSize, string GenCpus) key, List<double> a, List<double> b, double threshold)
    {
        var metric = key.Mode == "micro" ? "ns_per_packet" : "mpps";
        var meanA = a.Mean();
        var meanB = b.Mean();
        var change = (meanB - meanA) / meanA;
        var p = WelchTwoSidedP(a, b);
        var verdict = Verdict.Same;
        if (p < Alpha && Math.Abs(change) > threshold)
        {
            var higherIsBetter = metric == "mpps";
            verdict = (change > 0) == higherIsBetter ? Verdict.Faster : Verdict.Slower;
        }
        return new ComparisonRow(key.Variant, key.Mode, key.Class, key.FrameSize, key.GenCpus, metric, a.Count, meanA, b.Count, meanB, change, p, verdict);
    }

    private static double WelchTwoSidedP(List<double> a, List<double> b)
    {
        if (a.Count < 2 || b.Count < 2)
            return 1;
        var va = a.Variance() / a.Count;
        var vb = b.Variance() / b.Count;
        if (va + vb == 0)
            return a.Mean() == b.Mean() ? 1 : 0;
        var t = (b.Mean() - a.Mean()) / Math.Sqrt(va + vb);
        var df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t)));
    }

    private static Dictionary<(string Variant, string Mode, string Class, int FrameSize, string GenCpus), List<double>> Load(string run)
    {
        var path = Path.Combine(run, RunArtifacts.RunsFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{run} is not a run folder: it has no {RunArtifacts.RunsFile}", path);
        return CsvAppender<RunRow>.Read(path)
            .Where(r => r.Failure.Length == 0 && (r.Mode == RunRow.MicroMode ? r.NsPerPacket is not null : r.Mpps is not null))
            .GroupBy(r => (r.Variant, r.Mode, r.Class, r.FrameSize, r.GenCpus + (r.Sink.Length > 0 ? " " + r.Sink : "")))
            .ToDictionary(g => g.Key, g => g.Select(r => r.Mode == "micro" ? r.NsPerPacket!.Value : r.Mpps!.Value).ToList());
    }

    public static string Markdown(string runA, string runB, double threshold, IReadOnlyList<ComparisonRow> rows)
    {
        var md = new StringBuilder($"# Compare\n\nA: `{runA}`\n\nB: `{runB}`\n\n");
        md.Append($"Welch's t-test on the raw samples, significant at p < {Alpha}, and a change beyond {threshold:P0}: faster or slower; otherwise same. Micro compares ns/packet, live Mpps.\n\n");
        md.Append("| VARIANT | MODE | CLASS | SIZE | CPUS | METRIC | A (n) | B (n) | CHANGE | p | VERDICT |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            md.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Variant} | {r.Mode} | {r.Class} | {r.FrameSize} | {r.GenCpus} | {r.Metric} | {r.MeanA:0.###} ({r.CountA}) | {r.MeanB:0.###} ({r.CountB}) | {r.RelativeChange:+0.0%;-0.0%} | {r.PValue:0.####} | {r.Verdict.ToString().ToLowerInvariant()} |\n"));
        return md.ToString();
    }
}
