using System.Text.Json;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Emulation;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Emulation;

/// <summary>
/// trace --annotate: every executed instruction lands on a source line, every x86
/// instruction of the JIT image on one too, the lines are the kernel's own, and without the
/// image the BPF side stands alone.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class AnnotationTests : KernelLeakGuard
{
    public static TheoryData<string> Counters() => Variants.Names(includeBaseline: false);

    [Theory]
    [MemberData(nameof(Counters))]
    public void Per_line_executed_counts_sum_to_the_emulated_count_of_every_class(string name)
    {
        using var loaded = LoadedVariant.Load(Variants.Named(name));
        var profiles = InstructionProfiler.Profile(loaded, TrafficClasses.All, 64);
        foreach (var profile in profiles)
        {
            var annotation = SourceAnnotation.Of(loaded, TrafficMix.Single(profile.Class), 64, "class");
            Assert.Equal(profile.Instructions, annotation.Lines.Sum(l => l.Executed), 9);
            // A line a packet of the class never reaches is marked, and only such a line.
            Assert.All(annotation.Lines.Where(l => l.Unreached), l => Assert.Equal(0, l.Executed));
        }
        // Every instruction as compiled is on some line: the compiler's line info covers the program.
        var mix = SourceAnnotation.Of(loaded, TrafficMix.Default, 64, "mix");
        Assert.Equal(
            Profiling.Asm.Instruction.Decode(loaded.Program.PreparedInstructions()).Length,
            mix.Lines.Sum(l => l.Compiled) + CountSecondHalves(loaded)
        );
    }

    private static int CountSecondHalves(LoadedVariant loaded) =>
        Profiling.Asm.Instruction.Decode(loaded.Program.PreparedInstructions()).Count(i => i.IsLoadImm64);

    [Theory]
    [MemberData(nameof(Counters))]
    public void The_x86_instructions_per_line_sum_to_what_iced_decodes_in_the_whole_image(string name)
    {
        using var loaded = LoadedVariant.Load(Variants.Named(name));
        var image = ProgramImage.Read(loaded.Program.Fd);
        Assert.True(image.Jited is not null, image.JitUnavailable);
        var annotation = SourceAnnotation.Of(loaded, TrafficMix.Default, 64, "mix");
        var decoded = SourceAnnotation.Decode(image.Jited!).Count;
        Assert.True(decoded > 0);
        Assert.Equal(decoded, annotation.X86Total);
        Assert.Equal(decoded, annotation.Prologue + annotation.Lines.Sum(l => l.X86!.Value));
        Assert.Equal(image.Jited!.Length, annotation.Lines.Sum(l => l.X86Bytes!.Value) + PrologueBytes(image));
        // The xlated side accounts for every instruction the kernel runs.
        Assert.Equal(image.XlatedInstructions(0, image.Xlated.Length), annotation.Lines.Sum(l => l.Xlated));
    }

    private static int PrologueBytes(ProgramImage image) =>
        image.Lines.Where(l => l.JitOffset is not null).Select(l => l.JitOffset!.Value).DefaultIfEmpty(0).Min();

    [Fact]
    public void The_kernel_line_of_each_instruction_is_the_one_bpftool_names()
    {
        using var loaded = LoadedVariant.Load(Variants.Named("Ultra"));
        var id = loaded.Program.Info().Id.ToString(CultureInfo.InvariantCulture);
        // Debian's bpftool is built without libbfd, so it cannot dump the JIT image; its xlated
        // dump with linum prints the same line_info records, at the xlated instruction each starts.
        using var dump = JsonDocument.Parse(
            NativeTool.RunOrFail("bpftool", ["prog", "dump", "xlated", "id", id, "linum", "-j"])
        );
        var bpftool = new List<(string File, int Line)>();
        (string File, int Line) current = ("", -1);
        foreach (var instruction in dump.RootElement.EnumerateArray())
        {
            if (instruction.TryGetProperty("line_num", out var line))
                current = (instruction.GetProperty("file").GetString()!, line.GetInt32());
            bpftool.Add(current);
        }
        var image = ProgramImage.Read(loaded.Program.Fd);
        // bpftool leaves out a record with no source text (line 0, code the compiler made up).
        var ours = SourceLines.PerInstruction(
            [.. image.Lines.Select(l => l.Record).Where(r => r.Text.Length > 0)],
            image.Xlated.Length
        );
        var slots = new List<(string, int)>();
        for (var slot = 0; slot < image.Xlated.Length; slot++)
        {
            slots.Add((ours[slot]!.Source.File, ours[slot]!.Source.Line));
            if ((image.Xlated[slot] & 0xFF) == 0x18)
                slot++; // bpftool lists a 16-byte instruction once
        }
        Assert.True(bpftool.Count > 10);
        Assert.Equal(bpftool, slots);
    }

    [Fact]
    public void Without_the_jit_image_the_bpf_side_stands_and_says_why()
    {
        const string sysctl = "/proc/sys/kernel/kptr_restrict";
        var before = File.ReadAllText(sysctl).Trim();
        File.WriteAllText(sysctl, "2"); // kernel addresses hidden from everyone: the kernel withholds the image
        try
        {
            var (exitCode, output, error) = HostProcess.Run(
                "trace",
                "--variant",
                "Lean",
                "--annotate",
                "--class",
                "ipv4-udp"
            );
            Assert.True(exitCode == 0, error);
            Assert.Contains("x86: not available: the kernel withholds the JIT image", output);
            Assert.Contains("kernel.kptr_restrict is 2", output);
            var rows = output.Split('\n').Where(l => Regex.IsMatch(l, @"^\s+\S+\.(c|h):\d+\s")).ToList();
            Assert.NotEmpty(rows);
            // Executed and xlated counts are there; the x86 columns say "-".
            Assert.All(rows, r => Assert.Matches(@"^\s+\S+:\d+\s+(\d+(\.\d+)?|never|-)\s+\d+\s+\d+\s+-\s+-\s", r));
            Assert.Contains("18 BPF instructions executed per packet", output);
        }
        finally
        {
            File.WriteAllText(sysctl, before);
        }
    }
}
