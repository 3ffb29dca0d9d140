using CsvHelper.Configuration;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Reporting;

/// <summary>One row of summary.csv: one figure of one variant × mode × class × size × generator setting.</summary>
public sealed record SummaryRow
{
    public string Variant { get; init; } = "";
    public string Mode { get; init; } = "";
    public string Class { get; init; } = "";
    public int FrameSize { get; init; }
    public string GenCpus { get; init; } = "";
    public string Metric { get; init; } = "";
    public int N { get; init; }
    public double Mean { get; init; }
    public double StdDev { get; init; }
    public double CiLow { get; init; }
    public double CiHigh { get; init; }
    public double CoV { get; init; }
    public int Outliers { get; init; }
    public double Min { get; init; }
    public double Median { get; init; }
    public double Max { get; init; }
    public double MValue { get; init; }
    public double? NetOfNull { get; init; }
    public double? NetCiLow { get; init; }
    public double? NetCiHigh { get; init; }
    public double? SpeedupVsNaive { get; init; }
    public double? SpeedupVsNaiveCiLow { get; init; }
    public double? SpeedupVsNaiveCiHigh { get; init; }
    public double? SpeedupVsNull { get; init; }
    public double? SpeedupVsNullCiLow { get; init; }
    public double? SpeedupVsNullCiHigh { get; init; }

    public static IEnumerable<SummaryRow> Of(BenchResults results)
    {
        foreach (var f in results.MicroFigures())
            yield return Row(f.Variant, "micro", TrafficClasses.Name(f.Class), f.FrameSize, "", "ns_per_packet", f.NsPerPacket) with
            {
                NetOfNull = f.NetOfNull?.Mean,
                NetCiLow = f.NetOfNull?.Low,
                NetCiHigh = f.NetOfNull?.High,
            };
        foreach (var f in results.LiveFigures())
        {
            yield return Row(f.Variant, "live", f.Mix, f.FrameSize, f.GeneratorCpus, "mpps", f.Mpps) with
            {
                SpeedupVsNaive = f.SpeedupVsNaive?.Mean,
                SpeedupVsNaiveCiLow = f.SpeedupVsNaive?.Low,
                SpeedupVsNaiveCiHigh = f.SpeedupVsNaive?.High,
                SpeedupVsNull = f.SpeedupVsNull?.Mean,
                SpeedupVsNullCiLow = f.SpeedupVsNull?.Low,
                SpeedupVsNullCiHigh = f.SpeedupVsNull?.High,
            };
            yield return Row(f.Variant, "live", f.Mix, f.FrameSize, f.GeneratorCpus, "ns_per_run", f.NsPerRun);
            yield return Row(f.Variant, "live", f.Mix, f.FrameSize, f.GeneratorCpus, "cpu_percent", f.CpuPercent);
        }
    }

    private static SummaryRow Row(string variant, string mode, string @class, int size, string cpus, string metric, SampleSummary s) => new()
    {
        Variant = variant,
        Mode = mode,
        Class = @class,
        FrameSize = size,
        GenCpus = cpus,
        Metric = metric,
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

public sealed class SummaryRowMap : ClassMap<SummaryRow>
{
    public SummaryRowMap()
    {
        Map(r => r.Variant).Name("variant");
        Map(r => r.Mode).Name("mode");
        Map(r => r.Class).Name("class");
        Map(r => r.FrameSize).Name("frame_size");
        Map(r => r.GenCpus).Name("gen_cpus");
        Map(r => r.Metric).Name("metric");
        Map(r => r.N).Name("n");
        Map(r => r.Mean).Name("mean");
        Map(r => r.StdDev).Name("stddev");
        Map(r => r.CiLow).Name("ci_low");
        Map(r => r.CiHigh).Name("ci_high");
        Map(r => r.CoV).Name("cov");
        Map(r => r.Outliers).Name("outliers");
        Map(r => r.Min).Name("min");
        Map(r => r.Median).Name("median");
        Map(r => r.Max).Name("max");
        Map(r => r.MValue).Name("mvalue");
        Map(r => r.NetOfNull).Name("net_of_null");
        Map(r => r.NetCiLow).Name("net_ci_low");
        Map(r => r.NetCiHigh).Name("net_ci_high");
        Map(r => r.SpeedupVsNaive).Name("speedup_vs_naive");
        Map(r => r.SpeedupVsNaiveCiLow).Name("speedup_vs_naive_ci_low");
        Map(r => r.SpeedupVsNaiveCiHigh).Name("speedup_vs_naive_ci_high");
        Map(r => r.SpeedupVsNull).Name("speedup_vs_null");
        Map(r => r.SpeedupVsNullCiLow).Name("speedup_vs_null_ci_low");
        Map(r => r.SpeedupVsNullCiHigh).Name("speedup_vs_null_ci_high");
    }
}
