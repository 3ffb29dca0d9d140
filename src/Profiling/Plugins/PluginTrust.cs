using System.Runtime.InteropServices;

namespace PacketCounter.Profiling.Plugins;

/// <summary>
/// Plugins run as root and load code into the kernel, so, as sudo does with its own
/// files, PacketCounter refuses a plugin directory or file that anyone but root can
/// write: one owned by another user, or writable by group or others.
/// </summary>
public static unsafe class PluginTrust
{
    private const uint GroupWrite = 0x10; // S_IWGRP
    private const uint OtherWrite = 0x02; // S_IWOTH

    /// <summary>Why <paramref name="path"/> is unsafe to load from, or null when it is safe.</summary>
    public static string? WhyUnsafe(string path)
    {
        Interop.Libc.Stat stat;
        if (Interop.Libc.LStat(path, &stat) != 0)
            return $"{path} cannot be inspected: {(Interop.Libc.LastError())}";
        if (stat.st_uid != 0)
            return $"{path} is owned by uid {stat.st_uid}, not root; only root may own plugin files (chown root {path})";
        if ((stat.st_mode & (GroupWrite | OtherWrite)) != 0)
            return $"{path} is writable by "
                + $"{((stat.st_mode & OtherWrite) != 0 ? "others" : "its group")} (mode "
                + $"{Convert.ToString(stat.st_mode & 0x1FF, 8)}); only root may write plugin files "
                + $"(chmod go-w {path})";
        return null;
    }

    /// <summary>The first unsafe path among <paramref name="paths"/>, with why.</summary>
    public static string? FirstUnsafe(IEnumerable<string> paths) =>
        paths.Select(WhyUnsafe).FirstOrDefault(reason => reason is not null);
}
