using PacketCounter.Profiling.Statistics;
using Perfolizer;
using Perfolizer.Mathematics.GenericEstimators;
using Perfolizer.Mathematics.QuantileEstimators;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;

namespace PacketCounter.Profiling.Comparison;

public enum Verdict
{
    Same,
    Faster,
    Slower,
}

/// <summary>
/// How compare decides.
/// </summary>
/// <param name="Threshold">A row differs only when its cost ratio to the baseline moved by more than this share.</param>
/// <param name="FloorNs">... and its net ns by more than this: sub-nanosecond costs move that much between runs of the same build.</param>
/// <param name="Alpha">The significance level, after correction across rows.</param>
public sealed record GateSettings(
    double Threshold = GateSettings.DefaultThreshold,
    double FloorNs = GateSettings.DefaultFloorNs,
    double Alpha = 0.05,
    Correction Correction = Correction.Holm
)
{
    public const double DefaultThreshold = 0.05;

    /// <summary>
    /// Three default benches of one build on the reference VM moved a micro cell's net cost
    /// by up to 0.94 ns between runs while its cost ratio moved up to 9%; live cells moved
    /// less than 2% in ratio.
    /// </summary>
    public const double DefaultFloorNs = 1.0;
}

/// <summary>One compared cell: a variant in a micro class cell or a live setting.</summary>
public sealed record RowKey(string Variant, Measurement.MeasuredRole Role, Measurement.CellKey Cell)
{
    public override string ToString() => $"{Variant} {Cell}";
}

/// <summary>A row's paired samples in each run: per quadruple, the cost ratio to the baseline and the net ns.</summary>
public sealed record RowSamples(
    RowKey Key,
    IReadOnlyList<double> CostRatioA,
    IReadOnlyList<double> CostRatioB,
    IReadOnlyList<double> NetNsA,
    IReadOnlyList<double> NetNsB
);

/// <param name="NetA">Hodges–Lehmann net ns of run A.</param>
/// <param name="RelativeChange">How far the cost ratio moved from A to B, over A's ratio: the smaller in size of
/// the Hodges–Lehmann shift and the shift of the lower quartile, 0 when they disagree in sign.</param>
/// <param name="ShiftNs">The same for the net ns.</param>
/// <param name="PValue">Mann–Whitney, two-sided, on the cost ratios.</param>
/// <param name="AdjustedPValue">After correction across every row of the compare.</param>
public sealed record GateDecision(
    RowKey Key,
    int PairsA,
    int PairsB,
    double NetA,
    double NetB,
    double ShiftNs,
    double CostRatioA,
    double CostRatioB,
    double RelativeChange,
    double PValue,
    double AdjustedPValue,
    Verdict Verdict,
    string Reason
);

/// <summary>
/// The regression gate. It compares figures normalized inside each run (every run carries
/// its own baseline), never absolute ones, which move 20% between runs here and 3× between
/// machines of one kind. A row is slower or faster only when three things hold: the
/// Mann–Whitney test on the per-quadruple cost ratios is significant after correcting for
/// every row of the compare (Holm by default), the ratio moved beyond the threshold, and
/// the net cost moved beyond the ns floor, in the same direction.
/// </summary>
/// <remarks>
/// How far a row moved is read twice, as the Hodges–Lehmann shift (the typical quadruple)
/// and as the shift of the lower quartile (the quiet machine), and the smaller counts. On a
/// shared VM a counter's quadruples fall into two states, a quiet one and one about 4 ns
/// dearer while a neighbour contends for the core, and two runs of one build can hold them
/// in different proportions: that moves the typical quadruple, not the quiet one. Added
/// work moves both.
/// </remarks>
public static class RegressionGate
{
    private const int MinimumPairs = 3;

    public static IReadOnlyList<GateDecision> Decide(IReadOnlyList<RowSamples> rows, GateSettings settings)
    {
        var tested = rows.Select(Test).ToList();
        var adjusted = MultipleComparisons.Adjust(tested.Select(t => t.PValue).ToList(), settings.Correction);
        return tested.Select((t, i) => Judge(t, adjusted[i], settings)).ToList();
    }

    private static GateDecision Test(RowSamples row)
    {
        var (ra, rb, na, nb) = (row.CostRatioA, row.CostRatioB, row.NetNsA, row.NetNsB);
        var untested = new GateDecision(
            row.Key,
            ra.Count,
            rb.Count,
            Location(na),
            Location(nb),
            double.NaN,
            Location(ra),
            Location(rb),
            double.NaN,
            1,
            1,
            Verdict.Same,
            ""
        );
        if (ra.Count < MinimumPairs || rb.Count < MinimumPairs || na.Count < MinimumPairs || nb.Count < MinimumPairs)
            return untested with { Reason = $"too few pairs to test (need {MinimumPairs} in each run)" };
        var (sa, sb) = (new Sample(ra.ToArray()), new Sample(rb.ToArray()));
        var p = MannWhitneyTest.Instance.GetPValue(sa, sb, AlternativeHypothesis.TwoSides, Threshold.Zero).Value;
        var (nsa, nsb) = (new Sample(na.ToArray()), new Sample(nb.ToArray()));
        return untested with
        {
            ShiftNs = Agreed(HodgesLehmannEstimator.Instance.Shift(nsb, nsa), LowerQuartile(nsb) - LowerQuartile(nsa)),
            RelativeChange =
                Agreed(HodgesLehmannEstimator.Instance.Shift(sb, sa), LowerQuartile(sb) - LowerQuartile(sa))
                / untested.CostRatioA,
            PValue = double.IsFinite(p) ? p : 1,
            AdjustedPValue = double.NaN,
        };
    }

    private static GateDecision Judge(GateDecision row, double adjusted, GateSettings settings)
    {
        if (row.Reason.Length > 0)
            return row with { AdjustedPValue = adjusted };
        var correction = settings.Correction == Correction.Holm ? "Holm" : "Benjamini-Hochberg";
        string reason;
        var verdict = Verdict.Same;
        if (adjusted >= settings.Alpha)
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"not significant (p {adjusted:0.###} after {correction})"
            );
        else if (Math.Abs(row.RelativeChange) <= settings.Threshold)
            reason = string.Create(CultureInfo.InvariantCulture, $"significant, but within {settings.Threshold:0.#%}");
        else if (Math.Abs(row.ShiftNs) <= settings.FloorNs)
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"significant and beyond {settings.Threshold:0.#%}, but within the {settings.FloorNs:0.##} ns floor"
            );
        else if (Math.Sign(row.RelativeChange) != Math.Sign(row.ShiftNs))
            reason = "the cost ratio and the net ns moved in opposite directions";
        else
        {
            verdict = row.RelativeChange > 0 ? Verdict.Slower : Verdict.Faster;
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"significant (p {adjusted:0.####} after {correction}), {row.RelativeChange:+0.0%;-0.0%} and {row.ShiftNs:+0.00;-0.00} ns"
            );
        }
        return row with { AdjustedPValue = adjusted, Verdict = verdict, Reason = reason };
    }

    private static double LowerQuartile(Sample sample) => HarrellDavisQuantileEstimator.Instance.Quantile(sample, 0.25);

    // The smaller of two readings of one move, or none when they point opposite ways.
    private static double Agreed(double typical, double quiet) =>
        Math.Sign(typical) != Math.Sign(quiet) ? 0
        : Math.Abs(typical) <= Math.Abs(quiet) ? typical
        : quiet;

    private static double Location(IReadOnlyList<double> values) =>
        values.Count == 0 ? double.NaN
        : values.Count == 1 ? values[0]
        : HodgesLehmannEstimator.Instance.Median(new Sample(values.ToArray()));
}
