using PacketCounter.Profiling.Counters;
using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Sources;

/// <summary>What perf counted system-wide over a window, per event.</summary>
public sealed record PerfReading(IReadOnlyList<CounterValue> Values) : SourceReading;

/// <summary>
/// perf events counted system-wide on every CPU: XDP runs in softirq on whichever CPU
/// received the frame. Counting costs the measured path nothing, so it rides along every
/// throughput window. An event that cannot open here is left out and said so.
/// </summary>
public sealed class PerfEventSource(IReadOnlyList<PerfEventSpec> events, IReadOnlyList<int> cpus) : ICounterSource
{
    private readonly SystemCounters _counters = new(events, cpus);

    public string Name => "perf events";

    public IReadOnlyList<SourceState> States =>
        [
            .. _counters.Events.Select(e => new SourceState($"perf {e}", true, "counting system-wide per CPU")),
            .. _counters.Unsupported,
        ];

    public bool Available => _counters.Events.Count > 0;

    public WindowUse Windows => WindowUse.Shared;

    public void Begin(SourceWindow window) => _counters.Start();

    public SourceReading End(SourceWindow window) => new PerfReading(_counters.Stop());

    public void Dispose() => _counters.Dispose();
}
