using PacketCounter.Profiling.Counters;
using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Sources;

/// <summary>One event attributed to one program over a window.</summary>
public sealed record AttributionSourceReading(AttributionReading Reading) : SourceReading;

/// <summary>
/// One perf event read by fentry/fexit programs around the measured XDP program, per run.
/// The trampoline slows every run it wraps, so its windows come after the throughput
/// windows and never overlap them. Where the kernel refuses fentry (EPERM here), the probe
/// says so and nothing is attached.
/// </summary>
public sealed class AttributionSource : ICounterSource
{
    private readonly PerfEventSpec _event;
    private readonly IReadOnlyList<int> _cpus;
    private ProgramAttribution? _attached;

    private AttributionSource(PerfEventSpec spec, IReadOnlyList<int> cpus, SourceState state)
    {
        _event = spec;
        _cpus = cpus;
        States = [state];
    }

    /// <summary>A source per event, all with the state one probe on <paramref name="anyProgram"/> found.</summary>
    public static IReadOnlyList<AttributionSource> For(
        IEnumerable<PerfEventSpec> events,
        IReadOnlyList<int> cpus,
        Bpf.BpfProgram anyProgram
    )
    {
        var state = ProgramAttribution.Probe(anyProgram);
        return events.Select(e => new AttributionSource(e, cpus, state)).ToList();
    }

    public string Name => $"fentry attribution {_event.Name}";

    public IReadOnlyList<SourceState> States { get; }

    public bool Available => States[0].Available;

    public WindowUse Windows => WindowUse.OwnAfterRounds;

    public void Begin(SourceWindow window) =>
        _attached = ProgramAttribution.Attach(window.Variant.Program, _event, _cpus);

    public SourceReading End(SourceWindow window)
    {
        try
        {
            return new AttributionSourceReading(_attached!.Read(window.Variant.Name));
        }
        finally
        {
            _attached?.Dispose();
            _attached = null;
        }
    }

    public void Dispose() => _attached?.Dispose();
}
