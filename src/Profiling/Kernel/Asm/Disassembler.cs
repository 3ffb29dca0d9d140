namespace PacketCounter.Profiling.Asm;

/// <summary>Instructions in the syntax of <c>bpftool prog dump xlated</c>, e.g. <c>(79) r3 = *(u64 *)(r1 +8)</c>.</summary>
public static class Disassembler
{
    /// <param name="insn">The instruction.</param>
    /// <param name="next">The slot after it, which holds the upper half of an ld_imm64.</param>
    /// <param name="mapName">Names a map from an ld_imm64's immediate (an fd as libbpf prepared the program, a map id
    /// as the kernel translated it).</param>
    /// <param name="callName">Names a helper call's target from its immediate: a helper number as compiled, a kernel
    /// function's offset once translated.</param>
    public static string Describe(
        Instruction insn,
        Instruction? next = null,
        Func<int, string>? mapName = null,
        Func<int, string>? callName = null
    ) => $"({insn.OpCode.Raw:x2}) " + Body(insn, next, mapName, callName);

    private static string Body(
        Instruction insn,
        Instruction? next,
        Func<int, string>? mapName,
        Func<int, string>? callName
    )
    {
        static string R(int r, bool wide = true) => (wide ? "r" : "w") + r.ToString(CultureInfo.InvariantCulture);
        static string Size(int size) =>
            size switch
            {
                1 => "u8",
                2 => "u16",
                4 => "u32",
                _ => "u64",
            };
        static string Off(int offset) => offset >= 0 ? $"+{offset}" : offset.ToString(CultureInfo.InvariantCulture);
        static string Pc(int offset) => offset >= 0 ? $"pc+{offset}" : $"pc{offset}";
        var op = insn.OpCode;

        switch (op.Class)
        {
            case OpClass.Alu:
            case OpClass.Alu64:
            {
                var wide = op.Class == OpClass.Alu64;
                var source = insn.SourceIsRegister
                    ? R(insn.Src, wide)
                    : insn.Imm.ToString(CultureInfo.InvariantCulture);
                switch (op.AluOp)
                {
                    case AluOp.Swap:
                        return $"{R(insn.Dst)} = {(wide ? "bswap" : insn.SourceIsRegister ? "be" : "le")}{insn.Imm} {R(insn.Dst)}";
                    case AluOp.Neg:
                        return $"{R(insn.Dst, wide)} = -{R(insn.Dst, wide)}";
                    case AluOp.Invalid:
                        return $"invalid ALU opcode 0x{op.Raw:x2}";
                }
                var symbol = op.AluOp switch
                {
                    AluOp.Add => "+=",
                    AluOp.Sub => "-=",
                    AluOp.Mul => "*=",
                    AluOp.Div => "/=",
                    AluOp.Or => "|=",
                    AluOp.And => "&=",
                    AluOp.LShift => "<<=",
                    AluOp.RShift => ">>=",
                    AluOp.Mod => "%=",
                    AluOp.Xor => "^=",
                    AluOp.Mov => "=",
                    _ => "s>>=",
                };
                return $"{R(insn.Dst, wide)} {symbol} {source}";
            }
            case OpClass.Ld when insn.IsLoadImm64:
                var wide64 = (long)(uint)insn.Imm | ((long)(next?.Imm ?? 0) << 32);
                return insn.LoadImmSource switch
                {
                    LoadImmSource.MapFd => $"{R(insn.Dst)} = map[{mapName?.Invoke(insn.Imm) ?? $"fd:{insn.Imm}"}]",
                    LoadImmSource.MapValue =>
                        $"{R(insn.Dst)} = map[{mapName?.Invoke(insn.Imm) ?? $"fd:{insn.Imm}"}][0]+{next?.Imm ?? 0}",
                    _ => $"{R(insn.Dst)} = 0x{wide64:x}",
                };
            case OpClass.Ldx:
                return $"{R(insn.Dst)} = *({Size(op.SizeInBytes)} *)({R(insn.Src)} {Off(insn.Offset)})";
            case OpClass.St:
                return $"*({Size(op.SizeInBytes)} *)({R(insn.Dst)} {Off(insn.Offset)}) = {insn.Imm}";
            case OpClass.Stx when op.Mode == AddressMode.Atomic:
                var atomic = (AtomicOp)(insn.Imm & ~(int)AtomicOp.Fetch) switch
                {
                    AtomicOp.Add => "+=",
                    AtomicOp.Or => "|=",
                    AtomicOp.And => "&=",
                    AtomicOp.Xor => "^=",
                    AtomicOp.Exchange => "xchg",
                    AtomicOp.CompareExchange => "cmpxchg",
                    _ => $"atomic{insn.Imm:x}",
                };
                return $"lock *({Size(op.SizeInBytes)} *)({R(insn.Dst)} {Off(insn.Offset)}) {atomic} {R(insn.Src)}";
            case OpClass.Stx:
                return $"*({Size(op.SizeInBytes)} *)({R(insn.Dst)} {Off(insn.Offset)}) = {R(insn.Src)}";
            case OpClass.Jmp:
            case OpClass.Jmp32:
            {
                var wide = op.Class == OpClass.Jmp;
                switch (op.JumpOp)
                {
                    case JumpOp.Ja:
                        return $"goto {Pc(insn.Offset)}";
                    case JumpOp.Call when insn.CallTarget == CallTarget.Subprogram:
                        return $"call pc{(insn.Imm >= 0 ? "+" : "")}{insn.Imm}";
                    case JumpOp.Call:
                        return $"call {callName?.Invoke(insn.Imm) ?? Helpers.Name(insn.Helper)}#{insn.Imm}";
                    case JumpOp.Exit:
                        return "exit";
                    case JumpOp.Invalid:
                        return $"invalid jump opcode 0x{op.Raw:x2}";
                }
                var compare = op.JumpOp switch
                {
                    JumpOp.JEq => "==",
                    JumpOp.JGt => ">",
                    JumpOp.JGe => ">=",
                    JumpOp.JSet => "&",
                    JumpOp.JNe => "!=",
                    JumpOp.JSGt => "s>",
                    JumpOp.JSGe => "s>=",
                    JumpOp.JLt => "<",
                    JumpOp.JLe => "<=",
                    JumpOp.JSLt => "s<",
                    _ => "s<=",
                };
                var source = insn.SourceIsRegister ? R(insn.Src, wide) : $"0x{insn.Imm:x}";
                return $"if {R(insn.Dst, wide)} {compare} {source} goto {Pc(insn.Offset)}";
            }
            default:
                return $"unknown opcode 0x{op.Raw:x2}";
        }
    }
}

/// <summary>
/// The operation of a BPF_ATOMIC store, in its immediate with <see cref="Fetch"/> masked off.
/// Exchange and compare-exchange always carry the fetch bit (BPF_XCHG, BPF_CMPXCHG).
/// </summary>
public enum AtomicOp
{
    Add = 0x00,
    Or = 0x40,
    And = 0x50,
    Xor = 0xA0,
    Exchange = 0xE0,
    CompareExchange = 0xF0,

    /// <summary>Also return the old value (in the source register, or r0 for cmpxchg).</summary>
    Fetch = 0x01,
}
