using System.Diagnostics;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Monitoring;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.SystemStats;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// The seed's benchmark on a real interface: each variant attached in turn for a fixed
/// duration while outside traffic arrives, measured by the interface's rx delta and run
/// stats. The rate is whatever the external traffic offers, so it compares variants only
/// when that traffic is steady; counts cannot be checked against packets nobody here sent.
/// </summary>
public static class InterfaceBench
{
    public static IEnumerable<LiveSample> Run(IReadOnlyList<LoadedVariant> loaded, HostInterface iface, XdpAttachMode mode, TimeSpan duration, int repeats,
        Action<string>? status = null, CancellationToken cancellation = default)
    {
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            foreach (var variant in loaded)
            {
                cancellation.ThrowIfCancellationRequested();
                status?.Invoke($"{variant.Source.Name} on {iface.Name} for {duration.TotalSeconds:0.#} s (repeat {repeat + 1}/{repeats})");
                yield return Window(variant, iface, mode, duration, repeat, status, cancellation);
            }
        }
    }

    private static LiveSample Window(LoadedVariant variant, HostInterface iface, XdpAttachMode mode, TimeSpan duration, int repeat,
        Action<string>? status, CancellationToken cancellation)
    {
        var source = variant.Source;
        try
        {
            using var link = RunMonitor.Attach(variant.Program, iface, mode, status);
            var countsBefore = variant.ReadCounts();
            using var stats = RunStatsScope.Enable();
            var infoBefore = variant.Program.Info();
            var cpuBefore = CpuTimes.Read();
            var rxBefore = iface.RxPackets();
            var clock = Stopwatch.StartNew();
            cancellation.WaitHandle.WaitOne(duration);
            cancellation.ThrowIfCancellationRequested();
            var rx = iface.RxPackets() - rxBefore;
            var wall = clock.Elapsed;
            var cpuAfter = CpuTimes.Read();
            var infoAfter = variant.Program.Info();
            var counted = CountReader.Delta(countsBefore, variant.ReadCounts());
            return new LiveSample(source.Name, source.Variant.Role, LiveSample.ExternalMix, 0, iface.Name, repeat, 0, rx, wall, rx / wall.TotalSeconds / 1e6,
                infoAfter.RunCount - infoBefore.RunCount, infoAfter.RunTimeNs - infoBefore.RunTimeNs, CpuBusy.Between(cpuBefore, cpuAfter), null, null,
                Counted: counted);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is not OperationCanceledException)
        {
            return new LiveSample(source.Name, source.Variant.Role, LiveSample.ExternalMix, 0, iface.Name, repeat, 0, 0, TimeSpan.Zero, 0, 0, 0, [], null, e.Message);
        }
    }
}
