using System.Text;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Exporters;
using PacketCounter.Profiling.Monitoring;
using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Host.Cli;

/// <summary>run --variant NAME --iface IF: the seed's live monitor on a real interface.</summary>
internal static class RunCommand
{
    public static Command Build(CancellationToken cancellation)
    {
        var plugins = PluginOptions.Create();
        var variant = new Option<string>("--variant") { Description = "the variant to attach", Required = true };
        var iface = new Option<string>("--iface")
        {
            Description = "the interface; it must exist and be up",
            Required = true,
            HelpName = "IF",
        };
        var interval = new Option<double>("--interval")
        {
            Description = "seconds between lines (default 1)",
            CustomParser = Parsers.Seconds(0.05, 3600),
            DefaultValueFactory = _ => 1,
        };
        var duration = new Option<double?>("--duration")
        {
            Description = "stop by itself after S seconds (default: until Ctrl+C)",
            CustomParser = r => Parsers.Seconds(1, 86_400 * 365)(r),
        };
        var mode = new Option<XdpAttachMode>("--mode")
        {
            Description = "native | generic | auto: native, falling back to generic (default native)",
            CustomParser = Parsers.AttachMode,
            DefaultValueFactory = _ => XdpAttachMode.Native,
        };
        var stats = new Option<RunStatsMode>("--stats")
        {
            Description =
                "off | sampled | on: whether run stats give ns/run and CPU% (default off). Run "
                + "stats read the clock around every BPF program run on the host, "
                + "not only this one: on this project's test machine they cost about 150 ns per "
                + "packet on the veth XDP path, which halved the rate there. "
                + "sampled keeps them on for the last tenth of each interval, on for all of it",
            CustomParser = r =>
                r.Tokens[0].Value.ToLowerInvariant() switch
                {
                    "off" => RunStatsMode.Off,
                    "sampled" => RunStatsMode.Sampled,
                    "on" => RunStatsMode.On,
                    var other => Fail(r, other),
                },
            DefaultValueFactory = _ => RunStatsMode.Off,
        };
        var metrics = new Option<MetricsEndpoint?>("--metrics")
        {
            Description =
                "serve the counts at http://ADDR:PORT/metrics for Prometheus while running "
                + "(127.0.0.1 unless ADDR is given; off by default). "
                + "run_cnt and run time appear only with --stats sampled or on, at the cost --stats describes",
            HelpName = "[ADDR:]PORT",
            CustomParser = r =>
                MetricsEndpoint.TryParse(r.Tokens[0].Value, out var endpoint) ? endpoint : FailMetrics(r),
        };
        var command = new Command(
            "run",
            "attach one variant to an interface and print its counts every interval (pass sink: traffic goes on)"
        )
        {
            plugins,
            variant,
            iface,
            interval,
            duration,
            mode,
            stats,
            metrics,
        };
        command.SetAction(parse =>
        {
            var catalog = PluginOptions.Discover(parse, plugins);
            if (PluginOptions.HasBadDescriptor(catalog))
                return ExitCodes.Usage;
            var chosen = PluginOptions.Find(catalog, parse.GetValue(variant)!, "--variant");
            var target = HostInterface.Resolve(parse.GetValue(iface)!);
            var every = TimeSpan.FromSeconds(parse.GetValue(interval));
            TimeSpan? until = parse.GetValue(duration) is { } s ? TimeSpan.FromSeconds(s) : null;
            var statsMode = parse.GetValue(stats);
            MetricsExporter? exporter;
            try
            {
                exporter = parse.GetValue(metrics) is { } endpoint ? MetricsExporter.Start(endpoint) : null;
            }
            catch (MetricsEndpointException e)
            {
                Console.Error.WriteLine($"packetcounter: {e.Message}");
                return ExitCodes.Usage;
            }
            using var serving = exporter;
            if (exporter is not null)
                Console.WriteLine($"metrics: http://{exporter.Endpoint}/metrics");
            Console.WriteLine(
                $"running {chosen.Name} on {target.Name} ({parse.GetValue(mode)}); every "
                    + $"{every.TotalSeconds:0.##} "
                    + $"s{(until is null ? ", Ctrl+C to stop" : $" for {until.Value.TotalSeconds:0} s")}; "
                    + $"run stats {StatsText(statsMode)}"
            );
            RunMonitor.Run(
                chosen,
                target,
                parse.GetValue(mode),
                every,
                until,
                statsMode,
                tick =>
                {
                    var nsPerRun = double.IsFinite(tick.NsPerRun)
                        ? tick.NsPerRun.ToString("0.0", CultureInfo.InvariantCulture)
                        : "-";
                    var cpu = double.IsFinite(tick.CpuPercent)
                        ? tick.CpuPercent.ToString("0.00", CultureInfo.InvariantCulture)
                        : "-";
                    var line = new StringBuilder(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"[{tick.Elapsed.TotalSeconds, 7:0.0}s] pps {tick.InterfacePps, 10:0} | ns/run {nsPerRun, 6} | cpu {cpu, 5}% |"
                        )
                    );
                    foreach (var (count, total) in tick.Totals)
                        line.Append(
                            CultureInfo.InvariantCulture,
                            $" {count} {total} (+{tick.RatesPerSecond.GetValueOrDefault(count):0}/s)"
                        );
                    Console.WriteLine(line);
                },
                message => Console.Error.WriteLine($"packetcounter: {message}"),
                cancellation,
                exporter
            );
            if (cancellation.IsCancellationRequested)
            {
                Console.Error.WriteLine("packetcounter: interrupted; detached");
                return ExitCodes.Interrupted;
            }
            return catalog.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static string StatsText(RunStatsMode mode) =>
        mode switch
        {
            RunStatsMode.Off => "off (ns/run and CPU% not measured; --stats sampled or on to measure them)",
            RunStatsMode.Sampled => $"sampled (on for the last {RunMonitor.SampledShare:P0} of each interval)",
            _ => "on (every BPF program on this host pays two clock reads per run)",
        };

    private static MetricsEndpoint? FailMetrics(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"--metrics '{result.Tokens[0].Value}' is not [ADDR:]PORT, e.g. 9100 or 0.0.0.0:9100");
        return null;
    }

    private static RunStatsMode Fail(System.CommandLine.Parsing.ArgumentResult result, string value)
    {
        result.AddError($"--stats '{value}' is unknown; use off, sampled or on");
        return RunStatsMode.Off;
    }
}
