using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Counters;

/// <summary>
/// What this machine lets PacketCounter count, decided before a run: each counter source
/// says available, or "not supported: reason". A bench goes on with what is available.
/// </summary>
public static class CounterCapabilities
{
    private const int CapSysAdmin = 21;
    private const int CapPerfmon = 38;

    public static string? PerfEventParanoid =>
        File.Exists("/proc/sys/kernel/perf_event_paranoid") ? File.ReadAllText("/proc/sys/kernel/perf_event_paranoid").Trim() : null;

    public static bool HasPmu => Directory.Exists("/sys/bus/event_source/devices/cpu");

    /// <summary>Whether the effective capability set holds CAP_PERFMON (or CAP_SYS_ADMIN, which implies it).</summary>
    public static bool HasPerfmon()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        if (line is null)
            return false;
        var effective = Convert.ToUInt64(line.Split(':')[1].Trim(), 16);
        return (effective & (1UL << CapPerfmon)) != 0 || (effective & (1UL << CapSysAdmin)) != 0;
    }

    /// <summary>The reason an event did not open, in the user's terms.</summary>
    public static string ExplainOpenFailure(PerfEventSpec spec, int errno)
    {
        var hardware = spec.Kind is PerfEventKind.Hardware or PerfEventKind.HardwareCache;
        return errno switch
        {
            global::Interop.Errno.ENOENT or global::Interop.Errno.EOPNOTSUPP or global::Interop.Errno.ENODEV when hardware && !HasPmu =>
                "no PMU on this machine",
            global::Interop.Errno.ENOENT or global::Interop.Errno.EOPNOTSUPP or global::Interop.Errno.ENODEV =>
                $"event not supported here ({(global::Interop.Libc.Describe(errno))})",
            global::Interop.Errno.EACCES or global::Interop.Errno.EPERM when !HasPerfmon() =>
                $"missing CAP_PERFMON (perf_event_paranoid is {PerfEventParanoid ?? "unknown"}); run as root or grant CAP_PERFMON",
            global::Interop.Errno.EACCES or global::Interop.Errno.EPERM =>
                $"refused by perf_event_paranoid = {PerfEventParanoid ?? "unknown"} or a security policy ({(global::Interop.Libc.Describe(errno))})",
            _ => global::Interop.Libc.Describe(errno),
        };
    }

    /// <summary>Opens each event once, system-wide on the first CPU, and reports what happened.</summary>
    public static IReadOnlyList<SourceState> ProbeEvents(IEnumerable<PerfEventSpec> events, int cpu)
    {
        var states = new List<SourceState>();
        foreach (var spec in events)
        {
            try
            {
                using var counter = PerfCounter.Open(spec, pid: -1, cpu, startEnabled: false);
                states.Add(new SourceState($"perf {spec.Name}", true, "opens system-wide per CPU"));
            }
            catch (PerfEventException e)
            {
                states.Add(new SourceState($"perf {spec.Name}", false, $"not supported: {e.Reason}"));
            }
        }
        return states;
    }
}
