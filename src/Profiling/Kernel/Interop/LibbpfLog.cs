using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace PacketCounter.Profiling.Native;

/// <summary>
/// Captures libbpf's own messages (it prints to stderr by default), so that failures can
/// quote them and the terminal stays clean. Installed once per process.
/// </summary>
public static unsafe class LibbpfLog
{
    private const int Kept = 64;
    private static readonly ConcurrentQueue<string> Recent = new();
    private static int _installed;

    private enum Level
    {
        Warn = 0,
        Info = 1,
        Debug = 2,
    }

    /// <summary>Routes libbpf's messages here. Safe to call more than once.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
            Interop.Libbpf.SetPrint(&Print);
    }

    /// <summary>The most recent warnings and infos libbpf printed, oldest first.</summary>
    public static IReadOnlyList<string> RecentMessages => Recent.ToArray();

    /// <summary>Forgets what was captured so far, so a failure quotes only its own messages.</summary>
    public static void Clear() => Recent.Clear();

    [UnmanagedCallersOnly]
    private static int Print(int level, byte* format, nint args)
    {
        if (level == (int)Level.Debug)
            return 0;
        const int size = 2048;
        var buffer = stackalloc byte[size];
        var written = Interop.Libc.VsnPrintf(buffer, size, format, args);
        if (written <= 0)
            return 0;
        var text = Marshal.PtrToStringUTF8((nint)buffer, Math.Min(written, size - 1)).TrimEnd();
        Recent.Enqueue(text);
        while (Recent.Count > Kept && Recent.TryDequeue(out _)) { }
        return 0;
    }
}
