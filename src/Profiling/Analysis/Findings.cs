using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Analysis;

/// <summary>A counter's net cost in one ranking.</summary>
/// <param name="Tier">Its letters in the ranking's compact letter display: counters that share a letter could not be told apart.</param>
public sealed record RankedCounter(string Variant, Interval Net, string Tier = "");

/// <summary>How two counters of a ranking compare: the costlier minus the cheaper, with the CI of that difference.</summary>
/// <param name="PValue">Two-sided, from the difference's interval read as normal.</param>
/// <param name="AdjustedPValue">After Holm's correction over every pair of the ranking, as compare corrects its rows.</param>
public sealed record PairComparison(
    string Cheaper,
    string Costlier,
    Interval Difference,
    double PValue = double.NaN,
    double AdjustedPValue = double.NaN
)
{
    public const double Alpha = 0.05;

    /// <summary>Told apart: the corrected p is below α (the uncorrected CI, where no p was computed).</summary>
    public bool Significant => double.IsNaN(AdjustedPValue) ? Difference.Excludes(0) : AdjustedPValue < Alpha;
}

/// <summary>
/// The counters of one context (a micro mix and size, or a live setting whose sink lets the
/// counter's cost show) ranked by net cost, cheapest first, with every pair compared and
/// the counters grouped into tiers.
/// </summary>
public sealed record Ranking(
    string Context,
    string Unit,
    IReadOnlyList<RankedCounter> Counters,
    IReadOnlyList<PairComparison> Pairs
)
{
    /// <summary>The micro mix ranked; null for a live ranking.</summary>
    public string? Mix { get; init; }

    /// <summary>The micro frame size ranked; null for a live ranking.</summary>
    public int? FrameSize { get; init; }

    /// <summary>The live setting ranked; null for a micro ranking.</summary>
    public LiveSetting? Setting { get; init; }

    /// <summary>The tier letters of a variant in this ranking; null where it is not ranked.</summary>
    public string? TierOf(string variant) => Counters.FirstOrDefault(c => c.Variant == variant)?.Tier;

    /// <summary>Runs of counters with the same letters, cheapest first: what the headline names.</summary>
    public IReadOnlyList<(string Tier, IReadOnlyList<RankedCounter> Counters)> Tiers =>
        Counters
            .Aggregate(
                new List<(string Tier, List<RankedCounter> Counters)>(),
                (tiers, c) =>
                {
                    if (tiers.Count > 0 && tiers[^1].Tier == c.Tier)
                        tiers[^1].Counters.Add(c);
                    else
                        tiers.Add((c.Tier, [c]));
                    return tiers;
                }
            )
            .Select(t => (t.Tier, (IReadOnlyList<RankedCounter>)t.Counters))
            .ToList();
}

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
    /// <summary>The micro ranking of a mix at a frame size, if the run has one.</summary>
    public Ranking? Micro(string mix, int frameSize) =>
        Rankings.FirstOrDefault(r => r.Mix == mix && r.FrameSize == frameSize);

    /// <summary>The live ranking of a setting, if the run has one (the drop sink only).</summary>
    public Ranking? Live(LiveSetting setting) => Rankings.FirstOrDefault(r => r.Setting == setting);

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
                ) with
                {
                    Mix = mix.Key.Mix,
                    FrameSize = mix.Key.FrameSize,
                }
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
                ) with
                {
                    Setting = setting.Key,
                }
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

    /// <summary>
    /// Ranks the counters, compares every pair with Holm's correction over the ranking's
    /// pairs, and gives each counter its tier letters from the pairs told apart.
    /// </summary>
    public static Ranking Rank(string context, string unit, IEnumerable<RankedCounter> counters)
    {
        var ranked = counters.OrderBy(c => c.Net.Estimate).ToList();
        var pairs = new List<PairComparison>();
        var index = new List<(int Cheaper, int Costlier)>();
        for (var i = 0; i < ranked.Count; i++)
        for (var j = i + 1; j < ranked.Count; j++)
        {
            var difference = DifferenceOf(ranked[j].Net, ranked[i].Net);
            pairs.Add(new PairComparison(ranked[i].Variant, ranked[j].Variant, difference, PValueOf(difference)));
            index.Add((i, j));
        }
        var adjusted = MultipleComparisons.Holm(pairs.Select(p => p.PValue).ToList());
        pairs = pairs.Select((p, k) => p with { AdjustedPValue = adjusted[k] }).ToList();
        var apart = index.Zip(pairs).Where(x => x.Second.Significant).Select(x => x.First).ToHashSet();
        var tiers = CompactLetters.Of(ranked.Count, (i, j) => apart.Contains((i, j)));
        return new Ranking(context, unit, ranked.Select((c, i) => c with { Tier = tiers[i] }).ToList(), pairs);
    }

    // The difference's interval read as normal: the standard error its half-width implies.
    private static double PValueOf(Interval difference)
    {
        if (!difference.IsFinite)
            return 1;
        var standardError = difference.AsEstimate().StandardError;
        if (standardError <= 0)
            return difference.Estimate == 0 ? 1 : 0;
        var z = Math.Abs(difference.Estimate) / standardError;
        return 2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, z));
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
