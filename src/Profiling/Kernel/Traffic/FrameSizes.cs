using System.Globalization;
using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Traffic;

/// <summary>One kind of frame the generator sends: a class at a requested size.</summary>
public readonly record struct FrameKind(TrafficClass Class, int Size)
{
    /// <summary>The bytes handed to the kernel: the requested size, except for classes short by nature.</summary>
    public int Length => FrameBuilder.LengthOf(Class, Size);
}

/// <summary>
/// Frame sizes by integer weight: one fixed size, a list, or IMIX. Splitting a packet count
/// over the sizes is exact, like <see cref="TrafficMix.Split"/>, so every byte count is known.
/// </summary>
public sealed class FrameSizes : IEquatable<FrameSizes>
{
    [System.Text.Json.Serialization.JsonConstructor]
    private FrameSizes(string name, IReadOnlyDictionary<int, int> weights)
    {
        if (weights.Count == 0 || weights.Values.Any(w => w <= 0))
            throw new ArgumentException($"sizes '{name}' need at least one size, each with a positive weight");
        if (
            weights.Keys.FirstOrDefault(s => s is < FrameBuilder.MinimumSize or > FrameBuilder.MaximumSize)
            is > 0
                and var bad
        )
            throw new ArgumentException(
                $"frame size {bad} is outside {FrameBuilder.MinimumSize} to {FrameBuilder.MaximumSize} bytes"
            );
        Name = name;
        Weights = weights;
    }

    /// <summary>"64", "64,1500" or "imix".</summary>
    public string Name { get; }

    /// <summary>Each size's weight.</summary>
    public IReadOnlyDictionary<int, int> Weights { get; }

    public bool IsFixed => Weights.Count == 1;

    /// <summary>The weighted mean size, rounded: the size a mixed cell is filed under.</summary>
    public int MeanSize => (int)Math.Round(Weights.Sum(w => (double)w.Key * w.Value) / Weights.Values.Sum());

    public static FrameSizes Fixed(int size) =>
        new(size.ToString(CultureInfo.InvariantCulture), new Dictionary<int, int> { [size] = 1 });

    /// <summary>The simple IMIX: 64, 576 and 1500 bytes in the ratio 7:4:1.</summary>
    public static FrameSizes Imix { get; } =
        new(
            "imix",
            new Dictionary<int, int>
            {
                [64] = 7,
                [576] = 4,
                [1500] = 1,
            }
        );

    /// <summary>"imix", or sizes separated by commas, each optionally weighted as SIZE:WEIGHT (equal weights otherwise).</summary>
    public static bool TryParse(string text, out FrameSizes? sizes, out string? problem)
    {
        sizes = null;
        problem = null;
        if (string.Equals(text.Trim(), Imix.Name, StringComparison.OrdinalIgnoreCase))
        {
            sizes = Imix;
            return true;
        }
        var weights = new Dictionary<int, int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = part.Split(':', 2);
            var weight = 1;
            if (
                !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                || (
                    fields.Length == 2
                    && (
                        !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out weight)
                        || weight == 0
                    )
                )
            )
            {
                problem = $"'{part}' is not a size or SIZE:WEIGHT";
                return false;
            }
            if (size is < FrameBuilder.MinimumSize or > FrameBuilder.MaximumSize)
            {
                problem =
                    $"frame size {size} is outside {FrameBuilder.MinimumSize} to {FrameBuilder.MaximumSize} bytes";
                return false;
            }
            weights[size] = weights.GetValueOrDefault(size) + weight;
        }
        if (weights.Count == 0)
        {
            problem = "no size given";
            return false;
        }
        sizes =
            weights.Count == 1
                ? Fixed(weights.Keys.Single())
                : new FrameSizes(text.Replace(" ", "", StringComparison.Ordinal), weights);
        return true;
    }

    public bool Equals(FrameSizes? other) =>
        other is not null
        && Weights.Count == other.Weights.Count
        && Weights.All(w => other.Weights.TryGetValue(w.Key, out var weight) && weight == w.Value);

    public override bool Equals(object? obj) => Equals(obj as FrameSizes);

    public override int GetHashCode() =>
        Weights.OrderBy(w => w.Key).Aggregate(17, (hash, w) => HashCode.Combine(hash, w.Key, w.Value));

    public override string ToString() => Name;

    /// <summary>Splits each class's packets over the sizes by weight (largest remainder), exactly.</summary>
    public IReadOnlyDictionary<FrameKind, long> Split(IReadOnlyDictionary<TrafficClass, long> packetsByClass)
    {
        var kinds = new Dictionary<FrameKind, long>();
        foreach (var (trafficClass, packets) in packetsByClass)
        foreach (var (size, share) in Apportion.Split(packets, Weights))
            kinds[new FrameKind(trafficClass, size)] = share;
        return kinds;
    }
}

/// <summary>Largest-remainder apportionment: integer shares by weight that add up to the total exactly.</summary>
public static class Apportion
{
    public static IReadOnlyDictionary<TKey, long> Split<TKey>(long total, IReadOnlyDictionary<TKey, int> weights)
        where TKey : notnull
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        long weightSum = weights.Values.Sum();
        var shares = weights
            .Select(w => (Key: w.Key, Floor: total * w.Value / weightSum, Remainder: total * w.Value % weightSum))
            .ToList();
        var left = total - shares.Sum(s => s.Floor);
        var counts = shares.ToDictionary(s => s.Key, s => s.Floor);
        foreach (var share in shares.OrderByDescending(s => s.Remainder).ThenBy(s => s.Key).Take((int)left))
            counts[share.Key]++;
        return counts;
    }
}
