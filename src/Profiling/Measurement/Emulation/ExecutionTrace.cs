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
}
