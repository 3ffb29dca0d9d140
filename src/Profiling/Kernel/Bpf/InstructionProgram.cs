using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>
/// An XDP program loaded from instructions we hold, not from an object file, as drop twins
/// are. It owns its fd.
/// </summary>
public abstract unsafe class InstructionProgram : KernelProgram, IDisposable
{
    private const int VerifierLogSize = 1 << 20;
    private readonly SafeFileDescriptor _fd;

    private protected InstructionProgram(SafeFileDescriptor fd, string name)
    {
        _fd = fd;
        Name = name;
    }

    public override string Name { get; }

    public override int Fd => _fd.IsClosed ? throw new ObjectDisposedException(Name) : _fd.Fd;

    private protected override SafeHandle Holder => _fd;

    private protected override int FdUnchecked => _fd.Fd;

    /// <summary>Loads encoded instructions as an XDP program. A refusal raises <see cref="BpfVerifierException"/> with the log.</summary>
    private static int Load(string name, ulong[] instructions, Interop.Libbpf.BpfProgLoadOpts* opts)
    {
        fixed (ulong* code = instructions)
            return Interop.Libbpf.ProgramLoad(
                Interop.Libbpf.BPF_PROG_TYPE_XDP,
                name,
                "GPL",
                code,
                (nuint)instructions.Length,
                opts
            );
    }

    private protected static SafeFileDescriptor LoadXdp(string name, ulong[] instructions, string operation)
    {
        var log = (byte*)NativeMemory.AllocZeroed(VerifierLogSize);
        try
        {
            var opts = new Interop.Libbpf.BpfProgLoadOpts
            {
                sz = (nuint)sizeof(Interop.Libbpf.BpfProgLoadOpts),
                log_buf = log,
                log_size = VerifierLogSize,
                log_level = 0,
            };
            var fd = Load(name, instructions, &opts);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                // Level 0 leaves the log empty on success; ask again at level 1 to say why it failed.
                opts.log_level = 1;
                Load(name, instructions, &opts);
                var text = Marshal.PtrToStringUTF8((nint)log) ?? "";
                throw text.Length > 0
                    ? new BpfVerifierException(operation, errno, text)
                    : new BpfException(operation, errno);
            }
            return new SafeFileDescriptor(fd);
        }
        finally
        {
            NativeMemory.Free(log);
        }
    }

    public void Dispose() => _fd.Dispose();
}
