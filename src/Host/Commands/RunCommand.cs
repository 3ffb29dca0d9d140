using System.Globalization;
using System.Text;
using PacketCounter.Profiling.Monitoring;
using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Host.Commands;

/// <summary>run --variant NAME --iface IF: the seed's live monitor on a real interface.</summary>
internal static class RunCommand
{
    public static readonly string[] Options = ["plugins", "variant", "iface", "interval", "duration", "mode"];

    public static int Run(CommandLine commandLine, CancellationToken cancellation)
    {
        commandLine.RequireNoPositional();
        var name = commandLine.Single("variant") ?? throw new UsageException("run needs --variant NAME");
        var ifaceName = commandLine.Single("iface") ?? throw new UsageException("run needs --iface IF (an interface of this host)");
        var mode = AttachModes.Parse(commandLine.Single("mode") ?? "native", "--mode");
        var intervalText = commandLine.Single("interval") ?? "1";
        if (!double.TryParse(intervalText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0.05 or > 3600)
            throw new UsageException($"--interval must be a number of seconds between 0.05 and 3600, not '{intervalText}'");
        var interval = TimeSpan.FromSeconds(seconds);
        TimeSpan? duration = commandLine.Single("duration") is null ? null : TimeSpan.FromSeconds(commandLine.Int("duration", 0, 1, 86_400 * 365));

        var catalog = PluginOptions.Discover(commandLine);
        var variant = PluginOptions.Find(catalog, name, "--variant");
        var iface = HostInterface.Resolve(ifaceName);

        Console.WriteLine($"running {variant.Name} on {iface.Name} ({mode}); every {interval.TotalSeconds:0.##} s{(duration is null ? ", Ctrl+C to stop" : $" for {duration.Value.TotalSeconds:0} s")}");
        RunMonitor.Run(variant, iface, mode, interval, duration, tick =>
        {
            var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                $"[{tick.Elapsed.TotalSeconds,7:0.0}s] pps {tick.InterfacePps,10:0} | ns/run {(double.IsFinite(tick.NsPerRun) ? tick.NsPerRun.ToString("0.0", CultureInfo.InvariantCulture) : "-"),6} | cpu {tick.CpuPercent,5:0.00}% |"));
            foreach (var (count, total) in tick.Totals)
                line.Append(CultureInfo.InvariantCulture, $" {count} {total} (+{tick.RatesPerSecond.GetValueOrDefault(count):0}/s)");
            Console.WriteLine(line);
        }, message => Console.Error.WriteLine($"packetcounter: {message}"), cancellation);
        if (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("packetcounter: interrupted; detached");
            return ExitCodes.Interrupted;
        }
        return catalog.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
