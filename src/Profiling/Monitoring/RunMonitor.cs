using System.Diagnostics;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Profiling.Monitoring;

/// <summary>One interval of a live run: counts so far, their rates, and what run stats say.</summary>
public sealed record MonitorTick(
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, ulong> Totals,
    IReadOnlyDictionary<string, double> RatesPerSecond,
    double InterfacePps,
    double NsPerRun,
    double CpuPercent);

/// <summary>
/// The seed's run mode: a variant attached to a real interface, its counts printed every
/// interval until cancelled or the duration ends. The link detaches on exit, and with the
/// process if it dies.
/// </summary>
public static class RunMonitor
{
    public static void Run(DiscoveredVariant variant, HostInterface iface, XdpAttachMode mode, TimeSpan interval, TimeSpan? duration,
        Action<MonitorTick> onTick, Action<string>? status = null, CancellationToken cancellation = default)
    {
        using var loaded = LoadedVariant.Load(variant);
        using var link = Attach(loaded.Program, iface, mode, status);
        using var stats = RunStatsScope.Enable();
        var clock = Stopwatch.StartNew();
        var previousCounts = loaded.ReadCounts();
        var previousRx = iface.RxPackets();
        var previousInfo = loaded.Program.Info();
        var previousTime = clock.Elapsed;
        while (!cancellation.IsCancellationRequested && (duration is null || clock.Elapsed < duration))
        {
            var wait = duration is { } d ? Min(interval, d - clock.Elapsed) : interval;
            if (cancellation.WaitHandle.WaitOne(wait))
                break;
            var now = clock.Elapsed;
            var seconds = (now - previousTime).TotalSeconds;
            var counts = loaded.ReadCounts();
            var rx = iface.RxPackets();
            var info = loaded.Program.Info();
            var runs = info.RunCount - previousInfo.RunCount;
            var runTime = info.RunTimeNs - previousInfo.RunTimeNs;
            onTick(new MonitorTick(now, counts,
                counts.ToDictionary(c => c.Key, c => (c.Value - previousCounts.GetValueOrDefault(c.Key)) / seconds),
                (rx - previousRx) / seconds,
                runs > 0 ? (double)runTime / runs : double.NaN,
                100.0 * runTime / (seconds * 1e9)));
            (previousCounts, previousRx, previousInfo, previousTime) = (counts, rx, info, now);
        }
    }

    /// <summary>Attaches in the requested mode; auto tries native and says so when it falls back to generic.</summary>
    public static XdpLink Attach(BpfProgram program, HostInterface iface, XdpAttachMode mode, Action<string>? status)
    {
        if (mode != XdpAttachMode.Auto)
            return program.AttachXdp(iface.Ifindex, mode);
        try
        {
            return program.AttachXdp(iface.Ifindex, XdpAttachMode.Native);
        }
        catch (Interop.BpfException e) when (e is not XdpAttachRefusedException)
        {
            status?.Invoke($"native XDP is not supported on {iface.Name} ({e.Message}); falling back to generic mode as asked");
            return program.AttachXdp(iface.Ifindex, XdpAttachMode.Generic);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
