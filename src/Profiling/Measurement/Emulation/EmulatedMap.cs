using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Profiling.Emulation;

/// <summary>
/// A BPF map in memory with the kernel's semantics for the types counters use. Per-CPU
/// maps keep one value per CPU; the emulated program runs on one CPU at a time.
/// </summary>
public sealed class EmulatedMap
{
    private readonly Dictionary<ulong, byte[][]> _entries = new();
    private readonly LinkedList<ulong> _recency = new();
    private readonly Dictionary<string, ulong> _wideKeys = new(StringComparer.Ordinal);

    public EmulatedMap(string name, BpfMapType type, int keySize, int valueSize, int maxEntries, int cpus)
    {
        if (
            type
            is not (
                BpfMapType.Array
                or BpfMapType.PerCpuArray
                or BpfMapType.Hash
                or BpfMapType.PerCpuHash
                or BpfMapType.LruHash
                or BpfMapType.LruPerCpuHash
            )
        )
            throw new EmulationException(
                $"map '{name}' has type {type}, which the emulator does not model (array, per-CPU array, hash, per-CPU hash, LRU hash are)"
            );
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Cpus = IsPerCpu ? cpus : 1;
        if (IsArray)
            for (ulong key = 0; key < (ulong)maxEntries; key++)
                _entries[key] = NewValue();
    }

    public string Name { get; }
    public BpfMapType Type { get; }
    public int KeySize { get; }
    public int ValueSize { get; }
    public int MaxEntries { get; }
    public int Cpus { get; }

    public bool IsArray => Type is BpfMapType.Array or BpfMapType.PerCpuArray;
    public bool IsPerCpu => Type is BpfMapType.PerCpuArray or BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash;
    private bool IsLru => Type is BpfMapType.LruHash or BpfMapType.LruPerCpuHash;

    /// <summary>The keys present; a key wider than 8 bytes appears as the number <see cref="KeyOf"/> gave it.</summary>
    public IReadOnlyCollection<ulong> Keys => _entries.Keys;

    /// <summary>
    /// The key a program passes, as the number this model files it under: the bytes themselves
    /// up to 8 bytes, else one number per distinct byte string (e.g. a 5-tuple), in order of first use.
    /// </summary>
    public ulong KeyOf(ReadOnlySpan<byte> key)
    {
        if (key.Length <= 8)
        {
            Span<byte> bytes = stackalloc byte[8];
            key.CopyTo(bytes);
            return BitConverter.ToUInt64(bytes);
        }
        var text = Convert.ToHexString(key);
        if (!_wideKeys.TryGetValue(text, out var id))
            _wideKeys[text] = id = (ulong)_wideKeys.Count;
        return id;
    }

    /// <summary>The value a program sees for <paramref name="key"/> on <paramref name="cpu"/>, or null.</summary>
    public byte[]? Lookup(ulong key, int cpu)
    {
        if (!_entries.TryGetValue(key, out var values))
            return null;
        Touch(key);
        return values[IsPerCpu ? cpu : 0];
    }

    /// <summary>bpf_map_update_elem: 0, or a negative errno as the kernel returns it.</summary>
    public long Update(ulong key, ReadOnlySpan<byte> value, ulong flags, int cpu)
    {
        const ulong NoExist = 1,
            Exist = 2; // BPF_ANY (0) is the remaining case
        if (flags > Exist)
            return -Native.Errno.EINVAL;
        var exists = _entries.TryGetValue(key, out var values);
        if (IsArray)
        {
            if (key >= (ulong)MaxEntries)
                return -Native.Errno.E2BIG;
            if (flags == NoExist)
                return -Native.Errno.EEXIST;
        }
        else
        {
            if (flags == NoExist && exists)
                return -Native.Errno.EEXIST;
            if (flags == Exist && !exists)
                return -Native.Errno.ENOENT;
            if (!exists && _entries.Count >= MaxEntries)
            {
                if (!IsLru)
                    return -Native.Errno.E2BIG;
                var oldest = _recency.First!.Value;
                _recency.RemoveFirst();
                _entries.Remove(oldest);
            }
        }
        if (!exists)
        {
            values = NewValue();
            _entries[key] = values;
        }
        // From a program, a per-CPU update writes only the running CPU's copy.
        value[..ValueSize].CopyTo(values![IsPerCpu ? cpu : 0]);
        Touch(key);
        return 0;
    }

    /// <summary>bpf_map_delete_elem: arrays refuse (EINVAL), hashes remove or say ENOENT.</summary>
    public long Delete(ulong key)
    {
        if (IsArray)
            return -Native.Errno.EINVAL;
        if (!_entries.Remove(key))
            return -Native.Errno.ENOENT;
        _recency.Remove(key);
        return 0;
    }

    /// <summary>The u64 slots of a value summed over CPUs, as user space reads a per-CPU map.</summary>
    public ulong[] SumUInt64(ulong key)
    {
        var sums = new ulong[ValueSize / 8];
        if (!_entries.TryGetValue(key, out var values))
            return sums;
        foreach (var copy in values)
            for (var slot = 0; slot < sums.Length; slot++)
                sums[slot] += BitConverter.ToUInt64(copy, slot * 8);
        return sums;
    }

    private byte[][] NewValue() => Enumerable.Range(0, Cpus).Select(_ => new byte[ValueSize]).ToArray();

    private void Touch(ulong key)
    {
        if (!IsLru)
            return;
        _recency.Remove(key);
        _recency.AddLast(key);
    }
}

/// <summary>The emulator cannot run this program faithfully; the message names what and where.</summary>
public sealed class EmulationException(string message) : Exception(message);
