namespace PacketCounter.Tests.Cli;

/// <summary>
/// The built host, run as a user runs it. Its history store and its cache of objects compiled
/// from descriptors are folders of this test process (removed when it exits), so no test
/// records into, reads or builds into a place it did not make.
/// </summary>
internal static class HostProcess
{
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "packetcounter.dll");

    private static readonly string StoreDirectory = CreateOwnDirectory("pc-store");

    /// <summary>Where every run of the host keeps objects compiled from descriptors.</summary>
    public static string CompileCache { get; } = CreateOwnDirectory("pc-cache");

    /// <summary>The history store every run of the host uses unless a test names another.</summary>
    public static string Store => Path.Combine(StoreDirectory, "history.db");

    /// <summary>
    /// A short live bench's arguments: fixed rounds of slices of <paramref name="packets"/>, no
    /// calibration, no perf events, results into <paramref name="outDir"/>, then <paramref name="more"/>.
    /// </summary>
    /// <summary>A micro-only bench of Ultra on IPv4 UDP: <paramref name="rounds"/> rounds a class, no time budget.</summary>
    public static string[] MicroBench(string outDir, int rounds, params string[] more) =>
        [
            "bench",
            "--mode",
            "micro",
            "--variants",
            "Ultra",
            "--mix",
            "ipv4-udp",
            "--micro-rounds",
            $"{rounds}",
            "--micro-max-rounds",
            $"{rounds}",
            "--budget",
            "0",
            "--out",
            outDir,
            .. more,
        ];

    public static string[] LiveBench(string packets, int rounds, string warmup, string outDir, params string[] more) =>
        Bench("live", packets, rounds, warmup, outDir, more);

    /// <summary>The same in <paramref name="mode"/>: micro, live or all.</summary>
    public static string[] Bench(
        string mode,
        string packets,
        int rounds,
        string warmup,
        string outDir,
        params string[] more
    ) =>
        [
            "bench",
            "--mode",
            mode,
            "--packets",
            packets,
            "--slice-ms",
            "0",
            "--rounds",
            $"{rounds}",
            "--max-rounds",
            $"{rounds}",
            "--warmup",
            warmup,
            "--events",
            "none",
            "--out",
            outDir,
            .. more,
        ];

    /// <summary>run's arguments: Ultra on <paramref name="iface"/> for <paramref name="seconds"/>, then <paramref name="more"/>.</summary>
    public static string[] RunUltra(string iface, int seconds, params string[] more) =>
        ["run", "--variant", "Ultra", "--iface", iface, "--duration", $"{seconds}", .. more];

    public static (int ExitCode, string Output, string Error) Run(params string[] arguments) =>
        RunWith(new Dictionary<string, string>(), arguments);

    public static (int ExitCode, string Output, string Error) RunWith(
        IDictionary<string, string> environment,
        params string[] arguments
    )
    {
        var withStore = new Dictionary<string, string>(environment);
        withStore.TryAdd(Profiling.History.HistoryStore.EnvironmentVariable, Store);
        withStore.TryAdd(Profiling.Plugins.Descriptors.CompileCache.Variable, CompileCache);
        return NativeTool.Run(
            "dotnet",
            [HostDll, .. arguments],
            workingDirectory: Path.GetTempPath(),
            environment: withStore
        );
    }

    /// <summary>A folder of this test process, removed when it exits.</summary>
    public static string CreateOwnDirectory(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory($"{prefix}-{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        };
        return directory;
    }
}
