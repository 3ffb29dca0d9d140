using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>summary.csv: one row per figure of a variant in a micro cell or live setting.</summary>
public static class SummaryColumns
{
    public static IReadOnlyList<Column<FigureRow>> All { get; } =
    [
        .. CellColumns.Of<FigureRow>(),
        Column.Csv<FigureRow>(
            "metric",
            "`ns_per_packet` (micro), `mpps`, `ns_per_run` or `cpu_percent` (live)",
            f => EnumNames.Of(f.Metric)
        ),
        Column.Csv<FigureRow>(
            "n",
            "samples the figure is taken over (slices, or rounds for live Mpps)",
            f => f.Value.Count
        ),
        Column.Csv<FigureRow>("mean", "the mean", f => f.Value.Mean.Mean),
        Column.Csv<FigureRow>("stddev", "the standard deviation", f => f.Value.StandardDeviation),
        Column.Csv<FigureRow>("ci_low", "the mean's 95% CI, Student t: low end", f => f.Value.Mean.Low),
        Column.Csv<FigureRow>("ci_high", "... and high end", f => f.Value.Mean.High),
        Column.Csv<FigureRow>(
            "cov",
            "coefficient of variation: standard deviation over mean",
            f => f.Value.CoefficientOfVariation
        ),
        Column.Csv<FigureRow>(
            "outliers",
            "samples beyond Tukey's fences: kept, not dropped",
            f => f.Value.Outliers.Count
        ),
        Column.Csv<FigureRow>("min", "the smallest sample", f => f.Value.Min),
        Column.Csv<FigureRow>("median", "the median", f => f.Value.Median),
        Column.Csv<FigureRow>("max", "the largest sample", f => f.Value.Max),
        Column.Csv<FigureRow>(
            "mvalue",
            "modality: about 2 for one mode, 2.8 or more suggests several",
            f => f.Value.ModalityValue
        ),
        .. Interval(
            "net_of_baseline",
            "net_ci_low",
            "net_ci_high",
            "net of the baseline (micro: paired ns/packet; live `mpps` rows: net CPU ns/packet; live `ns_per_run` rows: "
                + "what run stats cost per packet), with its 95% CI",
            f => f.Net
        ),
        Column.Csv<FigureRow>("net_method", "how the net figure and its CI were estimated", f => f.Net?.Method),
        .. Interval(
            "net_mean",
            "net_mean_ci_low",
            "net_mean_ci_high",
            "micro: the mean of the same pair differences with a Student t CI, for comparison",
            f => f.NetMean
        ),
        Column.Csv<FigureRow>("pairs", "quadruples the net figure is paired over", f => f.Pairs),
        Column.Csv<FigureRow>(
            "detectable_ns",
            "micro: the smallest net effect the cell would detect at 80% power and a 5% level",
            f => f.DetectableNs,
            "ns"
        ),
        .. Interval(
            "ratio_to_baseline",
            "ratio_ci_low",
            "ratio_ci_high",
            "live: Mpps over the baseline's, paired within quadruples, with its 95% CI",
            f => f.Ratio
        ),
        Column.Csv<FigureRow>(
            "speedup_reference",
            "the counter speedups are quoted against",
            f => f.Speedup?.Reference
        ),
        .. Interval(
            "speedup",
            "speedup_ci_low",
            "speedup_ci_high",
            "Mpps over the reference's, with its 95% CI",
            f => f.Speedup?.Value
        ),
        Column.Csv<FigureRow>(
            "speedup_method",
            "`paired` (per-round ratios), `delta` (the two means by the delta method) or `reference`",
            f => f.Speedup is { } speedup ? EnumNames.Of(speedup.Method) : null
        ),
    ];

    // An interval is three columns: the estimate, and the CI's low and high ends.
    private static IEnumerable<Column<FigureRow>> Interval(
        string name,
        string low,
        string high,
        string legend,
        Func<FigureRow, Interval?> value
    ) =>
        [
            Column.Csv<FigureRow>(name, legend, f => value(f)?.Estimate),
            Column.Csv<FigureRow>(low, $"the low end of `{name}`'s 95% CI", f => value(f)?.Low),
            Column.Csv<FigureRow>(high, $"the high end of `{name}`'s 95% CI", f => value(f)?.High),
        ];
}
