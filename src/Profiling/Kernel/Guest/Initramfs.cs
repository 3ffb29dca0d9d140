using System.Text;

namespace PacketCounter.Profiling.Guest;

/// <summary>
/// An initramfs in the kernel's "newc" cpio format, uncompressed, which every kernel with
/// initrd support unpacks. Device nodes are written as entries, so the guest needs no devtmpfs.
/// </summary>
public sealed class Initramfs
{
    private const int Directory = 0x4000;
    private const int CharacterDevice = 0x2000;
    private const int RegularFile = 0x8000;

    private readonly MemoryStream _archive = new();
    private int _inode = 1;

    public Initramfs AddDirectory(string path) => Add(path, Directory | 0x1ED, [], 0, 0);

    public Initramfs AddFile(string path, byte[] contents, bool executable = false) =>
        Add(path, RegularFile | (executable ? 0x1ED : 0x1A4), contents, 0, 0);

    public Initramfs AddCharacterDevice(string path, int major, int minor) =>
        Add(path, CharacterDevice | 0x180, [], major, minor);

    /// <summary>The archive with its trailer, ready for QEMU's -initrd.</summary>
    public byte[] ToArray()
    {
        var archive = new MemoryStream();
        _archive.WriteTo(archive);
        WriteEntry(archive, "TRAILER!!!", 0, [], 0, 0, 0);
        return archive.ToArray();
    }

    private Initramfs Add(string path, int mode, byte[] contents, int major, int minor)
    {
        WriteEntry(_archive, path.TrimStart('/'), mode, contents, major, minor, ++_inode);
        return this;
    }

    private static void WriteEntry(Stream archive, string name, int mode, byte[] data, int major, int minor, int inode)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        // magic, then ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
        int[] fields = [inode, mode, 0, 0, 1, 0, data.Length, 0, 0, major, minor, nameBytes.Length, 0];
        var header = "070701" + string.Concat(fields.Select(f => f.ToString("X8", CultureInfo.InvariantCulture)));
        archive.Write(Encoding.ASCII.GetBytes(header));
        archive.Write(nameBytes);
        Pad(archive);
        archive.Write(data);
        Pad(archive);
    }

    private static void Pad(Stream archive)
    {
        while (archive.Length % 4 != 0)
            archive.WriteByte(0);
    }
}
