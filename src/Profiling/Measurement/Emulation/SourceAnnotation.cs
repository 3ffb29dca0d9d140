using Iced.Intel;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Asm;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Emulation;

/// <summary>One of the source lines where most of a counter's executed instructions go, for a mix.</summary>
/// <param name="Rank">1 for the line with the most.</param>
/// <param name="Share">Its share of every instruction a packet of the mix executes.</param>
public sealed record HotLine(
    string Variant,
    string Mix,
    int FrameSize,
    int Rank,
    string Line,
    string Text,
    double Executed,
    double Share
);

/// <summary>One source line of a program: what a packet executes of it, and what the kernel made of it.</summary>
/// <param name="Executed">BPF instructions of the line a packet executes, on average over the class or mix.</param>
/// <param name="Compiled">The line's instructions as compiled (libbpf's prepared program).</param>
/// <param name="Xlated">The line's instructions after the verifier's rewrites (inlined lookups show here).</param>
/// <param name="X86">x86-64 instructions the JIT emitted for the line; null where the image is not available.</param>
/// <param name="X86Bytes">Their bytes.</param>
/// <param name="Listing">The JIT's code for the line, disassembled.</param>
public sealed record AnnotatedLine(
    SourceLine Source,
    string Text,
    double Executed,
    int Compiled,
    int Xlated,
    int? X86,
    int? X86Bytes,
    IReadOnlyList<string> Listing
)
{
    /// <summary>No packet of the class or mix runs any of the line's compiled instructions.</summary>
    public bool Unreached => Compiled > 0 && Executed == 0;
}

/// <summary>
/// Where a program's cost goes, line by line: per source line of the .bpf.c, the BPF
/// instructions a packet executes (the emulator's count, which the kernel differential
/// checks), the instructions the verifier made of them, and the x86-64 the JIT emitted,
/// decoded with Iced. No PMU is needed.
/// </summary>
/// <param name="Scope">The traffic class, or the mix, the executed counts are for.</param>
/// <param name="Executed">Instructions a packet executes in all: the sum over lines.</param>
/// <param name="Prologue">x86 instructions before the first line's code (the JIT's prologue); null without the image.</param>
/// <param name="JitUnavailable">Why the x86 side is missing, where it is.</param>
public sealed record SourceAnnotation(
    string Variant,
    string Program,
    string Scope,
    IReadOnlyList<AnnotatedLine> Lines,
    double Executed,
    int? Prologue,
    int? X86Total,
    string? JitUnavailable
)
{
    /// <summary>The lines with the most executed instructions per packet, most first, with their share of the total.</summary>
    public IReadOnlyList<(AnnotatedLine Line, double Share)> Hottest(int count) =>
        Lines
            .Where(l => l.Executed > 0)
            .OrderByDescending(l => l.Executed)
            .ThenBy(l => l.Source.Line)
            .Take(count)
            .Select(l => (l, Executed > 0 ? l.Executed / Executed : 0))
            .ToList();

    /// <summary>
    /// Annotates a loaded variant for a class mix at a frame size: each class is emulated as
    /// the instruction profile does (a warm-up packet, then the counted one).
    /// </summary>
    public static SourceAnnotation Of(LoadedVariant variant, TrafficMix mix, int frameSize, string scope)
    {
        var prepared = variant.Program.PreparedInstructions();
        var emulator = new BpfEmulator(prepared, BpfEmulator.ModelMaps(variant.Object));
        var weights = (double)mix.Weights.Values.Sum();
        var executed = new double[emulator.Program.Count];
        foreach (var (trafficClass, weight) in mix.Weights)
        {
            var frame = FrameBuilder.Build(trafficClass, frameSize);
            emulator.Run(frame);
            var run = emulator.Run(frame);
            for (var pc = 0; pc < executed.Length; pc++)
                executed[pc] += run.ExecutionsPerInstruction[pc] * weight / weights;
        }
        var compiledLines = SourceLines.PerInstruction(
            SourceLines.OfObject(variant.Object.Path, variant.Program.SectionName),
            emulator.Program.Count
        );
        var image = ProgramImage.Read(variant.Program.Fd);
        return Combine(variant.Name, variant.Program.Name, scope, emulator.Program, executed, compiledLines, image);
    }

    internal static SourceAnnotation Combine(
        string variant,
        string program,
        string scope,
        IReadOnlyList<Asm.Instruction> compiled,
        double[] executed,
        LineRecord?[] compiledLines,
        ProgramImage image
    )
    {
        var rows = new Dictionary<SourceLine, Row>();
        Row RowOf(LineRecord record) =>
            rows.TryGetValue(record.Source, out var row)
                ? row
                : rows[record.Source] = new Row(record.Text.Length > 0 ? record.Text : NoText);

        foreach (var pc in Asm.Instruction.Starts(compiled))
        {
            if (compiledLines[pc] is not { } record)
                continue;
            var row = RowOf(record);
            row.Compiled++;
            row.Executed += executed[pc];
        }

        var kernelLines = image.Lines.OrderBy(l => l.Record.Instruction).ToList();
        for (var k = 0; k < kernelLines.Count; k++)
        {
            var end = k + 1 < kernelLines.Count ? kernelLines[k + 1].Record.Instruction : image.Xlated.Length;
            RowOf(kernelLines[k].Record).Xlated += image.XlatedInstructions(kernelLines[k].Record.Instruction, end);
        }

        int? prologue = null;
        int? total = null;
        if (image.Jited is { } jited)
        {
            var decoded = Decode(jited);
            total = decoded.Count;
            var byAddress = kernelLines.Where(l => l.JitOffset is not null).OrderBy(l => l.JitOffset).ToList();
            var first = byAddress.Count > 0 ? byAddress[0].JitOffset!.Value : jited.Length;
            prologue = decoded.Count(i => (int)i.IP < first);
            for (var k = 0; k < byAddress.Count; k++)
            {
                var start = byAddress[k].JitOffset!.Value;
                var end = k + 1 < byAddress.Count ? byAddress[k + 1].JitOffset!.Value : jited.Length;
                var row = RowOf(byAddress[k].Record);
                row.X86Bytes += end - start;
                foreach (var instruction in decoded.Where(i => (int)i.IP >= start && (int)i.IP < end))
                {
                    row.X86++;
                    row.Listing.Add(Format(instruction, jited));
                }
            }
        }
        var lines = rows.OrderBy(r => r.Key.File, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Line)
            .Select(r => new AnnotatedLine(
                r.Key,
                r.Value.Text,
                r.Value.Executed,
                r.Value.Compiled,
                r.Value.Xlated,
                image.Jited is null ? null : r.Value.X86,
                image.Jited is null ? null : r.Value.X86Bytes,
                r.Value.Listing
            ))
            .ToList();
        return new SourceAnnotation(
            variant,
            program,
            scope,
            lines,
            lines.Sum(l => l.Executed),
            prologue,
            total,
            image.JitUnavailable
        );
    }

    // Line 0: code the compiler placed on no line of the source (spills, shared epilogues).
    private const string NoText = "(no source line: code the compiler placed on line 0)";

    /// <summary>Every x86-64 instruction of the image, addresses from 0.</summary>
    public static IReadOnlyList<Iced.Intel.Instruction> Decode(byte[] image)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(image), ip: 0);
        var instructions = new List<Iced.Intel.Instruction>();
        while (decoder.IP < (ulong)image.Length)
            instructions.Add(decoder.Decode());
        return instructions;
    }

    private static string Format(Iced.Intel.Instruction instruction, byte[] image)
    {
        var text = new StringOutput();
        new GasFormatter().Format(instruction, text);
        var bytes = Convert.ToHexString(image, (int)instruction.IP, instruction.Length).ToLowerInvariant();
        return $"{instruction.IP:x4}: {bytes, -24} {text.ToStringAndReset()}";
    }

    private sealed class Row(string text)
    {
        public string Text { get; } = text;
        public double Executed { get; set; }
        public int Compiled { get; set; }
        public int Xlated { get; set; }
        public int X86 { get; set; }
        public int X86Bytes { get; set; }
        public List<string> Listing { get; } = [];
    }
}
