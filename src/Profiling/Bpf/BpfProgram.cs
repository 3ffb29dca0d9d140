using System.Runtime.InteropServices;
using PacketCounter.Profiling.Interop;

namespace PacketCounter.Profiling.Bpf;

/// <summary>A program inside a <see cref="BpfObject"/>; valid while its object is.</summary>
public sealed unsafe class BpfProgram
{
    private readonly nint _program;

    internal BpfProgram(BpfObject owner, nint program)
    {
        Owner = owner;
        _program = program;
        Name = Marshal.PtrToStringUTF8(global::Interop.Libbpf.ProgramName(program)) ?? "?";
    }

    public BpfObject Owner { get; }

    public string Name { get; }

    /// <summary>The loaded program's fd; valid only after the object is loaded.</summary>
    public int Fd
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

    /// <summary>Attaches to an interface through a bpf_link: the kernel detaches it when the link's last fd closes.</summary>
    public XdpLink AttachXdp(int ifindex, XdpAttachMode mode = XdpAttachMode.Auto) => XdpLink.Attach(this, ifindex, mode);

    /// <summary>What the kernel knows about the loaded program: sizes, run stats, maps.</summary>
    public ProgramInfo Info() => ProgramInfo.Read(Fd);

    /// <summary>
    /// Runs the program through BPF_PROG_TEST_RUN. A pending signal interrupts the run
    /// with EINTR, which surfaces as <see cref="BpfException"/> with that errno.
    /// </summary>
    public XdpTestRunResult TestRun(ReadOnlySpan<byte> frame, in XdpTestRun run)
    {
        if (frame.Length < 14)
            throw new ArgumentException("BPF_PROG_TEST_RUN needs at least an Ethernet header (14 bytes)", nameof(frame));
        var fd = Fd;
        var context = new global::Interop.Libbpf.XdpMd
        {
            data_end = (uint)frame.Length,
            ingress_ifindex = (uint)run.IngressIfindex,
        };
        fixed (byte* data = frame)
        {
            var opts = new global::Interop.Libbpf.BpfTestRunOpts
            {
                sz = (nuint)sizeof(global::Interop.Libbpf.BpfTestRunOpts),
                data_in = data,
                data_size_in = (uint)frame.Length,
                ctx_in = &context,
                ctx_size_in = (uint)sizeof(global::Interop.Libbpf.XdpMd),
                repeat = run.Repeat,
                flags = run.LiveFrames ? global::Interop.Libbpf.BPF_F_TEST_XDP_LIVE_FRAMES : 0,
                batch_size = run.LiveFrames ? (uint)run.BatchSize : 0,
            };
            using var lease = Owner.Lease();
            if (global::Interop.Libbpf.ProgramTestRun(fd, &opts) != 0)
                throw new BpfException($"test-run program '{Name}'", Marshal.GetLastPInvokeError());
            return new XdpTestRunResult((XdpAction)opts.retval, opts.duration);
        }
    }
}

/// <summary>How to run a program through BPF_PROG_TEST_RUN.</summary>
public readonly record struct XdpTestRun(int Repeat, bool LiveFrames = false, int BatchSize = 64, int IngressIfindex = 0);

/// <summary>The verdict of the last run and the kernel's mean ns per repetition (truncated to whole ns).</summary>
public readonly record struct XdpTestRunResult(XdpAction Verdict, uint KernelDurationNs);

/// <summary>XDP verdicts.</summary>
public enum XdpAction : uint
{
    Aborted = 0,
    Drop = 1,
    Pass = 2,
    Tx = 3,
    Redirect = 4,
}
