using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Exporters;
using PacketCounter.Profiling.Monitoring;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Tests.Cli;
using PacketCounter.Tests.Faults;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Monitoring;

[Trait(Category.Name, Category.Pure)]
public class MetricsEndpointTests
{
    [Theory]
    [InlineData("9100", "127.0.0.1:9100")]
    [InlineData("127.0.0.1:9200", "127.0.0.1:9200")]
    [InlineData("0.0.0.0:9100", "0.0.0.0:9100")]
    [InlineData("[::1]:9100", "[::1]:9100")]
    public void Addresses_and_ports_parse_with_loopback_by_default(string text, string expected)
    {
        Assert.True(MetricsEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(expected, endpoint.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("localhost:9100")]
    [InlineData("127.0.0.1")]
    [InlineData("nine")]
    public void Anything_else_is_refused(string text) => Assert.False(MetricsEndpoint.TryParse(text, out _));
}

/// <summary>run --metrics against the real kernel, real frames, promtool and a real Prometheus server.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class MetricsTests : KernelLeakGuard
{
    private static readonly string[] Counts = ["icmp", "other", "tcp", "udp"];

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Dictionary<string, double> Series(string exposition, string metric) =>
        Regex
            .Matches(exposition, $@"(?m)^{metric}\{{([^}}]*)\}} (\S+)")
            .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    private static double Count(string exposition, string count) =>
        Series(exposition, "packetcounter_counted_packets_total")
            .Single(s => s.Key.Contains($"count=\"{count}\""))
            .Value;

    // The monitor runs in this process, attached to the testbed's root-side end, with the exporter bound first.
    private sealed class Monitor : IDisposable
    {
        private readonly Thread _thread;

        public Monitor(
            VethTestbed testbed,
            int port,
            TimeSpan interval,
            TimeSpan duration,
            RunStatsMode stats = RunStatsMode.Off
        )
        {
            Exporter = MetricsExporter.Start(new MetricsEndpoint(IPAddress.Loopback, port));
            var iface = HostInterface.Resolve(testbed.GeneratorInterface);
            _thread = new Thread(() =>
            {
                try
                {
                    RunMonitor.Run(
                        Variants.Named("Ultra"),
                        iface,
                        Profiling.Bpf.XdpAttachMode.Native,
                        interval,
                        duration,
                        stats,
                        tick =>
                        {
                            lock (Ticks)
                                Ticks.Add((DateTime.UtcNow, tick));
                        },
                        observer: Exporter
                    );
                }
                catch (Exception e)
                {
                    Failure = e;
                }
            });
            _thread.Start();
            ChildHost.WaitUntil(
                () =>
                {
                    lock (Ticks)
                        return Ticks.Count > 0;
                },
                TimeSpan.FromSeconds(20),
                "the monitor's first interval"
            );
        }

        public MetricsExporter Exporter { get; }

        public List<(DateTime At, MonitorTick Tick)> Ticks { get; } = [];

        public Exception? Failure { get; private set; }

        public void Join() => _thread.Join();

        public void Dispose()
        {
            _thread.Join();
            Exporter.Dispose();
        }
    }

    [SkippableFact]
    public void The_exposition_carries_exact_counts_and_passes_promtool()
    {
        using var testbed = VethTestbed.Create();
        using var external = ExternalTraffic.Into(testbed);
        var port = FreePort();
        string exposition;
        using (
            var monitor = new Monitor(
                testbed,
                port,
                TimeSpan.FromMilliseconds(250),
                TimeSpan.FromSeconds(3),
                RunStatsMode.On
            )
        )
        {
            external.Send(TrafficClass.Ipv4Udp, 30_000);
            external.Send(TrafficClass.Ipv4Tcp, 12_000);
            using var client = new HttpClient();
            exposition = client.GetStringAsync($"http://127.0.0.1:{port}/metrics").Result;
            monitor.Join();
            Assert.Null(monitor.Failure);
        }
        Assert.Equal(30_000, Count(exposition, "udp"));
        Assert.Equal(12_000, Count(exposition, "tcp"));
        Assert.Equal(0, Count(exposition, "icmp"));
        var label = $"variant=\"Ultra\",iface=\"{testbed.GeneratorInterface}\"";
        Assert.Equal(42_000, Series(exposition, "packetcounter_interface_received_packets_total").Single().Value);
        Assert.Equal(42_000, Series(exposition, "packetcounter_program_runs_total")[label]);
        Assert.InRange(Series(exposition, "packetcounter_program_run_seconds_total")[label], 1e-9, 1);
        Assert.Equal(1, Series(exposition, "packetcounter_attach_info")[$"{label},mode=\"native\""]);
        Assert.Single(Series(exposition, "packetcounter_build_info"));

        Skip.IfNot(
            File.Exists("/usr/bin/promtool"),
            "promtool is not installed (Debian's prometheus package; scripts/setup.sh installs it)"
        );
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, exposition);
            var (exitCode, output, error) = NativeTool.Run("sh", ["-c", $"promtool check metrics < '{file}'"]);
            Assert.True(exitCode == 0, $"promtool: {output}{error}\n{exposition}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Without_run_stats_there_is_no_run_count_and_no_cpu_rather_than_a_zero()
    {
        using var testbed = VethTestbed.Create();
        using var external = ExternalTraffic.Into(testbed);
        var port = FreePort();
        using var monitor = new Monitor(testbed, port, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));
        external.Send(TrafficClass.Ipv4Udp, 10_000);
        using var client = new HttpClient();
        var exposition = await client.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        Assert.Equal(10_000, Count(exposition, "udp"));
        Assert.Empty(Series(exposition, "packetcounter_program_runs_total"));
        Assert.Empty(Series(exposition, "packetcounter_program_cpu_ratio"));
    }

    [Fact]
    public async Task Fifty_concurrent_scrapers_get_whole_answers_or_none_and_the_counts_and_the_interval_hold()
    {
        using var testbed = VethTestbed.Create();
        using var external = ExternalTraffic.Into(testbed);
        var port = FreePort();
        var interval = TimeSpan.FromMilliseconds(200);
        using var monitor = new Monitor(testbed, port, interval, TimeSpan.FromSeconds(4));
        var stop = DateTime.UtcNow.AddSeconds(6); // past the monitor's end: scrapes meet the detach too
        var whole = 0;
        var refused = 0;
        var partial = new List<string>();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var scrapers = Enumerable
            .Range(0, 50)
            .Select(_ =>
                Task.Run(async () =>
                {
                    while (DateTime.UtcNow < stop)
                    {
                        try
                        {
                            using var response = await client.GetAsync($"http://127.0.0.1:{port}/metrics");
                            var body = await response.Content.ReadAsStringAsync();
                            if (!response.IsSuccessStatusCode)
                            {
                                Interlocked.Increment(ref refused);
                            }
                            else if (
                                Counts.All(c => body.Contains($"count=\"{c}\""))
                                && body.Contains("packetcounter_interface_received_packets_total{")
                            )
                            {
                                Interlocked.Increment(ref whole);
                            }
                            else
                            {
                                lock (partial)
                                    partial.Add(
                                        $"{(int)response.StatusCode} {response.Content.Headers.ContentType}, "
                                            + $"{body.Length} bytes: {body[..Math.Min(200, body.Length)]}"
                                    );
                            }
                        }
                        catch (HttpRequestException)
                        {
                            Interlocked.Increment(ref refused); // the server is gone: no answer at all
                        }
                        await Task.Delay(20);
                    }
                })
            )
            .ToArray();
        long sent = 0;
        while (DateTime.UtcNow < stop.AddSeconds(-3.5))
        {
            external.Send(TrafficClass.Ipv4Udp, 20_000);
            sent += 20_000;
        }
        await Task.WhenAll(scrapers);
        monitor.Join();
        Assert.Null(monitor.Failure);

        Assert.Empty(partial);
        Assert.True(whole > 100, $"only {whole} whole answers");
        Assert.True(refused > 0, "no scrape met the detach; the test did not reach it");
        List<(DateTime At, MonitorTick Tick)> ticks;
        lock (monitor.Ticks)
            ticks = [.. monitor.Ticks];
        Assert.Equal((ulong)sent, ticks[^1].Tick.Totals["udp"]);
        // The last interval is cut short by the duration.
        var gaps = ticks
            .Zip(ticks.Skip(1), (a, b) => (b.Tick.Elapsed - a.Tick.Elapsed).TotalMilliseconds)
            .SkipLast(1)
            .ToList();
        Assert.All(gaps, gap => Assert.InRange(gap, interval.TotalMilliseconds * 0.9, interval.TotalMilliseconds * 2));
    }

    [Fact]
    public void A_port_in_use_is_one_line_and_exit_2_with_nothing_attached()
    {
        using var testbed = VethTestbed.Create();
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var (exitCode, output, error) = HostProcess.Run(
                HostProcess.RunUltra(
                    testbed.GeneratorInterface,
                    2,
                    "--metrics",
                    port.ToString(CultureInfo.InvariantCulture)
                )
            );
            Assert.Equal(2, exitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"packetcounter: --metrics 127.0.0.1:{port}: cannot listen there", line);
            Assert.DoesNotContain("running Ultra", output);
            var link = NativeTool.RunOrFail("ip", ["-j", "-d", "link", "show", "dev", testbed.GeneratorInterface]);
            Assert.DoesNotContain("\"xdp\"", link);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Trait(Category.Name, Category.Server)]
    [Trait(Category.Name, Category.Slow)]
    [SkippableFact]
    public void A_real_prometheus_scrapes_the_same_totals_as_the_monitors_last_line()
    {
        Skip.IfNot(
            File.Exists("/usr/bin/prometheus"),
            "no Prometheus server here (Debian's prometheus package; scripts/setup.sh installs it)"
        );
        using var testbed = VethTestbed.Create();
        using var external = ExternalTraffic.Into(testbed);
        var (metricsPort, prometheusPort) = (FreePort(), FreePort());
        var work = Directory.CreateTempSubdirectory("pc-prometheus-");
        var config = Path.Combine(work.FullName, "prometheus.yml");
        File.WriteAllText(
            config,
            $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: packetcounter
                static_configs:
                  - targets: ['127.0.0.1:{metricsPort}']
            """
        );
        using var server = System.Diagnostics.Process.Start(
            new System.Diagnostics.ProcessStartInfo(
                "/usr/bin/prometheus",
                [
                    $"--config.file={config}",
                    $"--storage.tsdb.path={Path.Combine(work.FullName, "data")}",
                    $"--web.listen-address=127.0.0.1:{prometheusPort}",
                ]
            )
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            }
        )!;
        server.ErrorDataReceived += (_, _) => { };
        server.OutputDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            bool Ready()
            {
                try
                {
                    return client.GetAsync($"http://127.0.0.1:{prometheusPort}/-/ready").Result.IsSuccessStatusCode;
                }
                catch (AggregateException)
                {
                    return false;
                }
            }
            ChildHost.WaitUntil(() => server.HasExited || Ready(), TimeSpan.FromSeconds(30), "Prometheus to be ready");
            Skip.If(
                server.HasExited,
                server.HasExited ? $"the Prometheus server exited at start (code {server.ExitCode})" : ""
            );

            using var child = new ChildHost(
                HostProcess.RunUltra(
                    testbed.GeneratorInterface,
                    14,
                    "--interval",
                    "0.5",
                    "--metrics",
                    metricsPort.ToString(CultureInfo.InvariantCulture)
                )
            );
            ChildHost.WaitUntil(
                () => child.Output.Contains("\n["),
                TimeSpan.FromSeconds(30),
                "the monitor's first line"
            );
            external.Send(TrafficClass.Ipv4Udp, 40_000);
            external.Send(TrafficClass.Ipv4Tcp, 15_000);
            external.Send(TrafficClass.Ipv4Icmp, 5_000);

            Dictionary<string, double> Scraped()
            {
                var json = client
                    .GetStringAsync(
                        $"http://127.0.0.1:{prometheusPort}/api/v1/query?query=packetcounter_counted_packets_total"
                    )
                    .Result;
                using var document = JsonDocument.Parse(json);
                return document
                    .RootElement.GetProperty("data")
                    .GetProperty("result")
                    .EnumerateArray()
                    .ToDictionary(
                        r => r.GetProperty("metric").GetProperty("count").GetString()!,
                        r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
                    );
            }
            ChildHost.WaitUntil(
                () => Scraped().GetValueOrDefault("udp") >= 40_000 && Scraped().GetValueOrDefault("icmp") >= 5_000,
                TimeSpan.FromSeconds(20),
                "Prometheus to scrape the totals"
            );
            var scraped = Scraped();
            var (exitCode, output, error) = child.WaitForExit(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, error);
            var last = output.Split('\n').Last(l => l.StartsWith('['));
            foreach (var count in Counts)
            {
                var printed = double.Parse(
                    Regex.Match(last, $@"\b{count} (\d+) \(").Groups[1].Value,
                    CultureInfo.InvariantCulture
                );
                Assert.Equal(printed, scraped[count]);
            }
            Assert.Equal(40_000, scraped["udp"]);
            Assert.Equal(15_000, scraped["tcp"]);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
            work.Delete(recursive: true);
        }
    }
}
