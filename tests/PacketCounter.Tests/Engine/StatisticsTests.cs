using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Tests.Engine;

[Trait(Category.Name, Category.Pure)]
public class StatisticsTests
{
    [Fact]
    public void The_confidence_interval_uses_student_t_with_n_minus_1_degrees_of_freedom()
    {
        // mean 3, sd 1.5811 (sample), n 5: half-width = t(0.975, 4) * sd / sqrt(5) = 2.7764 * 0.7071 = 1.9632
        var estimate = Estimate.OfSamples([1, 2, 3, 4, 5]);
        Assert.Equal(3, estimate.Mean, 12);
        Assert.Equal(4, estimate.DegreesOfFreedom);
        Assert.Equal(1.9632, estimate.HalfWidth, 3);
        Assert.Equal(estimate.Mean - estimate.HalfWidth, estimate.Low, 12);
    }

    [Fact]
    public void A_difference_propagates_both_uncertainties_with_welch_degrees_of_freedom()
    {
        var a = Estimate.OfSamples([10, 11, 12, 13, 14]);
        var b = Estimate.OfSamples([1, 2, 3]);
        var d = Estimate.Difference(a, b);
        Assert.Equal(10, d.Mean, 12);
        Assert.Equal(
            Math.Sqrt(a.StandardError * a.StandardError + b.StandardError * b.StandardError),
            d.StandardError,
            12
        );
        // Welch–Satterthwaite by hand: va = 2.5/5 = 0.5, vb = 1/3; (0.5 + 1/3)² / (0.5²/4 + (1/3)²/2) = 5.882.
        Assert.Equal(5.882, d.DegreesOfFreedom, 3);
        Assert.True(d.HalfWidth > a.HalfWidth);
    }

    [Fact]
    public void A_ratio_carries_the_relative_errors_of_both_sides()
    {
        var a = new Estimate(2, 0.2, 10);
        var b = new Estimate(1, 0.1, 10);
        var r = Estimate.Ratio(a, b);
        Assert.Equal(2, r.Mean, 12);
        Assert.Equal(2 * Math.Sqrt(0.01 + 0.01), r.StandardError, 12);
    }

    [Fact]
    public void Tukey_fences_report_outliers_without_dropping_them()
    {
        double[] samples = [10, 10.1, 9.9, 10.05, 9.95, 10.02, 30];
        var summary = SampleSummary.Of(samples);
        Assert.Equal([30.0], summary.Outliers);
        Assert.Equal(7, summary.Count);
        Assert.Equal(samples.Average(), summary.Mean.Mean, 12);
    }

    [Fact]
    public void Two_separated_modes_are_flagged_and_one_mode_is_not()
    {
        double[] bimodal = [2.8, 2.79, 2.81, 2.8, 2.82, 2.78, 5.2, 5.21, 5.19, 5.2, 5.22, 5.18];
        double[] unimodal = [2.8, 2.79, 2.81, 2.8, 2.82, 2.78, 2.83, 2.77, 2.8, 2.81, 2.79, 2.8];
        Assert.True(SampleSummary.Of(bimodal).LooksMultimodal, $"mvalue {SampleSummary.Of(bimodal).ModalityValue}");
        Assert.False(SampleSummary.Of(unimodal).LooksMultimodal, $"mvalue {SampleSummary.Of(unimodal).ModalityValue}");
    }

    [Fact]
    public void CoV_is_the_standard_deviation_over_the_mean()
    {
        var summary = SampleSummary.Of([9, 10, 11]);
        Assert.Equal(1.0 / 10, summary.CoefficientOfVariation, 12);
    }
}
