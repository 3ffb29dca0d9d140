using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>
/// One variant in one live setting with what the run says of it elsewhere: its micro cost on
/// the setting's mix, its executed instructions and its build. The comparison table's rows,
/// and results.csv's.
/// </summary>
public sealed record ComparisonRow(
    LiveFigure Live,
    MicroMixFigure? Micro,
    InstructionMixFigure? Instructions,
    VariantBuild? Build
) : ICellRow
{
    public string Variant => Live.Variant;

    public MeasuredRole Role => Live.Role;

    public CellKey Cell => Live.Setting.Key;

    /// <summary>Its tier letters among the counters of the setting's live ranking.</summary>
    public string? LiveTier { get; init; }

    /// <summary>Its tier letters among the counters of the micro ranking of the setting's mix and size.</summary>
    public string? MicroTier { get; init; }

    /// <summary>Every variant of the setting, the baseline first, its A/A copy next, then the counters as they ran.</summary>
    public static IReadOnlyList<ComparisonRow> Of(RunResult result, LiveSetting setting) =>
        Tables
            .InRoleOrder(result.Live.Where(f => f.Setting == setting).ToList(), f => f.Role)
            .Select(f => new ComparisonRow(
                f,
                result.MicroMix.FirstOrDefault(m =>
                    m.Variant == f.Variant && m.Mix == setting.Mix && m.FrameSize == setting.FrameSize
                ),
                MixColumns.InstructionsOf(result, f.Variant, setting.Mix, setting.FrameSize),
                result.Variants.FirstOrDefault(v => v.Name == f.Variant)
            )
            {
                LiveTier = result.Findings.Live(setting)?.TierOf(f.Variant),
                MicroTier = result.Findings.Micro(setting.Mix, setting.FrameSize)?.TierOf(f.Variant),
            })
            .ToList();

    /// <summary>Every row of every setting, in the order the comparison tables show them.</summary>
    public static IReadOnlyList<ComparisonRow> Of(RunResult result) =>
        result.Live.Select(f => f.Setting).Distinct().SelectMany(s => Of(result, s)).ToList();
}

/// <summary>A variant's micro cost on a mix, where the run had no live setting for it: the micro-only table's rows.</summary>
public sealed record MicroComparisonRow(MicroMixFigure Micro, InstructionMixFigure? Instructions, VariantBuild? Build)
{
    /// <summary>Its tier letters in the micro ranking of the mix and size.</summary>
    public string? Tier { get; init; }
}

/// <summary>The comparison table and results.csv: one column list, some columns in one, some in the other.</summary>
public static class ComparisonColumns
{
    /// <param name="reference">The counter speedups are quoted against, which the SPEEDUP header names.</param>
    /// <param name="budget">Executed instructions per packet above which INSNS/PKT is marked.</param>
    public static IReadOnlyList<Column<ComparisonRow>> For(string? reference, int budget)
    {
        var speedup = reference is null ? "SPEEDUP" : $"SPEEDUP VS {reference.ToUpperInvariant()}";
        return
        [
            Column.Key<ComparisonRow>("VARIANT", "variant", "the variant", r => r.Variant) with
            {
                Text = r => Tables.Label(r.Variant, r.Role),
            },
            CellColumns.Role<ComparisonRow>(),
            Column.Csv<ComparisonRow>(
                "mix",
                CellColumns.ClassLegend.Replace("the traffic class for micro; for live the mix", "the mix"),
                r => r.Live.Setting.TrafficLabel
            ),
            .. CellColumns.Where<ComparisonRow>(),
            Column.Of<ComparisonRow>(
                "PACKETS",
                "packets sent in the variant's throughput slices (delivered, for external traffic)",
                r => r.Live.Setting.IsExternal ? r.Live.PacketsDelivered : (ulong)r.Live.PacketsSent
            ),
            Column.Csv<ComparisonRow>("packets_sent", "frames sent in the throughput slices", r => r.Live.PacketsSent),
            Column.Csv<ComparisonRow>(
                "packets_delivered",
                "frames the device under test received in them",
                r => r.Live.PacketsDelivered
            ),
            Column.Csv<ComparisonRow>(
                "packets_counted",
                "frames the variant counted in them (the verified packet counts)",
                r => r.Live.PacketsCounted
            ),
            Column.Csv<ComparisonRow>(
                "wall_s",
                "the generator's wall time over the throughput slices",
                r => r.Live.WallSeconds,
                "s"
            ),
            Column.Number<ComparisonRow>(
                "MPPS",
                "mpps",
                "mean over rounds of the round's packets / generator wall time in the throughput slices, millions "
                    + "per second; run stats are off in these slices",
                r => r.Live.Mpps?.Mean.Mean,
                "0.00",
                "Mpps"
            ),
            Column.Ci<ComparisonRow>(r => r.Live.Mpps?.Mean.HalfWidth, "0.00"),
            .. Net(
                "LIVE NET NS/PKT",
                "live_net_ns_per_packet",
                "live CPU ns per packet (generator CPUs × 1000 / Mpps) minus the baseline's, paired within "
                    + "quadruples of slices: Hodges-Lehmann with a Wilcoxon CI (Student t below 10 quadruples)",
                r => r.Live.NetCpuNsPerPacket
            ),
            Tier<ComparisonRow>("LIVE TIER", "live_tier", "live", r => r.LiveTier),
            .. MixColumns.MicroNet<ComparisonRow>(r => r.Role, r => r.Micro),
            Tier<ComparisonRow>("MICRO TIER", "micro_tier", "micro", r => r.MicroTier),
            Column.Csv<ComparisonRow>(
                "speedup_reference",
                "the counter speedups are quoted against",
                r => r.Live.Speedup?.Reference
            ),
            new Column<ComparisonRow>
            {
                Header = speedup,
                CsvName = "speedup",
                Legend =
                    $"MPPS over {reference ?? "the reference counter"}'s MPPS, from per-round ratios, or, "
                    + "marked (d), from the two means by the delta method, whichever CI is tighter",
                Value = r => r.Live.Speedup?.Value.Estimate,
                Text = r =>
                    r.Live.Speedup is { } s
                        ? Format.Number(s.Value.Estimate, "0.00")
                            + "x"
                            + (s.Method == SpeedupMethod.Delta ? " (d)" : "")
                        : "-",
            },
            Column.Ci<ComparisonRow>(r => r.Live.Speedup?.Value.HalfWidth, "0.00"),
            MixColumns.Instructions<ComparisonRow>(r => r.Instructions, budget),
            MixColumns.JitBytesPerInstruction<ComparisonRow>(r => r.Build, r => r.Instructions),
            new Column<ComparisonRow>
            {
                Header = "VERIFIED",
                CsvName = "verified",
                Legend =
                    "exact: every count equalled what the variant declares for the traffic sent, in every "
                    + "window; within bound: every exact count did, and every sampled or policy-bound count fell "
                    + "within its declared bound",
                Value = r => VerificationStatuses.Name(r.Live.Verification),
            },
            .. MixColumns.Build<ComparisonRow>(r => r.Build),
            .. MixColumns.Verifier<ComparisonRow>(r => r.Build).Select(c => c with { InTable = false }),
        ];
    }

    /// <summary>The comparison of a micro-only run: the mix's micro cost per variant.</summary>
    public static IReadOnlyList<Column<MicroComparisonRow>> MicroOnly(int budget) =>
        [
            Column.Key<MicroComparisonRow>("VARIANT", null, "the variant", r => r.Micro.Variant) with
            {
                Text = r => Tables.Label(r.Micro.Variant, r.Micro.Role),
            },
            Column.Number<MicroComparisonRow>(
                "MICRO NS/PKT",
                null,
                "BPF_PROG_TEST_RUN ns/packet, weighted by the mix",
                r => r.Micro.NsPerPacket.Mean,
                "0.00",
                "ns"
            ),
            Column.Ci<MicroComparisonRow>(r => r.Micro.NsPerPacket.HalfWidth, "0.00"),
            .. MixColumns.MicroNet<MicroComparisonRow>(r => r.Micro.Role, r => r.Micro),
            Tier<MicroComparisonRow>("TIER", null, "micro", r => r.Tier),
            MixColumns.Instructions<MicroComparisonRow>(r => r.Instructions, budget),
            MixColumns.JitBytesPerInstruction<MicroComparisonRow>(r => r.Build, r => r.Instructions),
        ];

    /// <summary>The counter's tier letters in its ranking; "-" for the baseline and its copy.</summary>
    public static Column<TRow> Tier<TRow>(string header, string? csvName, string mode, Func<TRow, string?> tier) =>
        new()
        {
            Header = header,
            CsvName = csvName,
            Legend =
                $"{mode} counters that share a letter could not be told apart by this run (every pair compared, "
                + "Holm-corrected at 5%); a counter with two letters sits between two tiers",
            Value = r => tier(r),
        };

    // A net figure and its ±CI; the baseline is the reference, 0 by definition.
    private static IEnumerable<Column<ComparisonRow>> Net(
        string header,
        string csvName,
        string legend,
        Func<ComparisonRow, Interval?> value
    ) =>
        [
            Column.Number<ComparisonRow>(header, csvName, legend, r => value(r)?.Estimate, "0.00", "ns") with
            {
                Text = r => r.Role == MeasuredRole.Baseline ? "0 (ref)" : Format.Number(value(r)?.Estimate, "0.00"),
            },
            Column.Ci<ComparisonRow>(r => value(r)?.HalfWidth, "0.00") with
            {
                Text = r => r.Role == MeasuredRole.Baseline ? "" : Format.Number(value(r)?.HalfWidth, "0.00"),
            },
        ];
}
