using PacketCounter.Abstractions;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Cli;

[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class CliTests : KernelLeakGuard
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("bench", "--packets", "lots")]
    [InlineData("bench", "--size", "63")]
    [InlineData("bench", "--size", "1501")]
    [InlineData("bench", "--mix", "nonsense")]
    [InlineData("bench", "--no-such-option", "1")]
    [InlineData("bench", "--variants", "NoSuchVariant")]
    [InlineData("bench", "--gen-cpus", "999")]
    [InlineData("bench", "--packets")]
    [InlineData("bench", "--rounds", "3", "--rounds", "4")]
    [InlineData("bench", "--sink", "sideways")]
    [InlineData("bench", "--iface", "lo", "--sink", "drop")]
    [InlineData("bench", "--reference", "Null")]
    [InlineData("run", "--variant", "Ultra", "--iface", "lo", "--stats", "sometimes")]
    [InlineData("run", "--variant", "Ultra", "--iface", "lo", "--interval", "soon")]
    public void Bad_arguments_print_the_error_and_where_the_help_is_in_three_lines_and_exit_2(params string[] arguments)
    {
        var (exitCode, output, error) = HostProcess.Run(arguments);
        Assert.Equal(2, exitCode);
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.InRange(lines.Length, 2, 3);
        Assert.StartsWith("packetcounter: ", lines[0]);
        var command = arguments[0] == "frobnicate" ? "" : arguments[0] + " ";
        Assert.Equal($"see `packetcounter {command}--help`", lines[^1]);
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.Equal("", output);
    }

    [Fact]
    public void A_mistyped_option_is_named_with_what_was_meant()
    {
        var (exitCode, _, error) = HostProcess.Run("bench", "--varients", "Ultra");
        Assert.Equal(2, exitCode);
        Assert.Equal(
            [
                "packetcounter: Unrecognized command or argument '--varients'.",
                "packetcounter: did you mean --variants?",
                "see `packetcounter bench --help`",
            ],
            error.TrimEnd('\n').Split('\n')
        );
    }

    [Fact]
    public void Bench_json_prints_the_result_alone_on_stdout_as_results_json_holds_it()
    {
        using var outDir = new TempFolder("pc-json-");
        var (exitCode, output, error) = HostProcess.Run(HostProcess.MicroBench(outDir.Path, 4, "--json"));
        Assert.True(exitCode == 0, error);
        // stdout is one document, the folder's; the summary a person reads went to stderr.
        var printed = Profiling.Results.ResultJson.Read(output);
        Assert.Equal(Profiling.Results.RunFolder.Read(outDir.Path), printed);
        Assert.Equal(Profiling.Results.ResultJson.SchemaVersion, printed.SchemaVersion);
        Assert.Contains(printed.Micro, f => f.Variant == "Ultra" && f.NetOfBaseline is not null);
        Assert.Contains("=== Findings ===", error);
        Assert.DoesNotContain("===", output);
        History.ResultSchema.AssertValid(Path.Combine(outDir.Path, Profiling.Results.RunFolder.ResultFile));
    }

    [Fact]
    public void List_prints_every_variant_with_its_directory_and_object()
    {
        var (exitCode, output, error) = HostProcess.Run("list");
        Assert.True(exitCode == 0, error);
        foreach (var variant in Kernel.Variants.All)
        {
            var line = output
                .Split('\n')
                .Single(l => l.TrimStart().StartsWith(variant.Name + " ", StringComparison.Ordinal));
            Assert.Contains(variant.ObjectPath, line);
            Assert.Contains(variant.IsBaseline ? "baseline" : "counter", line);
        }
    }

    [Fact]
    public void Bench_prints_the_comparison_verifies_every_variant_and_writes_its_csv_files()
    {
        using var outDir = new TempFolder("pc-bench-");
        var (exitCode, output, error) = HostProcess.Run(
            HostProcess.LiveBench("50k", 2, "10k", outDir.Path, "--seed", "7")
        );
        Assert.True(exitCode == 0, output + error);
        // A bench that names no variants runs every one that runs by default.
        var counters = Variants.All.Where(v => !v.IsBaseline && v.Variant.RunsByDefault).Select(v => v.Name).ToList();
        Assert.Contains(Variants.All, v => !v.Variant.RunsByDefault); // the sweep's extra points, which must stay out
        Assert.Matches(
            @"VARIANT\s+PACKETS\s+MPPS\s+±CI\s+LIVE NET NS/PKT\s+±CI\s+LIVE TIER\s+MICRO NET NS/PKT\s+±CI\s+"
                + @"MICRO TIER\s+SPEEDUP VS NAIVE",
            output
        );
        // The summary leads with the findings, and its first table is the comparison, near the top.
        var lines = output.Split('\n');
        var findings = Array.FindIndex(lines, l => l.Trim() == "=== Findings ===");
        var firstTable = Array.FindIndex(lines, l => l.TrimStart().StartsWith("VARIANT ", StringComparison.Ordinal));
        Assert.True(findings >= 0 && findings < firstTable, output);
        Assert.Contains("SPEEDUP", lines[firstTable]);
        Assert.True(firstTable <= 25, $"the comparison table starts at line {firstTable + 1}");
        // One sentence for the live mode names every counter by tier; every pair is left to --verbose.
        var headline = Assert.Single(lines[findings..firstTable], l => l.TrimStart().StartsWith("Live ("));
        Assert.Contains(": tier a", headline);
        Assert.All(counters, c => Assert.Contains(c, headline));
        Assert.DoesNotContain("=== Every pair behind the tiers ===", output);
        Assert.Contains("=== The lab's claims against this run ===", output);
        Assert.Contains("drop sink", output);
        Assert.Contains("order seed 7", output);
        // A sampled counter verifies within its declared bound, every other one exactly.
        string Verified(string name) =>
            Variants
                .Named(name)
                .Variant.ExpectedCounts(new SentTraffic([new SentFrames(TrafficClass.Ipv4Udp, 64, 0, 1_000_000)]))
                .Any(e => e.Tolerance > 0)
                ? "within bound"
                : "exact";
        foreach (var name in counters)
            Assert.Matches(
                $@"(?m)^\s*{Regex.Escape(name)}\s+200000\s+\d+\.\d\d\s+\d+\.\d\d\s+-?\d+\.\d\d\s+\d+\.\d\d"
                    + $@"\s+[a-z]+\s+-\s+-\s+-\s+\d+\.\d\dx.*{Verified(name)}\s*$",
                output
            );
        // The baseline runs in every quadruple: two slices for each counter and for its A/A copy.
        Assert.Matches($@"(?m)^\s*Null\*\s+{2 * 2 * (counters.Count + 1) * 50_000}\s+.*baseline\s*$", output);
        Assert.Matches(@"(?m)^\s*Null A/A\s+200000\s+.*baseline\s*$", output);

        var rows = CsvRow.Read(Path.Combine(outDir.Path, RunArtifacts.ResultsFile));
        Assert.Equal(
            Variants.All.Where(v => v.Variant.RunsByDefault).Select(v => v.Name).Append("Null A/A").Order(),
            rows.Select(r => r["variant"]).Order()
        );
        Assert.Equal("control", rows.Single(r => r["variant"] == "Null A/A")["role"]);
        Assert.All(rows.Where(r => r["role"] == "counter"), r => Assert.Equal(Verified(r["variant"]), r["verified"]));
        Assert.All(rows.Where(r => r["role"] != "baseline"), r => Assert.Equal(200_000, r.Long("packets_sent")));
        Assert.All(rows, r => Assert.Equal("drop", r["sink"]));
        Assert.All(rows, r => Assert.Equal("Naive", r["speedup_reference"]));

        // 2 rounds of a quadruple per counter and the A/A copy against the baseline, and a stats slice per program.
        var runs = CsvRow.Read(Path.Combine(outDir.Path, RunArtifacts.RunsFile));
        Assert.Equal(2 * (4 * (counters.Count + 1) + counters.Count + 2), runs.Count);
        Assert.All(runs, r => Assert.Equal(50_000, r.Long("packets_delivered")));
        Assert.All(
            runs.Where(r => r["window"] == "throughput"),
            r => Assert.True(r.Long("run_cnt") == 0 && r.Double("mpps") > 0)
        );
        Assert.All(
            runs.Where(r => r["window"] == "run_stats"),
            r =>
                Assert.True(
                    r.Long("run_cnt") == 50_000 && r.Double("mpps") is null && r.Double("stats_window_mpps") > 0
                )
        );
        Assert.False(File.Exists(Path.Combine(outDir.Path, RunArtifacts.IncompleteFile)));
        History.ResultSchema.AssertValid(Path.Combine(outDir.Path, Profiling.Results.RunFolder.ResultFile));
    }

    [Trait(Category.Name, Category.Slow)]
    [Fact]
    public void A_config_matrix_runs_every_size_mix_and_generator_setting_and_verifies_each()
    {
        using var work = new TempFolder("pc-matrix-");
        var config = Path.Combine(work.Path, "matrix.yaml");
        File.WriteAllText(
            config,
            """
            variants: [Ultra]
            sizes: [64, 512]
            mixes: [uniform]
            modes: [live, micro]
            gen_cpus: ["0", "0,1"]
            rounds: 2
            max_rounds: 2
            packets: 20000
            slice_ms: 0
            micro_rounds: 6
            micro_max_rounds: 6
            budget: 0
            events: [none]
            """
        );
        var outDir = Path.Combine(work.Path, "run");
        var (exitCode, output, error) = HostProcess.Run("bench", "--config", config, "--out", outDir);
        Assert.True(exitCode == 0, output + error);
        var rows = CsvRow.Read(Path.Combine(outDir, RunArtifacts.ResultsFile));
        // 2 sizes x 2 generator settings, each with the baseline, its A/A copy and Ultra.
        Assert.Equal(12, rows.Count);
        Assert.Equal(["0", "0,1"], rows.Select(r => r["gen_cpus"]).Distinct().Order());
        Assert.Equal([64, 512], rows.Select(r => r.Long("frame_size")).Distinct().Order());
        Assert.All(rows, r => Assert.Equal("uniform", r["mix"]));
        Assert.All(rows.Where(r => r["variant"] == "Ultra"), r => Assert.Equal("exact", r["verified"]));
        // The uniform mix has every class, micro measures each of them at both sizes.
        var summary = CsvRow.Read(Path.Combine(outDir, RunArtifacts.SummaryFile));
        var microCells = summary
            .Where(r => r["mode"] == "micro" && r["variant"] == "Ultra")
            .Select(r => (r["class"], r["frame_size"]))
            .ToHashSet();
        Assert.Equal(TrafficClasses.All.Count * 2, microCells.Count);
    }

    [Fact]
    public void A_real_miscount_is_reported_with_its_table_and_exits_1()
    {
        using var outDir = new TempFolder("pc-miscount-");
        var plugin = Path.Combine(AppContext.BaseDirectory, "fixture-plugins", "Miscounter");
        var (exitCode, output, error) = HostProcess.Run(
            HostProcess.LiveBench(
                "20k",
                1,
                "200k",
                outDir.Path,
                "--plugins",
                plugin,
                "--variants",
                "Miscounter",
                "--mix",
                "ipv4-tcp",
                "--budget",
                "0"
            )
        );
        Assert.Equal(1, exitCode);
        Assert.Contains("packetcounter: variant Miscounter MISCOUNTED in round 1", error);
        Assert.Matches(@"tcp\s+20000\s+0\s+-20000", error);
        Assert.Matches(@"(?m)^\s*Miscounter\s+40000\s.*MISMATCH\s*$", output);
        Assert.Contains("MISCOUNTED: Miscounter", output);
    }

    [Fact]
    public void Bench_records_each_run_in_the_history_and_a_damaged_store_costs_the_record_not_the_results()
    {
        using var work = new TempFolder("pc-record-");
        string[] quick =
        [
            "bench",
            "--variants",
            "Ultra",
            "--mode",
            "micro",
            "--mix",
            "ipv4-udp",
            "--micro-rounds",
            "3",
            "--micro-max-rounds",
            "3",
        ];
        var store = Path.Combine(work.Path, "history.db");
        var environment = new Dictionary<string, string>
        {
            [Profiling.History.HistoryStore.EnvironmentVariable] = store,
        };
        var first = Path.Combine(work.Path, "first");
        var (exitCode, output, error) = HostProcess.RunWith(
            environment,
            [.. quick, "--tag", "nightly", "--out", first]
        );
        Assert.True(exitCode == 0, error);
        Assert.Matches(@"(?m)^recorded: run first \(tag nightly\) in SQLite .*history\.db$", output);

        var (listed, history, _) = HostProcess.RunWith(environment, "history");
        Assert.Equal(0, listed);
        Assert.Contains("1 run(s) recorded", history);
        Assert.Matches(@"(?m)^\s*first\s+\S+ \S+\s+nightly\s", history);

        File.WriteAllBytes(store, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 13))]);
        var second = Path.Combine(work.Path, "second");
        (exitCode, output, error) = HostProcess.RunWith(environment, [.. quick, "--out", second]);
        Assert.Equal(1, exitCode);
        // Progress goes to stderr too; the problem is one line of its own.
        var line = Assert.Single(error.Split('\n'), l => l.StartsWith("packetcounter:", StringComparison.Ordinal));
        Assert.StartsWith(
            $"packetcounter: the run was not recorded in the history: history store SQLite {store} is not a readable SQLite database",
            line
        );
        Assert.Contains($"its folder {second} is complete", line);
        foreach (
            var file in new[]
            {
                RunArtifacts.SummaryFile,
                RunArtifacts.RunsFile,
                Profiling.Results.RunFolder.PairsFile,
                Profiling.Results.RunFolder.ResultFile,
                RunArtifacts.EnvironmentFile,
                "report.md",
            }
        )
            Assert.True(File.Exists(Path.Combine(second, file)), $"{file} missing from the run folder");
        Assert.Contains("=== Comparison ===", output);
    }
}
