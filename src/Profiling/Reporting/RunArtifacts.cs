using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The files of one run folder. runs.csv grows a row per sample as it is taken; everything
/// else is written from the run's <see cref="RunResult"/> when the run ends, however it ends.
/// </summary>
public sealed class RunArtifacts : IBenchObserver, IDisposable
{
    public const string RunsFile = RunFolder.RunsFile;
    public const string SummaryFile = RunFolder.SummaryFile;
    public const string ResultsFile = RunFolder.ResultsFile;
    public const string IncompleteFile = RunFolder.IncompleteFile;
    public const string EnvironmentFile = RunFolder.EnvironmentFile;

    private readonly CsvFile<ICellRow>? _runs;

    /// <param name="samples">Whether the run takes samples (runs.csv); a kernel matrix takes none.</param>
    public RunArtifacts(string directory, bool samples = true)
    {
        System.IO.Directory.CreateDirectory(directory);
        Directory = directory;
        if (samples)
            _runs = new CsvFile<ICellRow>(System.IO.Path.Combine(directory, RunsFile), RunsColumns.All);
    }

    public string Directory { get; }

    /// <summary>The run's id: the folder's name.</summary>
    public string RunId => RunFolder.IdOf(Directory);

    public void Took(MicroSample sample) => Write(() => Runs.Write(sample));

    public void Took(LiveSample sample) => Write(() => Runs.Write(sample));

    private CsvFile<ICellRow> Runs => _runs ?? throw new InvalidOperationException("this run takes no samples");

    // A folder that cannot be written (a full disk, above all) stops the run: measuring on
    // with nowhere to keep the samples would lose them.
    private void Write(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            _runs?.Abandon();
            throw new RunFolderWriteException(Directory, e, _runs?.Rows ?? 0);
        }
    }

    /// <summary>
    /// Writes results.json, the summaries, environment.json, the plots and the reports, the
    /// verifier log of every refused variant, and the incomplete marker when due.
    /// </summary>
    public void Finish(RunResult result) => Write(() => WriteAll(result));

    private void WriteAll(RunResult result)
    {
        File.WriteAllText(Path(RunFolder.ResultFile), ResultJson.Write(result));
        File.WriteAllText(
            Path(EnvironmentFile),
            System.Text.Json.JsonSerializer.Serialize(result.Environment, Machine.MachineFactsJson.Default.MachineFacts)
        );
        if (result.Incomplete)
            File.WriteAllText(
                Path(IncompleteFile),
                "The run was interrupted; the files here hold every sample finished before that.\n"
            );
        if (result.Kernels.Count > 0)
        {
            CsvFile<MatrixRow>.Write(Path(MatrixColumns.CsvFile), MatrixColumns.All, MatrixRow.Of(result.Kernels));
            foreach (var (file, log) in MatrixReport.LogFiles(result))
                File.WriteAllText(Path(file), log);
            RunReport.Write(result, [], Directory);
            return;
        }
        CsvFile<FigureRow>.Write(Path(SummaryFile), SummaryColumns.All, FigureRow.Of(result));
        CsvFile<PairPoint>.Write(Path(RunFolder.PairsFile), PairsColumns.All, PairPoint.Of(result.Pairs));
        CsvFile<ComparisonRow>.Write(
            Path(ResultsFile),
            ComparisonColumns.For(result.Plan.Reference, result.Plan.InstructionBudget),
            ComparisonRow.Of(result)
        );
        foreach (var failure in result.LoadFailures.Where(f => f.VerifierLog is not null))
            File.WriteAllText(Path($"verifier-{failure.Variant}.log"), failure.VerifierLog);
        var plots = Plots.Write(result, Directory);
        RunReport.Write(result, plots, Directory);
    }

    private string Path(string file) => System.IO.Path.Combine(Directory, file);

    public void Dispose() => _runs?.Dispose();
}

/// <summary>The run folder stopped taking writes: one line naming it, why, and what it holds.</summary>
public sealed class RunFolderWriteException(string directory, IOException cause, int rows)
    : IOException(
        $"cannot write the run folder {directory}: "
            + (IsFull(cause) ? "the disk is full (no space left on device)" : cause.Message.Split('\n')[0])
            + $"; the run stopped, and the {rows} sample(s) taken before are in {RunFolder.RunsFile}; "
            + "free space there or pass --out elsewhere",
        cause
    )
{
    // ENOSPC, or the quota's EDQUOT: .NET carries the errno as the HResult.
    private static bool IsFull(IOException e) => e.HResult is 28 or 122;
}
