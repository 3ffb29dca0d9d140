namespace PacketCounter.Abstractions;

// Contract 1.2: a variant's expected counts as a function of the traffic the host sent.
// Kept in a file of its own, as a partial of the interface, so a plugin built against 1.1
// (which lacks this file) is what the contract tests build and load.

public partial interface ICounterVariant
{
    /// <summary>
    /// The counts the traffic in <paramref name="sent"/> must produce. The default counts one
    /// packet per frame into <see cref="CountFor"/>'s count, so a variant that only counts
    /// packets by class implements nothing more.
    /// </summary>
    /// <remarks>Added in contract 1.2; a plugin built against 1.0 or 1.1 gets the default.</remarks>
    IEnumerable<ExpectedCount> ExpectedCounts(SentTraffic sent) => ExpectedCount.PacketsByClass(sent, CountFor);

    /// <summary>
    /// Where this variant sits in a family of builds of one design that differ in one number
    /// (e.g. a sampling rate); the report plots a family's cost against that number. Null: none.
    /// </summary>
    /// <remarks>Added in contract 1.2.</remarks>
    VariantSweep? Sweep => null;

    /// <summary>
    /// Whether a bench that names no variants runs this one. A sweep's extra points say
    /// <see langword="false"/>: they run when named (bench --variants).
    /// </summary>
    /// <remarks>Added in contract 1.2; a plugin built against 1.0 or 1.1 gets <see langword="true"/>.</remarks>
    bool RunsByDefault => true;
}

/// <summary>A variant's place in a family of builds that differ in one number.</summary>
/// <param name="Family">The design's name, shared by the family, e.g. "Sampled".</param>
/// <param name="Parameter">What the number is, e.g. "1 in N".</param>
/// <param name="Value">This build's number.</param>
public sealed record VariantSweep(string Family, string Parameter, double Value);

/// <summary>Frames of one kind that the host sent in a window, and how many.</summary>
/// <param name="Class">The traffic class of every frame.</param>
/// <param name="Size">Each frame's length in bytes as handed to the kernel (no FCS).</param>
/// <param name="Flow">
/// Which of the window's flows the frames belong to, 0 to <see cref="SentTraffic.Flows"/> − 1
/// (flow 0 carries the frame builder's own addresses and ports), or <see cref="SentFrames.AllFlows"/>
/// when they were spread over every flow in turn, each test run starting at flow 0.
/// </param>
/// <param name="Packets">How many frames of this kind were sent.</param>
public readonly record struct SentFrames(TrafficClass Class, int Size, int Flow, long Packets)
{
    /// <summary>The <see cref="Flow"/> of frames spread over all of the window's flows.</summary>
    public const int AllFlows = -1;
}

/// <summary>Everything the host sent in one window: frames by class, size and flow.</summary>
public sealed class SentTraffic
{
    /// <summary>Frames by kind; kinds sent zero times are dropped.</summary>
    public SentTraffic(IEnumerable<SentFrames> frames, int flows = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flows, 1);
        Frames = frames.Where(f => f.Packets > 0).ToList();
        if (
            Frames.FirstOrDefault(f => f.Flow < SentFrames.AllFlows || f.Flow >= flows || f.Size <= 0) is
            { Packets: > 0 } bad
        )
            throw new ArgumentException(
                $"frames of flow {bad.Flow}, {bad.Size} bytes, do not fit {flows} flow(s)",
                nameof(frames)
            );
        Flows = flows;
    }

    /// <summary>Every kind of frame sent at least once.</summary>
    public IReadOnlyList<SentFrames> Frames { get; }

    /// <summary>How many distinct flows the traffic cycled through.</summary>
    public int Flows { get; }
}

/// <summary>What an increment of a count stands for.</summary>
public enum CountUnit
{
    /// <summary>One per frame.</summary>
    Packets,

    /// <summary>The frame's length in bytes.</summary>
    Bytes,

    /// <summary>One per frame that fell in a histogram bucket: the same frames a packet count holds, sorted once more.</summary>
    Bucket,

    /// <summary>Something else the design does, e.g. inserting a flow into its table.</summary>
    Events,
}

/// <summary>
/// The value one count must have. An exact count has <see cref="Tolerance"/> 0; a sampled
/// count declares how far from <see cref="Value"/> it may honestly land, and why.
/// </summary>
public sealed record ExpectedCount(string Count, ulong Value)
{
    /// <summary>What the count adds up.</summary>
    public CountUnit Unit { get; init; } = CountUnit.Packets;

    /// <summary>The largest distance from <see cref="Value"/> that still verifies; 0 for an exact count.</summary>
    public double Tolerance { get; init; }

    /// <summary>For a count with a tolerance, where the tolerance comes from, e.g. "3σ binomial".</summary>
    public string? Bound { get; init; }

    /// <summary>
    /// For a statistical bound, its width in standard deviations: an honest count still falls
    /// outside it by chance (3σ: 0.27% of windows), and the host judges the misses over a run
    /// against that chance. Null for an exact count or a hard bound, which must hold in every window.
    /// </summary>
    public double? Sigmas { get; init; }

    /// <summary>Whether <paramref name="counted"/> verifies.</summary>
    public bool Admits(ulong counted) =>
        Tolerance == 0 ? counted == Value : Math.Abs((double)counted - Value) <= Tolerance;

    /// <summary>One packet per frame into the count <paramref name="countFor"/> names for its class, nothing for null.</summary>
    public static IEnumerable<ExpectedCount> PacketsByClass(SentTraffic sent, Func<TrafficClass, string?> countFor) =>
        Sum(sent, f => countFor(f.Class) is { } count ? [(count, (ulong)f.Packets)] : []);

    /// <summary>
    /// Exact counts built frame kind by frame kind: <paramref name="contributions"/> says which
    /// counts a kind of frame adds to and by how much in all; the same count from several kinds is summed.
    /// </summary>
    public static IEnumerable<ExpectedCount> Sum(
        SentTraffic sent,
        Func<SentFrames, IEnumerable<(string Count, ulong Amount)>> contributions,
        CountUnit unit = CountUnit.Packets
    )
    {
        var totals = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var frames in sent.Frames)
        foreach (var (count, amount) in contributions(frames))
            totals[count] = totals.GetValueOrDefault(count) + amount;
        return totals.Select(t => new ExpectedCount(t.Key, t.Value) { Unit = unit });
    }

    /// <summary>A count that may be anything from 0 to <paramref name="maximum"/>, e.g. one a kernel map's policy decides.</summary>
    public static ExpectedCount AtMost(string count, ulong maximum, string why, CountUnit unit = CountUnit.Events) =>
        new(count, maximum / 2)
        {
            Tolerance = (maximum + 1) / 2,
            Bound = $"0 to {maximum}: {why}",
            Unit = unit,
        };

    /// <summary>
    /// A count that keeps each of <paramref name="population"/> events independently with
    /// probability 1/<paramref name="oneIn"/>: expected population/oneIn, within
    /// <paramref name="sigmas"/> standard deviations of the binomial.
    /// </summary>
    public static ExpectedCount Sampled(string count, long population, uint oneIn, double sigmas = 3)
    {
        ArgumentOutOfRangeException.ThrowIfZero(oneIn);
        var p = 1.0 / oneIn;
        var sd = Math.Sqrt(population * p * (1 - p));
        return new ExpectedCount(count, (ulong)Math.Round(population * p))
        {
            Tolerance = Math.Max(sigmas * sd, 0.5),
            Bound = $"{sigmas:0.#}σ binomial, 1 in {oneIn}",
            Sigmas = sigmas,
        };
    }
}

/// <summary>The log2 packet-size histogram counters share: bucket k holds sizes 2^k to 2^(k+1) − 1.</summary>
public static class SizeHistogram
{
    /// <summary>Buckets 0 to 15 cover every size up to 64 KiB.</summary>
    public const int Buckets = 16;

    /// <summary>The bucket a frame of <paramref name="size"/> bytes lands in (0 for 0 or 1 byte).</summary>
    public static int Bucket(int size) => size <= 1 ? 0 : Math.Min(Buckets - 1, 31 - int.LeadingZeroCount(size));

    /// <summary>A bucket's count name, e.g. <c>size-64-127</c>.</summary>
    public static string Name(int bucket) => $"size-{(bucket == 0 ? 0 : 1 << bucket)}-{(1 << (bucket + 1)) - 1}";
}
