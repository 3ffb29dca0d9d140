using PacketCounter.Abstractions;
using PacketCounter.Profiling.Counters;
using PacketCounter.Profiling.Sources;
using PacketCounter.Profiling.SystemStats;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Measurement;

/// <summary>What a live window is for.</summary>
public enum LiveWindowKind
{
    /// <summary>Run stats off: the only windows a rate (Mpps) is ever taken from.</summary>
    Throughput,

    /// <summary>
    /// The same traffic with run stats on, for run_cnt and run_time_ns. Its own rate is kept
    /// only to state what the stats cost; it is never reported as the variant's throughput.
    /// </summary>
    RunStats,
}

/// <summary>run_cnt and run_time_ns moved by this much over a stats window.</summary>
public readonly record struct RunStatsDelta(ulong RunCount, ulong RunTimeNs)
{
    /// <summary>Average program run time per invocation.</summary>
    public double NsPerRun => RunCount > 0 ? (double)RunTimeNs / RunCount : double.NaN;
}

/// <summary>One live window of one variant.</summary>
public sealed record LiveSample : ICellRow
{
    public CellKey Cell => Setting.Key;

    public required string Variant { get; init; }
    public required MeasuredRole Role { get; init; }
    public required LiveSetting Setting { get; init; }

    /// <summary>The round the window belongs to: every variant runs in every round, in a shuffled order.</summary>
    public required int Round { get; init; }

    /// <summary>
    /// The ABBA quadruple a testbed throughput slice belongs to (baseline, variant, variant,
    /// baseline, back to back): the unit every net figure is paired on. Null elsewhere.
    /// </summary>
    public int? Quad { get; init; }

    public required LiveWindowKind Kind { get; init; }

    /// <summary>Frames the generator sent, by class, size and flow (null for external traffic).</summary>
    public SentTraffic? Traffic { get; init; }

    /// <summary>Frames the generator sent (0 for external traffic).</summary>
    public long Sent { get; init; }

    /// <summary>The device under test's rx delta over the window.</summary>
    public ulong Delivered { get; init; }

    /// <summary>The generator's own wall time (or the window's, for external traffic).</summary>
    public TimeSpan Wall { get; init; }

    /// <summary>What every counter source counted over the window.</summary>
    public IReadOnlyList<SourceReading> Readings { get; init; } = [];

    /// <summary>
    /// run_cnt and run_time_ns over the window: from run stats in a stats window; in a
    /// throughput window, with stats off, what moved anyway (nothing, unless another
    /// process held them on).
    /// </summary>
    public RunStatsDelta? RunStats => Readings.OfType<RunStatsReading>().FirstOrDefault()?.Delta;

    /// <summary>How busy each CPU was, where CPU times were read (bench --iface).</summary>
    public IReadOnlyList<CpuBusy> CpuBusy => Readings.OfType<CpuTimeReading>().FirstOrDefault()?.Busy ?? [];

    /// <summary>perf events counted system-wide over the window, where any could be opened.</summary>
    public IReadOnlyList<CounterValue>? Counters => Readings.OfType<PerfReading>().FirstOrDefault()?.Values;

    /// <summary>Expected against counted, for a counter on generated traffic.</summary>
    public CountVerification? Verification { get; init; }

    /// <summary>Every count's delta over the window (also where nothing can be verified).</summary>
    public IReadOnlyDictionary<string, ulong>? Counted { get; init; }

    /// <summary>Why the window failed, in one line; null when it ran.</summary>
    public string? Failure { get; init; }

    public bool Succeeded => Failure is null;

    /// <summary>Counted exactly (counters), or ran without failure (baseline and control).</summary>
    public bool Passed => Succeeded && (Verification?.HardCountsHold ?? true);

    public bool IsThroughput => Kind == LiveWindowKind.Throughput;

    /// <summary>Frames counted: the verified packet counts where the window was verified, else every count (external traffic).</summary>
    public ulong CountedTotal =>
        Verification?.CountedTotal ?? (Counted is null ? 0 : (ulong)Counted.Values.Sum(v => (decimal)v));

    /// <summary>
    /// Packets per second over the window, in millions: sent over the generator's wall
    /// time, or delivered over the window for external traffic. Only a throughput
    /// window's rate is a throughput figure; see <see cref="Mpps"/>.
    /// </summary>
    public double Rate =>
        Wall > TimeSpan.Zero ? (Setting.IsExternal ? Delivered : (ulong)Sent) / Wall.TotalSeconds / 1e6 : double.NaN;

    /// <summary>The variant's throughput, from a successful throughput window only.</summary>
    public double? Mpps => IsThroughput && Succeeded ? Rate : null;

    /// <summary>
    /// CPU nanoseconds per packet: every generator CPU both sends and runs the receiving
    /// XDP program (veth schedules the peer's NAPI on the sending CPU), so CPUs × 1000 / Mpps.
    /// </summary>
    public double CpuNsPerPacket => Setting.Source.CpuCount * 1000.0 / Rate;

    /// <summary>The program's share of one CPU over a stats window: Δrun_time / wall (as bpftop computes it).</summary>
    public double CpuPercent =>
        RunStats is { } stats && Wall > TimeSpan.Zero ? 100.0 * stats.RunTimeNs / Wall.TotalNanoseconds : double.NaN;

    /// <summary>
    /// Every non-time event per delivered packet, and IPC where cycles and instructions
    /// both counted. Time events counted system-wide (cpu-clock, task-clock) are left out:
    /// they run on every CPU, busy or idle, so per packet they are only CPUs × wall / packets.
    /// </summary>
    public IReadOnlyDictionary<string, double> CountersPerPacket
    {
        get
        {
            var perPacket = new SortedDictionary<string, double>(StringComparer.Ordinal);
            if (Counters is null || Delivered == 0)
                return perPacket;
            foreach (var counter in Counters.Where(c => !c.IsTime))
                perPacket[counter.Event + "/pkt"] = counter.Value / Delivered;
            foreach (var suffix in new[] { "", ":k" })
            {
                var cycles = Counters.FirstOrDefault(c => c.Event == "cycles" + suffix);
                var instructions = Counters.FirstOrDefault(c => c.Event == "instructions" + suffix);
                if (cycles is { Value: > 0 } && instructions is not null)
                    perPacket["IPC" + suffix] = instructions.Value / cycles.Value;
            }
            return perPacket;
        }
    }

    /// <summary>A window of <paramref name="variant"/> in a setting and round, to be filled in with what it measured.</summary>
    public static LiveSample Of(Plugins.LoadedVariant variant, LiveSetting setting, int round, LiveWindowKind kind) =>
        new()
        {
            Variant = variant.Name,
            Role = variant.Role,
            Setting = setting,
            Round = round,
            Kind = kind,
        };
}
