namespace PacketCounter.Profiling.Asm;

/// <summary>The instruction class: the low three bits of every opcode.</summary>
public enum OpClass : byte
{
    Ld = 0x00,
    Ldx = 0x01,
    St = 0x02,
    Stx = 0x03,
    Alu = 0x04,
    Jmp = 0x05,
    Jmp32 = 0x06,
    Alu64 = 0x07,
}

/// <summary>How a load or store addresses memory (the high three bits of a load/store opcode); Invalid for any other class.</summary>
public enum AddressMode : byte
{
    Imm = 0x00,
    Abs = 0x20,
    Ind = 0x40,
    Mem = 0x60,
    MemSx = 0x80,
    Atomic = 0xC0,
    Invalid = 0xFF,
}

/// <summary>The width of a load or store; Invalid for any other class.</summary>
public enum AccessSize : byte
{
    Word = 0x00,
    Half = 0x08,
    Byte = 0x10,
    DWord = 0x18,
    Invalid = 0xFF,
}

/// <summary>Whether an ALU or jump operand is the immediate (K) or the source register (X); Invalid for any other class.</summary>
public enum OperandSource : byte
{
    Immediate = 0x00,
    Register = 0x08,
    Invalid = 0xFF,
}

/// <summary>ALU operations (the high nibble of an ALU/ALU64 opcode); Swap is BPF_END; Invalid for any other class.</summary>
public enum AluOp : byte
{
    Add = 0x00,
    Sub = 0x10,
    Mul = 0x20,
    Div = 0x30,
    Or = 0x40,
    And = 0x50,
    LShift = 0x60,
    RShift = 0x70,
    Neg = 0x80,
    Mod = 0x90,
    Xor = 0xA0,
    Mov = 0xB0,
    ArithRShift = 0xC0,
    Swap = 0xD0,
    Invalid = 0xFF,
}

/// <summary>Jump operations (the high nibble of a JMP/JMP32 opcode); Invalid for any other class, or a nibble no jump uses.</summary>
public enum JumpOp : byte
{
    Ja = 0x00,
    JEq = 0x10,
    JGt = 0x20,
    JGe = 0x30,
    JSet = 0x40,
    JNe = 0x50,
    JSGt = 0x60,
    JSGe = 0x70,
    Call = 0x80,
    Exit = 0x90,
    JLt = 0xA0,
    JLe = 0xB0,
    JSLt = 0xC0,
    JSLe = 0xD0,
    Invalid = 0xFF,
}

/// <summary>
/// The packed opcode byte of an eBPF instruction, read through typed accessors. An accessor
/// that does not apply to the opcode's class answers <c>Invalid</c> rather than a number
/// that would mean something else (a load has no <see cref="JumpOp"/>).
/// </summary>
public readonly record struct OpCode(byte Raw)
{
    public static readonly OpCode Exit = new((byte)((byte)OpClass.Jmp | (byte)JumpOp.Exit));
    public static readonly OpCode Call = new((byte)((byte)OpClass.Jmp | (byte)JumpOp.Call));
    public static readonly OpCode Ja = new((byte)((byte)OpClass.Jmp | (byte)JumpOp.Ja));
    public static readonly OpCode LoadImm64 = new(
        (byte)((byte)OpClass.Ld | (byte)AddressMode.Imm | (byte)AccessSize.DWord)
    );

    public static OpCode Alu64(AluOp op, OperandSource source) =>
        new((byte)((byte)OpClass.Alu64 | (byte)op | (byte)source));

    public OpClass Class => (OpClass)(Raw & 0x07);

    public bool IsLoadOrStore => Class is OpClass.Ld or OpClass.Ldx or OpClass.St or OpClass.Stx;

    public bool IsAlu => Class is OpClass.Alu or OpClass.Alu64;

    public bool IsJump => Class is OpClass.Jmp or OpClass.Jmp32;

    public AddressMode Mode => IsLoadOrStore ? (AddressMode)(Raw & 0xE0) : AddressMode.Invalid;

    public AccessSize Size => IsLoadOrStore ? (AccessSize)(Raw & 0x18) : AccessSize.Invalid;

    /// <summary>Bytes moved by a load or store; 0 for anything else.</summary>
    public int SizeInBytes =>
        Size switch
        {
            AccessSize.Byte => 1,
            AccessSize.Half => 2,
            AccessSize.Word => 4,
            AccessSize.DWord => 8,
            _ => 0,
        };

    public OperandSource Source => IsAlu || IsJump ? (OperandSource)(Raw & 0x08) : OperandSource.Invalid;

    public AluOp AluOp =>
        IsAlu
            ? Enum.IsDefined((AluOp)(Raw & 0xF0))
                ? (AluOp)(Raw & 0xF0)
                : AluOp.Invalid
            : AluOp.Invalid;

    public JumpOp JumpOp => IsJump && Enum.IsDefined((JumpOp)(Raw & 0xF0)) ? (JumpOp)(Raw & 0xF0) : JumpOp.Invalid;

    /// <summary>The 16-byte ld_imm64, whose second half is not an instruction of its own.</summary>
    public bool IsLoadImm64 => Raw == LoadImm64.Raw;

    /// <summary>exit of the current function (JMP class only; JMP32 has no exit).</summary>
    public bool IsExit => Raw == Exit.Raw;

    public bool IsCall => Raw == Call.Raw;

    /// <summary>The mnemonic, e.g. <c>ldxw</c>, <c>add64</c>, <c>jeq32</c>, <c>exit</c>.</summary>
    public override string ToString()
    {
        var width = Size switch
        {
            AccessSize.Byte => "b",
            AccessSize.Half => "h",
            AccessSize.Word => "w",
            AccessSize.DWord => "dw",
            _ => "",
        };
        return Class switch
        {
            OpClass.Ld when IsLoadImm64 => "lddw",
            OpClass.Ld or OpClass.Ldx or OpClass.St or OpClass.Stx when Mode == AddressMode.Atomic => $"atomic{width}",
            OpClass.Ld or OpClass.Ldx or OpClass.St or OpClass.Stx =>
                $"{Class.ToString().ToLowerInvariant()}{(Mode == AddressMode.Mem ? "" : Mode.ToString().ToLowerInvariant())}{width}",
            OpClass.Alu or OpClass.Alu64 => AluOp == AluOp.Invalid
                ? $"invalid(0x{Raw:x2})"
                : $"{AluOp.ToString().ToLowerInvariant()}{(Class == OpClass.Alu64 ? "64" : "32")}",
            _ => JumpOp == JumpOp.Invalid
                ? $"invalid(0x{Raw:x2})"
                : $"{JumpOp.ToString().ToLowerInvariant()}{(Class == OpClass.Jmp32 ? "32" : "")}",
        };
    }
}
