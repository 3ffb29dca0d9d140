using System.Diagnostics;
using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Guest;

/// <summary>What a guest left: its console, the agent's port, and how it ended.</summary>
/// <param name="Finished">QEMU exited on its own (the guest powered off, or panicked and did not reboot).</param>
/// <param name="Console">The kernel's console, the first serial port.</param>
/// <param name="Agent">The agent's lines, the second serial port.</param>
public sealed record GuestOutput(bool Finished, string Console, string Agent, TimeSpan Elapsed)
{
    /// <summary>The console's last line, what a reader needs to see why a boot went nowhere.</summary>
    public string LastConsoleLine =>
        Console.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) is { } line
            ? line
            : "(the console stayed empty)";
}

/// <summary>
/// One boot of a kernel under QEMU with an initramfs: no disk, no network device, the console
/// and the agent on two serial ports written to files. QEMU is started through setpriv with a
/// parent-death signal, so it dies with this process however this process dies, and it writes a
/// pid file that <see cref="GuestProcesses.Sweep"/> finds if anything still survives.
/// </summary>
public static class QemuGuest
{
    public const string Binary = "qemu-system-x86_64";

    /// <summary>
    /// The kernel command line: the console on the first port (the decompressor's messages too,
    /// so a kernel that cannot unpack says so), and a panic powers the guest off at once.
    /// </summary>
    public const string CommandLine = "console=ttyS0 earlyprintk=serial,ttyS0,115200 quiet panic=-1";

    /// <summary>Whether QEMU is installed; the setup script installs it.</summary>
    public static string? Path => ExternalTool.Find(Binary);

    /// <summary>
    /// Boots <paramref name="kernelImage"/> and waits until QEMU exits, <paramref name="done"/> says
    /// the agent's output is complete, or <paramref name="limit"/> passes; a guest still running
    /// then is killed. The process must be started from a thread that outlives the boot (the
    /// parent-death signal follows the thread), which a synchronous caller is.
    /// </summary>
    public static GuestOutput Boot(
        string kernelImage,
        byte[] initramfs,
        GuestAccel accel,
        TimeSpan limit,
        Func<string, bool> done,
        CancellationToken cancellation = default
    )
    {
        var qemu =
            Path
            ?? throw new GuestException(
                $"{Binary} is not installed; run scripts/setup.sh (it installs qemu-system-x86)"
            );
        var work = Directory.CreateTempSubdirectory("packetcounter-guest-").FullName;
        var pidFile = GuestProcesses.NewPidFile();
        try
        {
            var initrd = System.IO.Path.Combine(work, "initrd.cpio");
            var console = System.IO.Path.Combine(work, "console.log");
            var agent = System.IO.Path.Combine(work, "agent.out");
            File.WriteAllBytes(initrd, initramfs);
            var start = new ProcessStartInfo("setpriv")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            string[] arguments =
            [
                "--pdeathsig",
                "KILL",
                "--",
                qemu,
                "-accel",
                accel == GuestAccel.Kvm ? "kvm" : "tcg",
                "-m",
                "256",
                "-smp",
                "1",
                "-nodefaults",
                "-display",
                "none",
                "-net",
                "none",
                "-no-reboot",
                "-kernel",
                kernelImage,
                "-initrd",
                initrd,
                "-append",
                CommandLine,
                "-serial",
                $"file:{console}",
                "-serial",
                $"file:{agent}",
                "-pidfile",
                pidFile,
            ];
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new GuestException("could not start setpriv");
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var finished = false;
            while (clock.Elapsed < limit && !cancellation.IsCancellationRequested)
            {
                if (process.WaitForExit(100))
                {
                    finished = true;
                    break;
                }
                if (done(Read(agent)))
                    break;
            }
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit();
            if (finished && process.ExitCode != 0 && Read(agent).Length == 0)
                throw new GuestException($"QEMU refused to boot {kernelImage}: {FirstLine(errors.Result)}");
            return new GuestOutput(finished, Read(console), Read(agent), clock.Elapsed);
        }
        finally
        {
            File.Delete(pidFile);
            Directory.Delete(work, recursive: true);
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(no message)";

    private static string Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd().Replace("\r", "", StringComparison.Ordinal);
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }
}

/// <summary>A guest could not be started at all.</summary>
public sealed class GuestException(string message) : Exception(message);
