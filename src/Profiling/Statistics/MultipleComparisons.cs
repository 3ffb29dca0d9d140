namespace PacketCounter.Profiling.Statistics;

/// <summary>How p-values of many rows are corrected for being tested together.</summary>
public enum Correction
{
    /// <summary>Holm's step-down: the chance of any false "slower" in a compare stays at most α.</summary>
    Holm,

    /// <summary>Benjamini–Hochberg: the expected share of false findings among the rows called different stays at most α.</summary>
    BenjaminiHochberg,
}

/// <summary>Adjusted p-values, in the order given: a row is significant when its adjusted p is below α.</summary>
public static class MultipleComparisons
{
    public static double[] Adjust(IReadOnlyList<double> pValues, Correction correction) =>
        correction == Correction.Holm ? Holm(pValues) : BenjaminiHochberg(pValues);

    /// <summary>p₍ᵢ₎ × (m − i + 1) over the ascending order, made monotone by a running maximum, capped at 1.</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    /// <summary>p₍ᵢ₎ × m / i over the ascending order, made monotone by a running minimum from the largest, capped at 1.</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 1.0;
        for (var rank = m - 1; rank >= 0; rank--)
        {
            running = Math.Min(running, Math.Min(1, pValues[order[rank]] * m / (rank + 1)));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
