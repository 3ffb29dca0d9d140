namespace PacketCounter.Tests.Cli;

/// <summary>
/// The built host, run as a user runs it. Its history store is a file of this test process
/// (removed when it exits), so no test records into, or reads, a store it did not make.
/// </summary>
internal static class HostProcess
{
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "packetcounter.dll");

    private static readonly string StoreDirectory = CreateStoreDirectory();

    /// <summary>The history store every run of the host uses unless a test names another.</summary>
    public static string Store => Path.Combine(StoreDirectory, "history.db");

    public static (int ExitCode, string Output, string Error) Run(params string[] arguments) =>
        RunWith(new Dictionary<string, string>(), arguments);

    public static (int ExitCode, string Output, string Error) RunWith(
        IDictionary<string, string> environment,
        params string[] arguments
    )
    {
        var withStore = new Dictionary<string, string>(environment);
        withStore.TryAdd(Profiling.History.HistoryStore.EnvironmentVariable, Store);
        return NativeTool.Run(
            "dotnet",
            [HostDll, .. arguments],
            workingDirectory: Path.GetTempPath(),
            environment: withStore
        );
    }

    private static string CreateStoreDirectory()
    {
        var directory = Directory.CreateTempSubdirectory($"pc-store-{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        };
        return directory;
    }
}
