using System.Diagnostics;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Sources;
using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Profiling.Monitoring;

/// <summary>How the monitor gets ns/run: run stats cost every BPF program on the host two clock reads per run.</summary>
public enum RunStatsMode
{
    /// <summary>Never on: no ns/run, no added cost. The default on a production host.</summary>
    Off,

    /// <summary>On for the last <see cref="RunMonitor.SampledShare"/> of each interval: ns/run at a tenth of the cost.</summary>
    Sampled,

    /// <summary>On for the whole run.</summary>
    On,
}

/// <summary>One interval of a live run: counts so far, their rates, and what run stats say (NaN when they were off).</summary>
public sealed record MonitorTick(
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, ulong> Totals,
    IReadOnlyDictionary<string, double> RatesPerSecond,
    double InterfacePps,
    double NsPerRun,
    double CpuPercent
);

/// <summary>What one scrape reads, all at once.</summary>
public sealed record MetricsSnapshot(
    IReadOnlyDictionary<string, ulong> Counts,
    ulong InterfaceRxPackets,
    ulong? RunCount,
    ulong? RunTimeNs
);

/// <summary>
/// What watches a monitored run besides its printed ticks (the Prometheus exporter): it is
/// told how to read the program once it is attached, gets every tick, and is told before
/// detaching begins, so nothing it serves sees the program half detached.
/// </summary>
public interface IMonitorObserver
{
    void Attached(string variant, string iface, XdpAttachMode mode, Func<MetricsSnapshot> read);

    void Ticked(MonitorTick tick);

    void Detaching();
}

/// <summary>
/// The seed's run mode: a variant attached to a real interface, its counts printed every
/// interval until cancelled or the duration ends. The link detaches on exit, and with the
/// process if it dies.
/// </summary>
public static class RunMonitor
{
    /// <summary>The share of each interval sampled mode keeps run stats on.</summary>
    public const double SampledShare = 0.1;

    /// <param name="observer">Watches the run while attached, e.g. serving the counts to Prometheus; set up by the
    /// caller before this, so a taken port attaches nothing.</param>
    public static void Run(
        DiscoveredVariant variant,
        HostInterface iface,
        XdpAttachMode mode,
        TimeSpan interval,
        TimeSpan? duration,
        RunStatsMode stats,
        Action<MonitorTick> onTick,
        Action<string>? status = null,
        CancellationToken cancellation = default,
        IMonitorObserver? observer = null
    )
    {
        using var loaded = LoadedVariant.Load(variant);
        using var link = Attach(loaded.Program, iface, mode, status);
        try
        {
            observer?.Attached(
                loaded.Name,
                iface.Name,
                link.Mode,
                () =>
                {
                    var info = loaded.Program.Info();
                    return new MetricsSnapshot(
                        loaded.ReadCounts(),
                        iface.RxPackets(),
                        info.RunCount > 0 ? info.RunCount : null,
                        info.RunCount > 0 ? info.RunTimeNs : null
                    );
                }
            );
            Monitor(
                loaded,
                iface,
                interval,
                duration,
                stats,
                tick =>
                {
                    observer?.Ticked(tick);
                    onTick(tick);
                },
                cancellation
            );
        }
        finally
        {
            // Scrapes stop before the program goes: none of them sees it half detached.
            observer?.Detaching();
        }
    }

    private static void Monitor(
        LoadedVariant loaded,
        HostInterface iface,
        TimeSpan interval,
        TimeSpan? duration,
        RunStatsMode stats,
        Action<MonitorTick> onTick,
        CancellationToken cancellation
    )
    {
        using var always = stats == RunStatsMode.On ? RunStatsScope.Enable() : null;
        using var runStats = stats == RunStatsMode.Sampled ? RunStatsSource.Probe() : null;
        var clock = Stopwatch.StartNew();
        var previousCounts = loaded.ReadCounts();
        var previousRx = iface.RxPackets();
        var previousInfo = loaded.Program.Info();
        var previousTime = clock.Elapsed;
        // A wait can end a little early (whole milliseconds): what is left of the duration
        // below that is not another interval.
        while (
            !cancellation.IsCancellationRequested
            && (duration is null || duration.Value - clock.Elapsed > TimeSpan.FromMilliseconds(2))
        )
        {
            var wait = duration is { } d ? Min(interval, d - clock.Elapsed) : interval;
            var sampled = stats == RunStatsMode.Sampled ? wait * SampledShare : TimeSpan.Zero;
            if (cancellation.WaitHandle.WaitOne(wait - sampled))
                break;
            (double NsPerRun, double CpuPercent) figures = (double.NaN, double.NaN);
            if (stats == RunStatsMode.Sampled)
            {
                // The sampled tenth is a run-stats window of its own, as bench takes them.
                var start = clock.Elapsed;
                var (cancelled, readings) = SourceWindows.Measure(
                    [runStats!],
                    new SourceWindow(loaded, loaded.Program),
                    () => cancellation.WaitHandle.WaitOne(sampled)
                );
                if (cancelled)
                    break;
                if (readings.OfType<RunStatsReading>().FirstOrDefault() is { Delta: var delta })
                    figures = (delta.NsPerRun, 100.0 * delta.RunTimeNs / (clock.Elapsed - start).TotalNanoseconds);
            }
            var now = clock.Elapsed;
            var seconds = (now - previousTime).TotalSeconds;
            var counts = loaded.ReadCounts();
            var rx = iface.RxPackets();
            var info = loaded.Program.Info();
            if (stats == RunStatsMode.On)
                figures = Figures(previousInfo, info, now - previousTime);
            onTick(
                new MonitorTick(
                    now,
                    counts,
                    counts.ToDictionary(c => c.Key, c => (c.Value - previousCounts.GetValueOrDefault(c.Key)) / seconds),
                    (rx - previousRx) / seconds,
                    figures.NsPerRun,
                    figures.CpuPercent
                )
            );
            (previousCounts, previousRx, previousInfo, previousTime) = (counts, rx, info, now);
        }
    }

    private static (double NsPerRun, double CpuPercent) Figures(ProgramInfo before, ProgramInfo after, TimeSpan window)
    {
        var runs = after.RunCount - before.RunCount;
        var runTime = after.RunTimeNs - before.RunTimeNs;
        return (runs > 0 ? (double)runTime / runs : double.NaN, 100.0 * runTime / window.TotalNanoseconds);
    }

    /// <summary>Attaches in the requested mode; auto tries native and says so when it falls back to generic.</summary>
    public static XdpLink Attach(KernelProgram program, HostInterface iface, XdpAttachMode mode, Action<string>? status)
    {
        if (mode != XdpAttachMode.Auto)
            return program.AttachXdp(iface.Ifindex, mode);
        try
        {
            return program.AttachXdp(iface.Ifindex, XdpAttachMode.Native);
        }
        catch (Native.BpfException e) when (e is not XdpAttachRefusedException)
        {
            status?.Invoke(
                $"native XDP is not supported on {iface.Name} ({e.Message}); falling back to generic mode as asked"
            );
            return program.AttachXdp(iface.Ifindex, XdpAttachMode.Generic);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
