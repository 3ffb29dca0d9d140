using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The run's report as one document: the terminal summary shows the sections marked for
/// it, and report.md and report.html show them all. Built once from the figures.
/// </summary>
public static class RunReport
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";

    public static void Write(RunResult result, IReadOnlyList<PlotFile> plots, string directory)
    {
        var document = Build(result, plots, $"PacketCounter run {result.Id}");
        File.WriteAllText(Path.Combine(directory, MarkdownFile), MarkdownRenderer.Render(document));
        File.WriteAllText(Path.Combine(directory, HtmlFile), HtmlRenderer.Render(document));
    }

    public static ReportDocument Build(RunResult figures, IReadOnlyList<PlotFile> plots, string title)
    {
        // A matrix measures no time on the host: its report is the kernels alone.
        if (figures.Kernels.Count > 0)
            return new ReportDocument(title, MatrixReport.Sections(figures));
        var sections = new List<Section>();
        if (figures.Incomplete)
            sections.Add(
                new Section(
                    "Incomplete run",
                    [
                        new Paragraph(
                            "**INCOMPLETE:** the run was interrupted. Every sample finished before that is here; figures cover only those."
                        ),
                    ]
                )
            );

        sections.Add(new Section("Findings", [new Bullets(FindingsText.Sentences(figures.Findings, figures.Verdict))]));
        if (plots.FirstOrDefault(p => p.Name == Plots.HeadlineName) is { } headline)
            sections.Add(new Section("Net cost at a glance", [new Figure(headline)], InTerminal: false));
        var comparison = Tables.Comparison(figures);
        if (comparison.Count > 0)
            sections.Add(new Section("Comparison", comparison.Select(t => (Block)new TableBlock(t)).ToList()));
        if (figures.Findings.Rankings.Count > 0)
            sections.Add(
                new Section(
                    "Every pair behind the tiers",
                    [
                        new Paragraph(
                            "Each pair of counters of a ranking, the costlier's net figure minus the cheaper's. Two "
                                + "counters are in different tiers when the pair's p, corrected by Holm's method over "
                                + "every pair of the ranking, is below 0.05."
                        ),
                        .. figures.Findings.Rankings.Select(r => (Block)new TableBlock(FindingsText.Pairwise(r))),
                    ],
                    Appendix: true
                )
            );
        if (figures.Variants.Count > 0)
            sections.Add(new Section("The lab's claims against this run", Explanations.SeedBlocks(figures)));
        if (Explanations.CostBlocks(figures) is { Count: > 0 } cost)
            sections.Add(new Section("What explains the cost", cost));
        var stats = Tables.RunStats(figures);
        if (stats.Count > 0)
            sections.Add(new Section("Run stats", stats.Select(t => (Block)new TableBlock(t)).ToList()));
        var ceilings = figures
            .Live.Where(f => f.Role == MeasuredRole.Baseline && f.Mpps is not null && !f.Setting.IsExternal)
            .ToList();
        if (ceilings.Count > 0)
            sections.Add(
                new Section(
                    "Testbed",
                    [
                        new Bullets(
                            ceilings
                                .Select(c =>
                                    $"{c.Setting}: the baseline ({c.Variant}) ran at "
                                    + $"{Format.Number(c.Mpps!.Mean.Mean, "0.00")} ± "
                                    + $"{Format.Number(c.Mpps.Mean.HalfWidth, "0.00")} Mpps with run stats off: the "
                                    + "testbed's ceiling for this setting, the generator sending into a program that "
                                    + "does nothing"
                                )
                                .ToList()
                        ),
                    ]
                )
            );

        var micro = Tables.MicroPerClass(figures);
        if (micro.Count > 0)
            sections.Add(
                new Section(
                    "Micro cost per traffic class",
                    [
                        .. micro.Select(t => (Block)new TableBlock(t)),
                        .. Tables.MicroDetectable(figures).Select(t => (Block)new TableBlock(t)),
                    ]
                )
            );
        var instructions = Tables.Instructions(figures);
        if (instructions.Count > 0)
            sections.Add(
                new Section(
                    "Executed BPF instructions per packet",
                    [
                        new Paragraph(
                            "Counted by running each variant's program, as libbpf prepared it for the "
                                + "kernel, in PacketCounter's emulator, which is checked against the kernel "
                                + "instruction by instruction in its tests. The count is of the program as "
                                + "compiled, before the verifier inlines helpers."
                        ),
                        .. instructions.Select(t => (Block)new TableBlock(t)),
                    ]
                )
            );
        if (figures.HotLines.Count > 0)
            sections.Add(
                new Section(
                    "Where the instructions go",
                    [
                        new Paragraph(
                            "Per counter, the three source lines where most of the BPF instructions a packet of the "
                                + "mix executes go, from the same emulated runs, attributed to lines by the BTF line "
                                + "info the compiler wrote. `packetcounter trace --variant V --annotate` shows every "
                                + "line, with what the verifier and the JIT made of it."
                        ),
                        new TableBlock(ColumnTable.Of(null, HotLineColumns, figures.HotLines)),
                    ],
                    InTerminal: false
                )
            );
        var sweeps = Tables.Sweeps(figures);
        if (sweeps.Count > 0)
            sections.Add(
                new Section(
                    "Sweeps",
                    [
                        .. sweeps.Select(t => (Block)new TableBlock(t)),
                        .. plots
                            .Where(p => p.Name.StartsWith("sweep-", StringComparison.Ordinal))
                            .Select(p => (Block)new Figure(p)),
                    ],
                    InTerminal: false
                )
            );
        var budget = Tables.Budget(figures);
        if (budget.Count > 0)
            sections.Add(
                new Section(
                    "Scaling and the 40 Mpps budget",
                    [
                        new TableBlock(Tables.LineRates()),
                        .. budget.Select(t => (Block)new TableBlock(t)),
                        .. Tables.Scaling(figures) is { Count: > 0 } scaling
                            ? scaling.Select(t => (Block)new TableBlock(t))
                            :
                            [
                                new Paragraph(
                                    "Throughput against generator CPUs needs live settings with more than one CPU "
                                        + "count: run bench with --gen-cpus 0 --gen-cpus 0,1."
                                ),
                            ],
                    ],
                    InTerminal: false
                )
            );
        // A counter passes every frame; the table says something when a program does anything else.
        if (figures.Verdicts.Any(v => v.Verdict != Bpf.XdpAction.Pass))
            sections.Add(
                new Section("Verdicts per class", [.. Tables.Verdicts(figures).Select(t => (Block)new TableBlock(t))])
            );
        if (figures.Variants.Count > 0)
            sections.Add(new Section("Static facts", [new TableBlock(Tables.StaticFacts(figures))]));
        sections.Add(new Section("Verification", VerificationBlocks(figures), InTerminal: false));

        // Exact miscounts, and a statistical count's misses where they were more than chance.
        var mismatches = figures.Miscounts;
        if (mismatches.Count > 0)
            sections.Add(
                new Section(
                    "Miscounts",
                    mismatches
                        .Select(m =>
                            (Block)
                                new TableBlock(
                                    ColumnTable.Of(
                                        $"{m.Variant} MISCOUNTED in round {m.Round + 1} ({m.Setting})",
                                        MiscountColumns,
                                        m.Counts
                                    )
                                )
                        )
                        .ToList()
                )
            );
        if (figures.Failures.Count > 0)
            sections.Add(new Section("Failures", [new Bullets(figures.Failures)]));

        if (figures.CounterSources.Count > 0)
            sections.Add(
                new Section(
                    "Counter sources",
                    [
                        new Bullets(Tables.SourceSummary(figures.CounterSources)),
                        new Collapsible(
                            $"every counter source ({figures.CounterSources.Count})",
                            [new TableBlock(Tables.Sources(figures.CounterSources))]
                        ),
                    ]
                )
            );
        var perPacket = new List<Block>();
        if (NegligibleFigures.Sentence(figures.NegligibleFigures) is { } negligible)
            perPacket.Add(new Paragraph(negligible));
        if (Tables.CountersPerPacket(figures) is { } table)
            perPacket.Add(new TableBlock(table));
        if (perPacket.Count > 0)
            sections.Add(new Section("Counters per packet", perPacket));
        if (Tables.Correlations(figures) is { } correlations)
            sections.Add(new Section("Throughput against per-packet figures", [new TableBlock(correlations)]));
        if (figures.Attribution.Count > 0)
            sections.Add(
                new Section(
                    "Per-program attribution (fentry/fexit)",
                    [
                        new Bullets(
                            figures
                                .Attribution.Select(a =>
                                    $"{a.Reading.Variant} {a.Reading.Event}: {Format.Number(a.Reading.PerRun, "0.0")} "
                                    + $"per run, {Format.Number(a.NetPerRun, "0.0")} net of the baseline "
                                    + $"({a.Reading.Runs} runs)"
                                )
                                .ToList()
                        ),
                    ]
                )
            );

        var others = plots.Where(p => p.Name != Plots.HeadlineName).ToList();
        if (others.Count > 0)
            sections.Add(new Section("Plots", others.Select(p => (Block)new Figure(p)).ToList(), InTerminal: false));

        var warnings = figures.Warnings;
        if (figures.Notes.Count > 0 || warnings.Count > 0)
        {
            var blocks = new List<Block>();
            if (figures.Notes.Count > 0)
                blocks.Add(new Bullets(figures.Notes));
            if (warnings.Count > 0)
            {
                blocks.Add(new Bullets(Summarise(warnings)));
                blocks.Add(
                    new Collapsible(
                        $"every warning ({warnings.Count})",
                        [new Bullets(warnings.Select(w => w.ToString()).ToList())]
                    )
                );
            }
            sections.Add(new Section("Notes and warnings", blocks));
        }
        sections.Add(new Section("Environment", [new TableBlock(Environment(figures.Environment))], InTerminal: false));
        return new ReportDocument(title, sections);
    }

    /// <summary>One line per kind of warning: how many cells, and the worst three.</summary>
    public static IReadOnlyList<string> Summarise(IReadOnlyList<Warning> warnings) =>
        warnings
            .GroupBy(w => w.Kind)
            .Select(g =>
            {
                var worst = g.OrderByDescending(w => w.Severity).Take(3).Select(w => $"{w.Cell} ({w.Detail})");
                var cells = g.Count() == 1 ? "cell" : "cells";
                return $"{g.Key}: {g.Count()} {cells}; {(g.Count() > 3 ? "worst " : "")}{string.Join("; ", worst)}";
            })
            .ToList();

    private static IReadOnlyList<Block> VerificationBlocks(RunResult result) =>
        [
            new Bullets(
                result
                    .Verification.Select(v =>
                    {
                        if (v.Role == MeasuredRole.Program)
                            return $"{v.Variant}: a program measured as it is, with no counts to verify";
                        if (v.Role != MeasuredRole.Counter)
                            return $"{v.Variant}: "
                                + $"{(v.Role == MeasuredRole.Baseline ? "the baseline" : "the baseline's A/A copy")}, "
                                + "not a counter";
                        if (v.Windows == 0)
                            return $"{v.Variant}: not run live";
                        var misses =
                            v.Outside == 0
                                ? ""
                                : $", {v.Outside} outside their statistical bound ({v.Outside} of {v.Checks} checks; "
                                    + "chance alone gives that many or more with probability "
                                    + $"{v.ChanceOfMisses:0.###})";
                        return $"{v.Variant}: {v.Exact} of {v.Windows} windows "
                            + $"exact{(v.WithinBound > 0 ? $", {v.WithinBound} within their declared bound" : "")}{misses}; "
                            + $"sent {v.Sent:N0}, delivered {v.Delivered:N0}, counted {v.Counted:N0} (the "
                            + "mix's uncounted classes excluded)";
                    })
                    .ToList()
            ),
        ];

    private static readonly IReadOnlyList<Column<Emulation.HotLine>> HotLineColumns =
    [
        Column.Key<Emulation.HotLine>("VARIANT", null, "", h => h.Variant),
        Column.Key<Emulation.HotLine>("MIX", null, "", h => $"{h.Mix}, {h.FrameSize} B"),
        Column.Key<Emulation.HotLine>("LINE", null, "", h => h.Line),
        Column.Number<Emulation.HotLine>(
            "INSNS/PKT",
            null,
            "BPF instructions of the line a packet of the mix executes, on average",
            h => h.Executed,
            "0.##"
        ),
        Column.Number<Emulation.HotLine>(
            "SHARE",
            null,
            "its share of every instruction the packet executes",
            h => h.Share * 100,
            "0'%'"
        ),
        Column.Key<Emulation.HotLine>("SOURCE", null, "", h => h.Text),
    ];

    private static readonly IReadOnlyList<Column<CountCheck>> MiscountColumns =
    [
        Column.Key<CountCheck>("COUNT", null, "the count, as the variant names it", c => c.Count),
        Column.Of<CountCheck>("EXPECTED", "what the traffic sent says it must be", c => c.Expected),
        Column.Of<CountCheck>("COUNTED", "what the variant counted", c => c.Counted),
        new Column<CountCheck>
        {
            Header = "DIFF",
            Legend = "counted minus expected",
            Value = c => (long)c.Counted - (long)c.Expected,
            Text = c => ((long)c.Counted - (long)c.Expected).ToString("+#;-#;0", CultureInfo.InvariantCulture),
        },
    ];

    private static Table Environment(MachineFacts machine) =>
        ColumnTable.Of<(string Name, string Value)>(
            null,
            [
                Column.Key<(string Name, string Value)>("", null, "", r => r.Name),
                Column.Key<(string Name, string Value)>("", null, "", r => r.Value),
            ],
            [
                ("kernel", machine.Kernel),
                ("OS", machine.Os),
                ("CPU", $"{machine.CpuModel}, {machine.OnlineCpus} online, {machine.PossibleCpus} possible"),
                ("BPF JIT", machine.JitState),
                ("libbpf", machine.Libbpf),
                (".NET", machine.DotNet),
                ("counter sources", string.Join("; ", Tables.SourceSummary(machine.Sources))),
                ("command", machine.CommandLine),
                ("started (UTC)", machine.StartedUtc.ToString("u", CultureInfo.InvariantCulture)),
            ]
        );
}
