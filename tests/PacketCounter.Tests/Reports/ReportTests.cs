using System.Xml.Linq;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Reports;

/// <summary>A small real run (micro and live, two variants) written to a run folder, shared by the report tests.</summary>
public sealed class SmallRunFixture : IDisposable
{
    public SmallRunFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("pc-report-").FullName;
        (Results, Measured) = RunInto(
            Directory,
            [Variants.Named("Null"), Variants.Named("Naive"), Variants.Named("Ultra")],
            BenchModes.All
        );
    }

    public string Directory { get; }
    public BenchResults Results { get; }

    /// <summary>The run's result as the analysis computed it, before anything was written.</summary>
    public RunResult Measured { get; }

    /// <summary>The run's result as bench wrote it to the folder.</summary>
    public RunResult Result => RunFolder.Read(Directory);

    internal static (BenchResults Samples, RunResult Result) RunInto(
        string directory,
        IReadOnlyList<DiscoveredVariant> variants,
        BenchModes modes,
        int samples = 4,
        TrafficMix? mix = null
    )
    {
        mix ??= TrafficMix.Single(TrafficClass.Ipv4Udp);
        var plan = TestBench.Plan(
            variants,
            mix,
            modes,
            TestBench.Live(rounds: 3, slicePackets: 50_000, seed: 3),
            micro: TestBench.Micro(rounds: samples)
        ) with
        {
            Control = true,
        };
        using var artifacts = new RunArtifacts(directory);
        var results = new BenchRunner().Run(plan, artifacts);
        var result = TestBench.Analyse(plan, results, artifacts.RunId);
        artifacts.Finish(result);
        return (results, result);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class ReportTests(SmallRunFixture run) : KernelLeakGuard, IClassFixture<SmallRunFixture>
{
    [Fact]
    public void Runs_csv_parses_back_into_the_same_samples()
    {
        var read = CsvRow.Read(Path.Combine(run.Directory, RunArtifacts.RunsFile));
        var samples = run.Results.MicroSamples.Cast<ICellRow>().Concat(run.Results.LiveSamples).ToList();
        Assert.Equal(samples.Count, read.Count);
        for (var i = 0; i < samples.Count; i++)
            foreach (var column in RunsColumns.All)
                Assert.Equal(column.CsvText(samples[i]), read[i][column.CsvName!]);
        Assert.Contains(read, r => r["mode"] == "micro");
        Assert.Contains(read, r => r["mode"] == "live");
        // Numbers are written to round-trip: the file's ns/packet is the sample's, to the last bit.
        Assert.Equal(run.Results.MicroSamples[0].NsPerPacket, read[0].Double("ns_per_packet"));
    }

    [Fact]
    public void Summary_csv_parses_back_into_the_same_figures()
    {
        var read = CsvRow.Read(Path.Combine(run.Directory, RunArtifacts.SummaryFile));
        var expected = FigureRow.Of(run.Result);
        Assert.Equal(expected.Count, read.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Variant, read[i]["variant"]);
            Assert.Equal(expected[i].Value.Mean.Mean, read[i].Double("mean"));
            Assert.Equal(expected[i].Value.Mean.High, read[i].Double("ci_high"));
            Assert.Equal(expected[i].Net?.Estimate, read[i].Double("net_of_baseline"));
        }
        Assert.Contains(
            read,
            r => r["metric"] == "ns_per_packet" && r["variant"] == "Ultra" && r.Double("net_of_baseline") is not null
        );
        Assert.Contains(
            read,
            r =>
                r["metric"] == "mpps"
                && r["variant"] == "Ultra"
                && r.Double("net_of_baseline") is not null
                && r.Double("ratio_to_baseline") is not null
        );
    }

    [Fact]
    public void The_comparison_and_results_csv_carry_the_jit_bytes_per_executed_instruction()
    {
        var result = run.Result;
        var ultra = result.Live.Single(f => f.Variant == "Ultra");
        var executed = result.InstructionsPerMix.Single(f => f.Variant == "Ultra" && f.Mix == ultra.Setting.Mix);
        var jited = result.Variants.Single(v => v.Name == "Ultra").Info.JitedBytes;
        var expected = jited / executed.Instructions;
        Assert.InRange(expected, 1, 100); // x86 takes 1 to 15 bytes an instruction; a packet runs a part of the code
        var row = CsvRow
            .Read(Path.Combine(run.Directory, RunArtifacts.ResultsFile))
            .Single(r => r["variant"] == "Ultra");
        Assert.Equal(expected, row.Double("jited_bytes_per_insn"));
        var table = Tables.Comparison(result)[0];
        var column = table.Header.ToList().IndexOf("JIT B/INSN");
        Assert.True(column > 0, string.Join(" ", table.Header));
        var cell = table.Rows.Single(r => r[0] == "Ultra")[column];
        Assert.Equal(expected.ToString("0.0", CultureInfo.InvariantCulture), cell);
        Assert.Contains(table.Legend, l => l.Column == "JIT B/INSN");
        // The baseline executes two instructions: its ratio is its whole image over two.
        var baseline = result.Variants.Single(v => v.Role == MeasuredRole.Baseline).Info.JitedBytes;
        Assert.Equal((baseline / 2.0).ToString("0.0", CultureInfo.InvariantCulture), table.Rows[0][column]);
    }

    [Fact]
    public void The_run_recorded_and_loaded_back_is_the_run_its_folder_holds_and_the_run_measured()
    {
        using var work = new TempFolder("pc-store-");
        using var store = Profiling.History.HistoryStore.Open(Path.Combine(work.Path, "history.db"));
        var id = store.Save(new StoredRun(run.Measured, "fixture", run.Directory));
        var loaded = store.Load(id);
        var imported = StoredRun.FromDirectory(run.Directory);
        Assert.Equal(run.Measured, imported.Result);
        Assert.Equal(imported.Result, loaded.Result);
        Assert.Equal(imported.Directory, loaded.Directory);
        // Every part is there: the figures, the pairs, the windows, the verdict and the environment.
        Assert.Equal(run.Results.Facts.Count, loaded.Result.Variants.Count);
        Assert.NotEmpty(loaded.Result.Micro);
        Assert.NotEmpty(loaded.Result.Live);
        Assert.NotEmpty(loaded.Result.LiveWindows);
        Assert.NotEmpty(loaded.Result.Pairs);
        Assert.NotEmpty(loaded.Result.Instructions);
        Assert.True(loaded.Result.Verdict.Verified);
        Assert.Equal(0, loaded.Result.Outcome.ExitCode);
        // What it wrote follows the v1 schema.
        History.ResultSchema.AssertValid(Path.Combine(run.Directory, RunFolder.ResultFile));
        // and one figure less is another run.
        Assert.NotEqual(loaded.Result, loaded.Result with { Micro = loaded.Result.Micro.Skip(1).ToList() });
    }

    [Fact]
    public void Plots_are_valid_non_empty_png_and_svg()
    {
        var pngs = Directory.GetFiles(run.Directory, "*.png");
        var svgs = Directory.GetFiles(run.Directory, "*.svg");
        Assert.True(pngs.Length >= 4, $"plots: {string.Join(", ", pngs.Select(Path.GetFileName))}");
        Assert.Equal(pngs.Length, svgs.Length);
        foreach (var png in pngs)
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000, png);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        }
        foreach (var svg in svgs)
        {
            var root = XDocument.Load(svg).Root!;
            Assert.Equal("svg", root.Name.LocalName);
            Assert.True(root.Descendants().Count() > 10, svg);
        }
    }

    [Fact]
    public void The_budget_section_prices_every_design_against_40_mpps_from_this_run()
    {
        var designs = Assert.Single(run.Result.Budgets, b => b.Mix == "ipv4-udp" && b.FrameSize == 64).Designs;
        foreach (var name in new[] { "Null", "Naive", "Ultra" })
        {
            var design = Assert.Single(designs, d => d.Variant == name);
            Assert.True(
                design.MicroNsPerPacket > 0 && design.LiveNsPerPacketPerCore > design.MicroNsPerPacket,
                $"{name}: {design}"
            );
            // One core at the live path's cost runs at 1000 / cost Mpps, so 40 Mpps takes the ceiling of 40 over that.
            Assert.Equal(
                (int)Math.Ceiling(40 * design.LiveNsPerPacketPerCore!.Value / 1000),
                DesignBudget.CoresFor(40, design.LiveNsPerPacketPerCore)
            );
        }
        var markdown = File.ReadAllText(Path.Combine(run.Directory, RunReport.MarkdownFile));
        Assert.Contains("## Scaling and the 40 Mpps budget", markdown);
        // The figure comes before the first table, every pair after everything else.
        Assert.True(
            markdown.IndexOf("![", StringComparison.Ordinal) < markdown.IndexOf("\n| ", StringComparison.Ordinal)
        );
        var sections = markdown.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["## Findings", "## Net cost at a glance", "## Comparison"], sections.Take(3));
        Assert.Equal("## Every pair behind the tiers", sections[^1]);
        Assert.Contains("| 40 GbE | 59.52 | 16.80 |", markdown);
        Assert.Contains("--gen-cpus 0 --gen-cpus 0,1", markdown); // one CPU count only: the scaling table says how to get it
    }

    [Fact]
    public void Environment_json_says_why_the_pmu_is_missing()
    {
        var json = File.ReadAllText(Path.Combine(run.Directory, RunArtifacts.EnvironmentFile));
        Assert.Contains("\"kernel\"", json);
        Assert.Contains("\"jit_state\"", json);
        Assert.Contains(
            Directory.Exists("/sys/bus/event_source/devices/cpu")
                ? "event source"
                : "not supported: no PMU on this machine",
            json
        );
    }

    [Fact]
    public void The_html_report_renders_in_headless_chromium_with_its_images_and_table()
    {
        var html = File.ReadAllText(Path.Combine(run.Directory, RunReport.HtmlFile));
        Assert.Contains("data:image/png;base64,", html);
        using var work = new TempFolder("pc-chromium-");
        // A copy of the self-contained page that records, once loaded, what the browser made of it.
        var probe = html.Replace(
            "</body>",
            """
            <script>
            window.addEventListener('load', () => {
              const images = [...document.images];
              document.body.setAttribute('data-images', images.length);
              document.body.setAttribute('data-images-loaded', images.filter(i => i.complete && i.naturalWidth > 0).length);
              document.body.setAttribute('data-tables', document.querySelectorAll('table').length);
              const first = document.querySelector('section');
              document.body.setAttribute('data-first-section', first ? first.querySelector('h2').textContent : '');
              document.body.setAttribute('data-first-section-text', first ? first.textContent.replace(/"/g, "'") : '');
              const image = document.images[0], table = document.querySelector('table');
              document.body.setAttribute('data-first-image', image ? image.alt.replace(/"/g, "'") : '');
              document.body.setAttribute('data-first-image-top', image ? Math.round(image.getBoundingClientRect().top) : -1);
              document.body.setAttribute('data-first-table-top', table ? Math.round(table.getBoundingClientRect().top) : -1);
              const pairs = [...document.querySelectorAll('details > summary')].find(s => s.textContent.startsWith('Every pair'));
              document.body.setAttribute('data-pairs-open', pairs ? pairs.parentElement.open : 'missing');
            });
            </script></body>
            """
        );
        var page = Path.Combine(work.Path, "report.html");
        File.WriteAllText(page, probe);
        string[] common =
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            $"--user-data-dir={Path.Combine(work.Path, "profile")}",
            "--virtual-time-budget=5000",
        ];
        var dom = NativeTool.RunOrFail(
            "chromium",
            [.. common, "--window-size=1400,900", "--dump-dom", new Uri(page).AbsoluteUri],
            timeout: TimeSpan.FromMinutes(2)
        );
        var images = Attribute(dom, "data-images");
        Assert.True(images >= 4, $"images: {images}");
        Assert.Equal(images, Attribute(dom, "data-images-loaded"));
        Assert.True(Attribute(dom, "data-tables") >= 3);
        Assert.Contains("Comparison", dom);
        // The first section after the title is the findings, and it names every counter.
        Assert.Equal("Findings", TextAttribute(dom, "data-first-section"));
        var findings = TextAttribute(dom, "data-first-section-text");
        foreach (var counter in run.Results.Facts.Where(f => f.Role == MeasuredRole.Counter))
            Assert.Contains(counter.Name, findings);
        // On a 1400×900 screen the findings are followed by the net-cost figure, and the
        // comparison table starts before the screen ends; every pair waits, collapsed.
        Assert.StartsWith("Each counter's net cost per packet", TextAttribute(dom, "data-first-image"));
        var imageTop = Attribute(dom, "data-first-image-top");
        var tableTop = Attribute(dom, "data-first-table-top");
        Assert.True(
            imageTop > 0 && imageTop < tableTop && tableTop < 900,
            $"figure at {imageTop}, table at {tableTop}"
        );
        Assert.Equal("false", TextAttribute(dom, "data-pairs-open"));

        var screenshot = Path.Combine(work.Path, "shot.png");
        NativeTool.RunOrFail(
            "chromium",
            [.. common, $"--screenshot={screenshot}", "--window-size=1200,2000", new Uri(page).AbsoluteUri],
            timeout: TimeSpan.FromMinutes(2)
        );
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is empty");
    }

    [Fact]
    public void Compare_with_missing_runs_gives_one_clear_line()
    {
        var (exitCode, _, error) = HostProcess.RunWith(
            new Dictionary<string, string> { [Profiling.History.HistoryStore.EnvironmentVariable] = "none" },
            "compare",
            run.Directory,
            "/nonexistent/run"
        );
        Assert.Equal(2, exitCode);
        Assert.StartsWith(
            "packetcounter: '/nonexistent/run' is not a run folder; pass a folder written by bench",
            error
        );
    }

    private static string TextAttribute(string dom, string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(dom, $"{name}=\"([^\"]*)\"");
        Assert.True(match.Success, $"{name} missing from the rendered DOM");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static int Attribute(string dom, string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(dom, $"{name}=\"(\\d+)\"");
        Assert.True(match.Success, $"{name} missing from the rendered DOM");
        return int.Parse(match.Groups[1].Value);
    }
}

/// <summary>The budget section's arithmetic, from the wire format alone.</summary>
[Trait(Category.Name, Category.Pure)]
public class LineRateTests
{
    [Fact]
    public void Line_rates_and_core_counts_follow_from_the_wire_format()
    {
        Assert.Equal(14.88, LineRate.Standard[0].Mpps, 2); // 10 GbE: 10e9 / (84 * 8)
        Assert.Equal(148.81, LineRate.Standard[3].Mpps, 2); // 100 GbE
        Assert.Equal(6.72, LineRate.Standard[3].NsPerPacketPerCore, 2);
        Assert.Equal(1, DesignBudget.CoresFor(40, 25.0)); // exactly one core's budget
        Assert.Equal(2, DesignBudget.CoresFor(40, 25.1));
        Assert.Null(DesignBudget.CoresFor(40, null));
        var scaling = new Scaling("V", MeasuredRole.Counter, "s", [new(1, 10.0, 0.1), new(2, 15.0, 0.1)]);
        Assert.Equal(0.75, scaling.Efficiency);
    }
}
