using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Analysis;

/// <summary>One count of a miscounted window: what the traffic sent says, what the variant counted, by which rule.</summary>
public sealed record CountCheck(string Count, ulong Expected, ulong Counted, string Rule, bool Matches);

/// <summary>A window whose counts failed: an exact count or hard bound, or a sampled miss of a variant miscounted over the run.</summary>
public sealed record MiscountWindow(string Variant, int Round, LiveSetting Setting, IReadOnlyList<CountCheck> Counts);

/// <summary>How one variant's counts verified over every live window of the run.</summary>
/// <param name="Checks">Statistical checks made over the windows.</param>
/// <param name="Outside">... and how many fell outside their bound.</param>
/// <param name="MissChance">The chance each check misses by chance alone.</param>
/// <param name="ChanceOfMisses">The chance of at least <paramref name="Outside"/> misses by chance alone.</param>
public sealed record VariantVerification(
    string Variant,
    MeasuredRole Role,
    VerificationStatus Status,
    int Windows,
    int Exact,
    int WithinBound,
    int Checks,
    int Outside,
    double MissChance,
    double ChanceOfMisses,
    long Sent,
    ulong Delivered,
    ulong Counted
);

/// <summary>
/// What the run says of itself: which variants failed, miscounted or verified within bounds,
/// and whether its noise floor holds.
/// </summary>
public sealed record RunVerdict(
    IReadOnlyList<string> Failed,
    IReadOnlyList<string> Miscounted,
    IReadOnlyList<string> WithinBound,
    bool Unreliable
)
{
    /// <summary>Every variant loaded, ran and verified (exactly, or within its declared bounds).</summary>
    public bool Verified => Failed.Count == 0 && Miscounted.Count == 0;
}

/// <summary>How the run ends: the exit code, and one entry per thing that explains it (an entry may hold a table).</summary>
public sealed record RunOutcome(int ExitCode, IReadOnlyList<string> Lines)
{
    public const int Success = 0;

    /// <summary>A variant failed, counted wrong, or a plugin could not be used.</summary>
    public const int Failure = 1;

    /// <summary>128 + SIGINT, as shells report an interrupted command.</summary>
    public const int Interrupted = 130;
}

/// <summary>The verdict, the verification and the outcome, computed once from the samples.</summary>
public static class Verdicts
{
    public static IReadOnlyList<VariantVerification> VerificationOf(BenchResults results) =>
        results
            .Facts.Select(f =>
            {
                var windows = results.LiveSamples.Where(s => s.Variant == f.Name).ToList();
                var (checks, outside, chance) = VerificationStatuses.Statistical(windows);
                return new VariantVerification(
                    f.Name,
                    f.Role,
                    windows.Count == 0 ? VerificationStatus.Failed : VerificationStatuses.Of(windows),
                    windows.Count,
                    windows.Count(w => VerificationStatuses.Of(w) == VerificationStatus.Exact),
                    windows.Count(w => VerificationStatuses.Of(w) == VerificationStatus.WithinBound),
                    checks,
                    outside,
                    chance,
                    VerificationStatuses.ChanceOfMisses(checks, outside, chance),
                    windows.Sum(w => w.Sent),
                    (ulong)windows.Sum(w => (decimal)w.Delivered),
                    (ulong)windows.Sum(w => (decimal)(w.Verification?.CountedTotal ?? 0))
                );
            })
            .ToList();

    public static RunVerdict Of(BenchResults results, NoiseFloor noiseFloor) =>
        new(
            results
                .LoadFailures.Select(f => f.Variant)
                .Concat(results.LiveSamples.Where(s => s.Failure is not null).Select(s => s.Variant))
                .Distinct()
                .ToList(),
            results.MiscountedVariants(),
            results
                .LiveSamples.GroupBy(s => s.Variant)
                .Where(g => VerificationStatuses.Of(g) == VerificationStatus.WithinBound)
                .Select(g => g.Key)
                .ToList(),
            noiseFloor.Unreliable
        );

    /// <summary>Exact miscounts, and a statistical count's misses where they were more than chance.</summary>
    public static IReadOnlyList<MiscountWindow> MiscountsOf(BenchResults results, RunVerdict verdict) =>
        results
            .LiveSamples.Where(s =>
                VerificationStatuses.Of(s) is var status
                && (
                    status == VerificationStatus.Mismatch
                    || (status == VerificationStatus.OutsideBound && verdict.Miscounted.Contains(s.Variant))
                )
            )
            .Select(s => new MiscountWindow(
                s.Variant,
                s.Round,
                s.Setting,
                s.Verification!.Rows.Select(r => new CountCheck(r.Count, r.Expected, r.Counted, r.Rule, r.Matches))
                    .ToList()
            ))
            .ToList();

    /// <summary>
    /// The exit code and what explains it: every window that miscounted exactly, with its
    /// table; every variant miscounted for its sampled misses; every failure once.
    /// </summary>
    public static RunOutcome OutcomeOf(BenchResults results, RunVerdict verdict, int discoveryProblems)
    {
        var lines = new List<string>();
        foreach (var mismatch in results.LiveSamples.Where(s => s.Verification is { HardCountsHold: false }))
            lines.Add(
                $"variant {mismatch.Variant} MISCOUNTED in round {mismatch.Round + 1} ({mismatch.Setting}):\n"
                    + mismatch.Verification!.Table()
            );
        // A miscounted variant whose exact counts all held was called so for its sampled misses.
        foreach (
            var variant in results
                .LiveSamples.Where(s => verdict.Miscounted.Contains(s.Variant))
                .GroupBy(s => s.Variant)
                .Where(g => g.All(s => s.Verification?.HardCountsHold ?? true))
        )
        {
            var (checks, outside, chance) = VerificationStatuses.Statistical(variant);
            lines.Add(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"variant {variant.Key} MISCOUNTED: {outside} of {checks} sampled counts fell outside "
                        + $"their bound, where each misses with chance {chance:0.####}; so many misses happen "
                        + $"by chance less than once in {1 / VerificationStatuses.ChanceLevel:0} runs"
                )
            );
        }
        lines.AddRange(results.Failures.Distinct());
        var exit =
            results.Incomplete ? RunOutcome.Interrupted
            : results.Failures.Count + discoveryProblems + verdict.Miscounted.Count == 0 ? RunOutcome.Success
            : RunOutcome.Failure;
        return new RunOutcome(exit, lines);
    }
}
