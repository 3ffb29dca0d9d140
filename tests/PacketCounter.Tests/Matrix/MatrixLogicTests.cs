using System.Text;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis.Matrix;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Comparison;
using PacketCounter.Profiling.Guest;
using PacketCounter.Profiling.Matrix;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Tests.History;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Matrix;

/// <summary>
/// The matrix's host side on inputs whose answer is known: the agent's protocol, the count check
/// on reported maps, what differs between kernels, compare of two matrices, and the initramfs.
/// </summary>
[Trait(Category.Name, Category.Pure)]
public class MatrixLogicTests
{
    private const string Log =
        "verification time 87 usec\nstack depth 0\n"
        + "processed 40 insns (limit 1000000) max_states_per_insn 0 total_states 3 peak_states 3 mark_read 0";

    // What the agent prints for Ultra after one frame of each class, each count right; "udp" off by one
    // from the frame of class <paramref name="offAfter"/> on when given.
    private static string UltraReport(TrafficClass? offAfter = null, string release = "6.1.0-57-cloud-amd64")
    {
        var ultra = Variants.Named("Ultra").Variant;
        var fields = ultra.CountMaps[0].FieldNames;
        var counts = new ulong[fields.Count];
        var text = new StringBuilder($"pcagent\t1\thello\t{release}\t1\n[    0.1] a kernel line in between\n");
        text.Append("pcagent\t1\tvariant\tUltra\n");
        foreach (var line in Log.Split('\n'))
            text.Append($"pcagent\t1\tlog\t{line}\n");
        text.Append("pcagent\t1\tloaded\t280\t172\t40\t0\npcagent\t1\tmap\tultra_counts\t6\n");
        var off = false;
        foreach (var trafficClass in TrafficClasses.All)
        {
            if (ultra.CountFor(trafficClass) is { } count)
                counts[fields.ToList().IndexOf(count)]++;
            off |= trafficClass == offAfter;
            var slots = counts.Select((c, i) => fields[i] == "udp" && off ? c + 1 : c);
            text.Append($"pcagent\t1\trun\t{TrafficClasses.Name(trafficClass)}\t2\t0\n");
            if (slots.Any(s => s > 0))
                text.Append(
                    $"pcagent\t1\tentry\t{TrafficClasses.Name(trafficClass)}\tultra_counts\t0\t{string.Join('\t', slots)}\n"
                );
        }
        return text.Append("pcagent\t1\tend\n").ToString();
    }

    private static KernelRun Row(string report, GuestAccel accel = GuestAccel.Tcg) =>
        MatrixRunner.FromReport(
            new KernelRun("debian-12", accel),
            AgentProtocol.Parse(report),
            [Variants.Named("Ultra")]
        );

    [Fact]
    public void The_agents_lines_become_the_variants_figures_and_its_counts_verify_after_every_frame()
    {
        var row = Row(UltraReport());
        Assert.Equal("6.1.0-57-cloud-amd64", row.Release);
        var ultra = Assert.Single(row.Variants);
        Assert.True(ultra.Loaded);
        Assert.Equal(
            (40, 3, 3, 35, 172),
            (
                ultra.Verifier!.Insns,
                ultra.Verifier.States,
                ultra.Verifier.PeakStates,
                ultra.Verifier.XlatedInsns,
                ultra.Verifier.JitedBytes
            )
        );
        Assert.Null(ultra.Verifier.DurationUs); // an emulated guest's clock
        Assert.Equal(87, Row(UltraReport(), GuestAccel.Kvm).Variants[0].Verifier!.DurationUs);
        Assert.Equal(0, ultra.KernelCalls);
        Assert.Equal(["per_cpu_array"], ultra.MapTypes);
        Assert.Equal(CountsCheck.Exact, ultra.Counts);
        Assert.Equal(TrafficClasses.All.Select(c => new ClassOutcome(c, XdpAction.Pass)), ultra.Verdicts);
    }

    [Fact]
    public void A_count_off_by_one_is_a_mismatch_named_by_the_frame_after_which_it_went_wrong()
    {
        var ultra = Row(UltraReport(offAfter: TrafficClass.Ipv4Icmp)).Variants[0];
        Assert.Equal(CountsCheck.Mismatch, ultra.Counts);
        Assert.Equal("after the ipv4-icmp frame, udp is 2 where 1 was due (exact)", ultra.CountProblem);
    }

    // Sampled after one frame of each class, its one count "ipv4" reading as given from the first frame on.
    private static string SampledReport(ulong ipv4)
    {
        var text = new StringBuilder("pcagent\t1\tvariant\tSampled\n");
        foreach (var line in Log.Split('\n'))
            text.Append($"pcagent\t1\tlog\t{line}\n");
        text.Append("pcagent\t1\tloaded\t240\t149\t24\t1\n");
        foreach (var trafficClass in TrafficClasses.All)
            text.Append($"pcagent\t1\trun\t{TrafficClasses.Name(trafficClass)}\t2\t0\n")
                .Append($"pcagent\t1\tentry\t{TrafficClasses.Name(trafficClass)}\tsampled_counts\t0\t{ipv4}\n");
        return text.Append("pcagent\t1\tend\n").ToString();
    }

    [Fact]
    public void A_sampled_count_may_hold_any_count_up_to_the_frames_sent_and_no_more()
    {
        var sampled = Variants.Named("Sampled");
        KernelVariant Checked(ulong ipv4) =>
            MatrixRunner
                .FromReport(new KernelRun("k", GuestAccel.Tcg), AgentProtocol.Parse(SampledReport(ipv4)), [sampled])
                .Variants[0];
        // One frame in 64 is counted: over ten frames a count of 1 is a chance hit, which a
        // normal bound of ±0.64 around 0.05 would call a miscount one matrix in twenty.
        Assert.Equal(CountsCheck.WithinBounds, Checked(1).Counts);
        Assert.Equal(CountsCheck.WithinBounds, Checked(0).Counts);
        var tooMany = Checked(2);
        Assert.Equal(CountsCheck.Mismatch, tooMany.Counts);
        Assert.Equal("after the ipv4-tcp frame, ipv4 is 2 where at most 1 frame(s) were sent", tooMany.CountProblem);
    }

    [Fact]
    public void A_refusal_carries_the_verifiers_final_message_and_a_load_libbpf_failed_carries_libbpfs_line()
    {
        var report =
            "pcagent\t1\thello\t6.1.0\t1\npcagent\t1\tvariant\tUltra\n"
            + "pcagent\t1\tlog\t0: R1=ctx() R10=fp0\npcagent\t1\tlog\tunknown func bpf_get_current_pid_tgid#14\n"
            + "pcagent\t1\tlog\tprocessed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n"
            + "pcagent\t1\trefused\t22\tlibbpf: prog 'x': failed to load: -22\npcagent\t1\tend\n";
        var refused = Row(report).Variants[0];
        Assert.False(refused.Loaded);
        Assert.Equal("unknown func bpf_get_current_pid_tgid#14", refused.Refusal);
        Assert.Equal((CountsCheck.None, 0), (refused.Counts, refused.Verdicts.Count));

        var noLog = Row(
            "pcagent\t1\tvariant\tUltra\npcagent\t1\trefused\t2\tlibbpf: elf: failed to open x.o\npcagent\t1\tend\n"
        ).Variants[0];
        Assert.Equal("elf: failed to open x.o (errno 2)", noLog.Refusal);
        Assert.Null(noLog.VerifierLog);
    }

    [Fact]
    public void The_protocol_refuses_another_version_and_a_manifest_field_it_cannot_carry()
    {
        var e = Assert.Throws<FormatException>(() => AgentProtocol.Parse("pcagent\t2\thello\tx\t1\n"));
        Assert.Equal("the agent speaks protocol 2; this host reads 1", e.Message);
        Assert.False(AgentProtocol.IsComplete("pcagent\t1\thello\tx\t1\n"));
        Assert.Throws<ArgumentException>(() =>
            AgentProtocol.Manifest([], [new AgentVariantEntry("a\tb", "/o.o", "p")])
        );
        var manifest = AgentProtocol.Manifest(
            [(TrafficClass.Arp, new byte[] { 0xAB, 0x01 })],
            [new AgentVariantEntry("Ultra", "/objects/0-ultra.bpf.o", "ultra_counter")]
        );
        Assert.Equal(
            "pcagent-manifest\t1\nframe\tarp\tab01\nvariant\tUltra\t/objects/0-ultra.bpf.o\tultra_counter\n",
            manifest
        );
    }

    private static KernelVariant Lean(int xlated, int jited, int calls, bool loaded = true) =>
        new("Lean", MeasuredRole.Counter, "lean_counter", "sha", loaded)
        {
            Verifier = loaded ? new VerifierStats(22, 2, 2, 0, 0, null, 0, [0], xlated, jited) : null,
            KernelCalls = loaded ? calls : null,
            MapTypes = ["per_cpu_array"],
            Counts = loaded ? CountsCheck.Exact : CountsCheck.None,
            Refusal = loaded ? null : "unknown func bpf_x#1",
            Verdicts = loaded ? [new ClassOutcome(TrafficClass.Arp, XdpAction.Pass)] : [],
        };

    private static RunResult Matrix(string id, params KernelRun[] kernels) =>
        SyntheticRuns.Result(id, DateTimeOffset.UnixEpoch) with
        {
            Kernels = kernels,
            Pairs = [],
        };

    [Fact]
    public void What_differs_between_kernels_is_said_against_the_running_kernel()
    {
        var host = new KernelRun("host", GuestAccel.Native) { Release = "6.18.44", Variants = [Lean(28, 142, 0)] };
        var old = new KernelRun("debian-12", GuestAccel.Tcg) { Release = "6.1.0", Variants = [Lean(20, 103, 1)] };
        var dropping = old with
        {
            Name = "other",
            Variants = [Lean(28, 142, 0) with { Verdicts = [new ClassOutcome(TrafficClass.Arp, XdpAction.Drop)] }],
        };
        var dead = new KernelRun("broken", GuestAccel.Tcg) { Failure = "kernel broken: no boot" };
        var differences = KernelDifferences.Of(Matrix("m", old, host, dropping, dead));
        Assert.Equal(
            [
                "xlated 28 → 20, JIT bytes 142 → 103 on debian-12: the per-CPU array lookup is inlined on host, "
                    + "a call on debian-12 (0 → 1 calls into the kernel)",
                "verdicts differ: arp PASS on host, DROP on other",
            ],
            differences.Select(d => d.Text)
        );
        // Without the running kernel, the first kernel with results is the reference.
        Assert.Equal("debian-12", KernelDifferences.Reference([dead, old, dropping])!.Name);
    }

    [Fact]
    public void Compare_of_two_matrices_calls_a_lost_load_a_regression_and_a_gained_one_not()
    {
        KernelRun Kernel(bool loads) => new("debian-12", GuestAccel.Tcg) { Variants = [Lean(20, 103, 1, loads)] };
        var loading = new StoredRun(Matrix("a", Kernel(true)));
        var refusing = new StoredRun(Matrix("b", Kernel(false)));
        var settings = new GateSettings(GateSettings.DefaultThreshold, GateSettings.DefaultFloorNs);

        var lost = RunComparison.Compare(loading, refusing, settings);
        var change = Assert.Single(lost.Matrix!.Regressions);
        Assert.Equal(
            ("Lean on debian-12", "loads", "refused: unknown func bpf_x#1"),
            (change.Cell, change.A, change.B)
        );

        var gained = RunComparison.Compare(refusing, loading, settings);
        Assert.Empty(gained.Matrix!.Regressions);
        Assert.Single(gained.Matrix.Changes);

        var bench = new StoredRun(SyntheticRuns.Result("bench", DateTimeOffset.UnixEpoch));
        var mixed = Assert.Throws<ComparisonException>(() => RunComparison.Compare(bench, loading, settings));
        Assert.Contains("compare a matrix with a matrix", mixed.Message);
    }

    [Fact]
    public void The_initramfs_is_newc_cpio_with_aligned_entries_and_a_trailer()
    {
        var archive = new Initramfs()
            .AddDirectory("dev")
            .AddCharacterDevice("dev/ttyS1", 4, 65)
            .AddFile("init", [1, 2, 3], executable: true)
            .ToArray();
        var entries = new List<(string Name, int Mode, int Size, int Major, int Minor)>();
        var at = 0;
        while (true)
        {
            Assert.Equal(0, at % 4);
            Assert.Equal("070701", Encoding.ASCII.GetString(archive, at, 6));
            int Field(int i) => Convert.ToInt32(Encoding.ASCII.GetString(archive, at + 6 + 8 * i, 8), 16);
            var (mode, size, major, minor, nameSize) = (Field(1), Field(6), Field(9), Field(10), Field(11));
            var name = Encoding.UTF8.GetString(archive, at + 110, nameSize - 1);
            entries.Add((name, mode, size, major, minor));
            at = Align(Align(at + 110 + nameSize) + size);
            if (name == "TRAILER!!!")
                break;
        }
        Assert.Equal(archive.Length, at);
        Assert.Equal(
            [
                ("dev", 0x41ED, 0, 0, 0),
                ("dev/ttyS1", 0x2180, 0, 4, 65),
                ("init", 0x81ED, 3, 0, 0),
                ("TRAILER!!!", 0, 0, 0, 0),
            ],
            entries
        );
    }

    private static int Align(int offset) => (offset + 3) / 4 * 4;

    [Fact]
    public void A_tool_past_its_limit_or_cancelled_is_killed_with_its_children()
    {
        // The native agent runs this way: a hang must end at --time-limit, and INT must end it.
        var marker = $"{30 + Random.Shared.Next(1, 1000) / 1000.0:0.000}";
        string[] script = ["-c", $"sleep {marker} & sleep {marker}; wait"];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var late = Assert.Throws<TimeoutException>(() =>
            Profiling.Machine.ExternalTool.Run("sh", script, limit: TimeSpan.FromMilliseconds(300))
        );
        Assert.Contains("sh ran past its limit of 0.3 s", late.Message);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Profiling.Machine.ExternalTool.Run("sh", script, cancellation: cancel.Token)
        );
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var left = Profiling.Machine.ExternalTool.Run("pgrep", ["-f", $"sleep {marker}"]);
        Assert.Equal("", left.Output.Trim());
    }
}
