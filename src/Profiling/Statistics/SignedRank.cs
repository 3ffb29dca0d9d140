using MathNet.Numerics.Distributions;
using Perfolizer;
using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.GenericEstimators;
using Perfolizer.Mathematics.QuantileEstimators;

namespace PacketCounter.Profiling.Statistics;

/// <summary>
/// The location of paired differences without assuming a distribution: the Hodges–Lehmann
/// estimate (the median of the Walsh averages, (dᵢ + dⱼ)/2 for i ≤ j) with the confidence
/// interval that inverts the Wilcoxon signed-rank test (two order statistics of the same
/// Walsh averages). Busy periods on a shared machine arrive in bursts, so single pairs
/// swing far while most sit close; the mean of the pairs follows the bursts, this does not.
/// Perfolizer computes the estimate and the order statistics; only the critical rank is
/// worked out here.
/// </summary>
public static class SignedRank
{
    // Below this the signed-rank distribution is counted exactly; above it the normal
    // approximation is within a rank of the exact critical value.
    private const int ExactUpTo = 60;

    /// <summary>
    /// The HL estimate and its ≥ 95% Wilcoxon interval; the interval is infinite when there are too few pairs to
    /// reach 95%.
    /// </summary>
    public static Interval Of(IReadOnlyList<double> differences)
    {
        var n = differences.Count;
        if (n == 0)
            return new Interval(double.NaN, double.NaN, double.NaN, 0, Method);
        var sample = new Sample(differences.ToArray());
        var estimate = n == 1 ? differences[0] : HodgesLehmannEstimator.Instance.Median(sample);
        var rank = CriticalRank(n, 1 - Interval.Confidence);
        if (rank < 1)
            return new Interval(estimate, double.NegativeInfinity, double.PositiveInfinity, n, Method);
        var walsh = (long)n * (n + 1) / 2;
        return new Interval(
            estimate,
            WalshOrderStatistic(sample, rank, walsh),
            WalshOrderStatistic(sample, walsh - rank + 1, walsh),
            n,
            Method
        );
    }

    public const string Method = "Hodges-Lehmann, Wilcoxon signed-rank CI";

    /// <summary>
    /// The largest k with P(W &lt; k) ≤ α/2 under the null, W the signed-rank statistic of n
    /// pairs: the interval is [k-th, (M−k+1)-th] Walsh average. 0 when no interval reaches 1 − α.
    /// </summary>
    public static long CriticalRank(int n, double alpha)
    {
        if (n <= ExactUpTo)
        {
            // counts[s] = number of sign patterns with rank sum s; each has probability 2^-n.
            var max = n * (n + 1) / 2;
            var counts = new double[max + 1];
            counts[0] = 1;
            for (var r = 1; r <= n; r++)
            for (var s = max; s >= r; s--)
                counts[s] += counts[s - r];
            var total = Math.Pow(2, n);
            var cumulative = 0.0;
            long k = 0;
            // P(W ≤ s) ≤ α/2 means s + 1 is still a valid rank.
            for (var s = 0; s <= max; s++)
            {
                cumulative += counts[s] / total;
                if (cumulative > alpha / 2)
                    break;
                k = s + 1;
            }
            return k;
        }
        var mean = n * (n + 1) / 4.0;
        var sd = Math.Sqrt(n * (n + 1) * (2.0 * n + 1) / 24);
        return (long)Math.Floor(mean - Normal.InvCDF(0, 1, 1 - alpha / 2) * sd + 0.5);
    }

    // Type-7 quantiles land exactly on an order statistic when p = (k − 1) / (M − 1).
    private static double WalshOrderStatistic(Sample sample, long k, long walsh) =>
        walsh == 1
            ? sample.Values[0]
            : PairwiseEstimatorHelper.Estimate(
                sample,
                (a, b) => (a + b) / 2,
                SimpleQuantileEstimator.Instance,
                (k - 1.0) / (walsh - 1.0),
                true
            );
}
