using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>A program inside a <see cref="BpfObject"/>; valid while its object is.</summary>
public sealed unsafe class BpfProgram : KernelProgram
{
    private readonly nint _program;

    internal BpfProgram(BpfObject owner, nint program)
    {
        Owner = owner;
        _program = program;
        Name = Marshal.PtrToStringUTF8(Interop.Libbpf.ProgramName(program)) ?? "?";
    }

    public BpfObject Owner { get; }

    public override string Name { get; }

    /// <summary>The ELF section the program was compiled into ("xdp"): where its line info is filed.</summary>
    public string SectionName
    {
        get
        {
            using var lease = Owner.Lease();
            return Marshal.PtrToStringUTF8(Interop.Libbpf.ProgramSectionName(_program)) ?? "";
        }
    }

    /// <summary>The loaded program's fd; valid only after the object is loaded.</summary>
    public override int Fd
    {
        get
        {
            using var lease = Owner.Lease();
            var fd = Interop.Libbpf.ProgramFd(_program);
            if (fd < 0)
                throw new InvalidOperationException($"program '{Name}' in {Owner.FileName} is not loaded");
            return fd;
        }
    }

    /// <summary>Whether libbpf will load it as an XDP program (its section is "xdp").</summary>
    public bool IsXdp
    {
        get
        {
            using var lease = Owner.Lease();
            return Interop.Libbpf.ProgramType(_program) == Interop.Libbpf.BPF_PROG_TYPE_XDP;
        }
    }

    /// <summary>Whether <see cref="BpfObject.Load"/> loads this program. Set before load.</summary>
    public void SetAutoload(bool autoload)
    {
        using var lease = Owner.Lease();
        BpfException.ThrowIfNegative(
            Interop.Libbpf.ProgramSetAutoload(_program, autoload),
            $"set autoload of '{Name}'"
        );
    }

    /// <summary>
    /// Gives this program's own verifier log a buffer and a level, apart from the object's.
    /// Set before load; the buffer must outlive the load.
    /// </summary>
    internal void SetVerifierLog(byte* buffer, int size, uint level)
    {
        using var lease = Owner.Lease();
        BpfException.ThrowIfNegative(
            Interop.Libbpf.ProgramSetLogBuffer(_program, buffer, (nuint)size),
            $"set the verifier log buffer of '{Name}'"
        );
        BpfException.ThrowIfNegative(
            Interop.Libbpf.ProgramSetLogLevel(_program, level),
            $"set the verifier log level of '{Name}'"
        );
    }

    /// <summary>For fentry/fexit programs: trace <paramref name="target"/> (by its fd and function name). Set before load.</summary>
    public void SetAttachTarget(BpfProgram target)
    {
        using var lease = Owner.Lease();
        BpfException.ThrowIfNegative(
            Interop.Libbpf.ProgramSetAttachTarget(_program, target.Fd, target.Name),
            $"set the attach target of '{Name}' to '{target.Name}'"
        );
    }

    /// <summary>Attaches a loaded fentry or fexit program through a bpf_link.</summary>
    public SafeFileDescriptor AttachTrace(bool exit)
    {
        var fd = Interop.Libbpf.LinkCreate(
            Fd,
            0,
            exit ? Interop.Libbpf.BPF_TRACE_FEXIT : Interop.Libbpf.BPF_TRACE_FENTRY,
            null
        );
        if (fd < 0)
            throw new BpfException($"attach tracing program '{Name}'", Marshal.GetLastPInvokeError());
        return new SafeFileDescriptor(fd);
    }

    /// <summary>
    /// The instructions as libbpf prepared them for the kernel (relocations applied,
    /// map references resolved to fds), as raw 8-byte BPF instructions.
    /// </summary>
    public ulong[] PreparedInstructions()
    {
        using var lease = Owner.Lease();
        var count = (int)Interop.Libbpf.ProgramInstructionCount(_program);
        var insns = (ulong*)Interop.Libbpf.ProgramInstructions(_program);
        return insns == null ? [] : new ReadOnlySpan<ulong>(insns, count).ToArray();
    }

    private protected override SafeHandle Holder => Owner.Handle;

    private protected override int FdUnchecked => Interop.Libbpf.ProgramFd(_program);
}
