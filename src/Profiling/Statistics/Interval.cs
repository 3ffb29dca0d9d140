namespace PacketCounter.Profiling.Statistics;

/// <summary>
/// A point estimate and its 95% confidence interval, which need not be symmetric (a
/// distribution-free interval rarely is). What every table prints as "± half-width".
/// </summary>
public readonly record struct Interval(double Estimate, double Low, double High, int Count, string Method)
{
    public const double Confidence = 0.95;

    /// <summary>Half the interval's width: the "±" a table prints.</summary>
    public double HalfWidth => (High - Low) / 2;

    public bool IsFinite => double.IsFinite(Estimate) && double.IsFinite(Low) && double.IsFinite(High);

    /// <summary>Whether the interval lies wholly on one side of <paramref name="value"/>.</summary>
    public bool Excludes(double value) => IsFinite && (Low > value || High < value);

    /// <summary>The interval of a Student t estimate.</summary>
    public static Interval Of(Estimate estimate, int count) =>
        new(estimate.Mean, estimate.Low, estimate.High, count, "mean, Student t");

    /// <summary>
    /// A normal-theory stand-in, for combining intervals by weight: the standard error the
    /// interval's width implies at 95%.
    /// </summary>
    public Estimate AsEstimate() =>
        new(Estimate, IsFinite ? HalfWidth / 1.959964 : double.NaN, Count > 1 ? Count - 1 : 0);
}
