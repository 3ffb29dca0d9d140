using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.History;

/// <summary>
/// One run as the history keeps it: the run's whole result, and what the store adds to it,
/// a tag and the folder it came from. A fresh run and an imported one take the same path
/// into the store.
/// </summary>
public sealed record StoredRun(RunResult Result, string? Tag = null, string? Directory = null)
{
    public string Id => Result.Id;

    public DateTimeOffset StartedUtc => Result.Environment.StartedUtc;

    public string Command => Result.Environment.CommandLine;

    public MachineFingerprint Machine => MachineFingerprint.Of(Result);

    /// <summary>The run a finished run folder holds, tagged as given.</summary>
    public static StoredRun FromDirectory(string directory, string? tag = null)
    {
        try
        {
            return new StoredRun(RunFolder.Read(directory), tag, Path.GetFullPath(directory));
        }
        catch (RunFolderException e)
        {
            throw new HistoryException(e.Message, e);
        }
    }
}

/// <summary>A history store, or a run folder, that cannot be used; the message is one line saying what and what to do.</summary>
public sealed class HistoryException(string message, Exception? inner = null) : Exception(message, inner);
