using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>A map inside a <see cref="BpfObject"/>; valid while its object is.</summary>
public sealed unsafe class BpfMap
{
    internal BpfMap(BpfObject owner, nint map)
    {
        Owner = owner;
        Pointer = map;
        Name = Marshal.PtrToStringUTF8(Interop.Libbpf.MapName(map)) ?? "?";
        Type = (BpfMapType)Interop.Libbpf.MapType(map);
        KeySize = (int)Interop.Libbpf.MapKeySize(map);
        ValueSize = (int)Interop.Libbpf.MapValueSize(map);
        MaxEntries = (int)Interop.Libbpf.MapMaxEntries(map);
    }

    public BpfObject Owner { get; }
    public string Name { get; }
    public BpfMapType Type { get; }
    public int KeySize { get; }
    public int ValueSize { get; }
    public int MaxEntries { get; }

    internal nint Pointer { get; }

    /// <summary>The map's fd once its object is loaded (what ld_imm64 map references carry).</summary>
    public int Fd
    {
        get
        {
            using var lease = Owner.Lease();
            return Interop.Libbpf.MapFd(Pointer);
        }
    }

    /// <summary>
    /// What libbpf will load into a global-data map (.data, .rodata) before the program runs,
    /// or null for a map that has none.
    /// </summary>
    public byte[]? InitialValue()
    {
        using var lease = Owner.Lease();
        nuint size;
        var initial = (byte*)Interop.Libbpf.MapInitialValue(Pointer, &size);
        return initial == null ? null : new ReadOnlySpan<byte>(initial, (int)size).ToArray();
    }

    /// <summary>Per-CPU maps hold one value per possible CPU, each padded to 8 bytes.</summary>
    public bool IsPerCpu => Type is BpfMapType.PerCpuHash or BpfMapType.PerCpuArray or BpfMapType.LruPerCpuHash;

    /// <summary>
    /// The u64 slots of the value at <paramref name="key"/>, summed over every possible
    /// CPU for a per-CPU map; <see langword="null"/> when the key is absent.
    /// </summary>
    public ulong[]? LookupUInt64Sum(uint key)
    {
        RequireU32Keys();
        return LookupUInt64Sum(new ReadOnlySpan<byte>(&key, sizeof(uint)));
    }

    /// <summary>The same for a key of any size, e.g. a 5-tuple.</summary>
    public ulong[]? LookupUInt64Sum(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
            throw new ArgumentException($"map '{Name}' has {KeySize}-byte keys, not {key.Length}", nameof(key));
        var slots = ValueSize / sizeof(ulong);
        var stride = (ValueSize + 7) & ~7;
        var copies = IsPerCpu ? PossibleCpus.Count : 1;
        var buffer = new byte[stride * copies];
        fixed (byte* keyBytes = key)
        fixed (byte* value = buffer)
        {
            int result;
            using (Owner.Lease())
                result = Interop.Libbpf.MapLookupElem(
                    Pointer,
                    keyBytes,
                    (nuint)KeySize,
                    value,
                    (nuint)buffer.Length,
                    0
                );
            if (result == -Native.Errno.ENOENT)
                return null;
            BpfException.ThrowIfNegative(result, $"look up a key in map '{Name}'");
            var sums = new ulong[slots];
            for (var cpu = 0; cpu < copies; cpu++)
            {
                var perCpu = (ulong*)(value + cpu * stride);
                for (var slot = 0; slot < slots; slot++)
                    sums[slot] += perCpu[slot];
            }
            return sums;
        }
    }

    /// <summary>Every entry present, keys as bytes, values' u64 slots summed over CPUs.</summary>
    public IReadOnlyList<(byte[] Key, ulong[] Sum)> Entries() =>
        KeyBytes()
            .Select(key => (Key: key, Sum: LookupUInt64Sum(key)))
            .Where(e => e.Sum is not null)
            .Select(e => (e.Key, e.Sum!))
            .ToList();

    /// <summary>Stores a u32 value at a u32 key (e.g. a perf event fd in a PERF_EVENT_ARRAY).</summary>
    public void UpdateUInt32(uint key, uint value)
    {
        using var lease = Owner.Lease();
        BpfException.ThrowIfNegative(
            Interop.Libbpf.MapUpdateElem(Pointer, &key, sizeof(uint), &value, sizeof(uint), 0),
            $"update key {key} of map '{Name}'"
        );
    }

    /// <summary>Stores <paramref name="value"/>, exactly the map's value size, at a u32 key of a map that is not per-CPU.</summary>
    public void Update(uint key, ReadOnlySpan<byte> value)
    {
        if (KeySize != sizeof(uint) || value.Length != ValueSize || IsPerCpu)
            throw new InvalidOperationException(
                $"map '{Name}' takes {ValueSize}-byte values at {KeySize}-byte keys{(IsPerCpu ? ", per CPU" : "")}"
            );
        using var lease = Owner.Lease();
        fixed (byte* bytes = value)
            BpfException.ThrowIfNegative(
                Interop.Libbpf.MapUpdateElem(Pointer, &key, sizeof(uint), bytes, (nuint)value.Length, 0),
                $"update key {key} of map '{Name}'"
            );
    }

    /// <summary>Every key present, for a map with u32 keys (hash maps: the keys inserted; arrays: all indices).</summary>
    public IReadOnlyList<uint> Keys()
    {
        RequireU32Keys();
        return KeyBytes().Select(k => BitConverter.ToUInt32(k)).ToList();
    }

    private List<byte[]> KeyBytes()
    {
        var keys = new List<byte[]>();
        var current = new byte[KeySize];
        var next = new byte[KeySize];
        using var lease = Owner.Lease();
        fixed (byte* currentKey = current)
        fixed (byte* nextKey = next)
        {
            var result = Interop.Libbpf.MapGetNextKey(Pointer, null, nextKey, (nuint)KeySize);
            while (result == 0)
            {
                keys.Add(next.ToArray());
                next.CopyTo(current, 0);
                result = Interop.Libbpf.MapGetNextKey(Pointer, currentKey, nextKey, (nuint)KeySize);
            }
            if (result != -Native.Errno.ENOENT)
                BpfException.ThrowIfNegative(result, $"list keys of map '{Name}'");
        }
        return keys;
    }

    private void RequireU32Keys()
    {
        if (KeySize != sizeof(uint))
            throw new InvalidOperationException($"map '{Name}' has {KeySize}-byte keys, not u32");
    }
}

/// <summary>enum bpf_map_type (the values PacketCounter names).</summary>
public enum BpfMapType
{
    Unspec = 0,
    Hash = 1,
    Array = 2,
    ProgArray = 3,
    PerfEventArray = 4,
    PerCpuHash = 5,
    PerCpuArray = 6,
    StackTrace = 7,
    CgroupArray = 8,
    LruHash = 9,
    LruPerCpuHash = 10,
    LpmTrie = 11,
    DevMap = 14,
    RingBuf = 27,
}
