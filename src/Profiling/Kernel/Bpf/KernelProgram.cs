using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>
/// A program the kernel holds, reached through its fd: one of an object's programs, or a
/// program loaded on its own from instructions (a <see cref="DropTwin"/>). Attaching,
/// test-running and reading its info work the same way for both.
/// </summary>
public abstract unsafe class KernelProgram
{
    public abstract string Name { get; }

    /// <summary>The loaded program's fd.</summary>
    public abstract int Fd { get; }

    /// <summary>The handle that owns <see cref="Fd"/>: held across a native call, so the fd stays valid without allocating.</summary>
    private protected abstract SafeHandle Holder { get; }

    /// <summary>The fd while <see cref="Holder"/> is held.</summary>
    private protected abstract int FdUnchecked { get; }

    /// <summary>Attaches to an interface through a bpf_link: the kernel detaches it when the link's last fd closes.</summary>
    public XdpLink AttachXdp(int ifindex, XdpAttachMode mode = XdpAttachMode.Auto) =>
        XdpLink.Attach(this, ifindex, mode);

    /// <summary>What the kernel knows about the loaded program: sizes, run stats, maps.</summary>
    public ProgramInfo Info() => WithFd(ProgramInfo.Read);

    // The fd stays valid for the call: the handle that owns it is held across it.
    private T WithFd<T>(Func<int, T> call)
    {
        var held = false;
        Holder.DangerousAddRef(ref held);
        try
        {
            return call(FdUnchecked);
        }
        finally
        {
            Holder.DangerousRelease();
        }
    }

    /// <summary>
    /// The instructions the kernel runs, as the verifier translated them: context accesses
    /// rewritten, array lookups inlined, calls aimed at kernel functions, map references back
    /// as map ids. What <c>bpftool prog dump xlated</c> shows.
    /// </summary>
    public ulong[] TranslatedInstructions() => WithFd(XlatedProgram.Read);

    /// <summary>
    /// Runs the program through BPF_PROG_TEST_RUN. A pending signal interrupts the run
    /// with EINTR, which surfaces as <see cref="BpfException"/> with that errno. It allocates
    /// nothing: micro mode times this call, and a collection inside it would be timed too.
    /// </summary>
    public XdpTestRunResult TestRun(ReadOnlySpan<byte> frame, in XdpTestRun run)
    {
        if (frame.Length < 14)
            throw new ArgumentException(
                "BPF_PROG_TEST_RUN needs at least an Ethernet header (14 bytes)",
                nameof(frame)
            );
        var held = false;
        Holder.DangerousAddRef(ref held);
        try
        {
            return TestRun(FdUnchecked, frame, run);
        }
        finally
        {
            Holder.DangerousRelease();
        }
    }

    private XdpTestRunResult TestRun(int fd, ReadOnlySpan<byte> frame, in XdpTestRun run)
    {
        var context = new Interop.Libbpf.XdpMd
        {
            data_end = (uint)frame.Length,
            ingress_ifindex = (uint)run.IngressIfindex,
        };
        fixed (byte* data = frame)
        {
            var opts = new Interop.Libbpf.BpfTestRunOpts
            {
                sz = (nuint)sizeof(Interop.Libbpf.BpfTestRunOpts),
                data_in = data,
                data_size_in = (uint)frame.Length,
                ctx_in = &context,
                ctx_size_in = (uint)sizeof(Interop.Libbpf.XdpMd),
                repeat = run.Repeat,
                flags = run.LiveFrames ? Interop.Libbpf.BPF_F_TEST_XDP_LIVE_FRAMES : 0,
                batch_size = run.LiveFrames ? (uint)run.BatchSize : 0,
            };
            if (Interop.Libbpf.ProgramTestRun(fd, &opts) != 0)
                throw new BpfException($"test-run program '{Name}'", Marshal.GetLastPInvokeError());
            return new XdpTestRunResult((XdpAction)opts.retval, opts.duration);
        }
    }
}

/// <summary>How to run a program through BPF_PROG_TEST_RUN.</summary>
public readonly record struct XdpTestRun(
    int Repeat,
    bool LiveFrames = false,
    int BatchSize = 64,
    int IngressIfindex = 0
);

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
