using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The run's tables, each a list of columns over rows of the run's result. The terminal,
/// report.md and report.html render the same <see cref="Table"/> objects.
/// </summary>
public static class Tables
{
    public const string BaselineMarker = "*";

    /// <summary>The comparison: one table per live setting, or per mix and size for a micro-only run.</summary>
    public static IReadOnlyList<Table> Comparison(RunResult result)
    {
        var budget = result.Plan.InstructionBudget;
        var tables = result
            .Live.Select(f => f.Setting)
            .Distinct()
            .Select(setting =>
            {
                var rows = ComparisonRow.Of(result, setting);
                var reference = rows.FirstOrDefault(r => r.Live.Speedup is not null)?.Live.Speedup?.Reference;
                return ColumnTable.Of(setting.ToString(), ComparisonColumns.For(reference, budget), rows) with
                {
                    Footnote =
                        $"`{BaselineMarker}` marks the baseline, the floor every net figure is measured "
                        + "against; \"A/A\" is a second, separately loaded copy of it, measured like a "
                        + "variant: its net figures are the run's noise floor.",
                };
            })
            .ToList();
        if (tables.Count > 0)
            return tables;
        return result
            .MicroMix.GroupBy(f => (f.Mix, f.FrameSize))
            .Select(group =>
                ColumnTable.Of(
                    $"mix {group.Key.Mix}, {group.Key.FrameSize} B frames (micro mode only)",
                    ComparisonColumns.MicroOnly(budget),
                    InRoleOrder(group.ToList(), f => f.Role)
                        .Select(f => new MicroComparisonRow(
                            f,
                            MixColumns.InstructionsOf(result, f.Variant, f.Mix, f.FrameSize),
                            result.Variants.FirstOrDefault(v => v.Name == f.Variant)
                        )
                        {
                            Tier = result.Findings.Micro(f.Mix, f.FrameSize)?.TierOf(f.Variant),
                        })
                )
            )
            .ToList();
    }

    /// <summary>Figures from the run-stats windows, which never give a rate.</summary>
    public static IReadOnlyList<Table> RunStats(RunResult result)
    {
        IReadOnlyList<Column<LiveFigure>> columns =
        [
            Variant<LiveFigure>(f => f.Variant, f => f.Role),
            Column.Number<LiveFigure>(
                "NS/RUN",
                null,
                "Δrun_time_ns / Δrun_cnt from bpf_prog_info over the stats slices (the same traffic as the "
                    + "throughput slices, with run stats on)",
                f => f.NsPerRun?.Mean.Mean,
                "0.0",
                "ns"
            ),
            Column.Ci<LiveFigure>(f => f.NsPerRun?.Mean.HalfWidth, "0.0"),
            Column.Number<LiveFigure>(
                "CPU%",
                null,
                "Δrun_time_ns / wall over the stats slices: the program's share of one CPU",
                f => f.CpuPercent?.Mean.Mean,
                "0.0",
                "%"
            ),
            Column.Number<LiveFigure>(
                "STATS COST NS/PKT",
                null,
                "what run stats add: CPU ns per packet in the stats slice minus the throughput slices of the same "
                    + "round. Stats read the clock around every BPF program run on the host, the generator's included",
                f => f.StatsCostNsPerPacket?.Estimate,
                "0.0",
                "ns"
            ),
            Column.Ci<LiveFigure>(f => f.StatsCostNsPerPacket?.HalfWidth, "0.0"),
        ];
        return result
            .Live.Where(f => f.NsPerRun is not null)
            .GroupBy(f => f.Setting)
            .Select(g => ColumnTable.Of($"run stats slices: {g.Key}", columns, InRoleOrder(g.ToList(), f => f.Role)))
            .ToList();
    }

    /// <summary>Micro cost per traffic class: net of the baseline, and the baseline's own absolute figure.</summary>
    public static IReadOnlyList<Table> MicroPerClass(RunResult result) =>
        PerClass(
            result.Micro,
            size =>
                $"{size} B frames: ns/packet net of the baseline, Hodges-Lehmann ± 95% Wilcoxon CI over ABBA pairs "
                + "(the baseline: its absolute ns/packet, which compares only within this run)",
            f =>
                f.Role == MeasuredRole.Baseline
                    ? Format.Number(f.NsPerPacket.Mean.Mean, "0.00") + " abs"
                    : Format.WithCi(f.NetOfBaseline, "0.00")
        );

    /// <summary>The smallest net effect each micro cell could have detected: what a "0" in the table above can still hide.</summary>
    public static IReadOnlyList<Table> MicroDetectable(RunResult result) =>
        PerClass(
            result.Micro.Where(f => f.NetOfBaseline is not null).ToList(),
            size =>
                $"{size} B frames: smallest net effect each cell would detect (ns/packet, 80% power, 5% level); "
                + "pairs measured in brackets",
            f => $"{Format.Number(f.DetectableNs, "0.00")} [{f.Pairs}]"
        );

    // A row per variant and a column per class, one table per frame size.
    private static IReadOnlyList<Table> PerClass(
        IReadOnlyList<MicroFigure> figures,
        Func<int, string> title,
        Func<MicroFigure, string> cell
    )
    {
        var classes = figures.Select(f => f.Class).Distinct().Order().ToList();
        IReadOnlyList<Column<IGrouping<string, MicroFigure>>> columns =
        [
            Variant<IGrouping<string, MicroFigure>>(g => g.Key, g => g.First().Role),
            .. classes.Select(c =>
                ClassColumn<IGrouping<string, MicroFigure>>(
                    c,
                    g => g.FirstOrDefault(f => f.Class == c) is { } f ? cell(f) : "-"
                )
            ),
        ];
        return figures
            .GroupBy(f => f.FrameSize)
            .Select(size =>
                ColumnTable.Of(
                    title(size.Key),
                    columns,
                    InRoleOrder(size.GroupBy(f => f.Variant).ToList(), g => g.First().Role)
                )
            )
            .ToList();
    }

    /// <summary>Executed BPF instructions [helper calls] per steady-state packet of each class.</summary>
    public static IReadOnlyList<Table> Instructions(RunResult result)
    {
        var budget = result.Plan.InstructionBudget;
        return result
            .Instructions.GroupBy(p => p.FrameSize)
            .Select(size =>
            {
                var classes = size.Select(p => p.Profile.Class).Distinct().Order().ToList();
                IReadOnlyList<Column<IGrouping<string, InstructionFigure>>> columns =
                [
                    Column.Key<IGrouping<string, InstructionFigure>>("VARIANT", null, "the variant", g => g.Key),
                    .. classes.Select(c =>
                        ClassColumn<IGrouping<string, InstructionFigure>>(
                            c,
                            g =>
                                g.FirstOrDefault(p => p.Profile.Class == c)?.Profile is { } p
                                    ? Format.Count(p.Instructions)
                                        + $" [{Format.Count(p.HelperCalls)}]"
                                        + (p.Instructions > budget ? "!" : "")
                                    : "-"
                        )
                    ),
                ];
                return ColumnTable.Of(
                    $"{size.Key} B frames: instructions [helper calls] per steady-state packet; budget {budget}",
                    columns,
                    size.GroupBy(p => p.Profile.Variant)
                );
            })
            .ToList();
    }

    /// <summary>What each program returns for a frame of each class, as the kernel ran it.</summary>
    public static IReadOnlyList<Table> Verdicts(RunResult result) =>
        result
            .Verdicts.GroupBy(v => v.FrameSize)
            .Select(size =>
            {
                var classes = size.Select(v => v.Class).Distinct().Order().ToList();
                IReadOnlyList<Column<IGrouping<string, ClassVerdict>>> columns =
                [
                    Column.Key<IGrouping<string, ClassVerdict>>("VARIANT", null, "the variant", g => g.Key),
                    .. classes.Select(c =>
                        ClassColumn<IGrouping<string, ClassVerdict>>(
                            c,
                            g => g.FirstOrDefault(v => v.Class == c)?.Verdict.ToString().ToUpperInvariant() ?? "-"
                        )
                    ),
                ];
                return ColumnTable.Of(
                    $"{size.Key} B frames: what each program returns for one frame of each class (BPF_PROG_TEST_RUN)",
                    columns,
                    size.GroupBy(v => v.Variant)
                );
            })
            .ToList();

    public static Table StaticFacts(RunResult result) =>
        ColumnTable.Of(
            "from bpf_prog_info",
            [
                Column.Key<VariantBuild>("VARIANT", null, "the variant", f => f.Name),
                .. MixColumns
                    .Build<VariantBuild>(f => f)
                    .Zip(["XLATED INSNS", "JITED BYTES", "VERIFIED INSNS"])
                    .Select(c => c.First with { Header = c.Second, InTable = true }),
                .. MixColumns.Verifier<VariantBuild>(f => f),
                new Column<VariantBuild>
                {
                    Header = "MAPS",
                    Legend = "each map of the program: name, type, key/value size and entries",
                    Value = f =>
                        f.Info.Maps.Count == 0
                            ? "-"
                            : string.Join(
                                "; ",
                                f.Info.Maps.Select(m =>
                                    $"{m.Name} {m.Type} {m.KeySize}/{m.ValueSize} B x{m.MaxEntries}"
                                )
                            ),
                },
            ],
            result.Variants
        );

    /// <summary>Every non-time counter per packet, one row per variant and setting (throughput windows, mean).</summary>
    public static Table? CountersPerPacket(RunResult result)
    {
        var names = result
            .CountersPerPacket.SelectMany(c => c.PerPacket.Keys)
            .Distinct()
            .Except(result.NegligibleFigures)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
            return null;
        return ColumnTable.Of(
            "throughput windows, mean",
            [
                Column.Key<CountersFigure>("VARIANT", null, "the variant", c => c.Variant),
                Column.Key<CountersFigure>("SETTING", null, "the live setting", c => c.Setting.ToString()),
                Column.Number<CountersFigure>(
                    "MPPS",
                    null,
                    "the mean of the throughput slices' rates",
                    c => c.Mpps,
                    "0.00",
                    "Mpps"
                ),
                .. names.Select(n => new Column<CountersFigure>
                {
                    Header = n,
                    Legend = "",
                    Value = c => c.PerPacket.TryGetValue(n, out var v) ? v : null,
                    Text = c =>
                        c.PerPacket.TryGetValue(n, out var v)
                            ? Format.Number(v, Math.Abs(v) < 10 ? "0.000" : "0.0")
                            : "-",
                }),
            ],
            result.CountersPerPacket
        );
    }

    public static Table? Correlations(RunResult result) =>
        result.Correlations.Count == 0
            ? null
            : ColumnTable.Of(
                "throughput against figures measured apart from it, every variant and round",
                [
                    Column.Key<Correlation>("SETTING", null, "the live setting", c => c.Setting.ToString()),
                    Column.Key<Correlation>("FIGURE", null, "the figure set against Mpps", c => c.Figure),
                    Column.Of<Correlation>("N", "throughput slices with the figure", c => c.Points),
                    Column.Number<Correlation>("PEARSON R", null, "Pearson's r", c => c.PearsonR, "0.000"),
                    Column.Number<Correlation>(
                        "SLOPE (Mpps/unit)",
                        null,
                        "the least-squares line's slope",
                        c => c.Slope,
                        "0.####"
                    ),
                    Column.Number<Correlation>(
                        "R²",
                        null,
                        "the line's coefficient of determination",
                        c => c.RSquared,
                        "0.000"
                    ),
                ],
                result.Correlations
            ) with
            {
                Footnote =
                    "CPU% and time events counted system-wide are not here: each is the rate itself in other units "
                    + "(run time over wall, CPUs × wall over packets), so their correlation with Mpps would be "
                    + "arithmetic, not a finding.",
            };

    /// <summary>
    /// Counter sources, one line per distinct state: "hardware events (10): not supported:
    /// no PMU on this machine". The full list is in environment.json and the HTML report.
    /// </summary>
    public static IReadOnlyList<string> SourceSummary(IEnumerable<SourceState> sources) =>
        sources
            .GroupBy(s => (s.Available, s.Detail))
            .Select(g =>
            {
                var names = g.Select(s => s.Source).ToList();
                var what =
                    names.Count == 1
                        ? names[0]
                        : $"{KindOf(names)} ({names.Count}: {string.Join(", ", names.Select(n => n.Replace("perf ", "")))})";
                return $"{what}: {(g.Key.Available ? "available" : g.Key.Detail)}";
            })
            .ToList();

    private static string KindOf(IReadOnlyList<string> names) =>
        names.All(n => n.StartsWith("perf ", StringComparison.Ordinal)) ? "perf events" : "sources";

    public static Table Sources(IEnumerable<SourceState> sources) =>
        ColumnTable.Of(
            null,
            [
                Column.Key<SourceState>("SOURCE", null, "the counter source", s => s.Source),
                Column.Key<SourceState>(
                    "STATE",
                    null,
                    "available, or not supported and why",
                    s => s.Available ? $"available: {s.Detail}" : s.Detail
                ),
            ],
            sources
        );

    /// <summary>The baseline first, its A/A copy next, then the counters in the order they ran.</summary>
    public static IReadOnlyList<T> InRoleOrder<T>(IReadOnlyList<T> items, Func<T, MeasuredRole> role) =>
        items
            .Select((item, index) => (item, index))
            .OrderBy(x => role(x.item))
            .ThenBy(x => x.index)
            .Select(x => x.item)
            .ToList();

    public static string Label(string variant, MeasuredRole role) =>
        role == MeasuredRole.Baseline ? variant + BaselineMarker : variant;

    /// <summary>Line rates at 64-byte frames and the time one core may spend on each packet.</summary>
    public static Table LineRates() =>
        ColumnTable.Of(
            "line rates, 64 B frames (20 B of preamble and gap on the wire around each)",
            [
                Column.Key<LineRate>("LINK", null, "the Ethernet link", r => $"{r.Gbps} GbE"),
                Column.Number<LineRate>("MPPS", null, "the link's packet rate", r => r.Mpps, "0.00", "Mpps"),
                Column.Number<LineRate>(
                    "NS/PKT PER CORE",
                    null,
                    "the time one core may spend per packet to keep up alone",
                    r => r.NsPerPacketPerCore,
                    "0.00",
                    "ns"
                ),
            ],
            LineRate.Standard
        );

    /// <summary>Per mix and size: each design's cost beside the 40 Mpps budget, and the cores it needs.</summary>
    public static IReadOnlyList<Table> Budget(RunResult result)
    {
        var target = DesignBudget.TargetMpps;
        IReadOnlyList<Column<DesignBudget>> columns =
        [
            Variant<DesignBudget>(d => d.Variant, d => d.Role),
            Column.Number<DesignBudget>(
                "MICRO NS/PKT",
                null,
                "the program alone in BPF_PROG_TEST_RUN, the baseline's cost included: what XDP itself costs with "
                    + "this design",
                d => d.MicroNsPerPacket,
                "0.00",
                "ns"
            ),
            Column.Number<DesignBudget>(
                "CORES (MICRO)",
                null,
                $"cores that design needs for {target:0} Mpps if only the program ran on them: the floor",
                d => DesignBudget.CoresFor(target, d.MicroNsPerPacket),
                "0"
            ),
            Column.Number<DesignBudget>(
                "LIVE NS/PKT/CORE",
                null,
                "the testbed's whole path per packet and sending core with the drop sink (generator, veth, "
                    + "program): CPUs x 1000 / Mpps",
                d => d.LiveNsPerPacketPerCore,
                "0.0",
                "ns"
            ),
            Column.Number<DesignBudget>(
                "CORES (LIVE PATH)",
                null,
                $"cores for {target:0} Mpps at that cost: a ceiling, since a NIC driver's path is leaner than the "
                    + "generator and veth",
                d => DesignBudget.CoresFor(target, d.LiveNsPerPacketPerCore),
                "0"
            ),
            Column.Number<DesignBudget>(
                "NET NS/PKT",
                null,
                "the design's own cost over the baseline (micro, else live)",
                d => d.NetNsPerPacket,
                "0.00",
                "ns"
            ) with
            {
                Text = d => d.Role == MeasuredRole.Baseline ? "0 (ref)" : Format.Number(d.NetNsPerPacket, "0.00"),
            },
            new Column<DesignBudget>
            {
                Header = "CORE SHARE OF NET",
                Legend = $"the share of one core the design's own work takes at {target:0} Mpps",
                Unit = "%",
                Value = d => DesignBudget.CoreShareAt(target, d.NetNsPerPacket) * 100,
                Text = d =>
                    d.Role == MeasuredRole.Baseline
                        ? ""
                        : Format.Number(DesignBudget.CoreShareAt(target, d.NetNsPerPacket) * 100, "0.0") + "%",
            },
        ];
        return result
            .Budgets.Select(cell =>
                ColumnTable.Of(
                    $"mix {cell.Mix}, {cell.FrameSize} B: cost per packet against {target:0} Mpps "
                        + $"({1000 / target:0.0} ns per packet for one core)",
                    columns,
                    InRoleOrder(cell.Designs.Where(d => d.Role != MeasuredRole.Control).ToList(), d => d.Role)
                )
            )
            .Where(t => t.Rows.Count > 0)
            .ToList();
    }

    /// <summary>Mpps against generator CPUs, where a run measured more than one count.</summary>
    public static IReadOnlyList<Table> Scaling(RunResult result) =>
        result
            .Scaling.GroupBy(s => s.Setting)
            .Select(setting =>
            {
                var cpuCounts = setting.SelectMany(s => s.Mpps.Select(m => m.Cpus)).Distinct().Order().ToList();
                IReadOnlyList<Column<Scaling>> columns =
                [
                    Variant<Scaling>(s => s.Variant, s => s.Role),
                    .. cpuCounts.Select(c => new Column<Scaling>
                    {
                        Header = $"{c} CPU{(c == 1 ? "" : "S")} MPPS",
                        Legend = "",
                        Value = s => s.Mpps.FirstOrDefault(m => m.Cpus == c)?.Mpps,
                        Text = s =>
                            s.Mpps.FirstOrDefault(m => m.Cpus == c) is { } m
                                ? $"{Format.Number(m.Mpps, "0.00")} ± {Format.Number(m.HalfWidth, "0.00")}"
                                : "-",
                    }),
                    Column.Number<Scaling>(
                        "SCALING",
                        null,
                        "Mpps at the most CPUs over Mpps at the fewest, divided by the ratio of CPUs: 100% doubles "
                            + "the rate with twice the CPUs",
                        s => s.Efficiency * 100,
                        "0",
                        "%"
                    ) with
                    {
                        Text = s => s.Efficiency is { } e ? Format.Number(e * 100, "0") + "%" : "-",
                    },
                ];
                return ColumnTable.Of(
                    $"{setting.Key}: Mpps against generator CPUs",
                    columns,
                    InRoleOrder(setting.ToList(), s => s.Role)
                );
            })
            .ToList();

    /// <summary>Each swept family's net cost against its number.</summary>
    public static IReadOnlyList<Table> Sweeps(RunResult result) =>
        result
            .Sweeps.Select(sweep =>
                ColumnTable.Of(
                    $"{sweep.Family}: net cost against {sweep.Parameter} ({sweep.Context})",
                    [
                        Column.Key<SweepPoint>("VARIANT", null, "the variant", p => p.Variant),
                        Column.Number<SweepPoint>(
                            sweep.Parameter.ToUpperInvariant(),
                            null,
                            $"the build's {sweep.Parameter}",
                            p => p.Value,
                            "0.##"
                        ),
                        Column.Number<SweepPoint>(
                            "MICRO NET NS/PKT",
                            null,
                            "micro ns/packet over the baseline, weighted by the mix",
                            p => p.MicroNet?.Estimate,
                            "0.00",
                            "ns"
                        ),
                        Column.Ci<SweepPoint>(p => p.MicroNet?.HalfWidth, "0.00"),
                        Column.Number<SweepPoint>(
                            "LIVE NET NS/PKT",
                            null,
                            "live CPU ns/packet over the baseline, drop sink",
                            p => p.LiveNet?.Estimate,
                            "0.00",
                            "ns"
                        ),
                        Column.Ci<SweepPoint>(p => p.LiveNet?.HalfWidth, "0.00"),
                    ],
                    sweep.Points
                )
            )
            .ToList();

    /// <summary>A variant's name, the baseline marked.</summary>
    private static Column<TRow> Variant<TRow>(Func<TRow, string> variant, Func<TRow, MeasuredRole> role) =>
        Column.Key<TRow>("VARIANT", null, "the variant", r => variant(r)) with
        {
            Text = r => Label(variant(r), role(r)),
        };

    // One traffic class's cell; the table's title says what the cells hold.
    private static Column<TRow> ClassColumn<TRow>(TrafficClass trafficClass, Func<TRow, string> text) =>
        new()
        {
            Header = TrafficClasses.Name(trafficClass),
            Legend = "",
            Value = text,
        };
}
