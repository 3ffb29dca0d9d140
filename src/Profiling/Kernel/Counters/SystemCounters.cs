using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Counters;

/// <summary>One event over one window: summed over CPUs, scaled for multiplexing.</summary>
public sealed record CounterValue(
    string Event,
    double Value,
    double RunningPercent,
    IReadOnlyDictionary<int, double> PerCpu,
    bool IsTime
);

/// <summary>
/// System-wide counting, one fd per event per online CPU (pid −1, cpu n): XDP runs in
/// softirq on whatever CPU received the frame, so per-process counting would miss it.
/// Events that cannot open here are left out and listed in <see cref="Unsupported"/>.
/// </summary>
public sealed class SystemCounters : IDisposable
{
    // Hardware and cache events share the PMU's few counters, so they are grouped per CPU
    // and kept together when multiplexed; software events have no such limit.
    private readonly List<PerfEventGroup> _groups = [];

    public SystemCounters(IEnumerable<PerfEventSpec> events, IReadOnlyList<int> cpus)
    {
        var all = events.ToList();
        var hardware = all.Where(e => e.Kind != PerfEventKind.Software).ToList();
        var software = all.Where(e => e.Kind == PerfEventKind.Software).ToList();
        var reasons = new Dictionary<string, string>();
        foreach (var cpu in cpus)
        {
            foreach (
                var set in new[] { hardware }
                    .Concat(software.Select(s => new List<PerfEventSpec> { s }))
                    .Where(s => s.Count > 0)
            )
            {
                var group = new PerfEventGroup(set, pid: -1, cpu);
                foreach (var (spec, reason) in group.Unsupported)
                    reasons.TryAdd(spec.Name, reason);
                _groups.Add(group);
            }
        }
        // An event counts only if it opened on every CPU; otherwise its sum would be partial.
        var counted = all.Where(e => !reasons.ContainsKey(e.Name)).Select(e => e.Name).ToHashSet();
        _counted = counted;
        Unsupported = all.Where(e => reasons.ContainsKey(e.Name))
            .Select(e => new SourceState($"perf {e.Name}", false, $"not supported: {reasons[e.Name]}"))
            .ToList();
        Events = all.Where(e => counted.Contains(e.Name)).Select(e => e.Name).ToList();
        _order = Events.Select((name, index) => (name, index)).ToDictionary(e => e.name, e => e.index);
    }

    private readonly Dictionary<string, int> _order;

    private readonly HashSet<string> _counted;

    public IReadOnlyList<SourceState> Unsupported { get; }

    public IReadOnlyList<string> Events { get; }

    /// <summary>Zeroes and enables every group; the window ends with <see cref="Stop"/>.</summary>
    public void Start()
    {
        foreach (var group in _groups)
            group.Start();
    }

    public IReadOnlyList<CounterValue> Stop()
    {
        foreach (var group in _groups)
            group.Stop();
        var readings = _groups
            .SelectMany(g => g.Events.Zip(g.Read(), (spec, reading) => (Spec: spec, g.Cpu, Reading: reading)))
            .Where(r => _counted.Contains(r.Spec.Name))
            .ToList();
        return readings
            .GroupBy(r => r.Spec.Name)
            .Select(g =>
            {
                var total = g.Aggregate(new CounterReading(), (sum, r) => sum + r.Reading);
                return new CounterValue(
                    g.Key,
                    g.Sum(r => r.Reading.Scaled),
                    total.RunningPercent,
                    g.ToDictionary(r => r.Cpu, r => r.Reading.Scaled),
                    g.First().Spec.IsTime
                );
            })
            .OrderBy(v => _order[v.Event])
            .ToList();
    }

    public void Dispose()
    {
        foreach (var group in _groups)
            group.Dispose();
    }
}
