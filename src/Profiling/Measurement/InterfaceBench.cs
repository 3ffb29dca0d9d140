using System.Diagnostics;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Monitoring;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Sources;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// The seed's benchmark on a real interface: each variant attached in turn while outside
/// traffic arrives, a window of fixed duration with run stats off for the rate, then one with
/// them on for ns/run. The rate is whatever the external traffic offers, so it compares
/// variants only when that traffic is steady; counts cannot be checked against packets
/// nobody here sent. An interface has one attachment point, so there is no ABBA here.
/// </summary>
public static class InterfaceBench
{
    public static IEnumerable<LiveSample> Run(
        IReadOnlyList<LoadedVariant> loaded,
        HostInterface iface,
        XdpAttachMode mode,
        TimeSpan duration,
        int rounds,
        IReadOnlyList<ICounterSource> sources,
        Action<string>? status = null,
        CancellationToken cancellation = default
    )
    {
        var setting = new LiveSetting(LiveSetting.ExternalMix, 0, new ExternalSource(iface.Name), Sink.Pass);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var variant in loaded)
            {
                cancellation.ThrowIfCancellationRequested();
                status?.Invoke(
                    $"{variant.Name} on {iface.Name}: round {round + 1} of {rounds}, 2 × {duration.TotalSeconds:0.#} s"
                );
                foreach (
                    var sample in Windows(variant, iface, mode, duration, setting, round, sources, status, cancellation)
                )
                    yield return sample;
            }
        }
    }

    private static IEnumerable<LiveSample> Windows(
        LoadedVariant variant,
        HostInterface iface,
        XdpAttachMode mode,
        TimeSpan duration,
        LiveSetting setting,
        int round,
        IReadOnlyList<ICounterSource> sources,
        Action<string>? status,
        CancellationToken cancellation
    )
    {
        LiveWindowKind[] kinds = [LiveWindowKind.Throughput, LiveWindowKind.RunStats];
        var samples = new List<LiveSample>();
        try
        {
            using var link = RunMonitor.Attach(variant.Program, iface, mode, status);
            foreach (var kind in kinds)
                samples.Add(Window(variant, iface, duration, setting, round, kind, sources, cancellation));
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is not OperationCanceledException)
        {
            samples.AddRange(
                kinds
                    .Skip(samples.Count)
                    .Select(kind => LiveSample.Of(variant, setting, round, kind) with { Failure = e.Message })
            );
        }
        return samples;
    }

    // Shared sources count in both windows; sources that need windows of their own, the second only.
    private static LiveSample Window(
        LoadedVariant variant,
        HostInterface iface,
        TimeSpan duration,
        LiveSetting setting,
        int round,
        LiveWindowKind kind,
        IReadOnlyList<ICounterSource> sources,
        CancellationToken cancellation
    )
    {
        var countsBefore = variant.ReadCounts();
        var infoBefore = variant.Program.Info();
        var rxBefore = iface.RxPackets();
        var inWindow = sources
            .Where(s =>
                s.Windows == WindowUse.Shared || (kind == LiveWindowKind.RunStats && s.Windows == WindowUse.OwnPerRound)
            )
            .ToList();
        var (wall, readings) = SourceWindows.Measure(
            inWindow,
            new SourceWindow(variant, variant.Program),
            () =>
            {
                var clock = Stopwatch.StartNew();
                cancellation.WaitHandle.WaitOne(duration);
                cancellation.ThrowIfCancellationRequested();
                return clock.Elapsed;
            }
        );
        var rx = iface.RxPackets() - rxBefore;
        var infoAfter = variant.Program.Info();
        var moved = new RunStatsDelta(
            infoAfter.RunCount - infoBefore.RunCount,
            infoAfter.RunTimeNs - infoBefore.RunTimeNs
        );
        if (!readings.OfType<RunStatsReading>().Any())
            readings = [.. readings, new RunStatsReading(moved)];
        return LiveSample.Of(variant, setting, round, kind) with
        {
            Delivered = rx,
            Wall = wall,
            Readings = readings,
            Counted = CountReader.Delta(countsBefore, variant.ReadCounts()),
            Failure =
                kind == LiveWindowKind.Throughput && moved.RunCount > 0
                    ? $"run stats were on during a throughput window ({Bpf.RunStatsHolders.Explain()}), so its "
                        + "rate is not the program's; turn them off and run again"
                    : null,
        };
    }
}
