using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Profiling.Verification;

/// <summary>
/// Every entry of an object's own maps (u32 keys, u64 slots; libbpf's internal .rodata/.bss
/// maps left out), per-CPU values summed over CPUs as user space reads them. Two snapshots
/// compare equal exactly when the programs left the same counts.
/// </summary>
public static class MapSnapshot
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<ulong, ulong[]>> Of(BpfObject obj) =>
        obj
            .Maps.Where(m => m.KeySize == sizeof(uint) && m.ValueSize % 8 == 0 && !m.Name.Contains('.'))
            .ToDictionary(
                m => m.Name,
                m =>
                    (IReadOnlyDictionary<ulong, ulong[]>)
                        m.Keys().ToDictionary(k => (ulong)k, k => m.LookupUInt64Sum(k)!)
            );

    /// <summary>Where two snapshots differ, one line each; empty when they are equal. A missing entry reads as zeros.</summary>
    public static IReadOnlyList<string> Differences(
        IReadOnlyDictionary<string, IReadOnlyDictionary<ulong, ulong[]>> a,
        string aName,
        IReadOnlyDictionary<string, IReadOnlyDictionary<ulong, ulong[]>> b,
        string bName
    )
    {
        var differences = new List<string>();
        foreach (var map in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var left = a.GetValueOrDefault(map) ?? new Dictionary<ulong, ulong[]>();
            var right = b.GetValueOrDefault(map) ?? new Dictionary<ulong, ulong[]>();
            foreach (var key in left.Keys.Union(right.Keys).Order())
            {
                var l = left.GetValueOrDefault(key) ?? [];
                var r = right.GetValueOrDefault(key) ?? [];
                var width = Math.Max(l.Length, r.Length);
                if (!l.Concat(new ulong[width - l.Length]).SequenceEqual(r.Concat(new ulong[width - r.Length])))
                    differences.Add(
                        $"map {map} key {key}: {aName} [{string.Join(",", l)}] vs {bName} [{string.Join(",", r)}]"
                    );
            }
        }
        return differences;
    }
}
