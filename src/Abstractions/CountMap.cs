namespace PacketCounter.Abstractions;

/// <summary>How the 64-bit counters in one BPF map are named.</summary>
public enum CountLayout
{
    /// <summary>Key 0 holds a struct of consecutive <c>__u64</c> fields, one named count each.</summary>
    Fields,

    /// <summary>Every key present with a non-zero <c>__u64</c> value is a count, named from its key.</summary>
    PerKey,
}

/// <summary>
/// One map of a variant and how it reads out as named counts. The host sums per-CPU
/// values over all possible CPUs; keys are <c>__u32</c>.
/// </summary>
public sealed class CountMap
{
    private readonly Func<uint, string>? _nameOfKey;

    private CountMap(
        string mapName,
        CountLayout layout,
        IReadOnlyList<string> fieldNames,
        Func<uint, string>? nameOfKey
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mapName);
        MapName = mapName;
        Layout = layout;
        FieldNames = fieldNames;
        _nameOfKey = nameOfKey;
    }

    /// <summary>The map's name in the BPF object.</summary>
    public string MapName { get; }

    /// <summary>How the map's values become counts.</summary>
    public CountLayout Layout { get; }

    /// <summary>For <see cref="CountLayout.Fields"/>, the counts in field order; empty otherwise.</summary>
    public IReadOnlyList<string> FieldNames { get; }

    /// <summary>The value size in bytes the map must have; the host refuses a map that differs.</summary>
    public int ValueSize => Layout == CountLayout.Fields ? FieldNames.Count * sizeof(ulong) : sizeof(ulong);

    /// <summary>The count name of a key of a <see cref="CountLayout.PerKey"/> map.</summary>
    public string NameOfKey(uint key) =>
        _nameOfKey is null
            ? throw new InvalidOperationException($"map '{MapName}' is not read per key")
            : _nameOfKey(key);

    /// <summary>A map whose key 0 holds a struct of <c>__u64</c> counters, named in field order.</summary>
    public static CountMap Fields(string mapName, params string[] fieldNames)
    {
        if (fieldNames.Length == 0)
            throw new ArgumentException("at least one field is needed", nameof(fieldNames));
        return new CountMap(mapName, CountLayout.Fields, fieldNames, null);
    }

    /// <summary>A map in which every key is one <c>__u64</c> counter, named by <paramref name="nameOfKey"/>.</summary>
    public static CountMap PerKey(string mapName, Func<uint, string> nameOfKey)
    {
        ArgumentNullException.ThrowIfNull(nameOfKey);
        return new CountMap(mapName, CountLayout.PerKey, Array.Empty<string>(), nameOfKey);
    }
}
