using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Results;

/// <summary>A figure a cell carries, per variant.</summary>
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

/// <summary>
/// One figure of one variant in one cell, with what is paired against the baseline beside
/// it: the rows of summary.csv and of the history store's figures table.
/// </summary>
public sealed record FigureRow(string Variant, MeasuredRole Role, CellKey Cell, Metric Metric, SampleSummary Value)
    : ICellRow
{
    /// <summary>
    /// Net of the baseline: micro and live ns, paired within quadruples; for ns/run, what
    /// run stats cost per packet.
    /// </summary>
    public Interval? Net { get; init; }

    /// <summary>Micro: the mean of the same pairs with a Student t CI.</summary>
    public Interval? NetMean { get; init; }

    /// <summary>Quadruples the net figure is paired over.</summary>
    public int? Pairs { get; init; }

    /// <summary>Micro: the smallest net effect the cell would detect at 80% power.</summary>
    public double? DetectableNs { get; init; }

    /// <summary>Live: Mpps over the baseline's, paired within quadruples.</summary>
    public Interval? Ratio { get; init; }

    public Speedup? Speedup { get; init; }

    /// <summary>Every figure of the run, micro cells first, then each live setting's.</summary>
    public static IReadOnlyList<FigureRow> Of(RunResult result)
    {
        var rows = new List<FigureRow>();
        foreach (var f in result.Micro)
            rows.Add(
                new FigureRow(f.Variant, f.Role, CellKey.Micro(f.Class, f.FrameSize), Metric.NsPerPacket, f.NsPerPacket)
                {
                    Net = f.NetOfBaseline,
                    NetMean = f.NetMean,
                    Pairs = f.NetOfBaseline is null ? null : f.Pairs,
                    DetectableNs = double.IsFinite(f.DetectableNs) ? f.DetectableNs : null,
                }
            );
        foreach (var f in result.Live)
        {
            var cell = f.Setting.Key;
            if (f.Mpps is { } mpps)
                rows.Add(
                    new FigureRow(f.Variant, f.Role, cell, Metric.Mpps, mpps)
                    {
                        Net = f.NetCpuNsPerPacket,
                        Pairs = f.NetCpuNsPerPacket?.Count,
                        Ratio = f.RatioToBaseline,
                        Speedup = f.Speedup,
                    }
                );
            if (f.NsPerRun is { } nsPerRun)
                rows.Add(
                    new FigureRow(f.Variant, f.Role, cell, Metric.NsPerRun, nsPerRun) { Net = f.StatsCostNsPerPacket }
                );
            if (f.CpuPercent is { } cpu)
                rows.Add(new FigureRow(f.Variant, f.Role, cell, Metric.CpuPercent, cpu));
        }
        return rows;
    }
}
