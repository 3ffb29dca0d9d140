namespace PacketCounter.Profiling.Cpu;

/// <summary>The CPUs of a generator setting, one pinned sending thread each, in the order given.</summary>
public sealed class CpuList : IEquatable<CpuList>
{
    public CpuList(IEnumerable<int> cpus)
    {
        Cpus = cpus.Distinct().ToArray();
        if (Cpus.Count == 0)
            throw new ArgumentException("a CPU list needs at least one CPU", nameof(cpus));
    }

    public IReadOnlyList<int> Cpus { get; }

    public int Count => Cpus.Count;

    public static CpuList Of(params int[] cpus) => new(cpus);

    /// <summary>"0" or "0,1", as the command line and runs.csv spell it.</summary>
    public static bool TryParse(string text, out CpuList? list)
    {
        list = null;
        var cpus = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var cpu))
                return false;
            cpus.Add(cpu);
        }
        if (cpus.Count == 0)
            return false;
        list = new CpuList(cpus);
        return true;
    }

    public bool Equals(CpuList? other) => other is not null && Cpus.SequenceEqual(other.Cpus);

    public override bool Equals(object? obj) => Equals(obj as CpuList);

    public override int GetHashCode() => Cpus.Aggregate(17, (hash, cpu) => hash * 31 + cpu);

    public override string ToString() => string.Join(",", Cpus.Select(c => c.ToString(CultureInfo.InvariantCulture)));
}
