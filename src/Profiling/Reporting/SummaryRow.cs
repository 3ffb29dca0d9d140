using CsvHelper.Configuration.Attributes;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting;

/// <summary>One row of summary.csv: one figure of one variant in one micro cell or live setting.</summary>
public sealed record SummaryRow
{
    [Name("variant")]
    public string Variant { get; init; } = "";

    [Name("role")]
    public string Role { get; init; } = "";

    [Name("mode")]
    public string Mode { get; init; } = "";

    [Name("class")]
    public string Class { get; init; } = "";

    [Name("frame_size")]
    public int FrameSize { get; init; }

    [Name("gen_cpus")]
    public string GenCpus { get; init; } = "";

    [Name("iface")]
    public string Iface { get; init; } = "";

    [Name("sink")]
    public string Sink { get; init; } = "";

    [Name("metric")]
    public string Metric { get; init; } = "";

    [Name("n")]
    public int N { get; init; }

    [Name("mean")]
    public double Mean { get; init; }

    [Name("stddev")]
    public double StdDev { get; init; }

    [Name("ci_low")]
    public double CiLow { get; init; }

    [Name("ci_high")]
    public double CiHigh { get; init; }

    [Name("cov")]
    public double CoV { get; init; }

    [Name("outliers")]
    public int Outliers { get; init; }

    [Name("min")]
    public double Min { get; init; }

    [Name("median")]
    public double Median { get; init; }

    [Name("max")]
    public double Max { get; init; }

    [Name("mvalue")]
    public double MValue { get; init; }

    [Name("net_of_baseline")]
    public double? NetOfBaseline { get; init; }

    [Name("net_ci_low")]
    public double? NetCiLow { get; init; }

    [Name("net_ci_high")]
    public double? NetCiHigh { get; init; }

    [Name("net_method")]
    public string NetMethod { get; init; } = "";

    [Name("net_mean")]
    public double? NetMean { get; init; }

    [Name("net_mean_ci_low")]
    public double? NetMeanCiLow { get; init; }

    [Name("net_mean_ci_high")]
    public double? NetMeanCiHigh { get; init; }

    [Name("pairs")]
    public int? Pairs { get; init; }

    [Name("detectable_ns")]
    public double? DetectableNs { get; init; }

    [Name("ratio_to_baseline")]
    public double? RatioToBaseline { get; init; }

    [Name("ratio_ci_low")]
    public double? RatioCiLow { get; init; }

    [Name("ratio_ci_high")]
    public double? RatioCiHigh { get; init; }

    [Name("speedup_reference")]
    public string SpeedupReference { get; init; } = "";

    [Name("speedup")]
    public double? Speedup { get; init; }

    [Name("speedup_ci_low")]
    public double? SpeedupCiLow { get; init; }

    [Name("speedup_ci_high")]
    public double? SpeedupCiHigh { get; init; }

    [Name("speedup_method")]
    public string SpeedupMethod { get; init; } = "";

    public static IEnumerable<SummaryRow> Of(RunResult result) =>
        FigureRow
            .Of(result)
            .Select(f => new SummaryRow
            {
                Variant = f.Variant,
                Role = EnumNames.Of(f.Role),
                Mode = EnumNames.Of(f.Cell.Mode),
                Class = f.Cell.Class,
                FrameSize = f.Cell.FrameSize,
                GenCpus = f.Cell.GeneratorCpus?.ToString() ?? "",
                Iface = f.Cell.Interface ?? "",
                Sink = f.Cell.Sink is { } sink ? EnumNames.Of(sink) : "",
                Metric = EnumNames.Of(f.Metric),
                N = f.Value.Count,
                Mean = f.Value.Mean.Mean,
                StdDev = f.Value.StandardDeviation,
                CiLow = f.Value.Mean.Low,
                CiHigh = f.Value.Mean.High,
                CoV = f.Value.CoefficientOfVariation,
                Outliers = f.Value.Outliers.Count,
                Min = f.Value.Min,
                Median = f.Value.Median,
                Max = f.Value.Max,
                MValue = f.Value.ModalityValue,
                NetOfBaseline = f.Net?.Estimate,
                NetCiLow = f.Net?.Low,
                NetCiHigh = f.Net?.High,
                NetMethod = f.Net?.Method ?? "",
                NetMean = f.NetMean?.Estimate,
                NetMeanCiLow = f.NetMean?.Low,
                NetMeanCiHigh = f.NetMean?.High,
                Pairs = f.Pairs,
                DetectableNs = f.DetectableNs,
                RatioToBaseline = f.Ratio?.Estimate,
                RatioCiLow = f.Ratio?.Low,
                RatioCiHigh = f.Ratio?.High,
                SpeedupReference = f.Speedup?.Reference ?? "",
                Speedup = f.Speedup?.Value.Estimate,
                SpeedupCiLow = f.Speedup?.Value.Low,
                SpeedupCiHigh = f.Speedup?.Value.High,
                SpeedupMethod = f.Speedup is { } speedup ? EnumNames.Of(speedup.Method) : "",
            });
}
