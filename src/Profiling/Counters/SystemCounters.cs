using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Counters;

/// <summary>One event over one window: summed over CPUs, scaled for multiplexing.</summary>
public sealed record CounterValue(string Event, double Value, double RunningPercent, IReadOnlyDictionary<int, double> PerCpu, bool IsTime);

/// <summary>
/// System-wide counting, one fd per event per online CPU (pid −1, cpu n): XDP runs in
/// softirq on whatever CPU received the frame, so per-process counting would miss it.
/// Events that cannot open here are left out and listed in <see cref="Unsupported"/>.
/// </summary>
public sealed class SystemCounters : IDisposable
{
    private readonly List<PerfCounter> _counters = [];

    public SystemCounters(IEnumerable<PerfEventSpec> events, IReadOnlyList<int> cpus)
    {
        var unsupported = new List<SourceState>();
        foreach (var spec in events)
        {
            var opened = new List<PerfCounter>();
            try
            {
                foreach (var cpu in cpus)
                    opened.Add(PerfCounter.Open(spec, pid: -1, cpu, startEnabled: false));
                _counters.AddRange(opened);
            }
            catch (PerfEventException e)
            {
                foreach (var counter in opened)
                    counter.Dispose();
                unsupported.Add(new SourceState($"perf {spec.Name}", false, $"not supported: {e.Reason}"));
            }
        }
        Unsupported = unsupported;
    }

    public IReadOnlyList<SourceState> Unsupported { get; }

    public IReadOnlyList<string> Events => _counters.Select(c => c.Spec.Name).Distinct().ToList();

    /// <summary>Zeroes and enables every counter; the window ends with <see cref="Stop"/>.</summary>
    public void Start()
    {
        foreach (var counter in _counters)
        {
            counter.Reset();
            counter.Enable();
        }
    }

    public IReadOnlyList<CounterValue> Stop()
    {
        foreach (var counter in _counters)
            counter.Disable();
        return _counters.GroupBy(c => c.Spec.Name).Select(g =>
        {
            var readings = g.Select(c => (c.Cpu, Reading: c.Read())).ToList();
            var total = readings.Aggregate(new CounterReading(), (sum, r) => sum + r.Reading);
            return new CounterValue(g.Key, readings.Sum(r => r.Reading.Scaled), total.RunningPercent,
                readings.ToDictionary(r => r.Cpu, r => r.Reading.Scaled), g.First().Spec.IsTime);
        }).ToList();
    }

    public void Dispose()
    {
        foreach (var counter in _counters)
            counter.Dispose();
    }
}
