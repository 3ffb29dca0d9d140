using PacketCounter.Profiling.Asm;
using PacketCounter.Profiling.Interop;

namespace PacketCounter.Profiling.Bpf;

/// <summary>
/// A program that only returns XDP_PASS, held in the XDP dispatcher to make its program
/// count a power of two (<see cref="Testbed.DispatcherAnchor.Balance"/>).
/// </summary>
public sealed class DispatcherFiller : InstructionProgram
{
    private DispatcherFiller(SafeFileDescriptor fd) : base(fd, "pc_filler") { }

    public static DispatcherFiller Load() => new(LoadXdp("pc_filler",
        [Instruction.MovImmediate64(0, (int)XdpAction.Pass).Encode(), Instruction.ExitInstruction.Encode()],
        "load a dispatcher filler program"));
}
