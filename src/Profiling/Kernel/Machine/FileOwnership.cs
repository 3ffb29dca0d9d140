using System.Runtime.InteropServices;

namespace PacketCounter.Profiling.Machine;

/// <summary>Who owns a file and its permission bits, as lstat(2) says (a link is not followed).</summary>
public readonly record struct FileOwnership(uint Uid, uint Mode)
{
    private const uint GroupWrite = 0x10; // S_IWGRP
    private const uint OtherWrite = 0x02; // S_IWOTH

    public bool GroupWritable => (Mode & GroupWrite) != 0;

    public bool OtherWritable => (Mode & OtherWrite) != 0;

    /// <summary>The permission bits, in octal as chmod takes them.</summary>
    public string Permissions => Convert.ToString(Mode & 0x1FF, 8);

    /// <summary>The file's owner and mode, or an <see cref="IOException"/> saying why they cannot be read.</summary>
    public static unsafe FileOwnership Of(string path)
    {
        Interop.Libc.Stat stat;
        if (Interop.Libc.LStat(path, &stat) != 0)
            throw new IOException($"{path} cannot be inspected: {Interop.Libc.LastError()}");
        return new FileOwnership(stat.st_uid, stat.st_mode);
    }
}
