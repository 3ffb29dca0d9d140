namespace PacketCounter.Profiling.Emulation;

/// <summary>One decoded eBPF instruction (struct bpf_insn: opcode, dst:4, src:4, off:16, imm:32).</summary>
public readonly record struct BpfInstruction(byte Opcode, byte Dst, byte Src, short Offset, int Imm)
{
    public const byte ClassLd = 0x00, ClassLdx = 0x01, ClassSt = 0x02, ClassStx = 0x03, ClassAlu = 0x04, ClassJmp = 0x05, ClassJmp32 = 0x06, ClassAlu64 = 0x07;

    public byte Class => (byte)(Opcode & 0x07);

    /// <summary>ALU/JMP operation (high nibble).</summary>
    public byte Operation => (byte)(Opcode & 0xF0);

    /// <summary>BPF_X: the source is a register, not the immediate.</summary>
    public bool SourceIsRegister => (Opcode & 0x08) != 0;

    /// <summary>Load/store size in bytes.</summary>
    public int Size => (Opcode & 0x18) switch { 0x00 => 4, 0x08 => 2, 0x10 => 1, _ => 8 };

    /// <summary>Load/store mode (high three bits).</summary>
    public byte Mode => (byte)(Opcode & 0xE0);

    public bool IsLoadImm64 => Opcode == 0x18;

    public static BpfInstruction Decode(ulong raw) => new(
        (byte)raw,
        (byte)((raw >> 8) & 0x0F),
        (byte)((raw >> 12) & 0x0F),
        (short)(raw >> 16),
        (int)(raw >> 32));

    public static BpfInstruction[] Decode(IReadOnlyList<ulong> raw) => raw.Select(Decode).ToArray();
}
