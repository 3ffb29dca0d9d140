using PacketCounter.Abstractions;
using PacketCounter.Profiling.Asm;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;
using PacketCounter.Tests.Fixtures;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Bpf;

/// <summary>The rewrite itself, on programs assembled here with the answer worked out by hand.</summary>
[Trait(Category.Name, Category.Pure)]
public class DropTwinRewriteTests
{
    private static ulong I(Instruction insn) => insn.Encode();

    private static Instruction[] Twin(params Instruction[] program) =>
        Instruction.Decode(DropTwin.Rewrite(program.Select(I).ToArray()).Instructions);

    private static readonly Instruction R0Pass = Instruction.MovImmediate64(0, (int)XdpAction.Pass);

    [Fact]
    public void Every_exit_of_the_main_function_jumps_to_an_appended_drop()
    {
        // 0: if r1 == 0 goto +2; 1: r0 = 2; 2: exit; 3: r0 = 2; 4: exit
        var twin = Twin(
            new Instruction(new OpCode(0x15), 1, 0, 2, 0),
            R0Pass,
            Instruction.ExitInstruction,
            R0Pass,
            Instruction.ExitInstruction
        );
        Assert.Equal(7, twin.Length);
        Assert.Equal(Instruction.JumpAlways(2), twin[2]); // lands on 5
        Assert.Equal(Instruction.JumpAlways(0), twin[4]); // lands on 5
        Assert.Equal(Instruction.MovImmediate64(0, (int)XdpAction.Drop), twin[5]);
        Assert.True(twin[6].IsExit);
        Assert.Equal(1, twin.Count(i => i.IsExit));
    }

    [Fact]
    public void A_subprogram_keeps_its_exit_and_the_call_into_it_moves_by_the_inserted_block()
    {
        // main: 0: call pc+2 (the subprogram at 3); 1: r0 = 2; 2: exit | subprogram: 3: r0 = 1; 4: exit
        var call = new Instruction(OpCode.Call, 0, (byte)CallTarget.Subprogram, 0, 2);
        var twin = Twin(
            call,
            R0Pass,
            Instruction.ExitInstruction,
            Instruction.MovImmediate64(0, 1),
            Instruction.ExitInstruction
        );
        Assert.Equal(7, twin.Length);
        Assert.Equal(4, twin[0].Imm); // the subprogram now starts at 5
        Assert.Equal(5, twin[0].SubprogramTarget(0));
        Assert.Equal(Instruction.JumpAlways(0), twin[2]);
        Assert.Equal(Instruction.MovImmediate64(0, (int)XdpAction.Drop), twin[3]);
        Assert.True(twin[4].IsExit);
        Assert.Equal(Instruction.MovImmediate64(0, 1), twin[5]);
        Assert.True(twin[6].IsExit); // the subprogram still returns to its caller
    }

    [Fact]
    public void The_second_half_of_a_wide_load_is_never_read_as_an_instruction()
    {
        // 0-1: r1 = 0x95 (ld_imm64 whose upper half carries 0x95 in its opcode byte position of imm); 2: r0 = 2; 3: exit
        var wide = new Instruction(OpCode.LoadImm64, 1, 0, 0, 0x95);
        var upper = new Instruction(new OpCode(0), 0, 0, 0, 0);
        var twin = Twin(wide, upper, R0Pass, Instruction.ExitInstruction);
        Assert.Equal(wide, twin[0]);
        Assert.Equal(upper, twin[1]);
        Assert.Equal(Instruction.JumpAlways(0), twin[3]);
    }

    [Fact]
    public void A_program_without_an_exit_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DropTwin.Rewrite([I(R0Pass)]));
    }
}

/// <summary>
/// Every discovered variant's twin against its original on the real kernel: the same frames
/// through both, for every class, must leave equal maps, and the twin must drop.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class DropTwinKernelTests : KernelLeakGuard
{
    public static TheoryData<string> AllVariants() => Variants.Names(includeBaseline: true);

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void The_drop_twin_counts_exactly_like_its_original_and_drops_every_class(string name) =>
        AssertTwinMatches(Variants.Named(name));

    [Fact]
    public void A_program_with_a_subprogram_gets_a_working_twin() => AssertTwinMatches(SubprogramVariant.Discovered());

    private static void AssertTwinMatches(DiscoveredVariant variant)
    {
        using var testbed = VethTestbed.Create(lanes: 0);
        using var original = LoadedVariant.Load(variant);
        using var twinned = LoadedVariant.Load(variant);
        var twin = twinned.ProgramFor(Sink.Drop);
        Assert.True(((DropTwin)twin).ExitsRewritten >= 1);
        testbed.Anchor.Hold(original.Program);
        testbed.Anchor.Hold(twin);
        // A sampling counter draws its own random numbers in each copy, so the two cannot be
        // equal; each must instead land within the bounds the variant declares. A hard bound
        // (Flows' inserts) is no reason: the same frames make the same inserts in both.
        var sampled = variant
            .Variant.ExpectedCounts(new SentTraffic([new SentFrames(TrafficClass.Ipv4Udp, 64, 0, 1_000_000)]))
            .Any(e => e.Sigmas is not null);
        var packets = sampled ? 6_400 : 37;
        var sent = new List<SentFrames>();
        // Sampled counts are judged together, as bench judges a run: an honest sample misses 3σ now and then.
        var checks = new List<CountVerification>();
        foreach (var trafficClass in TrafficClasses.All)
        {
            var frame = FrameBuilder.Build(trafficClass, FrameBuilder.MinimumSize);
            var originalVerdict = original.Program.TestRun(frame, new XdpTestRun(packets)).Verdict;
            var twinVerdict = twin.TestRun(frame, new XdpTestRun(packets)).Verdict;
            sent.Add(new SentFrames(trafficClass, frame.Length, 0, packets));
            Assert.Equal(XdpAction.Drop, twinVerdict);
            Assert.NotEqual(XdpAction.Aborted, originalVerdict);
            if (sampled)
            {
                var expected = CountVerification.Expected(variant.Variant, new SentTraffic(sent));
                foreach (var (copy, loaded) in new[] { ("original", original), ("twin", twinned) })
                {
                    var verification = CountVerification.Compare(expected, loaded.ReadCounts());
                    Assert.True(
                        verification.HardCountsHold,
                        $"{variant.Name} {copy} after {TrafficClasses.Name(trafficClass)}:\n{verification.Table()}"
                    );
                    // The counts accumulate over the classes, so only the last reading of each copy is an independent sample.
                    if (trafficClass == TrafficClasses.All[^1])
                        checks.Add(verification);
                }
                continue;
            }
            var differences = MapSnapshot.Differences(
                MapSnapshot.Of(original.Object),
                "original",
                MapSnapshot.Of(twinned.Object),
                "twin"
            );
            Assert.True(
                differences.Count == 0,
                $"{variant.Name} {TrafficClasses.Name(trafficClass)}: {string.Join("; ", differences)}"
            );
        }
        if (!sampled)
            Assert.Equal(original.ReadCounts(), twinned.ReadCounts());
        else
            Assert.True(VerificationStatuses.Hold(checks), string.Join("\n", checks.Select(c => c.Table())));
        // A counter that counted nothing would make the comparison above say nothing.
        Assert.True(
            variant.Variant.CountMaps.Count == 0 || original.ReadCounts().Values.Any(v => v > 0),
            $"{variant.Name} counted nothing"
        );
    }
}
