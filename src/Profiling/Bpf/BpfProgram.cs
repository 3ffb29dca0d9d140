using System.Runtime.InteropServices;
using PacketCounter.Profiling.Interop;

namespace PacketCounter.Profiling.Bpf;

/// <summary>A program inside a <see cref="BpfObject"/>; valid while its object is.</summary>
public sealed unsafe class BpfProgram : KernelProgram
{
    private readonly nint _program;

    internal BpfProgram(BpfObject owner, nint program)
    {
        Owner = owner;
        _program = program;
        Name = Marshal.PtrToStringUTF8(global::Interop.Libbpf.ProgramName(program)) ?? "?";
    }

    public BpfObject Owner { get; }

    public override string Name { get; }

    /// <summary>The loaded program's fd; valid only after the object is loaded.</summary>
    public override int Fd
    {
        get
        {
            using var lease = Owner.Lease();
            var fd = global::Interop.Libbpf.ProgramFd(_program);
            if (fd < 0)
                throw new InvalidOperationException($"program '{Name}' in {Owner.FileName} is not loaded");
            return fd;
        }
    }

    /// <summary>Whether <see cref="BpfObject.Load"/> loads this program. Set before load.</summary>
    public void SetAutoload(bool autoload)
    {
        using var lease = Owner.Lease();
        BpfException.ThrowIfNegative(global::Interop.Libbpf.ProgramSetAutoload(_program, autoload), $"set autoload of '{Name}'");
    }

    /// <summary>For fentry/fexit programs: trace <paramref name="target"/> (by its fd and function name). Set before load.</summary>
    public void SetAttachTarget(BpfProgram target)
    {
        using var lease = Owner.Lease();
        BpfException.ThrowIfNegative(global::Interop.Libbpf.ProgramSetAttachTarget(_program, target.Fd, target.Name), $"set the attach target of '{Name}' to '{target.Name}'");
    }

    /// <summary>Attaches a loaded fentry or fexit program through a bpf_link.</summary>
    public SafeFileDescriptor AttachTrace(bool exit)
    {
        var fd = global::Interop.Libbpf.LinkCreate(Fd, 0, exit ? global::Interop.Libbpf.BPF_TRACE_FEXIT : global::Interop.Libbpf.BPF_TRACE_FENTRY, null);
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
        var count = (int)global::Interop.Libbpf.ProgramInstructionCount(_program);
        var insns = (ulong*)global::Interop.Libbpf.ProgramInstructions(_program);
        return insns == null ? [] : new ReadOnlySpan<ulong>(insns, count).ToArray();
    }

    private protected override SafeHandle Holder => Owner.Handle;

    private protected override int FdUnchecked => global::Interop.Libbpf.ProgramFd(_program);
}
