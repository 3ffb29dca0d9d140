using System.Globalization;
using CsvHelper.Configuration;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Reporting;

/// <summary>One row of runs.csv: one sample, micro or live. Columns are documented in the README.</summary>
public sealed record RunRow
{
    public string Variant { get; init; } = "";
    public string Mode { get; init; } = "";
    public string Class { get; init; } = "";
    public int FrameSize { get; init; }
    public string GenCpus { get; init; } = "";
    public int Repeat { get; init; }
    public double? NsPerPacket { get; init; }
    public int? TestRunRepeat { get; init; }
    public uint? KernelDurationNs { get; init; }
    public long? PacketsSent { get; init; }
    public ulong? PacketsDelivered { get; init; }
    public ulong? PacketsCounted { get; init; }
    public double? WallSeconds { get; init; }
    public double? Mpps { get; init; }
    public ulong? RunCount { get; init; }
    public ulong? RunTimeNs { get; init; }
    public double? NsPerRun { get; init; }
    public double? CpuPercent { get; init; }
    public double? SoftIrqPercent { get; init; }
    public double? SystemPercent { get; init; }
    public string CpuBusy { get; init; } = "";
    public string Verified { get; init; } = "";
    public string Failure { get; init; } = "";
    public string CountersPerPacket { get; init; } = "";
    public string CountersRunningPercent { get; init; } = "";

    public static RunRow Of(MicroSample s) => new()
    {
        Variant = s.Variant,
        Mode = "micro",
        Class = TrafficClasses.Name(s.Class),
        FrameSize = s.FrameSize,
        Repeat = s.Index,
        NsPerPacket = s.NsPerPacket,
        TestRunRepeat = s.Repeat,
        KernelDurationNs = s.KernelDurationNs,
    };

    public static RunRow Of(LiveSample s)
    {
        var generatorCpus = s.GeneratorCpus.Split(',').Select(c => int.TryParse(c, CultureInfo.InvariantCulture, out var cpu) ? cpu : -1).ToHashSet();
        var onGenerator = s.CpuBusy.Where(b => generatorCpus.Contains(b.Cpu)).ToList();
        return new RunRow
        {
            Variant = s.Variant,
            Mode = "live",
            Class = s.Mix,
            FrameSize = s.FrameSize,
            GenCpus = s.GeneratorCpus,
            Repeat = s.Repeat,
            PacketsSent = s.Sent,
            PacketsDelivered = s.Delivered,
            PacketsCounted = s.Role == VariantRole.Baseline ? null : s.CountedTotal,
            WallSeconds = s.Wall.TotalSeconds,
            Mpps = s.Mpps,
            RunCount = s.RunCount,
            RunTimeNs = s.RunTimeNs,
            NsPerRun = double.IsFinite(s.NsPerRun) ? s.NsPerRun : null,
            CpuPercent = double.IsFinite(s.CpuPercent) ? s.CpuPercent : null,
            SoftIrqPercent = onGenerator.Count > 0 ? onGenerator.Average(b => b.SoftIrqPercent) : null,
            SystemPercent = onGenerator.Count > 0 ? onGenerator.Average(b => b.SystemPercent) : null,
            CpuBusy = string.Join(";", s.CpuBusy.Select(b => string.Create(CultureInfo.InvariantCulture,
                $"cpu{b.Cpu}:softirq={b.SoftIrqPercent:0.#},system={b.SystemPercent:0.#},user={b.UserPercent:0.#},idle={b.IdlePercent:0.#}"))),
            Verified = VerifiedText(s),
            Failure = s.Failure ?? "",
            CountersPerPacket = string.Join(";", s.CountersPerPacket.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value:R}"))),
            CountersRunningPercent = string.Join(";", (s.Counters ?? []).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Event}={c.RunningPercent:0.#}"))),
        };
    }

    /// <summary>"exact", "MISMATCH", "baseline" or "failed": the verification column.</summary>
    public static string VerifiedText(LiveSample s) => s switch
    {
        { Failure: not null } => "failed",
        { Mix: LiveSample.ExternalMix } => "external",
        { Verification: null } => "baseline",
        { Verification.IsExact: true } => "exact",
        _ => "MISMATCH",
    };
}

public sealed class RunRowMap : ClassMap<RunRow>
{
    public RunRowMap()
    {
        Map(r => r.Variant).Name("variant");
        Map(r => r.Mode).Name("mode");
        Map(r => r.Class).Name("class");
        Map(r => r.FrameSize).Name("frame_size");
        Map(r => r.GenCpus).Name("gen_cpus");
        Map(r => r.Repeat).Name("repeat");
        Map(r => r.NsPerPacket).Name("ns_per_packet");
        Map(r => r.TestRunRepeat).Name("test_run_repeat");
        Map(r => r.KernelDurationNs).Name("kernel_duration_ns");
        Map(r => r.PacketsSent).Name("packets_sent");
        Map(r => r.PacketsDelivered).Name("packets_delivered");
        Map(r => r.PacketsCounted).Name("packets_counted");
        Map(r => r.WallSeconds).Name("wall_s");
        Map(r => r.Mpps).Name("mpps");
        Map(r => r.RunCount).Name("run_cnt");
        Map(r => r.RunTimeNs).Name("run_time_ns");
        Map(r => r.NsPerRun).Name("ns_per_run");
        Map(r => r.CpuPercent).Name("cpu_percent");
        Map(r => r.SoftIrqPercent).Name("softirq_percent");
        Map(r => r.SystemPercent).Name("system_percent");
        Map(r => r.CpuBusy).Name("cpu_busy");
        Map(r => r.Verified).Name("verified");
        Map(r => r.Failure).Name("failure");
        Map(r => r.CountersPerPacket).Name("counters_per_packet");
        Map(r => r.CountersRunningPercent).Name("counters_running_percent");
    }
}
