using PacketCounter.Abstractions;
using PacketCounter.Profiling.Comparison;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Fixtures;
using PacketCounter.Tests.Kernel;
using PacketCounter.Tests.Reports;

namespace PacketCounter.Tests.History;

/// <summary>Two real runs, the second with added work on some frames: the gate finds exactly those.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
[Trait(Category.Name, Category.Slow)]
public class CompareTests : KernelLeakGuard
{
    // The probe's rule (probe.bpf.c with ONLY_IPV4_UDP): an IPv4 header in full, protocol UDP.
    private static bool CarriesWork(TrafficClass trafficClass)
    {
        var frame = FrameBuilder.Build(trafficClass, FrameBuilder.MinimumSize);
        return frame.Length >= 34 && frame[12] == 0x08 && frame[13] == 0x00 && frame[23] == 17;
    }

    [Fact]
    public void Work_added_on_udp_frames_is_slower_on_exactly_those_rows_through_folders_the_store_and_the_cli()
    {
        var work = Directory.CreateTempSubdirectory("pc-ab-");
        var (a, b) = (Path.Combine(work.FullName, "a"), Path.Combine(work.FullName, "b"));
        var store = Path.Combine(work.FullName, "history.db");
        try
        {
            SmallRunFixture.RunInto(
                a,
                [Variants.Baseline, Variants.Named("Ultra"), ProbeVariant.WithUdpWork(work: false)],
                BenchModes.Micro,
                samples: 30,
                mix: TrafficMix.Uniform
            );
            SmallRunFixture.RunInto(
                b,
                [Variants.Baseline, Variants.Named("Ultra"), ProbeVariant.WithUdpWork(work: true)],
                BenchModes.Micro,
                samples: 30,
                mix: TrafficMix.Uniform
            );

            // The gate's verdict on each row is the test, so each must sit far from its edges on
            // any machine of this kind. Each run is a few seconds, short enough to sit wholly in
            // one of a shared VM's contention regimes, which moved a counter's net cost by up to
            // 2.5 ns between two such runs on the Intel machines (Ultra, one build, read 0.6 and
            // 3.2 ns net once), and regimes scale with the machine (Null costs 8 ns on one kind,
            // 25 on another). 64 helper calls cost 350 ns or more on either, and no row without
            // the work nets more than about 10 ns, so a 50 ns floor lies 7x below the work and
            // 5x above the largest move a row without it could make.
            var settings = new GateSettings(FloorNs: 50);
            var comparison = RunComparison.Compare(StoredRun.FromDirectory(a), StoredRun.FromDirectory(b), settings);
            var expected = TrafficClasses.All.Where(CarriesWork).Select(TrafficClasses.Name).Order().ToList();
            Assert.NotEmpty(expected);
            Assert.True(
                expected.Count < TrafficClasses.All.Count,
                "every class carries the work: the test could not tell rows apart"
            );
            var slower = comparison.Rows.Where(r => r.Verdict == Verdict.Slower).ToList();
            var table = string.Join(
                "\n",
                comparison.Rows.Select(r =>
                    $"{r.Key}: net {r.NetA:0.00} -> {r.NetB:0.00}, {r.RelativeChange:+0.0%;-0.0%}, "
                    + $"{r.ShiftNs:+0.00;-0.00} ns, p {r.AdjustedPValue:0.####}, {r.Verdict}"
                )
            );
            Assert.True(slower.All(r => r.Key.Variant == "Probe"), table);
            Assert.True(expected.SequenceEqual(slower.Select(r => r.Key.Cell.Class).Order()), table);
            Assert.All(
                comparison.Rows.Except(slower),
                r => Assert.True(r.Verdict == Verdict.Same, $"{r.Key}: {r.Verdict} ({r.Reason})")
            );
            Assert.Contains(comparison.Rows, r => r.Key.Role == MeasuredRole.Control);
            Assert.Contains(
                comparison.Warnings,
                w => w.StartsWith("Probe is a different program in B", StringComparison.Ordinal)
            );
            // Both ran here; whether the baseline kept its speed between two runs of seconds is
            // the shared VM's to decide, so only what the machine says it is must match.
            Assert.DoesNotContain(comparison.Warnings, w => w.Contains("different machines", StringComparison.Ordinal));
            // The verifier's figures: 64 more helper calls are more instructions to verify; Ultra is the same build.
            var insns = Assert.Single(comparison.Verifier, d => d.Variant == "Probe" && d.Figure == VerifierDiff.Insns);
            Assert.True(insns.B > insns.A, $"{insns}");
            Assert.All(
                comparison.Verifier.Where(d => d.Variant == "Ultra" && d.Figure != "duration_us"),
                d => Assert.Equal(0, d.Difference)
            );
            Assert.Contains(insns, comparison.VerifierGrowth(0.10));
            Assert.DoesNotContain(comparison.VerifierGrowth(0.10), d => d.Variant == "Ultra");

            // The same through the CLI: both runs recorded, the later gated against the last before it.
            var environment = new Dictionary<string, string> { [HistoryStore.EnvironmentVariable] = store };
            var (imported, importOutput, importError) = HostProcess.RunWith(
                environment,
                "history",
                "import",
                a,
                b,
                "--tag",
                "ab"
            );
            Assert.True(imported == 0, importError);
            Assert.Contains("2 of 2 run(s) recorded", importOutput);
            var (exitCode, output, error) = HostProcess.RunWith(
                environment,
                "compare",
                "--baseline",
                "last",
                "--floor",
                "50",
                "--fail-on-verifier",
                "10%"
            );
            Assert.Equal(1, exitCode);
            Assert.Contains("packetcounter: verifier: Probe insns grew", error);
            Assert.Contains("=== Verifier ===", output);
            Assert.Contains($"{expected.Count} slower, 0 faster", output);
            Assert.Contains($"packetcounter: {expected.Count} row(s) slower: Probe micro", error);
            Assert.True(File.Exists(Path.Combine(b, RunComparison.ReportFile)));
            // Micro-only runs follow the schema too.
            ResultSchema.AssertValid(Path.Combine(a, RunFolder.ResultFile));

            var (trendExit, trend, trendError) = HostProcess.RunWith(
                environment,
                "history",
                "--variant",
                "Probe",
                "--out",
                Path.Combine(work.FullName, "trend")
            );
            Assert.True(trendExit == 0, trendError);
            Assert.Contains("micro ipv4-udp 64 B, ns_per_packet", trend);
            Assert.Single(Directory.GetFiles(Path.Combine(work.FullName, "trend"), "*.png"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void Runs_from_two_machines_compare_with_a_warning_and_only_normalized_figures()
    {
        using var work = new TempFolder("pc-machines-");
        var folder = Path.Combine(work.Path, "a");
        SmallRunFixture.RunInto(folder, [Variants.Baseline, Variants.Named("Ultra")], BenchModes.Micro, samples: 6);
        var here = StoredRun.FromDirectory(folder);
        // The same figures as if recorded on a machine of the same kind that runs the baseline 2.7x slower.
        var elsewhere = Slowed(here, 2.7, "elsewhere");
        var comparison = RunComparison.Compare(elsewhere, here, new GateSettings());
        Assert.False(comparison.SameMachine);
        // The same CPU model, kernel and JIT: only the speed tells them apart.
        var warning = Assert.Single(
            comparison.Warnings,
            w => w.StartsWith("A and B ran at speeds too far apart to compare", StringComparison.Ordinal)
        );
        Assert.Contains("the baseline's micro cost", warning);
        Assert.Contains("×2.7, beyond ×1.5", warning);
        var other = RunComparison.Compare(
            elsewhere with
            {
                Result = elsewhere.Result with
                {
                    Environment = elsewhere.Result.Environment with { CpuModel = "Another CPU" },
                },
            },
            here,
            new GateSettings()
        );
        Assert.False(other.SameMachine);
        Assert.Contains(
            other.Warnings,
            w =>
                w.StartsWith("A and B ran on different machines (CPU 'Another CPU' vs", StringComparison.Ordinal)
                && w.Contains("the baseline's micro cost", StringComparison.Ordinal)
        );
        Assert.Contains("(other machine)", ComparisonReport.Table(comparison).Rows[0][8]);
        Assert.Empty(
            RunComparison
                .Compare(here, here with { Result = here.Result with { Id = "again" } }, new GateSettings())
                .Warnings
        );
        // The same machine, running 30% slower: not another machine, but a warning all the same.
        var slower = Slowed(here, 1.3, "slower");
        var drifted = RunComparison.Compare(here, slower, new GateSettings());
        Assert.True(drifted.SameMachine);
        Assert.Contains(
            drifted.Warnings,
            w => w.StartsWith("the machine ran 30% slower in B than in A", StringComparison.Ordinal)
        );
    }

    // The run as if the machine had run its baseline `factor` times slower: every baseline micro figure scaled.
    private static StoredRun Slowed(StoredRun run, double factor, string id) =>
        run with
        {
            Result = run.Result with
            {
                Id = id,
                Micro = run
                    .Result.Micro.Select(f =>
                        f.Role == MeasuredRole.Baseline
                            ? f with
                            {
                                NsPerPacket = f.NsPerPacket with
                                {
                                    Mean = f.NsPerPacket.Mean with { Mean = f.NsPerPacket.Mean.Mean * factor },
                                },
                            }
                            : f
                    )
                    .ToList(),
            },
        };
}
