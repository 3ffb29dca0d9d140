using System.Diagnostics;

namespace PacketCounter.Profiling.Guest;

/// <summary>
/// The pid files of the QEMU processes this tool starts, one per guest, under
/// /run/packetcounter/guests/ (or $PACKETCOUNTER_LOCK_DIR/guests/), named by the starting
/// process. A guest whose starter is gone is a leftover, and the sweep kills it: QEMU's
/// parent-death signal covers every way the starter dies, and the sweep covers the rest.
/// </summary>
public static class GuestProcesses
{
    public static string Directory => Path.Combine(Machine.MeasurementLock.Directory, "guests");

    /// <summary>A fresh pid file path for a guest this process starts.</summary>
    public static string NewPidFile()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, $"{Environment.ProcessId}-{Guid.NewGuid():N}.pid");
    }

    /// <summary>
    /// Kills every QEMU whose starter is dead, or is this process (a pid the dead starter had
    /// before), and returns their pids.
    /// </summary>
    public static IReadOnlyList<int> Sweep()
    {
        var killed = new List<int>();
        if (!System.IO.Directory.Exists(Directory))
            return killed;
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.pid"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (
                int.TryParse(name.Split('-')[0], CultureInfo.InvariantCulture, out var starter)
                && starter != Environment.ProcessId
                && IsAlive(starter)
            )
                continue;
            if (ReadPid(file) is { } pid && IsGuestOf(pid, file))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    process.WaitForExit(5000);
                    killed.Add(pid);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    // Gone between the check and the kill.
                }
            }
            File.Delete(file);
        }
        return killed;
    }

    private static bool IsAlive(int pid) => System.IO.Directory.Exists($"/proc/{pid}");

    private static int? ReadPid(string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // Only a QEMU started with this very pid file: a recycled pid is left alone.
    private static bool IsGuestOf(int pid, string pidFile)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains(QemuGuest.Binary, StringComparison.Ordinal)
                && commandLine.Contains(pidFile, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
