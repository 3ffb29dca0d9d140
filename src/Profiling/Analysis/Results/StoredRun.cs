namespace PacketCounter.Profiling.Results;

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
    public static StoredRun FromDirectory(string directory, string? tag = null) =>
        new(RunFolder.Read(directory), tag, Path.GetFullPath(directory));
}
