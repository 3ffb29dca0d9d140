using System.Runtime.InteropServices;

namespace PacketCounter.Profiling.Cpu;

/// <summary>Pins the calling OS thread to one CPU. Affinity is per thread on Linux.</summary>
public static unsafe class CpuAffinity
{
    private const int MaskWords = 16; // 1024 CPUs

    public static void PinCurrentThread(int cpu)
    {
        if (cpu < 0 || cpu >= MaskWords * 64)
            throw new ArgumentOutOfRangeException(nameof(cpu));
        var mask = stackalloc ulong[MaskWords];
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (Interop.Libc.SchedSetAffinity(0, MaskWords * sizeof(ulong), mask) != 0)
            throw new InvalidOperationException($"pin thread to CPU {cpu}: {(Interop.Libc.LastError())}");
    }

    /// <summary>
    /// Moves every other thread of this process off <paramref name="cpus"/>, so that the
    /// runtime's own threads (the GC, the finalizer, the thread pool), which the scheduler
    /// likes to wake on the waker's CPU, cannot preempt a measurement pinned there. Threads
    /// created later inherit their creator's mask, so the calling thread's own mask is left
    /// to the caller. Returns how many threads were moved; none when no other CPU is allowed.
    /// </summary>
    public static int KeepOthersOff(IReadOnlyList<int> cpus)
    {
        var allowed = AllowedForCurrentThread().Except(cpus).ToList();
        if (allowed.Count == 0)
            return 0;
        var mask = stackalloc ulong[MaskWords];
        foreach (var cpu in allowed)
            mask[cpu / 64] |= 1UL << (cpu % 64);
        var self = Interop.Libc.GetThreadId();
        var moved = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(task), out var tid) || tid == self)
                continue;
            // A thread can exit between the listing and the call; that is not a failure.
            if (Interop.Libc.SchedSetAffinity(tid, MaskWords * sizeof(ulong), mask) == 0)
                moved++;
        }
        return moved;
    }

    /// <summary>The CPUs the calling thread may run on.</summary>
    public static IReadOnlyList<int> AllowedForCurrentThread()
    {
        var mask = stackalloc ulong[MaskWords];
        if (Interop.Libc.SchedGetAffinity(0, MaskWords * sizeof(ulong), mask) != 0)
            throw new InvalidOperationException($"read thread affinity: {(Interop.Libc.LastError())}");
        var cpus = new List<int>();
        for (var cpu = 0; cpu < MaskWords * 64; cpu++)
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
                cpus.Add(cpu);
        return cpus;
    }
}
