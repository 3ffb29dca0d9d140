using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Profiling.Verification;

/// <summary>Reads a loaded variant's maps as its named counts, per-CPU values summed over all possible CPUs.</summary>
public static class CountReader
{
    /// <summary>Checks that every declared map exists with u32 keys and the declared value size.</summary>
    public static void Validate(BpfObject obj, ICounterVariant variant)
    {
        foreach (var declared in variant.CountMaps)
        {
            BpfMap map;
            try
            {
                map = obj.Map(declared.MapName);
            }
            catch (Native.BpfException e)
            {
                throw new VariantMismatchException($"declares map '{declared.MapName}' but {e.Message}");
            }
            if (map.KeySize != sizeof(uint))
                throw new VariantMismatchException(
                    $"map '{map.Name}' has {map.KeySize}-byte keys; counts need u32 keys"
                );
            if (map.ValueSize != declared.ValueSize)
                throw new VariantMismatchException(
                    $"map '{map.Name}' has {map.ValueSize}-byte values but the plugin declares {declared.ValueSize} ({declared.Layout})"
                );
        }
    }

    public static IReadOnlyDictionary<string, ulong> Read(BpfObject obj, ICounterVariant variant)
    {
        return Read(
            variant,
            name =>
            {
                var map = obj.Map(name);
                return (map.Keys, map.LookupUInt64Sum);
            }
        );
    }

    /// <summary>The same reading from the emulator's map models, found by map name.</summary>
    public static IReadOnlyDictionary<string, ulong> Read(
        ICounterVariant variant,
        Func<string, Emulation.EmulatedMap?> modelNamed
    )
    {
        return Read(
            variant,
            name =>
            {
                var model =
                    modelNamed(name)
                    ?? throw new VariantMismatchException($"declares map '{name}', which the emulator does not model");
                return (() => model.Keys.Select(k => (uint)k).ToList(), key => model.SumUInt64(key));
            }
        );
    }

    /// <summary>The same reading from map entries another process read out: map, key, u64 slots summed over CPUs.</summary>
    public static IReadOnlyDictionary<string, ulong> Read(
        ICounterVariant variant,
        IReadOnlyDictionary<string, Dictionary<ulong, ulong[]>> entries
    )
    {
        return Read(
            variant,
            name =>
            {
                var map = entries.GetValueOrDefault(name) ?? [];
                return (() => map.Keys.Select(k => (uint)k).ToList(), key => map.GetValueOrDefault(key));
            }
        );
    }

    // Keys are listed only for a per-key map: a fields map is read at key 0 alone, and every
    // slice reads the counts twice, so listing its keys would cost system calls for nothing.
    private static IReadOnlyDictionary<string, ulong> Read(
        ICounterVariant variant,
        Func<string, (Func<IReadOnlyList<uint>> Keys, Func<uint, ulong[]?> Sum)> mapNamed
    )
    {
        var counts = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        void Add(string name, ulong value)
        {
            counts.TryGetValue(name, out var sum);
            counts[name] = sum + value;
        }

        foreach (var declared in variant.CountMaps)
        {
            var map = mapNamed(declared.MapName);
            switch (declared.Layout)
            {
                case CountLayout.Fields:
                    var fields = map.Sum(0) ?? new ulong[declared.FieldNames.Count];
                    for (var i = 0; i < declared.FieldNames.Count; i++)
                        Add(declared.FieldNames[i], fields[i]);
                    break;
                case CountLayout.PerKey:
                    foreach (var key in map.Keys())
                    {
                        var value = map.Sum(key);
                        if (value is [> 0, ..])
                            Add(declared.NameOfKey(key), value[0]);
                    }
                    break;
            }
        }
        return counts;
    }

    /// <summary>What was counted between two readings.</summary>
    public static IReadOnlyDictionary<string, ulong> Delta(
        IReadOnlyDictionary<string, ulong> before,
        IReadOnlyDictionary<string, ulong> after
    ) => after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));
}

/// <summary>A plugin's declaration does not match its BPF object.</summary>
public sealed class VariantMismatchException(string message) : Exception(message);
