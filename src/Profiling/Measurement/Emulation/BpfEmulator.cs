using System.Buffers.Binary;
using System.Diagnostics;
using PacketCounter.Profiling.Asm;
using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Profiling.Emulation;

/// <summary>What one emulated run did: the verdict, and where its instructions went.</summary>
public sealed record EmulatedRun(
    XdpAction Verdict,
    int Executed,
    int HelperCalls,
    int[] ExecutionsPerInstruction,
    IReadOnlyDictionary<Helper, int> CallsPerHelper
);

/// <summary>
/// An eBPF interpreter for XDP programs as libbpf prepared them for the kernel (relocated,
/// map fds embedded). It counts every executed instruction (a 16-byte ld_imm64 counts as
/// one, as bpftool lists it) and every helper call. Memory is typed the way the verifier
/// tracks it — context, packet, stack, map value — and an access the verifier would have
/// refused stops the run with an <see cref="EmulationException"/> saying so, as does any
/// opcode or helper outside what is modelled. It never guesses.
/// </summary>
public sealed class BpfEmulator
{
    private const int StackSize = 512;
    private const int InstructionLimit = 1_000_000;

    private readonly Instruction[] _program;
    private readonly IReadOnlyDictionary<int, EmulatedMap> _mapsByFd;
    private readonly Random _random = new(1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BpfEmulator(IReadOnlyList<ulong> instructions, IReadOnlyDictionary<int, EmulatedMap> mapsByFd, int cpu = 0)
    {
        _program = Instruction.Decode(instructions);
        _mapsByFd = mapsByFd;
        Cpu = cpu;
    }

    public int Cpu { get; set; }

    public IReadOnlyList<Instruction> Program => _program;

    public IReadOnlyDictionary<int, EmulatedMap> MapsByFd => _mapsByFd;

    /// <summary>Models of every map of a loaded object, keyed by the fd the program's instructions carry.</summary>
    public static unsafe Dictionary<int, EmulatedMap> ModelMaps(BpfObject obj)
    {
        var maps = new Dictionary<int, EmulatedMap>();
        foreach (var map in obj.Maps)
        {
            var model = new EmulatedMap(
                map.Name,
                map.Type,
                map.KeySize,
                map.ValueSize,
                map.MaxEntries,
                PossibleCpus.Count
            );
            if (
                map.Name.EndsWith(".rodata", StringComparison.Ordinal)
                || map.Name.EndsWith(".data", StringComparison.Ordinal)
            )
            {
                if (map.InitialValue() is { } initial)
                    model.Update(0, initial, 0, 0);
            }
            maps[map.Fd] = model;
        }
        return maps;
    }

    public EmulatedRun Run(ReadOnlySpan<byte> frame) => Run(frame.ToArray());

    public EmulatedRun Run(byte[] frame)
    {
        var packet = new Region(RegionKind.Packet, "packet", frame);
        var stack = new Region(RegionKind.Stack, "stack", new byte[StackSize]);
        var context = new Region(RegionKind.Context, "xdp_md", new byte[24]);
        var regs = new Value[11];
        regs[1] = Value.Pointer(context, 0);
        regs[10] = Value.Pointer(stack, StackSize);
        var spilled = new Dictionary<int, Value>();
        var counts = new int[_program.Length];
        var calls = new Dictionary<Helper, int>();
        var executed = 0;
        var helperCalls = 0;

        var pc = 0;
        while (true)
        {
            if (pc < 0 || pc >= _program.Length)
                throw new EmulationException($"insn {pc}: the program jumped outside itself");
            if (++executed > InstructionLimit)
                throw new EmulationException(
                    $"more than {InstructionLimit} instructions executed; the verifier bounds every "
                        + "loop, so this is not the kernel's program"
                );
            counts[pc]++;
            var insn = _program[pc];
            switch (insn.Class)
            {
                case OpClass.Alu:
                case OpClass.Alu64:
                    regs[insn.Dst] = Alu(insn, regs, pc);
                    pc++;
                    break;

                case OpClass.Ld when insn.IsLoadImm64:
                    regs[insn.Dst] = LoadImm64(insn, _program[pc + 1], pc);
                    pc += 2;
                    break;

                case OpClass.Ldx when insn.OpCode.Mode == AddressMode.Mem:
                    regs[insn.Dst] = Load(regs[insn.Src], insn.Offset, insn.OpCode.SizeInBytes, pc, spilled, packet);
                    pc++;
                    break;

                case OpClass.St when insn.OpCode.Mode == AddressMode.Mem:
                    Store(regs[insn.Dst], insn.Offset, insn.OpCode.SizeInBytes, Value.Scalar(insn.Imm), pc, spilled);
                    pc++;
                    break;

                case OpClass.Stx when insn.OpCode.Mode == AddressMode.Mem:
                    Store(regs[insn.Dst], insn.Offset, insn.OpCode.SizeInBytes, regs[insn.Src], pc, spilled);
                    pc++;
                    break;

                case OpClass.Stx when insn.OpCode.Mode == AddressMode.Atomic:
                    Atomic(insn, regs, pc);
                    pc++;
                    break;

                case OpClass.Jmp:
                case OpClass.Jmp32:
                    if (insn.IsExit)
                    {
                        if (regs[0].Region is not null)
                            throw new EmulationException(
                                $"insn {pc}: exit with a pointer in r0 (the verifier would reject this)"
                            );
                        return new EmulatedRun((XdpAction)(uint)regs[0].Raw, executed, helperCalls, counts, calls);
                    }
                    if (insn.OpCode.IsCall)
                    {
                        if (insn.CallTarget != CallTarget.Helper)
                            throw new EmulationException($"insn {pc}: bpf-to-bpf and kfunc calls are not modelled");
                        regs[0] = CallHelper(insn.Helper, regs, pc);
                        for (var r = 1; r <= 5; r++)
                            regs[r] = Value.Clobbered;
                        helperCalls++;
                        calls[insn.Helper] = calls.GetValueOrDefault(insn.Helper) + 1;
                        pc++;
                        break;
                    }
                    pc += Jump(insn, regs, pc) ? insn.Offset + 1 : 1;
                    break;

                default:
                    throw new EmulationException(
                        $"insn {pc}: unsupported opcode 0x{insn.OpCode.Raw:x2} ({Disassembler.Describe(insn)})"
                    );
            }
        }

        Value Load(Value address, int offset, int size, int at, Dictionary<int, Value> spills, Region pkt)
        {
            var region = Checked(address, offset, size, at, "read");
            var position = (int)address.Raw + offset;
            if (region.Kind == RegionKind.Context)
                return ContextField(position, size, at, pkt);
            if (region.Kind == RegionKind.Stack && size == 8 && spills.TryGetValue(position, out var spill))
                return spill;
            var span = region.Bytes.AsSpan(position, size);
            return Value.Scalar(
                size switch
                {
                    1 => span[0],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(span),
                    4 => BinaryPrimitives.ReadUInt32LittleEndian(span),
                    _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(span),
                }
            );
        }
    }

    private static Value ContextField(int offset, int size, int at, Region packet)
    {
        if (size != 4)
            throw new EmulationException(
                $"insn {at}: invalid bpf_context access off={offset} size={size} (xdp_md fields are __u32; the verifier rejects this)"
            );
        return offset switch
        {
            0 => Value.Pointer(packet, 0),
            4 => Value.Pointer(packet, packet.Bytes.Length),
            8 => Value.Pointer(packet, 0),
            12 or 16 or 20 => Value.Scalar(0),
            _ => throw new EmulationException($"insn {at}: invalid bpf_context access off={offset} size={size}"),
        };
    }

    private static void Store(Value address, int offset, int size, Value value, int at, Dictionary<int, Value> spilled)
    {
        var region = Checked(address, offset, size, at, "write");
        var position = (int)address.Raw + offset;
        if (region.Kind == RegionKind.Context)
            throw new EmulationException($"insn {at}: write to xdp_md (the verifier rejects this)");
        if (region.Kind == RegionKind.Stack)
        {
            foreach (var key in spilled.Keys.Where(k => k < position + size && k + 8 > position).ToList())
                spilled.Remove(key);
            if (value.Region is not null)
            {
                if (size != 8)
                    throw new EmulationException($"insn {at}: partial spill of a pointer (the verifier rejects this)");
                spilled[position] = value;
                return;
            }
        }
        else if (value.Region is not null)
            throw new EmulationException($"insn {at}: storing a pointer into {region.Name} memory is not modelled");
        var span = region.Bytes.AsSpan(position, size);
        switch (size)
        {
            case 1:
                span[0] = (byte)value.Raw;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value.Raw);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value.Raw);
                break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)value.Raw);
                break;
        }
    }

    private static Region Checked(Value address, int offset, int size, int at, string access)
    {
        if (address.Region is not { } region || region.Kind == RegionKind.MapReference)
            throw new EmulationException(
                address.Raw == 0 && address.Region is null
                    ? $"insn {at}: {access} through a null pointer (the verifier would reject this: "
                        + "invalid mem access 'map_value_or_null' or 'scalar')"
                    : $"insn {at}: {access} through a scalar, not a pointer (the verifier would reject this)"
            );
        var position = address.Raw + offset;
        if (position < 0 || position + size > region.Bytes.Length)
            throw new EmulationException(
                region.Kind == RegionKind.Packet
                    ? $"insn {at}: out-of-bounds packet {access} at offset {position}, size {size}, in "
                        + $"a {region.Bytes.Length}-byte packet; the verifier would have rejected this "
                        + "program (no bounds check covers it)"
                    : $"insn {at}: out-of-bounds {region.Name} {access} at offset {position}, size "
                        + $"{size}, of {region.Bytes.Length} bytes (the verifier would reject this)"
            );
        return region;
    }

    private Value LoadImm64(Instruction first, Instruction second, int at)
    {
        var wide = (long)(uint)first.Imm | ((long)second.Imm << 32);
        switch (first.LoadImmSource)
        {
            case LoadImmSource.Constant:
                return Value.Scalar(wide);
            case LoadImmSource.MapFd:
                return Value.Pointer(
                    new Region(RegionKind.MapReference, MapAt(first.Imm, at).Name, [], MapAt(first.Imm, at)),
                    0
                );
            case LoadImmSource.MapValue: // direct access to an array map's value (globals)
                var map = MapAt(first.Imm, at);
                var value =
                    map.Lookup(0, Cpu)
                    ?? throw new EmulationException($"insn {at}: map '{map.Name}' has no value at key 0");
                return Value.Pointer(new Region(RegionKind.MapValue, map.Name, value), second.Imm);
            default:
                throw new EmulationException(
                    $"insn {at}: ld_imm64 with src {first.Src} (BTF ids, map-in-map indices) is not modelled"
                );
        }
    }

    private EmulatedMap MapAt(int fd, int at) =>
        _mapsByFd.TryGetValue(fd, out var map)
            ? map
            : throw new EmulationException(
                $"insn {at}: ld_imm64 names map fd {fd}, which is not one of the object's maps"
            );

    private Value CallHelper(Helper helper, Value[] regs, int at)
    {
        EmulatedMap MapArgument() =>
            regs[1].Region is { Kind: RegionKind.MapReference, Map: { } m }
                ? m
                : throw new EmulationException($"insn {at}: helper {Helpers.Name(helper)} needs a map in r1");
        byte[] Bytes(Value address, int size) =>
            Checked(address, 0, size, at, "read").Bytes.AsSpan((int)address.Raw, size).ToArray();
        ulong Key(EmulatedMap map) => map.KeyOf(Bytes(regs[2], map.KeySize));

        switch (helper)
        {
            case Helper.MapLookupElem:
            {
                var map = MapArgument();
                var value = map.Lookup(Key(map), Cpu);
                return value is null
                    ? Value.Scalar(0)
                    : Value.Pointer(new Region(RegionKind.MapValue, $"{map.Name} value", value), 0);
            }
            case Helper.MapUpdateElem:
            {
                var map = MapArgument();
                return Value.Scalar(map.Update(Key(map), Bytes(regs[3], map.ValueSize), (ulong)regs[4].Raw, Cpu));
            }
            case Helper.MapDeleteElem:
            {
                var map = MapArgument();
                return Value.Scalar(map.Delete(Key(map)));
            }
            case Helper.KtimeGetNs:
                return Value.Scalar((long)_clock.Elapsed.TotalNanoseconds);
            case Helper.GetPrandomU32:
                return Value.Scalar(_random.NextInt64(0, 1L << 32)); // every u32, as the kernel's
            case Helper.GetSmpProcessorId:
                return Value.Scalar(Cpu);
            default:
                throw new EmulationException($"insn {at}: unsupported helper #{(int)helper} ({Helpers.Name(helper)})");
        }
    }

    private static void Atomic(Instruction insn, Value[] regs, int at)
    {
        var size = insn.OpCode.SizeInBytes;
        var region = Checked(regs[insn.Dst], insn.Offset, size, at, "atomic update");
        if (region.Kind is RegionKind.Context or RegionKind.Packet)
            throw new EmulationException($"insn {at}: atomic operation on {region.Name} (the verifier rejects this)");
        if (size is not (4 or 8))
            throw new EmulationException($"insn {at}: atomic operation of size {size}");
        var bytes = region.Bytes;
        var position = (int)regs[insn.Dst].Raw + insn.Offset;
        long Read() =>
            size == 8
                ? (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(position))
                : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
        void Write(long v)
        {
            if (size == 8)
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(position), (ulong)v);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), (uint)v);
        }
        var old = Read();
        var operand = regs[insn.Src].Raw;
        switch ((AtomicOp)(insn.Imm & ~(int)AtomicOp.Fetch))
        {
            case AtomicOp.Add:
                Write(old + operand);
                break;
            case AtomicOp.Or:
                Write(old | operand);
                break;
            case AtomicOp.And:
                Write(old & operand);
                break;
            case AtomicOp.Xor:
                Write(old ^ operand);
                break;
            case AtomicOp.Exchange:
                Write(operand);
                regs[insn.Src] = Value.Scalar(old);
                return;
            case AtomicOp.CompareExchange: // compares with r0, old value to r0
                if (Truncate(old, size) == Truncate(regs[0].Raw, size))
                    Write(operand);
                regs[0] = Value.Scalar(old);
                return;
            default:
                throw new EmulationException($"insn {at}: unsupported atomic operation 0x{insn.Imm:x}");
        }
        if ((insn.Imm & (int)AtomicOp.Fetch) != 0)
            regs[insn.Src] = Value.Scalar(old);
    }

    private static long Truncate(long value, int size) => size == 4 ? (uint)value : value;

    private static Value Alu(Instruction insn, Value[] regs, int at)
    {
        var is64 = insn.Class == OpClass.Alu64;
        var dst = regs[insn.Dst];
        var src = insn.SourceIsRegister ? regs[insn.Src] : Value.Scalar(insn.Imm);
        var op = insn.OpCode.AluOp;

        if (op == AluOp.Swap)
            return Value.Scalar(Swap(dst, insn, at));
        if ((op is AluOp.Div or AluOp.Mod) && insn.Offset != 0)
            throw new EmulationException($"insn {at}: signed division and modulo (cpu v4) are not modelled");
        if (op == AluOp.Mov && insn.Offset != 0)
            throw new EmulationException($"insn {at}: sign-extending moves (cpu v4) are not modelled");

        if (op == AluOp.Mov)
            return is64 ? src
                : src.Region is null ? Value.Scalar((uint)src.Raw)
                : throw new EmulationException($"insn {at}: 32-bit move of a pointer (the verifier rejects this)");
        if (dst.Region is not null || src.Region is not null)
            return PointerArithmetic(op, dst, src, is64, at);

        long a = dst.Raw,
            b = src.Raw,
            r;
        if (is64)
        {
            r = op switch
            {
                AluOp.Add => a + b,
                AluOp.Sub => a - b,
                AluOp.Mul => a * b,
                AluOp.Div => b == 0 ? 0 : (long)((ulong)a / (ulong)b),
                AluOp.Or => a | b,
                AluOp.And => a & b,
                AluOp.LShift => (long)((ulong)a << (int)(b & 63)),
                AluOp.RShift => (long)((ulong)a >> (int)(b & 63)),
                AluOp.Neg => -a,
                AluOp.Mod => b == 0 ? a : (long)((ulong)a % (ulong)b),
                AluOp.Xor => a ^ b,
                AluOp.ArithRShift => a >> (int)(b & 63),
                _ => throw new EmulationException($"insn {at}: unsupported ALU64 operation {insn.OpCode}"),
            };
            return Value.Scalar(r);
        }
        uint x = (uint)a,
            y = (uint)b,
            z = op switch
            {
                AluOp.Add => x + y,
                AluOp.Sub => x - y,
                AluOp.Mul => x * y,
                AluOp.Div => y == 0 ? 0 : x / y,
                AluOp.Or => x | y,
                AluOp.And => x & y,
                AluOp.LShift => x << (int)(y & 31),
                AluOp.RShift => x >> (int)(y & 31),
                AluOp.Neg => (uint)-(int)x,
                AluOp.Mod => y == 0 ? x : x % y,
                AluOp.Xor => x ^ y,
                AluOp.ArithRShift => (uint)((int)x >> (int)(y & 31)),
                _ => throw new EmulationException($"insn {at}: unsupported ALU operation {insn.OpCode}"),
            };
        return Value.Scalar(z); // 32-bit results zero-extend into the 64-bit register
    }

    private static long Swap(Value value, Instruction insn, int at)
    {
        if (value.Region is not null)
            throw new EmulationException($"insn {at}: byte swap of a pointer");
        var v = (ulong)value.Raw;
        // ALU class: BPF_TO_LE (source bit clear) / BPF_TO_BE (set) on a little-endian host;
        // ALU64 class (cpu v4): an unconditional swap.
        var swap = insn.Class == OpClass.Alu64 || insn.SourceIsRegister;
        return insn.Imm switch
        {
            16 => swap ? BinaryPrimitives.ReverseEndianness((ushort)v) : (ushort)v,
            32 => swap ? BinaryPrimitives.ReverseEndianness((uint)v) : (uint)v,
            64 => (long)(swap ? BinaryPrimitives.ReverseEndianness(v) : v),
            _ => throw new EmulationException($"insn {at}: byte swap of width {insn.Imm}"),
        };
    }

    private static Value PointerArithmetic(AluOp op, Value dst, Value src, bool is64, int at)
    {
        if (!is64)
            throw new EmulationException($"insn {at}: 32-bit arithmetic on a pointer (the verifier rejects this)");
        if (dst.Region is { } region && src.Region is null && op is AluOp.Add or AluOp.Sub)
            return Value.Pointer(region, op == AluOp.Add ? dst.Raw + src.Raw : dst.Raw - src.Raw);
        if (dst.Region is null && src.Region is { } r && op == AluOp.Add)
            return Value.Pointer(r, dst.Raw + src.Raw);
        if (dst.Region is { } a && src.Region is { } b && op == AluOp.Sub && ReferenceEquals(a, b))
            return Value.Scalar(dst.Raw - src.Raw);
        throw new EmulationException($"insn {at}: pointer arithmetic {op} is not allowed (the verifier rejects this)");
    }

    private static bool Jump(Instruction insn, Value[] regs, int at)
    {
        var op = insn.OpCode.JumpOp;
        if (op == JumpOp.Ja)
            return true;
        var dst = regs[insn.Dst];
        var src = insn.SourceIsRegister ? regs[insn.Src] : Value.Scalar(insn.Imm);
        long a,
            b;
        if (dst.Region is null && src.Region is null)
            (a, b) = (dst.Raw, src.Raw);
        else if (
            dst.Region is { } r1
            && src.Region is { } r2
            && r1.Kind == r2.Kind
            && ReferenceEquals(r1.Bytes, r2.Bytes)
        )
            (a, b) = (dst.Raw, src.Raw);
        else if ((dst.Region is null ? dst : src) is { Raw: 0, Region: null } && op is JumpOp.JEq or JumpOp.JNe)
            return op == JumpOp.JNe; // a valid pointer is never NULL
        else
            throw new EmulationException(
                $"insn {at}: comparison of a pointer with something other than NULL or a pointer into the same object"
            );

        if (insn.Class == OpClass.Jmp32)
        {
            var signed = op is JumpOp.JSGt or JumpOp.JSGe or JumpOp.JSLt or JumpOp.JSLe;
            a = signed ? (int)a : (uint)a;
            b = signed ? (int)b : (uint)b;
        }
        return op switch
        {
            JumpOp.JEq => a == b,
            JumpOp.JGt => (ulong)a > (ulong)b,
            JumpOp.JGe => (ulong)a >= (ulong)b,
            JumpOp.JSet => (a & b) != 0,
            JumpOp.JNe => a != b,
            JumpOp.JSGt => a > b,
            JumpOp.JSGe => a >= b,
            JumpOp.JLt => (ulong)a < (ulong)b,
            JumpOp.JLe => (ulong)a <= (ulong)b,
            JumpOp.JSLt => a < b,
            JumpOp.JSLe => a <= b,
            _ => throw new EmulationException($"insn {at}: unsupported jump operation {insn.OpCode}"),
        };
    }

    private enum RegionKind
    {
        Context,
        Packet,
        Stack,
        MapValue,
        MapReference,
    }

    private sealed record Region(RegionKind Kind, string Name, byte[] Bytes, EmulatedMap? Map = null);

    private readonly record struct Value(long Raw, Region? Region)
    {
        public static Value Scalar(long raw) => new(raw, null);

        public static Value Pointer(Region region, long offset) => new(offset, region);

        public static readonly Value Clobbered = new(unchecked((long)0xDEAD_BEEF_DEAD_BEEF), null);
    }
}
