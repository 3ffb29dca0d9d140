namespace PacketCounter.Profiling.Bpf;

/// <summary>The kernel's own lists of loaded programs and links, for leak checks and discovery.</summary>
public static unsafe class KernelObjects
{
    public static IReadOnlyList<uint> ProgramIds() => Ids(&Interop.Libbpf.ProgramGetNextId);

    public static IReadOnlyList<uint> LinkIds() => Ids(&Interop.Libbpf.LinkGetNextId);

    /// <summary>A loaded program's info by id, or null when it went away meanwhile.</summary>
    public static ProgramInfo? ProgramById(uint id)
    {
        var fd = Interop.Libbpf.ProgramGetFdById(id);
        if (fd < 0)
            return null;
        using var handle = new Native.SafeFileDescriptor(fd);
        try
        {
            return ProgramInfo.Read(fd);
        }
        catch (Native.BpfException)
        {
            return null;
        }
    }

    private static IReadOnlyList<uint> Ids(delegate* <uint, uint*, int> next)
    {
        var ids = new List<uint>();
        uint id = 0;
        while (next(id, &id) == 0)
            ids.Add(id);
        return ids;
    }
}
