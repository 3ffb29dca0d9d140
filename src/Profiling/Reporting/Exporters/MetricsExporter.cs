using System.Net;
using System.Net.Sockets;
using PacketCounter.Profiling.Monitoring;
using Prometheus;

namespace PacketCounter.Profiling.Exporters;

/// <summary>Where run --metrics listens: 127.0.0.1 unless an address is given.</summary>
public sealed record MetricsEndpoint(IPAddress Address, int Port)
{
    /// <summary>"9100", "127.0.0.1:9100", "0.0.0.0:9100" or "[::1]:9100".</summary>
    public static bool TryParse(string text, out MetricsEndpoint endpoint)
    {
        endpoint = new MetricsEndpoint(IPAddress.Loopback, 0);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            endpoint = endpoint with { Port = bare };
            return bare is >= 1 and <= 65535;
        }
        if (!IPEndPoint.TryParse(text, out var parsed) || parsed.Port == 0)
            return false;
        endpoint = new MetricsEndpoint(parsed.Address, parsed.Port);
        return true;
    }

    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}

/// <summary>The port could not be bound: the message is one line.</summary>
public sealed class MetricsEndpointException(string message, Exception inner) : Exception(message, inner);

/// <summary>run --metrics: a variant's counts as Prometheus metrics at /metrics.</summary>
/// <remarks>
/// prometheus-net keeps
/// the metrics and writes the exposition (Prometheus text, or OpenMetrics when the scraper
/// asks for it). Every value is read when Prometheus scrapes (per-CPU values summed then), so
/// a scrape never lags the monitor. A scrape gets a whole answer or none: the exposition is
/// written in full before the response starts, and before the program is attached, or from
/// the moment detaching begins, the answer is 503. (prometheus-net's own MetricServer cancels
/// scrapes in flight when it stops and answers them 200 with an empty body, which Prometheus
/// would read as every series gone.)
/// </remarks>
public sealed class MetricsExporter : IMonitorObserver, IDisposable
{
    private readonly object _gate = new();
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _serving;
    private readonly Counter _counted;
    private readonly Counter _received;
    private readonly Counter _runs;
    private readonly Counter _runTime;
    private readonly Gauge _cpu;
    private Func<MetricsSnapshot>? _read;
    private (string Variant, string Iface)? _labels;
    private bool _closed;

    private MetricsExporter(MetricsEndpoint endpoint)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _counted = factory.CreateCounter(
            "packetcounter_counted_packets_total",
            "Packets the variant counted, per named count (per-CPU values summed at scrape time).",
            new CounterConfiguration { LabelNames = ["variant", "iface", "count"] }
        );
        _received = factory.CreateCounter(
            "packetcounter_interface_received_packets_total",
            "Packets the interface received (its rx_packets).",
            new CounterConfiguration { LabelNames = ["iface"] }
        );
        _runs = factory.CreateCounter(
            "packetcounter_program_runs_total",
            "Runs of the XDP program (bpf_prog_info run_cnt); present only while run stats "
                + "are on, which costs every BPF program on the host two clock reads per run.",
            new CounterConfiguration { LabelNames = ["variant", "iface"] }
        );
        _runTime = factory.CreateCounter(
            "packetcounter_program_run_seconds_total",
            "Time spent in the XDP program (bpf_prog_info run_time_ns); present only while run stats are on.",
            new CounterConfiguration { LabelNames = ["variant", "iface"] }
        );
        _cpu = factory.CreateGauge(
            "packetcounter_program_cpu_ratio",
            "The program's share of one CPU over the monitor's last stats window (run_time / "
                + "wall); present only with --stats sampled or on.",
            new GaugeConfiguration { LabelNames = ["variant", "iface"] }
        );
        factory
            .CreateGauge(
                "packetcounter_build_info",
                "Which packetcounter serves these metrics.",
                new GaugeConfiguration { LabelNames = ["version", "runtime", "kernel"] }
            )
            .WithLabels(
                typeof(MetricsExporter).Assembly.GetName().Version?.ToString() ?? "unknown",
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                File.Exists("/proc/sys/kernel/osrelease")
                    ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim()
                    : "unknown"
            )
            .Set(1);
        var host =
            endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "+"
            : endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]"
            : endpoint.Address.ToString();
        _listener.Prefixes.Add($"http://{host}:{endpoint.Port}/metrics/");
        Endpoint = endpoint;
    }

    public MetricsEndpoint Endpoint { get; }

    /// <summary>Binds the endpoint before anything is attached, so a taken port costs nothing.</summary>
    public static MetricsExporter Start(MetricsEndpoint endpoint)
    {
        var exporter = new MetricsExporter(endpoint);
        try
        {
            exporter._listener.Start();
            exporter._serving = Task.Run(exporter.ServeAsync);
            return exporter;
        }
        catch (Exception e) when (e is HttpListenerException or SocketException or InvalidOperationException)
        {
            exporter.Dispose();
            throw new MetricsEndpointException(
                $"--metrics {endpoint}: cannot listen there ({e.Message}); pick a free port, e.g. "
                    + $"--metrics {endpoint.Address}:{endpoint.Port + 1}",
                e
            );
        }
    }

    /// <summary>From now on scrapes read <paramref name="read"/>; the attach mode becomes a labelled info metric.</summary>
    public void Serve(string variant, string iface, Bpf.XdpAttachMode mode, Func<MetricsSnapshot> read)
    {
        lock (_gate)
        {
            _labels = (variant, iface);
            _read = read;
            Prometheus
                .Metrics.WithCustomRegistry(_registry)
                .CreateGauge(
                    "packetcounter_attach_info",
                    "How the variant is attached: 1 for the mode in use.",
                    new GaugeConfiguration { LabelNames = ["variant", "iface", "mode"] }
                )
                .WithLabels(variant, iface, Text.EnumNames.Of(mode))
                .Set(1);
        }
    }

    void IMonitorObserver.Attached(string variant, string iface, Bpf.XdpAttachMode mode, Func<MetricsSnapshot> read) =>
        Serve(variant, iface, mode, read);

    void IMonitorObserver.Ticked(MonitorTick tick) => ReportCpu(tick.CpuPercent);

    void IMonitorObserver.Detaching() => Close();

    /// <summary>The CPU share the monitor measured over its last stats window.</summary>
    public void ReportCpu(double cpuPercent)
    {
        lock (_gate)
        {
            if (_labels is { } labels && double.IsFinite(cpuPercent))
                _cpu.WithLabels(labels.Variant, labels.Iface).Set(cpuPercent / 100);
        }
    }

    // Runs on the scrape's thread, before the exposition is written. False is the "none" of
    // "a full answer or none": not attached yet, or detaching.
    private bool Refresh()
    {
        lock (_gate)
        {
            if (_closed || _read is null || _labels is not { } labels)
                return false;
            var snapshot = _read();
            foreach (var (count, total) in snapshot.Counts)
                _counted.WithLabels(labels.Variant, labels.Iface, count).IncTo(total);
            _received.WithLabels(labels.Iface).IncTo(snapshot.InterfaceRxPackets);
            if (snapshot.RunCount is { } runs && snapshot.RunTimeNs is { } runTime && runs > 0)
            {
                _runs.WithLabels(labels.Variant, labels.Iface).IncTo(runs);
                _runTime.WithLabels(labels.Variant, labels.Iface).IncTo(runTime / 1e9);
            }
            return true;
        }
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e)
                when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // the listener was stopped
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var openMetrics =
                context
                    .Request.Headers["Accept"]
                    ?.Contains(PrometheusConstants.OpenMetricsContentType, StringComparison.Ordinal) == true;
            if (!Refresh())
            {
                response.StatusCode = 503;
                response.ContentType = "text/plain; charset=utf-8";
                await response.OutputStream.WriteAsync("not serving: the variant is not attached\n"u8.ToArray());
                return;
            }
            using var body = new MemoryStream();
            await _registry.CollectAndExportAsTextAsync(
                body,
                openMetrics ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText,
                CancellationToken.None
            );
            response.StatusCode = 200;
            response.ContentType = openMetrics
                ? PrometheusConstants.OpenMetricsContentTypeWithVersionAndEncoding
                : PrometheusConstants.TextContentTypeWithVersionAndEncoding;
            response.ContentLength64 = body.Length;
            body.Position = 0;
            await body.CopyToAsync(response.OutputStream);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The scraper went away, or the listener stopped: that scrape gets nothing.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
        }
    }

    /// <summary>Refuses scrapes (503) before anything is detached; a scrape already reading finishes first.</summary>
    public void Close()
    {
        lock (_gate)
            _closed = true;
    }

    public void Dispose()
    {
        Close();
        _stopping.Cancel();
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (ObjectDisposedException) { }
        _serving?.Wait(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
    }
}
