using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The files of one run folder. runs.csv grows a row per sample as it is taken; the
/// summaries are written when the run ends, however it ends.
/// </summary>
public sealed class RunArtifacts : IDisposable
{
    public const string RunsFile = "runs.csv";
    public const string SummaryFile = "summary.csv";
    public const string ResultsFile = "results.csv";
    public const string IncompleteFile = "INCOMPLETE";
    public const string EnvironmentFile = "environment.json";

    private readonly CsvAppender<RunRow> _runs;

    public RunArtifacts(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        Directory = directory;
        _runs = new CsvAppender<RunRow>(System.IO.Path.Combine(directory, RunsFile));
    }

    public string Directory { get; }

    public void Add(MicroSample sample) => _runs.Write(RunRow.Of(sample));

    public void Add(LiveSample sample) => _runs.Write(RunRow.Of(sample));

    /// <summary>
    /// Writes the summaries, environment.json, the plots and the reports, the verifier log
    /// of every refused variant, and the incomplete marker when due.
    /// </summary>
    public void Finish(BenchFigures figures, Machine.MachineFacts machine)
    {
        var results = figures.Results;
        File.WriteAllText(
            System.IO.Path.Combine(Directory, EnvironmentFile),
            System.Text.Json.JsonSerializer.Serialize(machine, Machine.MachineFactsJson.Default.MachineFacts)
        );
        using (var summary = new CsvAppender<SummaryRow>(System.IO.Path.Combine(Directory, SummaryFile)))
            summary.WriteAll(SummaryRow.Of(figures));
        using (var pairs = new CsvAppender<PairRow>(System.IO.Path.Combine(Directory, PairRow.FileName)))
            pairs.WriteAll(PairRow.Of(results));
        using (var seedTable = new CsvAppender<ResultRow>(System.IO.Path.Combine(Directory, ResultsFile)))
            seedTable.WriteAll(ResultRow.Of(figures));
        foreach (var failure in results.LoadFailures.Where(f => f.VerifierLog is not null))
            File.WriteAllText(
                System.IO.Path.Combine(Directory, $"verifier-{failure.Variant}.log"),
                failure.VerifierLog
            );
        if (results.Incomplete)
            File.WriteAllText(
                System.IO.Path.Combine(Directory, IncompleteFile),
                "The run was interrupted; the files here hold every sample finished before that.\n"
            );
        var plots = Plots.Write(figures, Directory);
        RunReport.Write(figures, machine, plots, Directory, System.IO.Path.GetFileName(Directory.TrimEnd('/')));
    }

    public void Dispose() => _runs.Dispose();
}
