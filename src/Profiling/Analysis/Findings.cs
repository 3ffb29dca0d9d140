using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Analysis;

/// <summary>A counter's net cost in one ranking.</summary>
public sealed record RankedCounter(string Variant, Interval Net);

/// <summary>How two counters of a ranking compare: the costlier minus the cheaper, with the CI of that difference.</summary>
public sealed record PairComparison(string Cheaper, string Costlier, Interval Difference)
{
    public bool Significant => Difference.Excludes(0);
}

/// <summary>
/// The counters of one context (a micro mix and size, or a live setting whose sink lets the
/// counter's cost show) ranked by net cost, cheapest first, with every pair compared.
/// </summary>
public sealed record Ranking(
    string Context,
    string Unit,
    IReadOnlyList<RankedCounter> Counters,
    IReadOnlyList<PairComparison> Pairs
);

/// <summary>
/// What a reader needs first: which counter is cheapest, by how much, whether the differences
/// are real, how noisy the run was and what the instrumentation costs (what failed is the
/// run's <see cref="RunVerdict"/>). Every item is computed from the figures; the words around
/// them never name a variant themselves.
/// </summary>
public sealed record Findings(
    string? Baseline,
    IReadOnlyList<Ranking> Rankings,
    NoiseFloor NoiseFloor,
    Interval? StatsCostNsPerPacket
)
{
    /// <summary>No figures: a run that measured nothing.</summary>
    public static Findings None { get; } = new(null, [], new NoiseFloor([]), null);

    public static Findings Of(RunResult figures)
    {
        var rankings = new List<Ranking>();
        foreach (
            var mix in figures
                .MicroMix.Where(f => MeasuredRoles.IsMeasured(f.Role) && f.NetOfBaseline is { IsFinite: true })
                .GroupBy(f => (f.Mix, f.FrameSize))
        )
            rankings.Add(
                Rank(
                    $"micro, mix {mix.Key.Mix}, {mix.Key.FrameSize} B",
                    "ns/packet",
                    mix.Select(f => new RankedCounter(f.Variant, f.NetOfBaseline!.Value))
                )
            );
        // With the pass sink the stack's cost swamps a counter's; only the drop sink's net
        // figure ranks counters.
        foreach (
            var setting in figures
                .Live.Where(f =>
                    MeasuredRoles.IsMeasured(f.Role)
                    && f.Setting.Sink == Sink.Drop
                    && f.NetCpuNsPerPacket is { IsFinite: true }
                )
                .GroupBy(f => f.Setting)
        )
            rankings.Add(
                Rank(
                    $"live, {setting.Key}",
                    "CPU ns/packet",
                    setting.Select(f => new RankedCounter(f.Variant, f.NetCpuNsPerPacket!.Value))
                )
            );

        var statsCosts = figures
            .Live.Where(f => f.StatsCostNsPerPacket is { IsFinite: true })
            .Select(f => f.StatsCostNsPerPacket!.Value)
            .ToList();
        return new Findings(
            figures.Baseline,
            rankings,
            figures.NoiseFloor,
            statsCosts.Count > 0
                ? Paired.Location(statsCosts.Select(c => c.Estimate).ToList()) with
                {
                    Method = "across variants",
                }
                : null
        );
    }

    private static Ranking Rank(string context, string unit, IEnumerable<RankedCounter> counters)
    {
        var ranked = counters.OrderBy(c => c.Net.Estimate).ToList();
        var pairs = new List<PairComparison>();
        for (var i = 0; i < ranked.Count; i++)
        for (var j = i + 1; j < ranked.Count; j++)
            pairs.Add(
                new PairComparison(ranked[i].Variant, ranked[j].Variant, DifferenceOf(ranked[j].Net, ranked[i].Net))
            );
        return new Ranking(context, unit, ranked, pairs);
    }

    // Two net figures measured each against the baseline, in different pairs: the CI of
    // their difference combines both widths as independent normal errors.
    private static Interval DifferenceOf(Interval costlier, Interval cheaper)
    {
        var difference = costlier.Estimate - cheaper.Estimate;
        var halfWidth = Math.Sqrt(costlier.HalfWidth * costlier.HalfWidth + cheaper.HalfWidth * cheaper.HalfWidth);
        return new Interval(
            difference,
            difference - halfWidth,
            difference + halfWidth,
            Math.Min(costlier.Count, cheaper.Count),
            "difference of two intervals"
        );
    }
}
