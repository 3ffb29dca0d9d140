using System.Buffers.Binary;
using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>A line of BPF C source, as BTF line info names it.</summary>
public sealed record SourceLine(string File, int Line)
{
    public override string ToString() => $"{System.IO.Path.GetFileName(File)}:{Line}";
}

/// <summary>From this instruction on (until the next record), the code is that of this line.</summary>
/// <param name="Text">The line's source text, which the compiler stores in BTF.</param>
public sealed record LineRecord(int Instruction, SourceLine Source, int Column, string Text);

/// <summary>
/// BTF line info, the compiler's map from instructions to source lines (programs are built
/// with -g). From the object file, for instructions as compiled (section-relative); from
/// the kernel, for a loaded program's instructions after the verifier's rewrites.
/// </summary>
public static class SourceLines
{
    private const ushort BtfMagic = 0xEB9F;

    /// <summary>The line records .BTF.ext files under <paramref name="section"/>, by instruction index in the section.</summary>
    public static IReadOnlyList<LineRecord> OfObject(string objectPath, string section)
    {
        var btf = Interop.Libbpf.BtfParseElf(objectPath, out var ext);
        if (btf == 0)
            throw new BpfException($"read BTF of {objectPath}", Marshal.GetLastPInvokeError());
        try
        {
            if (ext == 0)
                throw new InvalidDataException($"{objectPath} has no .BTF.ext: build it with -g for line info");
            return ParseExt(RawExt(ext), btf, section);
        }
        finally
        {
            Interop.Libbpf.BtfExtFree(ext);
            Interop.Libbpf.BtfFree(btf);
        }
    }

    private static unsafe byte[] RawExt(nint ext)
    {
        uint size;
        var data = (byte*)Interop.Libbpf.BtfExtRawData(ext, &size);
        return new ReadOnlySpan<byte>(data, (int)size).ToArray();
    }

    // .BTF.ext: a header (magic, version, flags, header length, then offset and length of
    // func info and of line info, after the header); line info is a record size, then per
    // section its name offset, a count and that many {insn_off in bytes, file, line, line_col}.
    internal static IReadOnlyList<LineRecord> ParseExt(ReadOnlySpan<byte> raw, nint btf, string section)
    {
        if (raw.Length < 24 || BinaryPrimitives.ReadUInt16LittleEndian(raw) != BtfMagic)
            throw new InvalidDataException(".BTF.ext has no valid header");
        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]);
        var lineOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(raw[16..]);
        var lineLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(raw[20..]);
        var lines = raw.Slice(headerLength + lineOffset, lineLength);
        var recordSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(lines);
        var records = new List<LineRecord>();
        for (var at = 4; at + 8 <= lines.Length; )
        {
            var name = Name(btf, BinaryPrimitives.ReadUInt32LittleEndian(lines[at..]));
            var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(lines[(at + 4)..]);
            at += 8;
            for (var i = 0; i < count; i++, at += recordSize)
                if (name == section)
                    records.Add(Record(lines[at..], btf, instructionUnit: 8));
        }
        return records;
    }

    /// <summary>A record of struct bpf_line_info; the object counts instructions in bytes, the kernel in instructions.</summary>
    internal static LineRecord Record(ReadOnlySpan<byte> record, nint btf, int instructionUnit)
    {
        var lineCol = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        return new LineRecord(
            (int)(BinaryPrimitives.ReadUInt32LittleEndian(record) / (uint)instructionUnit),
            new SourceLine(Name(btf, BinaryPrimitives.ReadUInt32LittleEndian(record[4..])), (int)(lineCol >> 10)),
            (int)(lineCol & 0x3FF),
            Name(btf, BinaryPrimitives.ReadUInt32LittleEndian(record[8..])).Trim()
        );
    }

    /// <summary>A string of the BTF's string section.</summary>
    internal static string Name(nint btf, uint offset) =>
        Marshal.PtrToStringUTF8(Interop.Libbpf.BtfNameByOffset(btf, offset)) ?? "";

    /// <summary>
    /// The record in force at each instruction of a program of <paramref name="count"/>
    /// instructions; null before the first.
    /// </summary>
    public static LineRecord?[] PerInstruction(IReadOnlyList<LineRecord> records, int count)
    {
        var sorted = records.OrderBy(r => r.Instruction).ToList();
        var result = new LineRecord?[count];
        var next = 0;
        LineRecord? current = null;
        for (var i = 0; i < count; i++)
        {
            while (next < sorted.Count && sorted[next].Instruction <= i)
                current = sorted[next++];
            result[i] = current;
        }
        return result;
    }
}
