using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Plugins;

/// <summary>
/// Plugins run as root and load code into the kernel, so, as sudo does with its own
/// files, PacketCounter refuses a plugin directory or file that anyone but root can
/// write: one owned by another user, or writable by group or others.
/// </summary>
public static class PluginTrust
{
    /// <summary>Why <paramref name="path"/> is unsafe to load from, or null when it is safe.</summary>
    public static string? WhyUnsafe(string path)
    {
        FileOwnership file;
        try
        {
            file = FileOwnership.Of(path);
        }
        catch (IOException e)
        {
            return e.Message;
        }
        if (file.Uid != 0)
            return $"{path} is owned by uid {file.Uid}, not root; only root may own plugin files (chown root {path})";
        if (file.GroupWritable || file.OtherWritable)
            return $"{path} is writable by {(file.OtherWritable ? "others" : "its group")} (mode "
                + $"{file.Permissions}); only root may write plugin files (chmod go-w {path})";
        return null;
    }

    /// <summary>The first unsafe path among <paramref name="paths"/>, with why.</summary>
    public static string? FirstUnsafe(IEnumerable<string> paths) =>
        paths.Select(WhyUnsafe).FirstOrDefault(reason => reason is not null);
}
