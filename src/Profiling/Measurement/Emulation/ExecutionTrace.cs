using System.Text;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Asm;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Emulation;

/// <summary>
/// The executed path of one packet: the program listed as bpftool dumps it, each line
/// with how many times it ran ('.' for never), and the totals that make up the budget.
/// </summary>
public static class ExecutionTrace
{
    public static string Render(LoadedVariant variant, TrafficClass trafficClass, int frameSize)
    {
        var emulator = new BpfEmulator(variant.Program.PreparedInstructions(), BpfEmulator.ModelMaps(variant.Object));
        var frame = FrameBuilder.Build(trafficClass, frameSize);
        emulator.Run(frame); // warm the maps: the traced packet is a steady-state one
        var run = emulator.Run(frame);
        var names = emulator.MapsByFd.ToDictionary(m => m.Key, m => m.Value.Name);
        string MapName(int fd) => names.TryGetValue(fd, out var name) ? name : $"fd:{fd}";

        var text = new StringBuilder();
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"{variant.Source.Name}: {variant.Program.Name}, "
                + $"{TrafficClasses.Name(trafficClass)}, {frame.Length}-byte frame (steady state: "
                + $"one packet of the class ran before)"
        );
        text.AppendLine("  RUNS  INSN");
        var program = emulator.Program;
        for (var pc = 0; pc < program.Count; pc++)
        {
            var insn = program[pc];
            var next = insn.IsLoadImm64 && pc + 1 < program.Count ? program[pc + 1] : (Instruction?)null;
            var runs = run.ExecutionsPerInstruction[pc];
            var executed = runs == 0 ? "." : runs.ToString(CultureInfo.InvariantCulture);
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"{executed, 6}  {pc, 4}: {Disassembler.Describe(insn, next, MapName)}"
            );
            if (insn.IsLoadImm64)
                pc++; // the second half of ld_imm64 is not an instruction of its own
        }
        var helpers =
            run.CallsPerHelper.Count == 0
                ? "no helper calls"
                : string.Join(", ", run.CallsPerHelper.Select(h => $"{Helpers.Name(h.Key)} x{h.Value}"));
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"executed {run.Executed} instructions, {run.HelperCalls} helper call(s) "
                + $"({helpers}); verdict XDP_{run.Verdict.ToString().ToUpperInvariant()}"
        );
        return text.ToString();
    }

    /// <summary>
    /// The program as the kernel runs it, after the verifier's rewrites, one line per
    /// instruction in the syntax and numbering of <c>bpftool prog dump xlated</c> (without its
    /// source lines). No run counts: the emulator runs the program as compiled, not this.
    /// </summary>
    public static string Translated(LoadedVariant variant, Machine.KernelSymbols symbols)
    {
        var program = Instruction.Decode(variant.Program.TranslatedInstructions());
        var text = new StringBuilder();
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"{variant.Source.Name}: {variant.Program.Name} as the verifier translated it ({program.Length} slots)"
        );
        for (var pc = 0; pc < program.Length; pc++)
        {
            var insn = program[pc];
            var next = insn.IsLoadImm64 && pc + 1 < program.Length ? program[pc + 1] : (Instruction?)null;
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"{pc, 4}: {Disassembler.Describe(insn, next, id => $"id:{id}", symbols.CallTarget)}"
            );
            if (insn.IsLoadImm64)
                pc++;
        }
        return text.ToString();
    }

    /// <summary>
    /// The program line by line: per source line, the BPF instructions a packet executes,
    /// as compiled, after the verifier, and the x86 the JIT emitted; with <paramref name="jited"/>
    /// the x86 listing under each line.
    /// </summary>
    public static string Annotated(SourceAnnotation annotation, bool jited)
    {
        var text = new StringBuilder();
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"{annotation.Variant}: {annotation.Program}, {annotation.Scope}: "
                + $"{annotation.Executed:0.##} BPF instructions executed per packet"
        );
        var width = Math.Max(4, annotation.Lines.Select(l => l.Source.ToString().Length).DefaultIfEmpty(4).Max());
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"  {"LINE".PadRight(width)}  EXEC/PKT  INSNS  XLATED    X86  BYTES  SOURCE"
        );
        foreach (var line in annotation.Lines)
        {
            var executed =
                line.Compiled == 0 ? "-"
                : line.Unreached ? "never"
                : $"{line.Executed:0.##}";
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"  {line.Source.ToString().PadRight(width)}  {executed, 8}  {line.Compiled, 5}  {line.Xlated, 6}  "
                    + $"{(line.X86?.ToString(CultureInfo.InvariantCulture) ?? "-"), 5}  "
                    + $"{(line.X86Bytes?.ToString(CultureInfo.InvariantCulture) ?? "-"), 5}  {line.Text}"
            );
            if (jited)
                foreach (var x86 in line.Listing)
                    text.AppendLine(CultureInfo.InvariantCulture, $"      {x86}");
        }
        text.AppendLine(
            annotation.JitUnavailable is { } why
                ? $"x86: not available: {why}"
                : $"x86: {annotation.X86Total} instructions in the JIT image, {annotation.Prologue} of them its "
                    + "prologue before the first line"
        );
        text.AppendLine(
            "EXEC/PKT: BPF instructions of the line a packet executes (emulated, checked against the kernel); "
                + "never: no packet reaches it. INSNS: as compiled. XLATED: after the verifier's rewrites. "
                + "X86, BYTES: what the JIT emitted for it."
        );
        return text.ToString();
    }
}
