using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace PacketCounter.Profiling.Statistics;

/// <summary>
/// A mean with its 95% confidence interval. <see cref="HalfWidth"/> is the "± error"
/// every table prints: the t quantile at 97.5% with <see cref="DegreesOfFreedom"/>
/// times the standard error.
/// </summary>
public readonly record struct Estimate(double Mean, double StandardError, double DegreesOfFreedom)
{
    public const double Confidence = 0.95;

    public double HalfWidth =>
        DegreesOfFreedom >= 1 && StandardError > 0
            ? StudentT.InvCDF(0, 1, DegreesOfFreedom, 1 - (1 - Confidence) / 2) * StandardError
            : double.NaN;

    public double Low => Mean - HalfWidth;

    public double High => Mean + HalfWidth;

    /// <summary>Half-width relative to the mean.</summary>
    public double RelativeHalfWidth => Mean != 0 ? HalfWidth / Math.Abs(Mean) : double.NaN;

    public static Estimate OfSamples(IReadOnlyList<double> samples) =>
        samples.Count < 2
            ? new Estimate(samples.Count == 1 ? samples[0] : double.NaN, double.NaN, 0)
            : new Estimate(samples.Mean(), samples.StandardDeviation() / Math.Sqrt(samples.Count), samples.Count - 1);

    /// <summary>
    /// a − b for independent samples: Welch's standard error and Welch–Satterthwaite
    /// degrees of freedom, so unequal variances and counts are propagated honestly.
    /// </summary>
    public static Estimate Difference(Estimate a, Estimate b)
    {
        var se = Math.Sqrt(a.StandardError * a.StandardError + b.StandardError * b.StandardError);
        return new Estimate(a.Mean - b.Mean, se, WelchDegreesOfFreedom(a, b));
    }

    /// <summary>a / b, first-order (delta method) uncertainty from both relative errors.</summary>
    public static Estimate Ratio(Estimate a, Estimate b)
    {
        var ratio = a.Mean / b.Mean;
        var relative = Math.Sqrt(Square(a.StandardError / a.Mean) + Square(b.StandardError / b.Mean));
        return new Estimate(ratio, Math.Abs(ratio) * relative, WelchDegreesOfFreedom(a, b));
    }

    /// <summary>Σ wᵢ·xᵢ for independent estimates, with Welch–Satterthwaite degrees of freedom.</summary>
    public static Estimate WeightedSum(IReadOnlyList<(double Weight, Estimate Value)> terms)
    {
        var mean = terms.Sum(t => t.Weight * t.Value.Mean);
        var variance = terms.Sum(t => Square(t.Weight * t.Value.StandardError));
        var denominator = terms.Sum(t =>
            t.Value.DegreesOfFreedom > 0 ? Math.Pow(t.Weight * t.Value.StandardError, 4) / t.Value.DegreesOfFreedom : 0
        );
        var df = denominator > 0 ? variance * variance / denominator : 0;
        return new Estimate(mean, Math.Sqrt(variance), df);
    }

    private static double WelchDegreesOfFreedom(Estimate a, Estimate b)
    {
        var va = Square(a.StandardError);
        var vb = Square(b.StandardError);
        var denominator =
            (a.DegreesOfFreedom > 0 ? va * va / a.DegreesOfFreedom : 0)
            + (b.DegreesOfFreedom > 0 ? vb * vb / b.DegreesOfFreedom : 0);
        return denominator > 0 ? Square(va + vb) / denominator : 0;
    }

    private static double Square(double x) => x * x;
}
