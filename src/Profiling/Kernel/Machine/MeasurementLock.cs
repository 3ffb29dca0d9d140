using System.Runtime.InteropServices;
using System.Text.Json;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Machine;

/// <summary>Who holds the measurement lock: what a waiting bench prints.</summary>
public sealed record LockHolder(int Pid, DateTimeOffset Started, string CommandLine)
{
    public override string ToString() =>
        $"bench (pid {Pid}, started {Started.ToLocalTime():HH:mm:ss}, `{CommandLine}`)";
}

/// <summary>
/// One measurement at a time per host: an exclusive flock on a file under
/// /run/packetcounter/, held for a whole bench. Run stats and the CPUs are the host's, so two
/// benches at once spoil each other's figures. The kernel drops the lock when its holder dies,
/// so a crash never leaves it stuck; a file beside it says who holds it.
/// </summary>
public sealed class MeasurementLock : IDisposable
{
    /// <summary>Where the lock lives unless <see cref="DirectoryVariable"/> says otherwise.</summary>
    public const string DefaultDirectory = "/run/packetcounter";

    public const string DirectoryVariable = "PACKETCOUNTER_LOCK_DIR";

    /// <summary>
    /// Set by a holder for its children (the test suite's kernel tests start benches): a bench
    /// whose ancestor holds the lock measures under it instead of waiting for itself.
    /// </summary>
    public const string HolderVariable = "PACKETCOUNTER_LOCK_HOLDER";

    private const string LockFile = "bench.lock";
    private const string HolderFile = "bench.holder.json";

    private readonly SafeFileDescriptor? _descriptor;
    private readonly string? _holderPath;

    private MeasurementLock(SafeFileDescriptor? descriptor, string? holderPath)
    {
        _descriptor = descriptor;
        _holderPath = holderPath;
    }

    /// <summary>True when this process holds the lock itself, false when an ancestor does for it.</summary>
    public bool Owned => _descriptor is not null;

    public static string Directory => Environment.GetEnvironmentVariable(DirectoryVariable) ?? DefaultDirectory;

    /// <summary>Takes the lock now, or returns null with who holds it.</summary>
    public static MeasurementLock? TryAcquire(string commandLine, out LockHolder? holder, string? directory = null)
    {
        directory ??= Directory;
        holder = null;
        if (HeldForUs(directory) is { } inherited)
            return inherited;
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, LockFile);
        var fd = Interop.Libc.Open(path, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT | Interop.Libc.O_CLOEXEC, 0x1A4);
        if (fd < 0)
            throw new BpfException($"open the measurement lock {path}", Marshal.GetLastPInvokeError());
        var descriptor = new SafeFileDescriptor(fd);
        if (Interop.Libc.Flock(fd, Interop.Libc.LOCK_EX | Interop.Libc.LOCK_NB) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            descriptor.Dispose();
            if (errno != Errno.EAGAIN)
                throw new BpfException($"lock {path}", errno);
            holder = ReadHolder(directory);
            return null;
        }
        var holderPath = Path.Combine(directory, HolderFile);
        var me = new LockHolder(Environment.ProcessId, DateTimeOffset.Now, commandLine);
        // Written whole, then renamed: a reader never sees half of it.
        var partial = holderPath + $".{Environment.ProcessId}";
        File.WriteAllText(partial, JsonSerializer.Serialize(me));
        File.Move(partial, holderPath, overwrite: true);
        return new MeasurementLock(descriptor, holderPath);
    }

    /// <summary>
    /// Takes the lock, waiting while another bench holds it. <paramref name="waiting"/> is told
    /// once who that is; it returns false to give up instead of waiting (then this returns null).
    /// </summary>
    public static MeasurementLock? Acquire(
        string commandLine,
        Func<LockHolder?, bool> waiting,
        CancellationToken cancellation,
        string? directory = null
    )
    {
        var told = false;
        while (true)
        {
            if (TryAcquire(commandLine, out var holder, directory) is { } taken)
                return taken;
            if (!told)
            {
                told = true;
                if (!waiting(holder))
                    return null;
            }
            cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
            cancellation.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Who holds the lock, as the holder wrote it; null where it cannot be read yet.</summary>
    public static LockHolder? ReadHolder(string? directory = null)
    {
        var path = Path.Combine(directory ?? Directory, HolderFile);
        try
        {
            return JsonSerializer.Deserialize<LockHolder>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The holder named in the environment holds the lock, and is this process's ancestor.
    private static MeasurementLock? HeldForUs(string directory)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(HolderVariable), out var pid))
            return null;
        if (ReadHolder(directory)?.Pid != pid || !IsAncestor(pid))
            return null;
        return new MeasurementLock(null, null);
    }

    private static bool IsAncestor(int pid)
    {
        for (var current = Environment.ProcessId; current > 1; )
        {
            var parent = ParentOf(current);
            if (parent == pid)
                return true;
            if (parent is null || parent == current)
                return false;
            current = parent.Value;
        }
        return false;
    }

    // The fourth field of /proc/PID/stat, after the command name in parentheses.
    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_descriptor is null)
            return;
        try
        {
            File.Delete(_holderPath!);
        }
        catch (IOException) { }
        _descriptor.Dispose();
    }
}
