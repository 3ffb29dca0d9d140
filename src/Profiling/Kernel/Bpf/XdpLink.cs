using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>How an XDP program is attached.</summary>
public enum XdpAttachMode
{
    /// <summary>Native when the driver supports it, generic otherwise (the kernel decides).</summary>
    Auto,

    /// <summary>In the driver (XDP_FLAGS_DRV_MODE); fails where the driver has no XDP support.</summary>
    Native,

    /// <summary>In the generic skb path (XDP_FLAGS_SKB_MODE); works everywhere, slower.</summary>
    Generic,
}

/// <summary>
/// An XDP program attached to an interface through a bpf_link. Disposing the link, or
/// the death of the process holding it, detaches the program.
/// </summary>
public sealed class XdpLink : IDisposable
{
    private readonly SafeFileDescriptor _fd;

    private XdpLink(SafeFileDescriptor fd, KernelProgram program, int ifindex, XdpAttachMode mode)
    {
        _fd = fd;
        Program = program;
        Ifindex = ifindex;
        Mode = mode;
    }

    public KernelProgram Program { get; }
    public int Ifindex { get; }
    public XdpAttachMode Mode { get; }

    internal static unsafe XdpLink Attach(KernelProgram program, int ifindex, XdpAttachMode mode)
    {
        var opts = new Interop.Libbpf.BpfLinkCreateOpts
        {
            sz = (nuint)sizeof(Interop.Libbpf.BpfLinkCreateOpts),
            flags = mode switch
            {
                XdpAttachMode.Native => Interop.Libbpf.XDP_FLAGS_DRV_MODE,
                XdpAttachMode.Generic => Interop.Libbpf.XDP_FLAGS_SKB_MODE,
                _ => 0,
            },
        };
        var fd = Interop.Libbpf.LinkCreate(program.Fd, ifindex, Interop.Libbpf.BPF_XDP, &opts);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            // A link never replaces what is there: the kernel answers EBUSY when the
            // interface already has an XDP program, which is the refusal we want.
            if (errno == Native.Errno.EBUSY)
                throw new XdpAttachRefusedException(ifindex, AttachedProgram(ifindex));
            var detail =
                errno is Native.Errno.EOPNOTSUPP or Native.Errno.EINVAL && mode == XdpAttachMode.Native
                    ? "the driver has no native XDP support; use generic mode"
                    : null;
            throw new BpfException($"attach XDP program '{program.Name}' to ifindex {ifindex} ({mode})", errno, detail);
        }
        return new XdpLink(new SafeFileDescriptor(fd), program, ifindex, mode);
    }

    /// <summary>The program attached to an interface (in the calling thread's namespace), or null when none is.</summary>
    public static unsafe ProgramInfo? AttachedProgram(int ifindex)
    {
        uint id = 0;
        if (Interop.Libbpf.XdpQueryId(ifindex, 0, &id) != 0 || id == 0)
            return null;
        return KernelObjects.ProgramById(id);
    }

    public void Dispose() => _fd.Dispose();
}

/// <summary>The interface already carries an XDP program; PacketCounter never replaces one.</summary>
public sealed class XdpAttachRefusedException(int ifindex, ProgramInfo? existing)
    : BpfException(
        $"attach to ifindex {ifindex}",
        Native.Errno.EBUSY,
        "it already has XDP program "
            + $"{(existing is null ? "(unknown)" : $"'{existing.Name}' (id {existing.Id})")} "
            + "attached; PacketCounter never replaces one: detach it first or use another interface"
    )
{
    public ProgramInfo? Existing { get; } = existing;
}
