using System.Runtime.InteropServices;
using System.Text;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>What bpf_obj_get_info_by_fd reports about a loaded program.</summary>
public sealed record ProgramInfo(
    uint Id,
    string Name,
    string Tag,
    int JitedBytes,
    int XlatedBytes,
    int VerifiedInstructions,
    ulong RunTimeNs,
    ulong RunCount,
    IReadOnlyList<MapInfo> Maps
)
{
    /// <summary>Instructions after the verifier's rewrites: xlated bytes / 8.</summary>
    public int XlatedInstructions => XlatedBytes / 8;

    internal static unsafe ProgramInfo Read(int progFd)
    {
        const int maxMaps = 64;
        var mapIds = stackalloc uint[maxMaps];
        var info = new Interop.Libbpf.BpfProgInfo { nr_map_ids = maxMaps, map_ids = (ulong)mapIds };
        var length = (uint)sizeof(Interop.Libbpf.BpfProgInfo);
        if (Interop.Libbpf.ObjectGetInfoByFd(progFd, &info, &length) != 0)
            throw new BpfException($"read info of program fd {progFd}", Marshal.GetLastPInvokeError());

        var maps = new List<MapInfo>();
        for (var i = 0; i < Math.Min(info.nr_map_ids, maxMaps); i++)
            maps.Add(MapInfo.ReadById(mapIds[i]));

        var tag = new StringBuilder(16);
        for (var i = 0; i < 8; i++)
            tag.Append(info.tag[i].ToString("x2"));
        return new ProgramInfo(
            info.id,
            Marshal.PtrToStringUTF8((nint)info.name) ?? "",
            tag.ToString(),
            (int)info.jited_prog_len,
            (int)info.xlated_prog_len,
            (int)info.verified_insns,
            info.run_time_ns,
            info.run_cnt,
            maps
        );
    }
}

/// <summary>The program the kernel runs, as the verifier translated it (map references back as map ids).</summary>
internal static class XlatedProgram
{
    public static unsafe ulong[] Read(int progFd)
    {
        var first = new Interop.Libbpf.BpfProgInfo();
        var length = (uint)sizeof(Interop.Libbpf.BpfProgInfo);
        if (Interop.Libbpf.ObjectGetInfoByFd(progFd, &first, &length) != 0)
            throw new BpfException($"read info of program fd {progFd}", Marshal.GetLastPInvokeError());
        var instructions = new ulong[first.xlated_prog_len / 8];
        fixed (ulong* buffer = instructions)
        {
            var info = new Interop.Libbpf.BpfProgInfo
            {
                xlated_prog_len = first.xlated_prog_len,
                xlated_prog_insns = (ulong)buffer,
            };
            length = (uint)sizeof(Interop.Libbpf.BpfProgInfo);
            if (Interop.Libbpf.ObjectGetInfoByFd(progFd, &info, &length) != 0)
                throw new BpfException(
                    $"read the translated instructions of program fd {progFd}",
                    Marshal.GetLastPInvokeError()
                );
        }
        return instructions;
    }
}

/// <summary>What bpf_obj_get_info_by_fd reports about a map.</summary>
public sealed record MapInfo(uint Id, string Name, BpfMapType Type, int KeySize, int ValueSize, int MaxEntries)
{
    internal static unsafe MapInfo ReadById(uint id)
    {
        var fd = Interop.Libbpf.MapGetFdById(id);
        if (fd < 0)
            throw new BpfException($"open map id {id}", Marshal.GetLastPInvokeError());
        using var handle = new SafeFileDescriptor(fd);
        var info = new Interop.Libbpf.BpfMapInfo();
        var length = (uint)sizeof(Interop.Libbpf.BpfMapInfo);
        if (Interop.Libbpf.ObjectGetInfoByFd(fd, &info, &length) != 0)
            throw new BpfException($"read info of map id {id}", Marshal.GetLastPInvokeError());
        return new MapInfo(
            info.id,
            Marshal.PtrToStringUTF8((nint)info.name) ?? "",
            (BpfMapType)info.type,
            (int)info.key_size,
            (int)info.value_size,
            (int)info.max_entries
        );
    }
}
