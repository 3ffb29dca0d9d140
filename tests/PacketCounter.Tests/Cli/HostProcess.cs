namespace PacketCounter.Tests.Cli;

/// <summary>Runs the real packetcounter host (built beside the tests) as a child process.</summary>
internal static class HostProcess
{
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "packetcounter.dll");

    public static (int ExitCode, string Output, string Error) Run(params string[] arguments) =>
        NativeTool.Run("dotnet", [HostDll, .. arguments], workingDirectory: Path.GetTempPath());
}
