using PacketCounter.Profiling.Asm;
using PacketCounter.Profiling.Emulation;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Emulation;

/// <summary>
/// trace against the kernel's own view of every variant: the translated listing matches
/// bpftool's line for line, and the executed listing accounts for every instruction and every run.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class TraceTests : KernelLeakGuard
{
    public static TheoryData<string> AllVariants() => Variants.Names(includeBaseline: true);

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void The_translated_listing_matches_bpftool_prog_dump_xlated_line_for_line(string name)
    {
        using var loaded = LoadedVariant.Load(Variants.Named(name));
        var id = loaded.Program.Info().Id.ToString(CultureInfo.InvariantCulture);
        // bpftool interleaves the source lines BTF gives ("; ...") and a function header; the instructions are the rest.
        var bpftool = NativeTool
            .RunOrFail("bpftool", ["prog", "dump", "xlated", "id", id])
            .Split('\n')
            .Where(l => Regex.IsMatch(l, @"^\s*\d+: \("))
            .Select(l => l.Trim())
            .ToList();
        var ours = ExecutionTrace
            .Translated(loaded, KernelSymbols.Read())
            .Split('\n')
            .Where(l => Regex.IsMatch(l, @"^\s*\d+: \("))
            .Select(l => l.Trim())
            .ToList();
        Assert.NotEmpty(bpftool);
        Assert.Equal(bpftool, ours);
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void The_executed_listing_shows_every_instruction_once_and_its_counts_add_up_to_the_total(string name)
    {
        var (exitCode, output, error) = HostProcess.Run("trace", "--variant", name, "--class", "ipv4-udp");
        Assert.True(exitCode == 0, error);
        var lines = output
            .Split('\n')
            .Select(l => Regex.Match(l, @"^\s*(\.|\d+)\s+(\d+): (\(.*)$"))
            .Where(m => m.Success)
            .ToList();
        using var loaded = LoadedVariant.Load(Variants.Named(name));
        var program = Instruction.Decode(loaded.Program.PreparedInstructions());
        var slots = new List<int>();
        for (var pc = 0; pc < program.Length; pc++)
        {
            slots.Add(pc);
            if (program[pc].IsLoadImm64)
                pc++;
        }
        Assert.Equal(slots, lines.Select(m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        Assert.All(
            lines,
            m =>
                Assert.Equal(
                    Disassembler
                        .Describe(program[int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)])
                        .Split(' ')[0],
                    m.Groups[3].Value.Split(' ')[0]
                )
        );
        var executed = int.Parse(
            Regex.Match(output, @"executed (\d+) instructions").Groups[1].Value,
            CultureInfo.InvariantCulture
        );
        Assert.Equal(
            executed,
            lines.Sum(m => m.Groups[1].Value == "." ? 0 : int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
        );
        Assert.True(executed >= 2);
    }
}
