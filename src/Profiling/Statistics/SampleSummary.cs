using MathNet.Numerics.Statistics;

namespace PacketCounter.Profiling.Statistics;

/// <summary>
/// What a set of samples says: the mean with its CI, the spread, the outliers by Tukey's
/// fences (reported, never dropped), and whether the distribution has more than one mode.
/// </summary>
public sealed record SampleSummary(
    int Count,
    Estimate Mean,
    double StandardDeviation,
    double Min,
    double Median,
    double Max,
    IReadOnlyList<double> Outliers,
    double ModalityValue
)
{
    /// <summary>Coefficient of variation: standard deviation over mean.</summary>
    public double CoefficientOfVariation => Mean.Mean != 0 ? StandardDeviation / Math.Abs(Mean.Mean) : double.NaN;

    /// <summary>
    /// BenchmarkDotNet's rule of thumb on the mvalue: about 2 for one mode, 2.8 or more
    /// suggests two or more. Live rates here are sometimes bimodal and must not be
    /// averaged into a figure no run ever showed.
    /// </summary>
    public bool LooksMultimodal => ModalityValue >= 2.8;

    public static SampleSummary Of(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
            throw new ArgumentException("no samples to summarise", nameof(samples));
        var sorted = samples.Order().ToArray();
        var q1 = sorted.LowerQuartile();
        var q3 = sorted.UpperQuartile();
        var iqr = q3 - q1;
        var outliers = sorted.Where(x => x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr).ToList();
        return new SampleSummary(
            samples.Count,
            Estimate.OfSamples(samples),
            samples.Count > 1 ? samples.StandardDeviation() : 0,
            sorted[0],
            sorted.Median(),
            sorted[^1],
            outliers,
            ComputeModalityValue(sorted)
        );
    }

    // mvalue (Brendan Gregg; as in BenchmarkDotNet): the total up-and-down variation of
    // a histogram over its tallest bin, about 2 for one mode and 4 for two. One fixed
    // bin width hides two tight modes far apart (Scott's rule widens bins with the
    // spread the modes cause), so the largest value over a few bin counts is taken.
    internal static double ComputeModalityValue(double[] sorted)
    {
        if (sorted.Length < 4 || sorted[^1] == sorted[0])
            return 2;
        var range = sorted[^1] - sorted[0];
        var best = 2.0;
        for (var bins = 3; bins <= Math.Max(3, sorted.Length / 3); bins++)
        {
            var width = range / bins;
            var histogram = new int[bins + 2]; // an empty bin at each end, so edges count
            foreach (var x in sorted)
                histogram[1 + Math.Min(bins - 1, (int)((x - sorted[0]) / width))]++;
            var variation = 0.0;
            for (var i = 1; i < histogram.Length; i++)
                variation += Math.Abs(histogram[i] - histogram[i - 1]);
            best = Math.Max(best, variation / histogram.Max());
        }
        return best;
    }
}
