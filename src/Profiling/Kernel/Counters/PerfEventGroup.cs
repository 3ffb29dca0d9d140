namespace PacketCounter.Profiling.Counters;

/// <summary>
/// Events counted as one group on one CPU: enabled, disabled and read together, and
/// scheduled onto the PMU together, so when the kernel multiplexes, every member saw the
/// same slice of time and ratios between them stay true. A member that cannot open is
/// left out with its reason; the rest of the group still counts.
/// </summary>
public sealed class PerfEventGroup : IDisposable
{
    private readonly List<PerfCounter> _members = [];

    public PerfEventGroup(IEnumerable<PerfEventSpec> events, int pid, int cpu)
    {
        var unsupported = new List<(PerfEventSpec, string)>();
        foreach (var spec in events)
        {
            try
            {
                _members.Add(
                    _members.Count == 0
                        ? PerfCounter.Open(spec, pid, cpu, startEnabled: false, groupLeader: null, asGroupLeader: true)
                        : PerfCounter.Open(spec, pid, cpu, startEnabled: false, groupLeader: _members[0])
                );
            }
            catch (PerfEventException e)
            {
                unsupported.Add((spec, e.Reason));
            }
        }
        Unsupported = unsupported;
        Cpu = cpu;
    }

    public int Cpu { get; }

    public IReadOnlyList<PerfEventSpec> Events => _members.Select(m => m.Spec).ToList();

    public IReadOnlyList<(PerfEventSpec Event, string Reason)> Unsupported { get; }

    public void Start()
    {
        if (_members.Count == 0)
            return;
        _members[0].Reset(group: true);
        _members[0].Enable(group: true);
    }

    public void Stop()
    {
        if (_members.Count > 0)
            _members[0].Disable(group: true);
    }

    /// <summary>Each member's reading, in <see cref="Events"/> order, from one snapshot.</summary>
    public IReadOnlyList<CounterReading> Read() => _members.Count == 0 ? [] : _members[0].ReadGroup(_members.Count);

    public void Dispose()
    {
        for (var i = _members.Count - 1; i >= 0; i--)
            _members[i].Dispose();
    }
}
