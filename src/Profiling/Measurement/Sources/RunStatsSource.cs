using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Sources;

/// <summary>run_cnt and run_time_ns over a window with run stats on.</summary>
public sealed record RunStatsReading(RunStatsDelta Delta) : SourceReading;

/// <summary>
/// bpf_prog_info's run stats, on only inside windows of their own: they read the clock
/// around every BPF program run on the host, the generator's included, about 150 ns a
/// packet on the reference machine's veth path, so no rate is ever taken with them on.
/// </summary>
public sealed class RunStatsSource : ICounterSource
{
    private RunStatsScope? _scope;
    private ProgramInfo? _before;

    private RunStatsSource(SourceState state) => States = [state];

    /// <summary>Tries bpf_enable_stats once: where it is refused, the source says why and is never begun.</summary>
    public static RunStatsSource Probe()
    {
        try
        {
            using var scope = RunStatsScope.Enable();
            return new RunStatsSource(new SourceState("run stats", true, "bpf_enable_stats(BPF_STATS_RUN_TIME)"));
        }
        catch (BpfException e)
        {
            return new RunStatsSource(new SourceState("run stats", false, $"not supported: {e.Message}"));
        }
    }

    public string Name => "run stats";

    public IReadOnlyList<SourceState> States { get; }

    public bool Available => States[0].Available;

    public WindowUse Windows => WindowUse.OwnPerRound;

    public void Begin(SourceWindow window)
    {
        _scope = RunStatsScope.Enable();
        _before = window.Program.Info();
    }

    public SourceReading End(SourceWindow window)
    {
        var after = window.Program.Info();
        _scope?.Dispose();
        _scope = null;
        var before = _before ?? after;
        return new RunStatsReading(
            new RunStatsDelta(after.RunCount - before.RunCount, after.RunTimeNs - before.RunTimeNs)
        );
    }

    public void Dispose() => _scope?.Dispose();
}
