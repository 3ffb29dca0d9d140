namespace PacketCounter.Profiling.Bpf;

/// <summary>Whether run stats are on for everyone through the sysctl (an fd from bpf_enable_stats is invisible here).</summary>
public static class RunStatsState
{
    public static bool EnabledBySysctl()
    {
        const string path = "/proc/sys/kernel/bpf_stats_enabled";
        return File.Exists(path) && File.ReadAllText(path).Trim() == "1";
    }
}
