namespace PacketCounter.Profiling.Bpf;

/// <summary>
/// Who keeps run stats on besides this process: the kernel.bpf_stats_enabled sysctl, or a
/// process holding a BPF_ENABLE_STATS descriptor (an anonymous inode named bpf-stats), found
/// in /proc. Run stats are global to the host, so either one slows every program's runs.
/// </summary>
public static class RunStatsHolders
{
    private const string StatsInode = "anon_inode:bpf-stats";

    /// <summary>Every other process with a run-stats descriptor open: its pid and command name.</summary>
    public static IReadOnlyList<(int Pid, string Command)> Others()
    {
        var holders = new List<(int, string)>();
        foreach (var process in SafeEntries("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid) || pid == Environment.ProcessId)
                continue;
            if (SafeEntries(Path.Combine(process, "fd")).Any(fd => LinkOf(fd) == StatsInode))
                holders.Add((pid, CommandOf(pid)));
        }
        return holders;
    }

    /// <summary>Why run stats were on, for the line that refuses a throughput slice.</summary>
    public static string Explain()
    {
        if (File.Exists(Sysctl) && File.ReadAllText(Sysctl).Trim() == "1")
            return "kernel.bpf_stats_enabled is 1";
        var others = Others();
        return others.Count == 0
            ? "another process held them on and has let go, or its pid could not be read"
            : "another process holds run stats on ("
                + string.Join(", ", others.Select(o => $"pid {o.Pid}, {o.Command}"))
                + ")";
    }

    private const string Sysctl = "/proc/sys/kernel/bpf_stats_enabled";

    private static string? LinkOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string CommandOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    // A process may exit while it is read: its folder is then simply gone.
    private static IEnumerable<string> SafeEntries(string directory)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
