using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The files of one run folder. runs.csv grows a row per sample as it is taken; the
/// summaries are written when the run ends, however it ends.
/// </summary>
public sealed class RunArtifacts : IDisposable
{
    private readonly CsvAppender<RunRow, RunRowMap> _runs;

    public RunArtifacts(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        Directory = directory;
        _runs = new CsvAppender<RunRow, RunRowMap>(System.IO.Path.Combine(directory, RunsFile));
    }

    public const string RunsFile = "runs.csv";
    public const string SummaryFile = "summary.csv";
    public const string ResultsFile = "results.csv";
    public const string IncompleteFile = "INCOMPLETE";

    public string Directory { get; }

    public void Add(MicroSample sample) => _runs.Write(RunRow.Of(sample));

    public void Add(LiveSample sample) => _runs.Write(RunRow.Of(sample));

    /// <summary>Writes the summaries, the verifier log of every refused variant, and the incomplete marker when due.</summary>
    public void Finish(BenchResults results)
    {
        using (var summary = new CsvAppender<SummaryRow, SummaryRowMap>(System.IO.Path.Combine(Directory, SummaryFile)))
            summary.WriteAll(SummaryRow.Of(results));
        using (var seedTable = new CsvAppender<LiveResultRow, LiveResultRowMap>(System.IO.Path.Combine(Directory, ResultsFile)))
            seedTable.WriteAll(ResultRows.Of(results));
        foreach (var failure in results.LoadFailures.Where(f => f.VerifierLog is not null))
            File.WriteAllText(System.IO.Path.Combine(Directory, $"verifier-{failure.Variant}.log"), failure.VerifierLog);
        var marker = System.IO.Path.Combine(Directory, IncompleteFile);
        if (results.Incomplete)
            File.WriteAllText(marker, "The run was interrupted; the files here hold every sample finished before that.\n");
    }

    public void Dispose() => _runs.Dispose();
}
