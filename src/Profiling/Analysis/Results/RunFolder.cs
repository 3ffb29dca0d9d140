namespace PacketCounter.Profiling.Results;

/// <summary>The files of a run folder, by name, and the result one holds.</summary>
public static class RunFolder
{
    /// <summary>The whole result, as <see cref="ResultJson"/> writes it.</summary>
    public const string ResultFile = ResultJson.FileName;

    /// <summary>One row per sample, written as each is taken.</summary>
    public const string RunsFile = "runs.csv";

    public const string SummaryFile = "summary.csv";

    public const string PairsFile = "pairs.csv";

    /// <summary>The seed-style comparison, one row per variant and live setting.</summary>
    public const string ResultsFile = "results.csv";

    public const string EnvironmentFile = "environment.json";

    /// <summary>Present when the run was interrupted.</summary>
    public const string IncompleteFile = "INCOMPLETE";

    /// <summary>The run's id: the folder's name.</summary>
    public static string IdOf(string directory) => Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/'));

    public static bool Holds(string directory) => File.Exists(Path.Combine(directory, ResultFile));

    /// <summary>The result a finished run folder holds, or a one-line <see cref="RunFolderException"/> saying why not.</summary>
    public static RunResult Read(string directory)
    {
        var path = Path.Combine(directory, ResultFile);
        if (!File.Exists(path))
            throw new RunFolderException(
                File.Exists(Path.Combine(directory, SummaryFile))
                    ? $"'{directory}' was written before runs kept their whole result ({ResultFile}): its "
                        + $"figures are in {SummaryFile} to read, but it cannot be recorded or compared; run bench again"
                    : $"'{directory}' is not a finished run folder: it needs {ResultFile}, which bench writes when a run ends"
            );
        try
        {
            return ResultJson.Read(File.ReadAllText(path));
        }
        // The serializer names a malformed document several ways: a syntax error, a type it
        // cannot build (a missing discriminator), a value out of range for its field.
        catch (Exception e)
            when (e
                    is System.Text.Json.JsonException
                        or NotSupportedException
                        or InvalidOperationException
                        or ArgumentException
                        or FormatException
                        or OverflowException
            )
        {
            throw new RunFolderException($"'{path}' cannot be read as a run's result: {e.Message.Split('\n')[0]}");
        }
    }
}

/// <summary>A run folder that cannot be read; the message is one line saying what and what to do.</summary>
public sealed class RunFolderException(string message) : Exception(message);
