namespace PacketCounter.Profiling.Asm;

/// <summary>
/// What the source register of an ld_imm64 says its immediate is: a plain constant, a map fd
/// (BPF_PSEUDO_MAP_FD), a map fd and an offset into its value at key 0 (BPF_PSEUDO_MAP_VALUE,
/// globals), a kernel variable by BTF id, or a subprogram's address relative to the next slot
/// (BPF_PSEUDO_FUNC).
/// </summary>
public enum LoadImmSource : byte
{
    Constant = 0,
    MapFd = 1,
    MapValue = 2,
    BtfId = 3,
    Function = 4,
}

/// <summary>
/// What the source register of a call says it calls: a helper by number, a bpf-to-bpf call
/// relative to the next slot (BPF_PSEUDO_CALL), or a kernel function by BTF id (BPF_PSEUDO_KFUNC_CALL).
/// </summary>
public enum CallTarget : byte
{
    Helper = 0,
    Subprogram = 1,
    Kfunc = 2,
}

/// <summary>One eBPF instruction (struct bpf_insn: opcode, dst:4, src:4, off:16, imm:32).</summary>
public readonly record struct Instruction(OpCode OpCode, byte Dst, byte Src, short Offset, int Imm)
{
    public Instruction(byte opcode, byte dst, byte src, short offset, int imm)
        : this(new OpCode(opcode), dst, src, offset, imm) { }

    public static Instruction Decode(ulong raw) =>
        new(
            new OpCode((byte)raw),
            (byte)((raw >> 8) & 0x0F),
            (byte)((raw >> 12) & 0x0F),
            (short)(raw >> 16),
            (int)(raw >> 32)
        );

    public static Instruction[] Decode(IReadOnlyList<ulong> raw) => raw.Select(Decode).ToArray();

    /// <summary>The slots where an instruction starts: every slot but the second half of a 16-byte ld_imm64.</summary>
    public static IEnumerable<int> Starts(IReadOnlyList<Instruction> program)
    {
        for (var pc = 0; pc < program.Count; pc++)
        {
            yield return pc;
            if (program[pc].IsLoadImm64)
                pc++;
        }
    }

    public ulong Encode() =>
        OpCode.Raw
        | (ulong)(uint)((Dst & 0x0F) | ((Src & 0x0F) << 4)) << 8
        | (ulong)(ushort)Offset << 16
        | (ulong)(uint)Imm << 32;

    public OpClass Class => OpCode.Class;

    public bool IsLoadImm64 => OpCode.IsLoadImm64;

    public bool IsExit => OpCode.IsExit;

    /// <summary>The register operand for an ALU or jump with a register source; the immediate otherwise.</summary>
    public bool SourceIsRegister => OpCode.Source == OperandSource.Register;

    /// <summary>For an ld_imm64: what its immediate names.</summary>
    public LoadImmSource LoadImmSource => (LoadImmSource)Src;

    /// <summary>For a call: what it calls.</summary>
    public CallTarget CallTarget => (CallTarget)Src;

    /// <summary>For a helper call: which helper.</summary>
    public Helper Helper => (Helper)Imm;

    /// <summary>
    /// The instruction index this one refers to as code, relative to the next slot: a
    /// bpf-to-bpf call or a subprogram address (ld_imm64 with BPF_PSEUDO_FUNC). Null for
    /// everything else.
    /// </summary>
    public int? SubprogramTarget(int at) =>
        OpCode.IsCall && CallTarget == CallTarget.Subprogram ? at + Imm + 1
        : IsLoadImm64 && LoadImmSource == LoadImmSource.Function ? at + Imm + 1
        : null;

    public static Instruction MovImmediate64(byte dst, int value) =>
        new(OpCode.Alu64(AluOp.Mov, OperandSource.Immediate), dst, 0, 0, value);

    public static Instruction JumpAlways(short offset) => new(OpCode.Ja, 0, 0, offset, 0);

    public static Instruction ExitInstruction => new(OpCode.Exit, 0, 0, 0, 0);

    public override string ToString() => Disassembler.Describe(this);
}
