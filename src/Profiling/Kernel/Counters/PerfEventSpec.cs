namespace PacketCounter.Profiling.Counters;

public enum PerfEventKind : uint
{
    Hardware = 0,
    Software = 1,
    HardwareCache = 3,
}

/// <summary>
/// A countable event by its perf name ("cycles", "LLC-load-misses", "cpu-clock"); a ":k"
/// suffix counts in the kernel only (exclude_user), which is where XDP runs (softirq).
/// </summary>
public sealed record PerfEventSpec(string Name, PerfEventKind Kind, ulong Config, bool KernelOnly)
{
    private static readonly Dictionary<string, (PerfEventKind Kind, ulong Config)> Known = new(StringComparer.Ordinal)
    {
        ["cycles"] = (PerfEventKind.Hardware, 0),
        ["instructions"] = (PerfEventKind.Hardware, 1),
        ["cache-references"] = (PerfEventKind.Hardware, 2),
        ["cache-misses"] = (PerfEventKind.Hardware, 3),
        ["branch-instructions"] = (PerfEventKind.Hardware, 4),
        ["branch-misses"] = (PerfEventKind.Hardware, 5),
        // HW_CACHE config: cache id | (op << 8) | (result << 16); op READ = 0, result MISS = 1.
        ["L1-dcache-load-misses"] = (PerfEventKind.HardwareCache, 0 | (0 << 8) | (1 << 16)),
        ["LLC-load-misses"] = (PerfEventKind.HardwareCache, 2 | (0 << 8) | (1 << 16)),
        ["cpu-clock"] = (PerfEventKind.Software, 0),
        ["task-clock"] = (PerfEventKind.Software, 1),
        ["page-faults"] = (PerfEventKind.Software, 2),
        ["context-switches"] = (PerfEventKind.Software, 3),
    };

    /// <summary>The events counted unless --events says otherwise.</summary>
    public static IReadOnlyList<string> DefaultNames { get; } =
    [
        "cycles",
        "instructions",
        "cache-references",
        "cache-misses",
        "branch-instructions",
        "branch-misses",
        "LLC-load-misses",
        "L1-dcache-load-misses",
        "cycles:k",
        "instructions:k",
        "cpu-clock",
        "task-clock",
        "context-switches",
        "page-faults",
    ];

    public static IReadOnlyCollection<string> KnownNames => Known.Keys;

    public static bool TryParse(string name, out PerfEventSpec spec)
    {
        var kernelOnly = name.EndsWith(":k", StringComparison.Ordinal);
        var bare = kernelOnly ? name[..^2] : name;
        if (Known.TryGetValue(bare, out var known))
        {
            spec = new PerfEventSpec(name, known.Kind, known.Config, kernelOnly);
            return true;
        }
        spec = null!;
        return false;
    }

    public static PerfEventSpec Parse(string name) =>
        TryParse(name, out var spec)
            ? spec
            : throw new ArgumentException(
                $"unknown event '{name}'; known: {string.Join(", ", KnownNames)} (add :k for kernel only)"
            );

    /// <summary>Time events count nanoseconds, not occurrences.</summary>
    public bool IsTime => Kind == PerfEventKind.Software && Config is 0 or 1;

    /// <summary>Counted by the CPU's PMU: absent on a machine without one.</summary>
    public bool IsHardware => Kind is PerfEventKind.Hardware or PerfEventKind.HardwareCache;

    /// <summary>Cycles are time at the clock's rate: per packet, they are the rate in other units.</summary>
    public bool IsCycles => Kind == PerfEventKind.Hardware && Config == 0;
}
