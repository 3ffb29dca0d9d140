namespace PacketCounter.Profiling.Bpf;

/// <summary>The kernel's own lists of loaded programs and links, for leak checks and discovery.</summary>
public static unsafe class KernelObjects
{
    public static IReadOnlyList<uint> ProgramIds() => Ids(&global::Interop.Libbpf.ProgramGetNextId);

    public static IReadOnlyList<uint> LinkIds() => Ids(&global::Interop.Libbpf.LinkGetNextId);

    /// <summary>A loaded program's info by id, or null when it went away meanwhile.</summary>
    public static ProgramInfo? ProgramById(uint id)
    {
        var fd = global::Interop.Libbpf.ProgramGetFdById(id);
        if (fd < 0)
            return null;
        using var handle = new Interop.SafeFileDescriptor(fd);
        try
        {
            return ProgramInfo.Read(fd);
        }
        catch (Interop.BpfException)
        {
            return null;
        }
    }

    private static IReadOnlyList<uint> Ids(delegate*<uint, uint*, int> next)
    {
        var ids = new List<uint>();
        uint id = 0;
        while (next(id, &id) == 0)
            ids.Add(id);
        return ids;
    }
}
