namespace PacketCounter.Profiling.Measurement;

/// <summary>How live mode samples.</summary>
/// <param name="SlicePackets">Frames per slice at least.</param>
/// <param name="WarmupPackets">Frames sent, unmeasured, into every lane before a setting's first round.</param>
/// <param name="Rounds">Rounds always run.</param>
/// <param name="MaxRounds">Rounds are added while a figure's CI is wider than its target, up to this many.</param>
/// <param name="SliceTime">
/// A slice also lasts at least about this long: a calibration slice of the baseline sizes
/// the frame count, so a fast sink does not make slices too short to time.
/// </param>
/// <param name="Seed">Seed of the order shuffle within each round.</param>
/// <param name="StatsRounds">The first this many rounds end with a run-stats pass (one slice per variant with run stats on).</param>
/// <param name="TargetRelativeHalfWidth">Rounds are added while a variant's Mpps CI (over rounds) is wider than
/// this share of its mean.</param>
/// <param name="TargetNetHalfWidthNs">... or while a variant's net CPU ns/packet CI is wider than this (or 5% of
/// the figure, if larger).</param>
/// <param name="Budget">Rounds beyond <paramref name="Rounds"/> are added only while a setting has time left of this.</param>
public sealed record LiveOptions(
    long SlicePackets,
    long WarmupPackets,
    int Rounds,
    int MaxRounds,
    TimeSpan SliceTime,
    int Seed,
    int StatsRounds = 5,
    double TargetRelativeHalfWidth = 0.03,
    double TargetNetHalfWidthNs = 0.5,
    TimeSpan? Budget = null
)
{
    public static LiveOptions Default { get; } = new(100_000, 200_000, 10, 200, TimeSpan.FromMilliseconds(20), 0);

    public int RoundCap => Math.Max(Rounds, MaxRounds);
}
