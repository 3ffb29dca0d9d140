using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Reporting;

/// <summary>One row of results.csv. Column names are stable; the README documents them.</summary>
public sealed record LiveResultRow
{
    public string Variant { get; init; } = "";
    public string Role { get; init; } = "";
    public string Mix { get; init; } = "";
    public int FrameSize { get; init; }
    public long PacketsSent { get; init; }
    public ulong PacketsDelivered { get; init; }
    public ulong PacketsCounted { get; init; }
    public double WallSeconds { get; init; }
    public double Mpps { get; init; }
    public double? SpeedupVsNaive { get; init; }
    public string Verified { get; init; } = "";
    public int? XlatedInsns { get; init; }
    public int? JitedBytes { get; init; }
    public int? VerifiedInsns { get; init; }
    public string GenCpus { get; init; } = "";
}

public sealed class LiveResultRowMap : ClassMap<LiveResultRow>
{
    public LiveResultRowMap()
    {
        Map(r => r.Variant).Name("variant");
        Map(r => r.Role).Name("role");
        Map(r => r.Mix).Name("mix");
        Map(r => r.FrameSize).Name("frame_size");
        Map(r => r.PacketsSent).Name("packets_sent");
        Map(r => r.PacketsDelivered).Name("packets_delivered");
        Map(r => r.PacketsCounted).Name("packets_counted");
        Map(r => r.WallSeconds).Name("wall_s");
        Map(r => r.Mpps).Name("mpps");
        Map(r => r.SpeedupVsNaive).Name("speedup_vs_naive");
        Map(r => r.Verified).Name("verified");
        Map(r => r.XlatedInsns).Name("xlated_insns");
        Map(r => r.JitedBytes).Name("jited_bytes");
        Map(r => r.VerifiedInsns).Name("verified_insns");
        Map(r => r.GenCpus).Name("gen_cpus");
    }
}

/// <summary>The seed-style comparison, one row per variant × mix × size × generator setting (results.csv).</summary>
public static class ResultRows
{
    public static IEnumerable<LiveResultRow> Of(BenchResults results) =>
        results.LiveFigures().Select(f =>
        {
            var facts = results.Facts.FirstOrDefault(x => x.Variant == f.Variant)?.Program;
            return new LiveResultRow
            {
                Variant = f.Variant,
                Role = f.Role.ToString().ToLowerInvariant(),
                Mix = f.Mix,
                FrameSize = f.FrameSize,
                PacketsSent = f.PacketsSent,
                PacketsDelivered = f.PacketsDelivered,
                PacketsCounted = f.PacketsCounted,
                WallSeconds = results.LiveSamples.Where(s => s.Variant == f.Variant && s.Mix == f.Mix && s.FrameSize == f.FrameSize && s.GeneratorCpus == f.GeneratorCpus).Sum(s => s.Wall.TotalSeconds),
                Mpps = f.Mpps.Mean.Mean,
                SpeedupVsNaive = f.SpeedupVsNaive?.Mean,
                Verified = f.Role == VariantRole.Baseline ? "baseline" : f.FailedWindows > 0 ? "failed" : f.ExactWindows == f.Windows ? "exact" : "MISMATCH",
                XlatedInsns = facts?.XlatedInstructions,
                JitedBytes = facts?.JitedBytes,
                VerifiedInsns = facts?.VerifiedInstructions,
                GenCpus = f.GeneratorCpus,
            };
        });
}
