using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Text;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>runs.csv: one row per sample, micro or live, written as each is taken.</summary>
public static class RunsColumns
{
    public static IReadOnlyList<Column<ICellRow>> All { get; } =
    [
        .. CellColumns.Of<ICellRow>(),
        Live("window", "`throughput` or `run_stats`", s => EnumNames.Of(s.Kind)),
        Column.Csv<ICellRow>(
            "round",
            "the round the sample belongs to",
            r =>
                r switch
                {
                    MicroSample m => m.Round,
                    LiveSample l => l.Round,
                    _ => null,
                }
        ),
        Column.Csv<ICellRow>(
            "quad",
            "the ABBA quadruple a slice belongs to: the unit net figures pair on",
            r =>
                r switch
                {
                    MicroSample m => m.Quad,
                    LiveSample l => l.Quad,
                    _ => null,
                }
        ),
        Micro("placement", "micro: which load of the programs was timed (0: the run's own)", m => m.Placement),
        Micro("ns_per_packet", "micro: wall time of the test run over its repeat count", m => m.NsPerPacket, "ns"),
        Micro("test_run_repeat", "micro: the test run's repeat count", m => m.Repeat),
        Micro(
            "kernel_duration_ns",
            "micro: the kernel's own average per repetition, truncated to whole ns",
            m => m.KernelDurationNs,
            "ns"
        ),
        Live("packets_sent", "live: frames the generator sent", s => s.Sent),
        Live("packets_delivered", "live: the device under test's rx delta over the window", s => s.Delivered),
        Live(
            "packets_counted",
            "live, counters: frames counted (the verified packet counts)",
            s => s.Role == MeasuredRole.Counter ? s.CountedTotal : null
        ),
        Live(
            "wall_s",
            "live: the generator's wall time (the window's, for external traffic)",
            s => s.Wall.TotalSeconds,
            "s"
        ),
        Live("mpps", "live: the window's rate, throughput slices only", s => s.Mpps, "Mpps"),
        Live(
            "stats_window_mpps",
            "live: a stats slice's rate, used for the stats cost and never as a throughput",
            s => s.Kind == LiveWindowKind.RunStats && s.Succeeded ? s.Rate : null,
            "Mpps"
        ),
        Live("run_cnt", "live: Δrun_cnt (0 in a throughput slice: stats were off)", s => s.RunStats?.RunCount),
        Live("run_time_ns", "live: Δrun_time_ns", s => s.RunStats?.RunTimeNs, "ns"),
        Live(
            "ns_per_run",
            "live, stats slices: Δrun_time_ns / Δrun_cnt",
            s =>
                s.Kind == LiveWindowKind.RunStats && s.RunStats is { } st && double.IsFinite(st.NsPerRun)
                    ? st.NsPerRun
                    : null,
            "ns"
        ),
        Live(
            "cpu_percent",
            "live, stats slices: Δrun_time_ns / wall, the program's share of one CPU",
            s => s.Kind == LiveWindowKind.RunStats && double.IsFinite(s.CpuPercent) ? s.CpuPercent : null,
            "%"
        ),
        Live(
            "softirq_percent",
            "bench --iface: softirq time on the receiving CPUs, from /proc/stat",
            s => OnGenerator(s) is { Count: > 0 } busy ? busy.Average(b => b.SoftIrqPercent) : null,
            "%"
        ),
        Live(
            "system_percent",
            "bench --iface: system time on the receiving CPUs, from /proc/stat",
            s => OnGenerator(s) is { Count: > 0 } busy ? busy.Average(b => b.SystemPercent) : null,
            "%"
        ),
        Live(
            "cpu_busy",
            "bench --iface: each CPU's softirq, system, user and idle shares (/proc/stat's 10 ms tick is too coarse "
                + "for a slice)",
            s =>
                string.Join(
                    ";",
                    s.CpuBusy.Select(b =>
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"cpu{b.Cpu}:softirq={b.SoftIrqPercent:0.#},system={b.SystemPercent:0.#},"
                                + $"user={b.UserPercent:0.#},idle={b.IdlePercent:0.#}"
                        )
                    )
                )
        ),
        Live(
            "verified",
            "live: the window's verification (`exact`, `within bound`, `outside bound`, `MISMATCH`, `baseline`, "
                + "`external`, `failed`)",
            s => VerificationStatuses.Name(VerificationStatuses.Of(s))
        ),
        Live("failure", "live: why the window failed, in one line", s => s.Failure),
        Live(
            "counters_per_packet",
            "live: every non-time perf event per delivered packet, `event/pkt=value;...`, and IPC where cycles and "
                + "instructions both counted",
            s =>
                string.Join(
                    ";",
                    s.CountersPerPacket.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value:R}"))
                )
        ),
        Live(
            "counters_running_percent",
            "live: the share of the window each event was on the PMU, as perf stat shows it",
            s =>
                string.Join(
                    ";",
                    (s.Counters ?? []).Select(c =>
                        string.Create(CultureInfo.InvariantCulture, $"{c.Event}={c.RunningPercent:0.#}")
                    )
                )
        ),
    ];

    private static Column<ICellRow> Micro(
        string name,
        string legend,
        Func<MicroSample, object?> value,
        string? unit = null
    ) => Column.Csv<ICellRow>(name, legend, r => r is MicroSample m ? value(m) : null, unit);

    private static Column<ICellRow> Live(
        string name,
        string legend,
        Func<LiveSample, object?> value,
        string? unit = null
    ) => Column.Csv<ICellRow>(name, legend, r => r is LiveSample s ? value(s) : null, unit);

    // The CPUs that carried the window's frames: the generator's, or every CPU for an interface's own traffic.
    private static List<SystemStats.CpuBusy> OnGenerator(LiveSample s) =>
        s.Setting.GeneratorCpus is { } cpus ? s.CpuBusy.Where(b => cpus.Cpus.Contains(b.Cpu)).ToList() : [.. s.CpuBusy];
}
