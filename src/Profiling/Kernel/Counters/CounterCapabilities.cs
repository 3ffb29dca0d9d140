using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Counters;

/// <summary>
/// What this machine lets PacketCounter count, decided before a run: each counter source
/// says available, or "not supported: reason". A bench goes on with what is available.
/// </summary>
public static class CounterCapabilities
{
    public static string? PerfEventParanoid =>
        File.Exists("/proc/sys/kernel/perf_event_paranoid")
            ? File.ReadAllText("/proc/sys/kernel/perf_event_paranoid").Trim()
            : null;

    /// <summary>The reason an event did not open, in the user's terms.</summary>
    public static string ExplainOpenFailure(PerfEventSpec spec, int errno)
    {
        var hardware = spec.Kind is PerfEventKind.Hardware or PerfEventKind.HardwareCache;
        return errno switch
        {
            Native.Errno.ENOENT
            or Native.Errno.EOPNOTSUPP
            or Native.Errno.ENODEV when hardware && !HardwarePmu.Exists => "no PMU on this machine",
            Native.Errno.ENOENT or Native.Errno.EOPNOTSUPP or Native.Errno.ENODEV =>
                $"event not supported here ({(Interop.Libc.Describe(errno))})",
            Native.Errno.EACCES or Native.Errno.EPERM when !Privileges.HasPerfmon() =>
                $"missing CAP_PERFMON (perf_event_paranoid is {PerfEventParanoid ?? "unknown"}); run as root or grant CAP_PERFMON",
            Native.Errno.EACCES or Native.Errno.EPERM =>
                $"refused by perf_event_paranoid = {PerfEventParanoid ?? "unknown"} or a security "
                    + $"policy ({(Interop.Libc.Describe(errno))})",
            _ => Interop.Libc.Describe(errno),
        };
    }
}
