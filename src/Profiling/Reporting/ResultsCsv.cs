using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
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
    public string Failure { get; init; } = "";
}

internal sealed class LiveResultRowMap : ClassMap<LiveResultRow>
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
        Map(r => r.Failure).Name("failure");
    }
}

/// <summary>
/// Writes results.csv a row at a time, flushed as each row is written, so an
/// interrupted run keeps every row it finished. Invariant culture, whatever the locale.
/// </summary>
public sealed class ResultsCsvWriter : IDisposable
{
    private readonly StreamWriter _stream;
    private readonly CsvWriter _csv;

    public ResultsCsvWriter(string path)
    {
        Path = path;
        _stream = new StreamWriter(path, append: false);
        _csv = new CsvWriter(_stream, new CsvConfiguration(CultureInfo.InvariantCulture));
        _csv.Context.RegisterClassMap<LiveResultRowMap>();
        _csv.WriteHeader<LiveResultRow>();
        _csv.NextRecord();
        _csv.Flush();
    }

    public string Path { get; }

    public void Write(LiveResultRow row)
    {
        _csv.WriteRecord(row);
        _csv.NextRecord();
        _csv.Flush();
        _stream.Flush();
    }

    public void Dispose()
    {
        _csv.Dispose();
        _stream.Dispose();
    }

    public static IReadOnlyList<LiveResultRow> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        csv.Context.RegisterClassMap<LiveResultRowMap>();
        return csv.GetRecords<LiveResultRow>().ToList();
    }

    public static LiveResultRow RowOf(LiveOutcome outcome, string mix, int frameSize, double? naiveMpps) => new()
    {
        Variant = outcome.Variant,
        Role = outcome.Role.ToString().ToLowerInvariant(),
        Mix = mix,
        FrameSize = frameSize,
        PacketsSent = outcome.Sent,
        PacketsDelivered = outcome.Delivered,
        PacketsCounted = outcome.Verification?.CountedTotal ?? 0,
        WallSeconds = outcome.Wall.TotalSeconds,
        Mpps = outcome.Mpps,
        SpeedupVsNaive = naiveMpps is > 0 && outcome.Succeeded ? outcome.Mpps / naiveMpps : null,
        Verified = VerifiedText(outcome),
        XlatedInsns = outcome.Program?.XlatedInstructions,
        JitedBytes = outcome.Program?.JitedBytes,
        VerifiedInsns = outcome.Program?.VerifiedInstructions,
        Failure = outcome.Failure ?? "",
    };

    /// <summary>"exact", "MISMATCH", "baseline" or "failed": the verification column.</summary>
    public static string VerifiedText(LiveOutcome outcome) => outcome switch
    {
        { Failure: not null } => "failed",
        { Verification: null } => "baseline",
        { Verification.IsExact: true } => "exact",
        _ => "MISMATCH",
    };
}
