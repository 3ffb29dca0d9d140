using CsvHelper.Configuration.Attributes;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Reporting;

/// <summary>A figure summary.csv carries, by its column name.</summary>
public enum Metric
{
    /// <summary>Micro: BPF_PROG_TEST_RUN ns per packet.</summary>
    NsPerPacket,

    /// <summary>Live: millions of packets per second, throughput windows only.</summary>
    Mpps,

    /// <summary>Live: Δrun_time / Δrun_cnt over the stats windows.</summary>
    NsPerRun,

    /// <summary>Live: Δrun_time / wall over the stats windows.</summary>
    CpuPercent,
}

public static class Metrics
{
    public static string Name(Metric metric) =>
        metric switch
        {
            Metric.NsPerPacket => "ns_per_packet",
            Metric.Mpps => "mpps",
            Metric.NsPerRun => "ns_per_run",
            _ => "cpu_percent",
        };
}

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

    public static IEnumerable<SummaryRow> Of(BenchFigures figures)
    {
        foreach (var f in figures.Micro)
            yield return Row(
                    f.Variant,
                    f.Role,
                    RunRow.MicroMode,
                    TrafficClasses.Name(f.Class),
                    f.FrameSize,
                    null,
                    Reporting.Metric.NsPerPacket,
                    f.NsPerPacket
                )
                .WithNet(f.NetOfBaseline) with
            {
                NetMean = f.NetMean?.Estimate,
                NetMeanCiLow = f.NetMean?.Low,
                NetMeanCiHigh = f.NetMean?.High,
                Pairs = f.NetOfBaseline is null ? null : f.Pairs,
                DetectableNs = double.IsFinite(f.DetectableNs) ? f.DetectableNs : null,
            };
        foreach (var f in figures.Live)
        {
            if (f.Mpps is { } mpps)
                yield return Row(
                        f.Variant,
                        f.Role,
                        RunRow.LiveMode,
                        f.Setting.TrafficLabel,
                        f.Setting.FrameSize,
                        f.Setting,
                        Reporting.Metric.Mpps,
                        mpps
                    )
                    .WithNet(f.NetCpuNsPerPacket) with
                {
                    Pairs = f.NetCpuNsPerPacket?.Count,
                    RatioToBaseline = f.RatioToBaseline?.Estimate,
                    RatioCiLow = f.RatioToBaseline?.Low,
                    RatioCiHigh = f.RatioToBaseline?.High,
                    SpeedupReference = f.Speedup?.Reference ?? "",
                    Speedup = f.Speedup?.Value.Estimate,
                    SpeedupCiLow = f.Speedup?.Value.Low,
                    SpeedupCiHigh = f.Speedup?.Value.High,
                    SpeedupMethod = f.Speedup?.Method ?? "",
                };
            if (f.NsPerRun is { } nsPerRun)
                yield return Row(
                        f.Variant,
                        f.Role,
                        RunRow.LiveMode,
                        f.Setting.TrafficLabel,
                        f.Setting.FrameSize,
                        f.Setting,
                        Reporting.Metric.NsPerRun,
                        nsPerRun
                    )
                    .WithNet(f.StatsCostNsPerPacket);
            if (f.CpuPercent is { } cpu)
                yield return Row(
                    f.Variant,
                    f.Role,
                    RunRow.LiveMode,
                    f.Setting.TrafficLabel,
                    f.Setting.FrameSize,
                    f.Setting,
                    Reporting.Metric.CpuPercent,
                    cpu
                );
        }
    }

    private SummaryRow WithNet(Interval? net) =>
        this with
        {
            NetOfBaseline = net?.Estimate,
            NetCiLow = net?.Low,
            NetCiHigh = net?.High,
            NetMethod = net?.Method ?? "",
        };

    private static SummaryRow Row(
        string variant,
        MeasuredRole role,
        string mode,
        string @class,
        int size,
        LiveSetting? setting,
        Metric metric,
        SampleSummary s
    ) =>
        new()
        {
            Variant = variant,
            Role = RunRow.RoleName(role),
            Mode = mode,
            Class = @class,
            FrameSize = size,
            GenCpus = setting?.GeneratorCpus?.ToString() ?? "",
            Iface = (setting?.Source as ExternalSource)?.Interface ?? "",
            Sink = setting is null ? "" : Sinks.Name(setting.Sink),
            Metric = Metrics.Name(metric),
            N = s.Count,
            Mean = s.Mean.Mean,
            StdDev = s.StandardDeviation,
            CiLow = s.Mean.Low,
            CiHigh = s.Mean.High,
            CoV = s.CoefficientOfVariation,
            Outliers = s.Outliers.Count,
            Min = s.Min,
            Median = s.Median,
            Max = s.Max,
            MValue = s.ModalityValue,
        };
}
