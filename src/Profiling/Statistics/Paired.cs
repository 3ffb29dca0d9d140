namespace PacketCounter.Profiling.Statistics;

/// <summary>
/// Estimates from pairs taken close together (a variant's slices and the baseline's in the
/// same ABBA quadruple, or in the same round): whatever drift both saw cancels in the pair.
/// </summary>
public static class Paired
{
    /// <summary>Below this many pairs a signed-rank interval is too coarse to be useful, and Student t takes over.</summary>
    public const int RobustFrom = 10;

    /// <summary>The location of paired differences: Hodges–Lehmann with a Wilcoxon interval from <see cref="RobustFrom"/> pairs, the mean with a Student t interval below.</summary>
    public static Interval Location(IReadOnlyList<double> differences) =>
        differences.Count >= RobustFrom ? SignedRank.Of(differences) : Interval.Of(Estimate.OfSamples(differences), differences.Count);

    /// <summary>The mean of per-pair differences a − b, with its Student t CI.</summary>
    public static Estimate Difference(IEnumerable<(double A, double B)> pairs) =>
        Estimate.OfSamples(pairs.Select(p => p.A - p.B).ToList());
}
