using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.SystemStats;

namespace PacketCounter.Profiling.Sources;

/// <summary>How busy each CPU was over a window.</summary>
public sealed record CpuTimeReading(IReadOnlyList<CpuBusy> Busy) : SourceReading;

/// <summary>
/// /proc/stat's CPU times around a window. Its 10 ms tick is too coarse for a slice of
/// the testbed, so only windows of seconds (bench --iface) use it.
/// </summary>
public sealed class CpuTimeSource : ICounterSource
{
    private IReadOnlyList<CpuTimes>? _before;

    public string Name => "CPU times";

    public IReadOnlyList<SourceState> States { get; } =
    [
        new(
            "CPU times",
            File.Exists("/proc/stat"),
            File.Exists("/proc/stat") ? "/proc/stat" : "not supported: no /proc/stat"
        ),
    ];

    public bool Available => States[0].Available;

    public WindowUse Windows => WindowUse.Shared;

    public void Begin(SourceWindow window) => _before = CpuTimes.Read();

    public SourceReading End(SourceWindow window) =>
        new CpuTimeReading(CpuBusy.Between(_before ?? [], CpuTimes.Read()));

    public void Dispose() { }
}
