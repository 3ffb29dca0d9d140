using CsvHelper.Configuration.Attributes;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// One row of results.csv: the seed-style comparison, one row per variant and live setting. Column names are
/// stable; the README documents them.
/// </summary>
public sealed record ResultRow
{
    [Name("variant")]
    public string Variant { get; init; } = "";

    [Name("role")]
    public string Role { get; init; } = "";

    [Name("mix")]
    public string Mix { get; init; } = "";

    [Name("frame_size")]
    public int FrameSize { get; init; }

    [Name("gen_cpus")]
    public string GenCpus { get; init; } = "";

    [Name("iface")]
    public string Iface { get; init; } = "";

    [Name("sink")]
    public string Sink { get; init; } = "";

    [Name("packets_sent")]
    public long PacketsSent { get; init; }

    [Name("packets_delivered")]
    public ulong PacketsDelivered { get; init; }

    [Name("packets_counted")]
    public ulong PacketsCounted { get; init; }

    [Name("wall_s")]
    public double WallSeconds { get; init; }

    [Name("mpps")]
    public double? Mpps { get; init; }

    [Name("live_net_ns_per_packet")]
    public double? LiveNetNsPerPacket { get; init; }

    [Name("micro_net_ns_per_packet")]
    public double? MicroNetNsPerPacket { get; init; }

    [Name("speedup_reference")]
    public string SpeedupReference { get; init; } = "";

    [Name("speedup")]
    public double? Speedup { get; init; }

    [Name("verified")]
    public string Verified { get; init; } = "";

    [Name("xlated_insns")]
    public int? XlatedInsns { get; init; }

    [Name("jited_bytes")]
    public int? JitedBytes { get; init; }

    [Name("verified_insns")]
    public int? VerifiedInsns { get; init; }

    public static IEnumerable<ResultRow> Of(Results.RunResult figures) =>
        figures.Live.Select(f =>
        {
            var facts = figures.Variants.FirstOrDefault(x => x.Variant == f.Variant)?.Program;
            return new ResultRow
            {
                Variant = f.Variant,
                Role = RunRow.RoleName(f.Role),
                Mix = f.Setting.TrafficLabel,
                FrameSize = f.Setting.FrameSize,
                GenCpus = f.Setting.GeneratorCpus?.ToString() ?? "",
                Iface = (f.Setting.Source as ExternalSource)?.Interface ?? "",
                Sink = Sinks.Name(f.Setting.Sink),
                PacketsSent = f.PacketsSent,
                PacketsDelivered = f.PacketsDelivered,
                PacketsCounted = f.PacketsCounted,
                WallSeconds = f.WallSeconds,
                Mpps = f.Mpps?.Mean.Mean,
                LiveNetNsPerPacket = f.NetCpuNsPerPacket?.Estimate,
                MicroNetNsPerPacket = figures
                    .MicroMix.FirstOrDefault(m =>
                        m.Variant == f.Variant && m.Mix == f.Setting.Mix && m.FrameSize == f.Setting.FrameSize
                    )
                    ?.NetOfBaseline?.Estimate,
                SpeedupReference = f.Speedup?.Reference ?? "",
                Speedup = f.Speedup?.Value.Estimate,
                Verified = VerificationStatuses.Name(f.Verification),
                XlatedInsns = facts?.XlatedInstructions,
                JitedBytes = facts?.JitedBytes,
                VerifiedInsns = facts?.VerifiedInstructions,
            };
        });
}
