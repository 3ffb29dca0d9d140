namespace PacketCounter.Profiling.Machine;

/// <summary>
/// The capabilities PacketCounter needs: CAP_BPF (load programs, create maps),
/// CAP_NET_ADMIN (attach XDP, build the testbed) and CAP_PERFMON (run stats, perf
/// counters). CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON, as the kernel allows.
/// </summary>
public static class Privileges
{
    private const int CapNetAdmin = 12;
    private const int CapSysAdmin = 21;
    private const int CapPerfmon = 38;
    private const int CapBpf = 39;

    public static IReadOnlyList<string> Missing() => Missing(EffectiveCapabilities());

    internal static IReadOnlyList<string> Missing(ulong effective)
    {
        bool Has(int cap) => (effective & (1UL << cap)) != 0;
        var missing = new List<string>();
        if (!Has(CapBpf) && !Has(CapSysAdmin))
            missing.Add("CAP_BPF");
        if (!Has(CapNetAdmin))
            missing.Add("CAP_NET_ADMIN");
        if (!Has(CapPerfmon) && !Has(CapSysAdmin))
            missing.Add("CAP_PERFMON");
        return missing;
    }

    /// <summary>Whether the process may open perf events system-wide: CAP_PERFMON, or CAP_SYS_ADMIN which implies it.</summary>
    public static bool HasPerfmon()
    {
        var effective = EffectiveCapabilities();
        return (effective & (1UL << CapPerfmon)) != 0 || (effective & (1UL << CapSysAdmin)) != 0;
    }

    /// <summary>The effective capability set (CapEff in /proc/self/status).</summary>
    public static ulong EffectiveCapabilities()
    {
        var line = File.ReadLines("/proc/self/status")
            .FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is null ? 0 : Convert.ToUInt64(line.Split(':')[1].Trim(), 16);
    }
}
