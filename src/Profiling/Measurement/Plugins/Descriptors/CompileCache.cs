namespace PacketCounter.Profiling.Plugins.Descriptors;

/// <summary>
/// Where objects compiled from descriptors' sources are kept: <c>$PACKETCOUNTER_CACHE</c>, else
/// <c>$XDG_CACHE_HOME/packetcounter/bpf</c>, else <c>~/.cache/packetcounter/bpf</c>. Its objects
/// are loaded into the kernel as root, so its folders are made for root alone (mode 0700) and
/// held to the plugin trust rules like any plugin file.
/// </summary>
public static class CompileCache
{
    public const string Variable = "PACKETCOUNTER_CACHE";

    public static string Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } chosen)
                return Path.GetFullPath(chosen);
            var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.GetFullPath(Path.Combine(cacheHome, "packetcounter", "bpf"));
        }
    }

    /// <summary>Creates <paramref name="folder"/> and its missing parents readable and writable by their owner only.</summary>
    public static void CreatePrivate(string folder)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("BPF objects are built and loaded on Linux only");
        System.IO.Directory.CreateDirectory(
            folder,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        );
    }
}
