using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Tests.History;

/// <summary>Run results built from known figures, for tests of what stores, reads and compares them.</summary>
internal static class SyntheticRuns
{
    /// <summary>
    /// A run of Null and Ultra: micro ipv4-udp at 64 B with Ultra <paramref name="ultraNet"/> ns
    /// over a baseline of <paramref name="baselineNs"/>, 20 pairs of each paired figure, and one
    /// live drop-sink setting.
    /// </summary>
    public static RunResult Result(
        string id,
        DateTimeOffset started,
        double baselineNs = 8.2,
        double ultraNet = 0.4,
        string kernel = "6.18.44"
    )
    {
        var micro = CellKey.Micro(TrafficClass.Ipv4Udp, 64);
        var setting = new LiveSetting("default", 64, new GeneratorSource(CpuList.Of(0)), Sink.Drop);
        var differences = Enumerable.Range(0, 20).Select(q => ultraNet + 0.01 * (q % 5)).ToList();
        return new RunResult
        {
            Id = id,
            Plan = new PlanRecord { Variants = ["Null", "Ultra"] },
            Environment = new MachineFacts(
                kernel,
                "Intel(R) Xeon(R) Processor",
                2,
                2,
                "on",
                "1.5 (libbpf.so.1)",
                ".NET 10.0.0",
                "Debian GNU/Linux 12 (bookworm)",
                [new SourceState("hardware PMU", false, "not supported: no PMU on this machine")],
                "packetcounter bench",
                started,
                [new VariantIdentity("Ultra", "counter", "0123456789abcdef", new string('a', 64))]
            ),
            Variants =
            [
                new VariantBuild("Null", MeasuredRole.Baseline, "null_pass", new string('b', 64), Program("null")),
                new VariantBuild("Ultra", MeasuredRole.Counter, "ultra_counter", new string('a', 64), Program("ultra")),
            ],
            Micro =
            [
                new MicroFigure(
                    "Null",
                    MeasuredRole.Baseline,
                    TrafficClass.Ipv4Udp,
                    64,
                    SampleSummary.Of([baselineNs - 0.1, baselineNs, baselineNs + 0.1]),
                    null,
                    null,
                    0,
                    baselineNs
                ),
                new MicroFigure(
                    "Ultra",
                    MeasuredRole.Counter,
                    TrafficClass.Ipv4Udp,
                    64,
                    SampleSummary.Of([baselineNs + ultraNet - 0.1, baselineNs + ultraNet, baselineNs + ultraNet + 0.1]),
                    new Interval(ultraNet, ultraNet - 0.05, ultraNet + 0.05, 20, "Hodges-Lehmann, Wilcoxon"),
                    Interval.Of(Estimate.OfSamples(differences), differences.Count),
                    20,
                    baselineNs + ultraNet
                ),
            ],
            Live =
            [
                new LiveFigure
                {
                    Variant = "Ultra",
                    Role = MeasuredRole.Counter,
                    Setting = setting,
                    Mpps = SampleSummary.Of([12.1, 12.5, 12.9]),
                    Rounds = [new RoundRate(0, 12.1), new RoundRate(1, 12.5), new RoundRate(2, 12.9)],
                    NetCpuNsPerPacket = new Interval(3.1, 2.2, 4.0, 10, "Hodges-Lehmann, Wilcoxon"),
                    RatioToBaseline = new Interval(0.96, 0.95, 0.97, 10, "Hodges-Lehmann, Wilcoxon"),
                    PacketsSent = 3_000_000,
                    PacketsDelivered = 3_000_000,
                    PacketsCounted = 2_700_000,
                    WallSeconds = 0.24,
                    Windows = 6,
                },
            ],
            Pairs =
            [
                new PairSeries(micro, "Ultra", MeasuredRole.Counter, PairedFigure.NetNs, differences),
                new PairSeries(
                    micro,
                    "Ultra",
                    MeasuredRole.Counter,
                    PairedFigure.CostRatio,
                    differences.Select(d => 1 + d / baselineNs).ToList()
                ),
            ],
        };
    }

    private static ProgramInfo Program(string name) => new(1, name, "0123456789abcdef", 100, 160, 30, 0, 0, []);
}
