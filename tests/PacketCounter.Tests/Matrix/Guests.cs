using PacketCounter.Profiling.Guest;

namespace PacketCounter.Tests.Matrix;

/// <summary>
/// What the matrix tests share: one cache of fetched kernels for the whole test process (Debian
/// 12's kernel is fetched once, into a folder removed at exit), and a look at which QEMU
/// processes are alive.
/// </summary>
internal static class Guests
{
    public static string Cache { get; } = Cli.HostProcess.CreateOwnDirectory("pc-kernels");

    private static readonly Lazy<FetchedKernel> Debian = new(() => DebianKernel.Fetch(Cache));

    /// <summary>Debian 12's cloud kernel, fetched into <see cref="Cache"/> on first use.</summary>
    public static string DebianImage => Debian.Value.Image;

    /// <summary>
    /// matrix's arguments: <paramref name="options"/>, the shared kernel cache, results in
    /// <paramref name="outDirectory"/>, and no history store.
    /// </summary>
    public static string[] Matrix(string outDirectory, params string[] options) =>
        ["matrix", .. options, "--cache", Cache, "--out", outDirectory, "--store", "none"];

    /// <summary>A folder for guests' pid files that only this test uses, as PACKETCOUNTER_LOCK_DIR.</summary>
    public static Dictionary<string, string> OwnRunDirectory(TempFolder folder) =>
        new() { [Profiling.Machine.MeasurementLock.DirectoryVariable] = folder.Path };

    /// <summary>The pids of live QEMU processes whose command line names <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> QemuNaming(string text) =>
        Directory
            .GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid =>
                pid > 0 && CommandLine(pid) is { } line && line.Contains(QemuGuest.Binary) && line.Contains(text)
            )
            .ToList();

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
