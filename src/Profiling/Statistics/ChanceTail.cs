namespace PacketCounter.Profiling.Statistics;

/// <summary>
/// Judging many checks that each fail by chance now and then (a 95% CI that must cover 0,
/// a 3σ bound a sample must fall in): not one miss, but how many, against the binomial
/// tail of honest checks.
/// </summary>
public static class ChanceTail
{
    /// <summary>Misses count against the checks only when so many happen by chance less than once in a thousand runs.</summary>
    public const double RareLevel = 0.001;

    /// <summary>
    /// How likely at least <paramref name="misses"/> of <paramref name="checks"/> independent checks miss, each with
    /// <paramref name="missChance"/>.
    /// </summary>
    public static double OfAtLeast(int misses, int checks, double missChance) =>
        misses <= 0 ? 1 : 1 - MathNet.Numerics.Distributions.Binomial.CDF(missChance, checks, misses - 1);

    /// <summary>More misses than chance gives once in a thousand runs.</summary>
    public static bool TooMany(int misses, int checks, double missChance) =>
        OfAtLeast(misses, checks, missChance) < RareLevel;
}
