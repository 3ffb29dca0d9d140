using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The run's tables, each built once from the figures. The terminal, report.md and
/// report.html render the same <see cref="Table"/> objects.
/// </summary>
public static class Tables
{
    public const string BaselineMarker = "*";

    /// <summary>The comparison: one table per live setting, or per mix and size for a micro-only run.</summary>
    public static IReadOnlyList<Table> Comparison(RunResult figures)
    {
        var tables = new List<Table>();
        foreach (var setting in figures.Live.Select(f => f.Setting).Distinct())
        {
            var live = figures.Live.Where(f => f.Setting == setting).ToList();
            var micro = figures.MicroMix.Where(f => f.Mix == setting.Mix && f.FrameSize == setting.FrameSize).ToList();
            var reference = live.FirstOrDefault(f => f.Speedup is not null)?.Speedup?.Reference;
            var rows = InRoleOrder(live, f => f.Role)
                .Select(l =>
                {
                    var net = micro.FirstOrDefault(m => m.Variant == l.Variant)?.NetOfBaseline;
                    var insns = InstructionsPerPacket(figures, l.Variant, setting.Mix, setting.FrameSize);
                    return (IReadOnlyList<string>)
                        [
                            Label(l.Variant, l.Role),
                            Format.Count(setting.IsExternal ? l.PacketsDelivered : (ulong)l.PacketsSent),
                            Format.Number(l.Mpps?.Mean.Mean, "0.00"),
                            Format.Number(l.Mpps?.Mean.HalfWidth, "0.00"),
                            l.Role == MeasuredRole.Baseline
                                ? "0 (ref)"
                                : Format.Number(l.NetCpuNsPerPacket?.Estimate, "0.00"),
                            l.Role == MeasuredRole.Baseline
                                ? ""
                                : Format.Number(l.NetCpuNsPerPacket?.HalfWidth, "0.00"),
                            l.Role == MeasuredRole.Baseline ? "0 (ref)" : Format.Number(net?.Estimate, "0.00"),
                            l.Role == MeasuredRole.Baseline ? "" : Format.Number(net?.HalfWidth, "0.00"),
                            l.Speedup is { } s
                                ? Format.Number(s.Value.Estimate, "0.00")
                                    + "x"
                                    + (s.Method == SpeedupMethod.Delta ? " (d)" : "")
                                : "-",
                            Format.Number(l.Speedup?.Value.HalfWidth, "0.00"),
                            Instructions(insns, figures.Plan.InstructionBudget),
                            VerificationStatuses.Name(l.Verification),
                        ];
                })
                .ToList();
            tables.Add(
                new Table(
                    setting.IsExternal
                        ? $"{setting.Source}, its own traffic, {Sinks.Name(setting.Sink)} sink"
                        : $"mix {setting.Mix}, {setting.SizeText} "
                            + $"frames{(setting.Flows > 1 ? $", {setting.Flows:N0} flows" : "")}, generator on "
                            + $"{setting.Source}, {Sinks.Name(setting.Sink)} sink",
                    [
                        "VARIANT",
                        "PACKETS",
                        "MPPS",
                        "±CI",
                        "LIVE NET NS/PKT",
                        "±CI",
                        "MICRO NET NS/PKT",
                        "±CI",
                        reference is null ? "SPEEDUP" : $"SPEEDUP VS {reference.ToUpperInvariant()}",
                        "±CI",
                        "INSNS/PKT",
                        "VERIFIED",
                    ],
                    rows
                )
                {
                    Legend = ComparisonLegend(reference),
                    Footnote =
                        $"`{BaselineMarker}` marks the baseline, the floor every net figure is measured "
                        + "against; \"A/A\" is a second, separately loaded copy of it, measured like a "
                        + "variant: its net figures are the run's noise floor.",
                }
            );
        }
        if (tables.Count == 0)
        {
            foreach (var group in figures.MicroMix.GroupBy(f => (f.Mix, f.FrameSize)))
            {
                tables.Add(
                    new Table(
                        $"mix {group.Key.Mix}, {group.Key.FrameSize} B frames (micro mode only)",
                        ["VARIANT", "MICRO NS/PKT", "±CI", "MICRO NET NS/PKT", "±CI", "INSNS/PKT"],
                        InRoleOrder(group.ToList(), f => f.Role)
                            .Select(f =>
                                (IReadOnlyList<string>)
                                    [
                                        Label(f.Variant, f.Role),
                                        Format.Number(f.NsPerPacket.Mean, "0.00"),
                                        Format.Number(f.NsPerPacket.HalfWidth, "0.00"),
                                        f.Role == MeasuredRole.Baseline
                                            ? "0 (ref)"
                                            : Format.Number(f.NetOfBaseline?.Estimate, "0.00"),
                                        f.Role == MeasuredRole.Baseline
                                            ? ""
                                            : Format.Number(f.NetOfBaseline?.HalfWidth, "0.00"),
                                        Instructions(
                                            InstructionsPerPacket(
                                                figures,
                                                f.Variant,
                                                group.Key.Mix,
                                                group.Key.FrameSize
                                            ),
                                            figures.Plan.InstructionBudget
                                        ),
                                    ]
                            )
                            .ToList()
                    )
                    {
                        Legend = ComparisonLegend(null)
                            .Where(l => l.Column is "MICRO NET NS/PKT" or "±CI" or "INSNS/PKT")
                            .Prepend(("MICRO NS/PKT", "BPF_PROG_TEST_RUN ns/packet, weighted by the mix"))
                            .ToList(),
                    }
                );
            }
        }
        return tables;
    }

    private static IReadOnlyList<(string Column, string Meaning)> ComparisonLegend(string? reference) =>
        [
            ("PACKETS", "packets sent in the variant's throughput slices (delivered, for external traffic)"),
            (
                "MPPS",
                "mean over rounds of the round's packets / generator wall time in the throughput "
                    + "slices, millions per second; run stats are off in these slices"
            ),
            ("±CI", "half-width of the 95% confidence interval of the figure to its left"),
            (
                "LIVE NET NS/PKT",
                "live CPU ns per packet (generator CPUs × 1000 / Mpps) minus the baseline's, "
                    + "paired within quadruples of slices: Hodges-Lehmann with a Wilcoxon CI (Student "
                    + "t below 10 quadruples)"
            ),
            (
                "MICRO NET NS/PKT",
                "BPF_PROG_TEST_RUN ns/packet minus the baseline's, paired within quadruples of "
                    + "slices (Hodges-Lehmann, Wilcoxon CI per class), weighted by the mix"
            ),
            (
                reference is null ? "SPEEDUP" : $"SPEEDUP VS {reference.ToUpperInvariant()}",
                reference is null
                    ? "no reference counter in this run"
                    : $"MPPS over {reference}'s MPPS, from per-round ratios, or, marked (d), from the "
                        + "two means by the delta method, whichever CI is tighter"
            ),
            (
                "INSNS/PKT",
                "BPF instructions executed per packet of the mix (emulated, as compiled, before "
                    + "the verifier's rewrites; '!' marks a variant over the budget); helper calls in brackets"
            ),
            (
                "VERIFIED",
                "exact: every count equalled what the variant declares for the traffic sent, in "
                    + "every window; within bound: every exact count did, and every sampled or "
                    + "policy-bound count fell within its declared bound"
            ),
        ];

    /// <summary>Figures from the run-stats windows, which never give a rate.</summary>
    public static IReadOnlyList<Table> RunStats(RunResult figures) =>
        figures
            .Live.Where(f => f.NsPerRun is not null)
            .GroupBy(f => f.Setting)
            .Select(g => new Table(
                $"run stats slices: {g.Key}",
                ["VARIANT", "NS/RUN", "±CI", "CPU%", "STATS COST NS/PKT", "±CI"],
                InRoleOrder(g.ToList(), f => f.Role)
                    .Select(f =>
                        (IReadOnlyList<string>)
                            [
                                Label(f.Variant, f.Role),
                                Format.Number(f.NsPerRun?.Mean.Mean, "0.0"),
                                Format.Number(f.NsPerRun?.Mean.HalfWidth, "0.0"),
                                Format.Number(f.CpuPercent?.Mean.Mean, "0.0"),
                                Format.Number(f.StatsCostNsPerPacket?.Estimate, "0.0"),
                                Format.Number(f.StatsCostNsPerPacket?.HalfWidth, "0.0"),
                            ]
                    )
                    .ToList()
            )
            {
                Legend =
                [
                    (
                        "NS/RUN",
                        "Δrun_time_ns / Δrun_cnt from bpf_prog_info over the stats slices (the same "
                            + "traffic as the throughput slices, with run stats on)"
                    ),
                    ("CPU%", "Δrun_time_ns / wall over the stats slices: the program's share of one CPU"),
                    (
                        "STATS COST NS/PKT",
                        "what run stats add: CPU ns per packet in the stats slice minus the throughput "
                            + "slices of the same round. Stats read the clock around every BPF program run on "
                            + "the host, the generator's included"
                    ),
                ],
            })
            .ToList();

    /// <summary>Micro cost per traffic class: net of the baseline, and the baseline's own absolute figure.</summary>
    public static IReadOnlyList<Table> MicroPerClass(RunResult figures)
    {
        var classes = figures.Micro.Select(f => f.Class).Distinct().Order().ToList();
        return figures
            .Micro.GroupBy(f => f.FrameSize)
            .Select(size => new Table(
                $"{size.Key} B frames: ns/packet net of the baseline, Hodges-Lehmann ± 95% "
                    + "Wilcoxon CI over ABBA pairs (the baseline: its absolute ns/packet, which "
                    + "compares only within this run)",
                ["VARIANT", .. classes.Select(TrafficClasses.Name)],
                InRoleOrder(size.GroupBy(f => f.Variant).ToList(), g => g.First().Role)
                    .Select(g =>
                        (IReadOnlyList<string>)
                            [
                                Label(g.Key, g.First().Role),
                                .. classes.Select(c =>
                                    g.FirstOrDefault(f => f.Class == c) is not { } f ? "-"
                                    : f.Role == MeasuredRole.Baseline
                                        ? Format.Number(f.NsPerPacket.Mean.Mean, "0.00") + " abs"
                                    : Format.WithCi(f.NetOfBaseline, "0.00")
                                ),
                            ]
                    )
                    .ToList()
            ))
            .ToList();
    }

    /// <summary>The smallest net effect each micro cell could have detected: what a "0" in the table above can still hide.</summary>
    public static IReadOnlyList<Table> MicroDetectable(RunResult figures)
    {
        var classes = figures.Micro.Select(f => f.Class).Distinct().Order().ToList();
        return figures
            .Micro.Where(f => f.NetOfBaseline is not null)
            .GroupBy(f => f.FrameSize)
            .Select(size => new Table(
                $"{size.Key} B frames: smallest net effect each cell would detect (ns/packet, 80% "
                    + "power, 5% level); pairs measured in brackets",
                ["VARIANT", .. classes.Select(TrafficClasses.Name)],
                InRoleOrder(size.GroupBy(f => f.Variant).ToList(), g => g.First().Role)
                    .Select(g =>
                        (IReadOnlyList<string>)
                            [
                                Label(g.Key, g.First().Role),
                                .. classes.Select(c =>
                                    g.FirstOrDefault(f => f.Class == c) is { } f
                                        ? $"{Format.Number(f.DetectableNs, "0.00")} [{f.Pairs}]"
                                        : "-"
                                ),
                            ]
                    )
                    .ToList()
            ))
            .ToList();
    }

    /// <summary>Executed BPF instructions [helper calls] per steady-state packet of each class.</summary>
    public static IReadOnlyList<Table> Instructions(RunResult figures)
    {
        var budget = figures.Plan.InstructionBudget;
        return figures
            .Instructions.GroupBy(p => p.FrameSize)
            .Select(size =>
            {
                var classes = size.Select(p => p.Profile.Class).Distinct().Order().ToList();
                return new Table(
                    $"{size.Key} B frames: instructions [helper calls] per steady-state packet; budget {budget}",
                    ["VARIANT", .. classes.Select(TrafficClasses.Name)],
                    size.GroupBy(p => p.Profile.Variant)
                        .Select(v =>
                            (IReadOnlyList<string>)
                                [
                                    v.Key,
                                    .. classes.Select(c =>
                                        v.FirstOrDefault(p => p.Profile.Class == c)?.Profile is { } p
                                            ? p.Instructions.ToString(CultureInfo.InvariantCulture)
                                                + $" [{p.HelperCalls.ToString(CultureInfo.InvariantCulture)}]"
                                                + (p.Instructions > budget ? "!" : "")
                                            : "-"
                                    ),
                                ]
                        )
                        .ToList()
                );
            })
            .ToList();
    }

    public static Table StaticFacts(RunResult result) =>
        new(
            "from bpf_prog_info",
            ["VARIANT", "XLATED INSNS", "JITED BYTES", "VERIFIED INSNS", "MAPS"],
            result
                .Variants.Select(f =>
                    (IReadOnlyList<string>)
                        [
                            f.Variant,
                            Format.Count(f.Program.XlatedInstructions),
                            Format.Count(f.Program.JitedBytes),
                            Format.Count(f.Program.VerifiedInstructions),
                            f.Program.Maps.Count == 0
                                ? "-"
                                : string.Join(
                                    "; ",
                                    f.Program.Maps.Select(m =>
                                        $"{m.Name} {m.Type} {m.KeySize}/{m.ValueSize} B x{m.MaxEntries}"
                                    )
                                ),
                        ]
                )
                .ToList()
        );

    /// <summary>Every non-time counter per packet, one row per variant and setting (throughput windows, mean).</summary>
    public static Table? CountersPerPacket(RunResult result)
    {
        if (result.CountersPerPacket.Count == 0)
            return null;
        var names = result
            .CountersPerPacket.SelectMany(c => c.PerPacket.Keys)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        return new Table(
            "throughput windows, mean",
            ["VARIANT", "SETTING", "MPPS", .. names],
            result
                .CountersPerPacket.Select(c =>
                    (IReadOnlyList<string>)
                        [
                            c.Variant,
                            c.Setting.ToString(),
                            Format.Number(c.Mpps, "0.00"),
                            .. names.Select(n =>
                                c.PerPacket.TryGetValue(n, out var v)
                                    ? Format.Number(v, Math.Abs(v) < 10 ? "0.000" : "0.0")
                                    : "-"
                            ),
                        ]
                )
                .ToList()
        );
    }

    public static Table? Correlations(RunResult figures) =>
        figures.Correlations.Count == 0
            ? null
            : new Table(
                "throughput against figures measured apart from it, every variant and round",
                ["SETTING", "FIGURE", "N", "PEARSON R", "SLOPE (Mpps/unit)", "R²"],
                figures
                    .Correlations.Select(c =>
                        (IReadOnlyList<string>)
                            [
                                c.Setting.ToString(),
                                c.Figure,
                                Format.Count(c.Points),
                                Format.Number(c.PearsonR, "0.000"),
                                Format.Number(c.Slope, "0.####"),
                                Format.Number(c.RSquared, "0.000"),
                            ]
                    )
                    .ToList()
            )
            {
                Footnote =
                    "CPU% and time events counted system-wide are not here: each is the rate itself "
                    + "in other units (run time over wall, CPUs × wall over packets), so their "
                    + "correlation with Mpps would be arithmetic, not a finding.",
            };

    /// <summary>
    /// Counter sources, one line per distinct state: "hardware events (10): not supported:
    /// no PMU on this machine". The full list is in environment.json and the HTML report.
    /// </summary>
    public static IReadOnlyList<string> SourceSummary(IEnumerable<Machine.SourceState> sources) =>
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

    public static Table Sources(IEnumerable<Machine.SourceState> sources) =>
        new(
            null,
            ["SOURCE", "STATE"],
            sources
                .Select(s => (IReadOnlyList<string>)[s.Source, s.Available ? $"available: {s.Detail}" : s.Detail])
                .ToList()
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

    private static InstructionMixFigure? InstructionsPerPacket(
        RunResult result,
        string variant,
        string mix,
        int size
    ) => result.InstructionsPerMix.FirstOrDefault(f => f.Variant == variant && f.Mix == mix && f.FrameSize == size);

    private static string Instructions(InstructionMixFigure? insns, int budget) =>
        insns is { } i
            ? $"{Format.Number(i.Instructions, "0.0")} [{Format.Number(i.HelperCalls, "0.##")}]{(i.Instructions > budget ? "!" : "")}"
            : "-";

    /// <summary>Line rates at 64-byte frames and the time one core may spend on each packet.</summary>
    public static Table LineRates() =>
        new(
            "line rates, 64 B frames (20 B of preamble and gap on the wire around each)",
            ["LINK", "MPPS", "NS/PKT PER CORE"],
            LineRate
                .Standard.Select(r =>
                    (IReadOnlyList<string>)
                        [$"{r.Gbps} GbE", Format.Number(r.Mpps, "0.00"), Format.Number(r.NsPerPacketPerCore, "0.00")]
                )
                .ToList()
        );

    /// <summary>Per mix and size: each design's cost beside the 40 Mpps budget, and the cores it needs.</summary>
    public static IReadOnlyList<Table> Budget(RunResult figures)
    {
        var perCore = 1000 / DesignBudget.TargetMpps;
        return figures
            .Budgets.Select(cell =>
            {
                var designs = cell.Designs;
                return new Table(
                    $"mix {cell.Mix}, {cell.FrameSize} B: cost per packet against "
                        + $"{DesignBudget.TargetMpps:0} Mpps ({perCore:0.0} ns per packet for one core)",
                    [
                        "VARIANT",
                        "MICRO NS/PKT",
                        "CORES (MICRO)",
                        "LIVE NS/PKT/CORE",
                        "CORES (LIVE PATH)",
                        "NET NS/PKT",
                        "CORE SHARE OF NET",
                    ],
                    InRoleOrder(designs.Where(d => d.Role != MeasuredRole.Control).ToList(), d => d.Role)
                        .Select(d =>
                            (IReadOnlyList<string>)
                                [
                                    Label(d.Variant, d.Role),
                                    Format.Number(d.MicroNsPerPacket, "0.00"),
                                    DesignBudget
                                        .CoresFor(DesignBudget.TargetMpps, d.MicroNsPerPacket)
                                        ?.ToString(CultureInfo.InvariantCulture)
                                        ?? "-",
                                    Format.Number(d.LiveNsPerPacketPerCore, "0.0"),
                                    DesignBudget
                                        .CoresFor(DesignBudget.TargetMpps, d.LiveNsPerPacketPerCore)
                                        ?.ToString(CultureInfo.InvariantCulture)
                                        ?? "-",
                                    d.Role == MeasuredRole.Baseline
                                        ? "0 (ref)"
                                        : Format.Number(d.NetNsPerPacket, "0.00"),
                                    d.Role == MeasuredRole.Baseline
                                        ? ""
                                        : Format.Number(
                                            DesignBudget.CoreShareAt(DesignBudget.TargetMpps, d.NetNsPerPacket) * 100,
                                            "0.0"
                                        ) + "%",
                                ]
                        )
                        .ToList()
                )
                {
                    Legend =
                    [
                        (
                            "MICRO NS/PKT",
                            "the program alone in BPF_PROG_TEST_RUN, the baseline's cost included: what XDP itself costs with this design"
                        ),
                        (
                            "CORES (MICRO)",
                            $"cores that design needs for {DesignBudget.TargetMpps:0} Mpps if only the program ran on them: the floor"
                        ),
                        (
                            "LIVE NS/PKT/CORE",
                            "the testbed's whole path per packet and sending core with the drop sink "
                                + "(generator, veth, program): CPUs x 1000 / Mpps"
                        ),
                        (
                            "CORES (LIVE PATH)",
                            $"cores for {DesignBudget.TargetMpps:0} Mpps at that cost: a ceiling, since a NIC "
                                + "driver's path is leaner than the generator and veth"
                        ),
                        ("NET NS/PKT", "the design's own cost over the baseline (micro, else live)"),
                        (
                            "CORE SHARE OF NET",
                            $"the share of one core the design's own work takes at {DesignBudget.TargetMpps:0} Mpps"
                        ),
                    ],
                };
            })
            .Where(t => t.Rows.Count > 0)
            .ToList();
    }

    /// <summary>Mpps against generator CPUs, where a run measured more than one count.</summary>
    public static IReadOnlyList<Table> Scaling(RunResult figures) =>
        figures
            .Scaling.GroupBy(s => s.Setting)
            .Select(setting =>
            {
                var cpuCounts = setting.SelectMany(s => s.Mpps.Select(m => m.Cpus)).Distinct().Order().ToList();
                return new Table(
                    $"{setting.Key}: Mpps against generator CPUs",
                    ["VARIANT", .. cpuCounts.Select(c => $"{c} CPU{(c == 1 ? "" : "S")} MPPS"), "SCALING"],
                    InRoleOrder(setting.ToList(), s => s.Role)
                        .Select(s =>
                            (IReadOnlyList<string>)
                                [
                                    Label(s.Variant, s.Role),
                                    .. cpuCounts.Select(c =>
                                        s.Mpps.FirstOrDefault(m => m.Cpus == c) is { Cpus: > 0 } m
                                            ? $"{Format.Number(m.Mpps, "0.00")} ± {Format.Number(m.HalfWidth, "0.00")}"
                                            : "-"
                                    ),
                                    s.Efficiency is { } e ? Format.Number(e * 100, "0") + "%" : "-",
                                ]
                        )
                        .ToList()
                )
                {
                    Legend =
                    [
                        (
                            "SCALING",
                            "Mpps at the most CPUs over Mpps at the fewest, divided by the ratio of CPUs: "
                                + "100% doubles the rate with twice the CPUs"
                        ),
                    ],
                };
            })
            .ToList();

    /// <summary>Each swept family's net cost against its number.</summary>
    public static IReadOnlyList<Table> Sweeps(RunResult figures) =>
        figures
            .Sweeps.Select(sweep => new Table(
                $"{sweep.Family}: net cost against {sweep.Parameter} ({sweep.Context})",
                ["VARIANT", sweep.Parameter.ToUpperInvariant(), "MICRO NET NS/PKT", "±CI", "LIVE NET NS/PKT", "±CI"],
                sweep
                    .Points.Select(p =>
                        (IReadOnlyList<string>)
                            [
                                p.Variant,
                                Format.Number(p.Value, "0.##"),
                                Format.Number(p.MicroNet?.Estimate, "0.00"),
                                Format.Number(p.MicroNet?.HalfWidth, "0.00"),
                                Format.Number(p.LiveNet?.Estimate, "0.00"),
                                Format.Number(p.LiveNet?.HalfWidth, "0.00"),
                            ]
                    )
                    .ToList()
            ))
            .ToList();
}
