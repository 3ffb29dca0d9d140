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
        if (global::Interop.Libc.SchedSetAffinity(0, MaskWords * sizeof(ulong), mask) != 0)
            throw new InvalidOperationException($"pin thread to CPU {cpu}: {(global::Interop.Libc.LastError())}");
    }

    /// <summary>The CPUs the calling thread may run on.</summary>
    public static IReadOnlyList<int> AllowedForCurrentThread()
    {
        var mask = stackalloc ulong[MaskWords];
        if (global::Interop.Libc.SchedGetAffinity(0, MaskWords * sizeof(ulong), mask) != 0)
            throw new InvalidOperationException($"read thread affinity: {(global::Interop.Libc.LastError())}");
        var cpus = new List<int>();
        for (var cpu = 0; cpu < MaskWords * 64; cpu++)
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
                cpus.Add(cpu);
        return cpus;
    }
}
