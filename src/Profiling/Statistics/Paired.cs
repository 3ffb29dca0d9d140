namespace PacketCounter.Profiling.Statistics;

/// <summary>
/// Estimates from pairs taken close together (a variant's slices and the baseline's in the
/// same ABBA quadruple, or in the same round): whatever drift both saw cancels in the pair.
/// </summary>
public static class Paired
{
    /// <summary>Below this many pairs a signed-rank interval is too coarse to be useful, and Student t takes over.</summary>
    public const int RobustFrom = 10;

    /// <summary>
    /// The location of paired differences: Hodges–Lehmann with a Wilcoxon interval from <see cref="RobustFrom"/>
    /// pairs, the mean with a Student t interval below.
    /// </summary>
    public static Interval Location(IReadOnlyList<double> differences) =>
        differences.Count >= RobustFrom
            ? SignedRank.Of(differences)
            : Interval.Of(Estimate.OfSamples(differences), differences.Count);

    /// <summary>Clusters with fewer pairs than this do not count as clusters of their own.</summary>
    public const int PairsPerCluster = 3;

    /// <summary>
    /// The location of paired differences that come in clusters sharing an offset (micro
    /// pairs measured on one load of the programs share where the JIT put the code): one
    /// Hodges–Lehmann estimate per cluster, then <see cref="Location(IReadOnlyList{double})"/> over the
    /// clusters, so the interval covers the offsets, not only the noise within a cluster.
    /// With fewer than three clusters there is nothing to spread the offsets over, and
    /// the pairs are taken as they are.
    /// </summary>
    public static Interval LocationByCluster(IReadOnlyList<(int Cluster, double Difference)> differences)
    {
        var clusters = differences
            .GroupBy(d => d.Cluster)
            .Where(g => g.Count() >= PairsPerCluster)
            .Select(g =>
                Perfolizer.Mathematics.GenericEstimators.HodgesLehmannEstimator.Instance.Median(
                    new Perfolizer.Sample(g.Select(d => d.Difference).ToArray())
                )
            )
            .ToList();
        if (clusters.Count < 3)
            return Location(differences.Select(d => d.Difference).ToList());
        var interval = Location(clusters);
        return interval with { Method = $"{interval.Method}, over {clusters.Count} loads" };
    }

    /// <summary>The mean of per-pair differences a − b, with its Student t CI.</summary>
    public static Estimate Difference(IEnumerable<(double A, double B)> pairs) =>
        Estimate.OfSamples(pairs.Select(p => p.A - p.B).ToList());
}
