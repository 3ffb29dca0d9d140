using CsvHelper.Configuration.Attributes;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Reporting;

/// <summary>One row of runs.csv: one sample, micro or live. Columns are documented in the README.</summary>
public sealed record RunRow
{
    public const string MicroMode = "micro";
    public const string LiveMode = "live";

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

    [Name("window")]
    public string Window { get; init; } = "";

    [Name("round")]
    public int Round { get; init; }

    [Name("quad")]
    public int? Quad { get; init; }

    [Name("placement")]
    public int? Placement { get; init; }

    [Name("ns_per_packet")]
    public double? NsPerPacket { get; init; }

    [Name("test_run_repeat")]
    public int? TestRunRepeat { get; init; }

    [Name("kernel_duration_ns")]
    public uint? KernelDurationNs { get; init; }

    [Name("packets_sent")]
    public long? PacketsSent { get; init; }

    [Name("packets_delivered")]
    public ulong? PacketsDelivered { get; init; }

    [Name("packets_counted")]
    public ulong? PacketsCounted { get; init; }

    [Name("wall_s")]
    public double? WallSeconds { get; init; }

    [Name("mpps")]
    public double? Mpps { get; init; }

    [Name("stats_window_mpps")]
    public double? StatsWindowMpps { get; init; }

    [Name("run_cnt")]
    public ulong? RunCount { get; init; }

    [Name("run_time_ns")]
    public ulong? RunTimeNs { get; init; }

    [Name("ns_per_run")]
    public double? NsPerRun { get; init; }

    [Name("cpu_percent")]
    public double? CpuPercent { get; init; }

    [Name("softirq_percent")]
    public double? SoftIrqPercent { get; init; }

    [Name("system_percent")]
    public double? SystemPercent { get; init; }

    [Name("cpu_busy")]
    public string CpuBusy { get; init; } = "";

    [Name("verified")]
    public string Verified { get; init; } = "";

    [Name("failure")]
    public string Failure { get; init; } = "";

    [Name("counters_per_packet")]
    public string CountersPerPacket { get; init; } = "";

    [Name("counters_running_percent")]
    public string CountersRunningPercent { get; init; } = "";

    public static string RoleName(MeasuredRole role) => Text.EnumNames.Of(role);

    public static string WindowName(LiveWindowKind kind) => Text.EnumNames.Of(kind);

    public static RunRow Of(MicroSample s) =>
        new()
        {
            Variant = s.Variant,
            Role = RoleName(s.Role),
            Mode = MicroMode,
            Class = TrafficClasses.Name(s.Class),
            FrameSize = s.FrameSize,
            Round = s.Round,
            Quad = s.Quad,
            Placement = s.Placement,
            NsPerPacket = s.NsPerPacket,
            TestRunRepeat = s.Repeat,
            KernelDurationNs = s.KernelDurationNs,
        };

    public static RunRow Of(LiveSample s)
    {
        var onGenerator = s.Setting.GeneratorCpus is { } cpus
            ? s.CpuBusy.Where(b => cpus.Cpus.Contains(b.Cpu)).ToList()
            : [];
        var stats = s.Kind == LiveWindowKind.RunStats ? s.RunStats : null;
        return new RunRow
        {
            Variant = s.Variant,
            Role = RoleName(s.Role),
            Mode = LiveMode,
            Class = s.Setting.TrafficLabel,
            FrameSize = s.Setting.FrameSize,
            GenCpus = s.Setting.GeneratorCpus?.ToString() ?? "",
            Iface = (s.Setting.Source as ExternalSource)?.Interface ?? "",
            Sink = Sinks.Name(s.Setting.Sink),
            Window = WindowName(s.Kind),
            Round = s.Round,
            Quad = s.Quad,
            PacketsSent = s.Sent,
            PacketsDelivered = s.Delivered,
            PacketsCounted = s.Role == MeasuredRole.Counter ? s.CountedTotal : null,
            WallSeconds = s.Wall.TotalSeconds,
            Mpps = s.Mpps,
            StatsWindowMpps = s.Kind == LiveWindowKind.RunStats && s.Succeeded ? s.Rate : null,
            RunCount = s.RunStats?.RunCount,
            RunTimeNs = s.RunStats?.RunTimeNs,
            NsPerRun = stats is { } st && double.IsFinite(st.NsPerRun) ? st.NsPerRun : null,
            CpuPercent = stats is not null && double.IsFinite(s.CpuPercent) ? s.CpuPercent : null,
            SoftIrqPercent = onGenerator.Count > 0 ? onGenerator.Average(b => b.SoftIrqPercent) : null,
            SystemPercent = onGenerator.Count > 0 ? onGenerator.Average(b => b.SystemPercent) : null,
            CpuBusy = string.Join(
                ";",
                s.CpuBusy.Select(b =>
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"cpu{b.Cpu}:softirq={b.SoftIrqPercent:0.#},system={b.SystemPercent:0.#},"
                            + $"user={b.UserPercent:0.#},idle={b.IdlePercent:0.#}"
                    )
                )
            ),
            Verified = VerificationStatuses.Name(VerificationStatuses.Of(s)),
            Failure = s.Failure ?? "",
            CountersPerPacket = string.Join(
                ";",
                s.CountersPerPacket.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value:R}"))
            ),
            CountersRunningPercent = string.Join(
                ";",
                (s.Counters ?? []).Select(c =>
                    string.Create(CultureInfo.InvariantCulture, $"{c.Event}={c.RunningPercent:0.#}")
                )
            ),
        };
    }
}
