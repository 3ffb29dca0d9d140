using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Verification;

/// <summary>What count verification says about a window or a set of windows.</summary>
public enum VerificationStatus
{
    /// <summary>Every count equalled the packets sent of its classes.</summary>
    Exact,

    /// <summary>Every exact count equalled what was sent, and every sampled count fell within its declared bound.</summary>
    WithinBound,

    /// <summary>Every exact count held, and a sampled count fell outside its statistical bound in this window: by itself, chance.</summary>
    OutsideBound,

    /// <summary>
    /// An exact count differed or a hard bound failed; or, over a run, sampled counts missed their bound more often
    /// than chance allows.
    /// </summary>
    Mismatch,

    /// <summary>The baseline or its A/A copy: it counts nothing.</summary>
    NotACounter,

    /// <summary>A program measured as it is (bench --object): it declares no counts to verify.</summary>
    NoCounts,

    /// <summary>External traffic: nothing here knows what was sent.</summary>
    External,

    /// <summary>A window failed before it could be verified.</summary>
    Failed,
}

public static class VerificationStatuses
{
    /// <summary>The word every table, CSV and report prints.</summary>
    public static string Name(VerificationStatus status) =>
        status switch
        {
            VerificationStatus.Exact => "exact",
            VerificationStatus.WithinBound => "within bound",
            VerificationStatus.OutsideBound => "outside bound",
            VerificationStatus.Mismatch => "MISMATCH",
            VerificationStatus.NotACounter => "baseline",
            VerificationStatus.NoCounts => "no counts",
            VerificationStatus.External => "external",
            _ => "failed",
        };

    public static VerificationStatus Of(LiveSample sample) =>
        sample switch
        {
            { Failure: not null } => VerificationStatus.Failed,
            { Setting.IsExternal: true } => VerificationStatus.External,
            { Role: MeasuredRole.Program } => VerificationStatus.NoCounts,
            { Role: not MeasuredRole.Counter } => VerificationStatus.NotACounter,
            { Verification.IsExact: true } => VerificationStatus.Exact,
            { Verification.Verifies: true } => VerificationStatus.WithinBound,
            { Verification.HardCountsHold: true } => VerificationStatus.OutsideBound,
            _ => VerificationStatus.Mismatch,
        };

    /// <summary>
    /// The misses a statistical bound may have over a run: an honest count still falls outside
    /// it by chance, so misses count against the variant only when that many would happen by
    /// chance less than once in a thousand runs (one-sided binomial tail).
    /// </summary>
    public const double ChanceLevel = ChanceTail.RareLevel;

    /// <summary>
    /// How likely at least <paramref name="outside"/> misses in <paramref name="checks"/> are, each with <paramref
    /// name="missChance"/>.
    /// </summary>
    public static double ChanceOfMisses(int checks, int outside, double missChance) =>
        ChanceTail.OfAtLeast(outside, checks, missChance);

    /// <summary>The statistical checks of several windows, and how many missed.</summary>
    public static (int Checks, int Outside, double MissChance) Statistical(IEnumerable<LiveSample> samples) =>
        Statistical(samples.Where(s => s.Verification is not null).Select(s => s.Verification!));

    /// <summary>The statistical checks of several verifications, and how many missed.</summary>
    public static (int Checks, int Outside, double MissChance) Statistical(IEnumerable<CountVerification> verifications)
    {
        var statistical = verifications.Select(v => v.Statistical).ToList();
        return (
            statistical.Sum(s => s.Checks),
            statistical.Sum(s => s.Outside),
            statistical.Select(s => s.MissChance).DefaultIfEmpty(0).Max()
        );
    }

    /// <summary>
    /// The run's verdict over several verifications, as bench gives it: every exact count and
    /// hard bound held in each, and the statistical misses together are within chance.
    /// </summary>
    public static bool Hold(IReadOnlyCollection<CountVerification> verifications)
    {
        var (checks, outside, chance) = Statistical(verifications);
        return verifications.All(v => v.HardCountsHold) && ChanceOfMisses(checks, outside, chance) >= ChanceLevel;
    }

    /// <summary>
    /// Over several windows: a failure or a miscount in any of them decides; statistical misses
    /// decide only when more than chance allows (<see cref="ChanceLevel"/>).
    /// </summary>
    public static VerificationStatus Of(IEnumerable<LiveSample> samples)
    {
        var windows = samples.ToList();
        var statuses = windows.Select(Of).ToList();
        if (statuses.Count == 0)
            return VerificationStatus.Failed;
        if (statuses.Contains(VerificationStatus.Failed))
            return VerificationStatus.Failed;
        if (statuses.Contains(VerificationStatus.Mismatch))
            return VerificationStatus.Mismatch;
        if (statuses.Contains(VerificationStatus.OutsideBound))
        {
            var (checks, outside, chance) = Statistical(windows);
            return ChanceOfMisses(checks, outside, chance) < ChanceLevel
                ? VerificationStatus.Mismatch
                : VerificationStatus.WithinBound;
        }
        if (statuses.Contains(VerificationStatus.WithinBound))
            return VerificationStatus.WithinBound;
        return statuses[0];
    }
}
