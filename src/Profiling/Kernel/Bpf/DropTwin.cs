using PacketCounter.Profiling.Asm;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>
/// A variant's program that does everything the original does, in the original's maps,
/// and then drops the frame: every exit of its main function jumps to an appended
/// <c>r0 = XDP_DROP; exit</c>. It is loaded on its own from the instructions libbpf
/// prepared for the original (map fds already in its ld_imm64s), so the verifier sees
/// the same code and inlines the same lookups.
/// </summary>
/// <remarks>
/// This is how the drop sink works without freplace, which this machine refuses
/// (BPF_PROG_TYPE_EXT loads fail with EPERM, as fentry does), and without rebuilding the
/// variant: XDP_PASS hands every frame to the stack, whose cost swamps a counter's few
/// nanoseconds, while XDP_DROP ends the frame at the hook, as xdp-bench's drop mode does.
/// </remarks>
public sealed class DropTwin : InstructionProgram
{
    private DropTwin(SafeFileDescriptor fd, BpfProgram original, int exitsRewritten)
        : base(fd, TwinName(original.Name))
    {
        Original = original;
        ExitsRewritten = exitsRewritten;
    }

    /// <summary>The program this is the twin of; the twin uses its maps.</summary>
    public BpfProgram Original { get; }

    /// <summary>How many exits of the main function now drop.</summary>
    public int ExitsRewritten { get; }

    /// <summary>Loads the drop twin of a loaded program. A refusal raises <see cref="BpfVerifierException"/> with the log.</summary>
    public static DropTwin Load(BpfProgram original)
    {
        var (instructions, exits) = Rewrite(original.PreparedInstructions());
        var fd = LoadXdp(TwinName(original.Name), instructions, $"load the drop twin of '{original.Name}'");
        return new DropTwin(fd, original, exits);
    }

    /// <summary>
    /// The twin's instructions: the main function's exits become jumps to a drop block
    /// inserted right after the main function. Subprograms (bpf-to-bpf calls, callbacks)
    /// follow the main function in libbpf's layout; their exits return to their caller and
    /// stay as they are, and references from the main function into them move by the
    /// block's two instructions.
    /// </summary>
    public static (ulong[] Instructions, int ExitsRewritten) Rewrite(IReadOnlyList<ulong> prepared)
    {
        var code = Instruction.Decode(prepared);
        var mainEnd = code.Length;
        for (var i = 0; i < code.Length; i++)
        {
            if (code[i].SubprogramTarget(i) is { } target && target > 0)
                mainEnd = Math.Min(mainEnd, target);
            if (code[i].IsLoadImm64)
                i++;
        }
        var twin = new List<Instruction>(code.Length + 2);
        var exits = 0;
        for (var i = 0; i < mainEnd; i++)
        {
            var insn = code[i];
            if (insn.IsExit)
            {
                // Land on the drop block at index mainEnd: offsets count from the next slot.
                insn = Instruction.JumpAlways(checked((short)(mainEnd - i - 1)));
                exits++;
            }
            else if (insn.SubprogramTarget(i) is { } target && target >= mainEnd)
            {
                insn = insn with { Imm = insn.Imm + 2 };
            }
            twin.Add(insn);
            if (code[i].IsLoadImm64)
                twin.Add(code[++i]);
        }
        twin.Add(Instruction.MovImmediate64(0, (int)XdpAction.Drop));
        twin.Add(Instruction.ExitInstruction);
        twin.AddRange(code.Skip(mainEnd));
        if (exits == 0)
            throw new ArgumentException(
                "the program's main function has no exit; it is not a program the verifier would load",
                nameof(prepared)
            );
        return (twin.Select(i => i.Encode()).ToArray(), exits);
    }

    // The kernel takes at most 15 characters of name.
    private static string TwinName(string original) => ("drop_" + original)[..Math.Min(15, 5 + original.Length)];
}
