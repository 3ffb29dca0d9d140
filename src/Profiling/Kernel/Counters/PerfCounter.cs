using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Counters;

/// <summary>A reading scaled for multiplexing: value × enabled / running, as perf stat does.</summary>
public readonly record struct CounterReading(ulong Raw, ulong TimeEnabled, ulong TimeRunning)
{
    public double Scaled => TimeRunning == 0 ? 0 : Raw * ((double)TimeEnabled / TimeRunning);

    /// <summary>The share of the window the event was really on the PMU (perf stat's percentage).</summary>
    public double RunningPercent => TimeEnabled == 0 ? 0 : 100.0 * TimeRunning / TimeEnabled;

    public static CounterReading operator -(CounterReading after, CounterReading before) =>
        new(after.Raw - before.Raw, after.TimeEnabled - before.TimeEnabled, after.TimeRunning - before.TimeRunning);

    public static CounterReading operator +(CounterReading a, CounterReading b) =>
        new(a.Raw + b.Raw, a.TimeEnabled + b.TimeEnabled, a.TimeRunning + b.TimeRunning);
}

/// <summary>perf_event_open failed; says which event, where, and why in words a user can act on.</summary>
public sealed class PerfEventException(string eventName, int errno, string reason)
    : Exception($"{eventName}: not supported: {reason}")
{
    public string EventName { get; } = eventName;
    public int Errno { get; } = errno;
    public string Reason { get; } = reason;
}

/// <summary>One perf event fd, counting from the moment it is opened (enabled) or enabled.</summary>
public sealed unsafe class PerfCounter : IDisposable
{
    private readonly SafeFileDescriptor _fd;

    private PerfCounter(PerfEventSpec spec, int cpu, SafeFileDescriptor fd)
    {
        Spec = spec;
        Cpu = cpu;
        _fd = fd;
    }

    public PerfEventSpec Spec { get; }
    public int Cpu { get; }

    /// <summary>The raw fd, e.g. to place in a PERF_EVENT_ARRAY.</summary>
    public int Fd => _fd.Fd;

    /// <summary>
    /// Opens <paramref name="spec"/> for all processes on one CPU (pid −1, cpu n), or for
    /// one thread on any CPU (pid = tid, cpu −1).
    /// </summary>
    public static PerfCounter Open(PerfEventSpec spec, int pid, int cpu, bool startEnabled = true) =>
        Open(spec, pid, cpu, startEnabled, groupLeader: null);

    /// <summary>
    /// Opens <paramref name="spec"/> as a member of <paramref name="groupLeader"/>'s group (or
    /// as a group leader when null and <paramref name="asGroupLeader"/>): a group is scheduled
    /// onto the PMU as a unit, so ratios between its events (IPC) hold under multiplexing.
    /// </summary>
    internal static PerfCounter Open(
        PerfEventSpec spec,
        int pid,
        int cpu,
        bool startEnabled,
        PerfCounter? groupLeader,
        bool asGroupLeader = false
    )
    {
        var attr = new Interop.Perf.PerfEventAttr
        {
            type = (uint)spec.Kind,
            size = (uint)sizeof(Interop.Perf.PerfEventAttr),
            config = spec.Config,
            read_format =
                Interop.Perf.PERF_FORMAT_TOTAL_TIME_ENABLED
                | Interop.Perf.PERF_FORMAT_TOTAL_TIME_RUNNING
                | (asGroupLeader || groupLeader is not null ? Interop.Perf.PERF_FORMAT_GROUP : 0),
            flags =
                (startEnabled ? 0 : Interop.Perf.FlagDisabled)
                | (spec.KernelOnly ? Interop.Perf.FlagExcludeUser | Interop.Perf.FlagExcludeHv : 0),
        };
        // Members start enabled: the leader's state governs the whole group.
        if (groupLeader is not null)
            attr.flags &= ~Interop.Perf.FlagDisabled;
        var fd = Interop.Perf.Syscall(Interop.Perf.SYS_perf_event_open, &attr, pid, cpu, groupLeader?.Fd ?? -1, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new PerfEventException(spec.Name, errno, CounterCapabilities.ExplainOpenFailure(spec, errno));
        }
        return new PerfCounter(spec, cpu, new SafeFileDescriptor((int)fd));
    }

    public CounterReading Read()
    {
        var buffer = stackalloc ulong[3];
        var read = Interop.Perf.Read(_fd.Fd, buffer, 3 * sizeof(ulong));
        if (read != 3 * sizeof(ulong))
            throw new PerfEventException(Spec.Name, Marshal.GetLastPInvokeError(), "the counter could not be read");
        return new CounterReading(buffer[0], buffer[1], buffer[2]);
    }

    /// <summary>
    /// Reads a group leader: every member's value in one consistent snapshot
    /// ({nr, time_enabled, time_running, value[nr]}), members in the order they were opened.
    /// </summary>
    public CounterReading[] ReadGroup(int members)
    {
        var words = 3 + members;
        var buffer = stackalloc ulong[words];
        var read = Interop.Perf.Read(_fd.Fd, buffer, (nuint)(words * sizeof(ulong)));
        if (read < 3 * sizeof(ulong) || (int)buffer[0] != members)
            throw new PerfEventException(
                Spec.Name,
                Marshal.GetLastPInvokeError(),
                "the counter group could not be read"
            );
        var readings = new CounterReading[members];
        for (var i = 0; i < members; i++)
            readings[i] = new CounterReading(buffer[3 + i], buffer[1], buffer[2]);
        return readings;
    }

    public void Enable(bool group = false) => Control(Interop.Perf.PERF_EVENT_IOC_ENABLE, group);

    public void Disable(bool group = false) => Control(Interop.Perf.PERF_EVENT_IOC_DISABLE, group);

    public void Reset(bool group = false) => Control(Interop.Perf.PERF_EVENT_IOC_RESET, group);

    private void Control(ulong request, bool group)
    {
        if (Interop.Perf.Ioctl(_fd.Fd, request, group ? Interop.Perf.PERF_IOC_FLAG_GROUP : 0) != 0)
            throw new PerfEventException(Spec.Name, Marshal.GetLastPInvokeError(), $"ioctl 0x{request:x} failed");
    }

    public void Dispose() => _fd.Dispose();
}
