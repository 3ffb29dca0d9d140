using System.Globalization;

namespace PacketCounter.Profiling.Emulation;

/// <summary>Instructions in the syntax of <c>bpftool prog dump xlated</c>, e.g. <c>(79) r3 = *(u64 *)(r1 +8)</c>.</summary>
public static class BpfDisassembler
{
    public static string Describe(BpfInstruction insn, BpfInstruction? next = null, Func<int, string>? mapName = null)
    {
        var code = $"({insn.Opcode:x2}) ";
        return code + Body(insn, next, mapName);
    }

    private static string Body(BpfInstruction insn, BpfInstruction? next, Func<int, string>? mapName)
    {
        string R(int r, bool wide = true) => (wide ? "r" : "w") + r.ToString(CultureInfo.InvariantCulture);
        string Size(int size) => size switch { 1 => "u8", 2 => "u16", 4 => "u32", _ => "u64" };
        string Off(int offset) => offset >= 0 ? $"+{offset}" : offset.ToString(CultureInfo.InvariantCulture);
        string Pc(int offset) => offset >= 0 ? $"pc+{offset}" : $"pc{offset}";

        switch (insn.Class)
        {
            case BpfInstruction.ClassAlu:
            case BpfInstruction.ClassAlu64:
            {
                var wide = insn.Class == BpfInstruction.ClassAlu64;
                var source = insn.SourceIsRegister ? R(insn.Src, wide) : insn.Imm.ToString(CultureInfo.InvariantCulture);
                if (insn.Operation == 0xd0)
                    return $"{R(insn.Dst)} = {(wide ? "bswap" : insn.SourceIsRegister ? "be" : "le")}{insn.Imm} {R(insn.Dst)}";
                if (insn.Operation == 0x80)
                    return $"{R(insn.Dst, wide)} = -{R(insn.Dst, wide)}";
                var op = insn.Operation switch
                {
                    0x00 => "+=", 0x10 => "-=", 0x20 => "*=", 0x30 => "/=", 0x40 => "|=", 0x50 => "&=", 0x60 => "<<=", 0x70 => ">>=",
                    0x90 => "%=", 0xa0 => "^=", 0xb0 => "=", 0xc0 => "s>>=", _ => $"alu{insn.Operation:x2}",
                };
                return $"{R(insn.Dst, wide)} {op} {source}";
            }
            case BpfInstruction.ClassLd when insn.IsLoadImm64:
                var wide64 = (long)(uint)insn.Imm | ((long)(next?.Imm ?? 0) << 32);
                return insn.Src switch
                {
                    1 => $"{R(insn.Dst)} = map[{mapName?.Invoke(insn.Imm) ?? $"fd:{insn.Imm}"}]",
                    2 => $"{R(insn.Dst)} = map[{mapName?.Invoke(insn.Imm) ?? $"fd:{insn.Imm}"}][0]+{next?.Imm ?? 0}",
                    _ => $"{R(insn.Dst)} = 0x{wide64:x}",
                };
            case BpfInstruction.ClassLdx:
                return $"{R(insn.Dst)} = *({Size(insn.Size)} *)({R(insn.Src)} {Off(insn.Offset)})";
            case BpfInstruction.ClassSt:
                return $"*({Size(insn.Size)} *)({R(insn.Dst)} {Off(insn.Offset)}) = {insn.Imm}";
            case BpfInstruction.ClassStx when insn.Mode == 0xC0:
                var atomic = (insn.Imm & ~1) switch { 0x00 => "+=", 0x40 => "|=", 0x50 => "&=", 0xa0 => "^=", 0xe0 => "xchg", 0xf0 => "cmpxchg", _ => $"atomic{insn.Imm:x}" };
                return $"lock *({Size(insn.Size)} *)({R(insn.Dst)} {Off(insn.Offset)}) {atomic} {R(insn.Src)}";
            case BpfInstruction.ClassStx:
                return $"*({Size(insn.Size)} *)({R(insn.Dst)} {Off(insn.Offset)}) = {R(insn.Src)}";
            case BpfInstruction.ClassJmp:
            case BpfInstruction.ClassJmp32:
            {
                var wide = insn.Class == BpfInstruction.ClassJmp;
                switch (insn.Operation)
                {
                    case 0x00: return $"goto {Pc(insn.Offset)}";
                    case 0x80: return $"call {HelperNames.Of(insn.Imm)}#{insn.Imm}";
                    case 0x90: return "exit";
                }
                var cmp = insn.Operation switch
                {
                    0x10 => "==", 0x20 => ">", 0x30 => ">=", 0x40 => "&", 0x50 => "!=", 0x60 => "s>", 0x70 => "s>=",
                    0xa0 => "<", 0xb0 => "<=", 0xc0 => "s<", 0xd0 => "s<=", _ => $"jmp{insn.Operation:x2}",
                };
                var source = insn.SourceIsRegister ? R(insn.Src, wide) : $"0x{insn.Imm:x}";
                return $"if {R(insn.Dst, wide)} {cmp} {source} goto {Pc(insn.Offset)}";
            }
            default:
                return $"unknown opcode 0x{insn.Opcode:x2}";
        }
    }
}
