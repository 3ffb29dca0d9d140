namespace PacketCounter.Profiling.Machine;

/// <summary>
/// Whether this machine has a CPU PMU, which every hardware and cache event needs. A PMU
/// shows up as an event source under /sys/bus/event_source/devices: "cpu" on most x86 and
/// arm64 machines, "cpu_core" and "cpu_atom" on hybrid Intel parts.
/// </summary>
public static class HardwarePmu
{
    private const string EventSources = "/sys/bus/event_source/devices";

    /// <summary>The names a CPU PMU's event source goes by.</summary>
    public static readonly IReadOnlyList<string> SourceNames = ["cpu", "cpu_core", "cpu_atom"];

    /// <summary>The CPU PMU event sources present, empty when there is none.</summary>
    public static IReadOnlyList<string> Present(string root = EventSources) =>
        SourceNames.Where(name => Directory.Exists(Path.Combine(root, name))).ToList();

    public static bool Exists => Present().Count > 0;

    /// <summary>The PMU as a counter source, with why it is missing.</summary>
    public static SourceState State(string root = EventSources) =>
        Present(root) is { Count: > 0 } present
            ? new SourceState(
                "hardware PMU",
                true,
                $"event source {string.Join(", ", present.Select(p => $"'{p}'"))} present"
            )
            : new SourceState(
                "hardware PMU",
                false,
                $"not supported: no PMU on this machine (no {string.Join(", ", SourceNames.Select(n => $"'{n}'"))} event source in {root})"
            );
}
