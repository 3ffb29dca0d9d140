namespace PacketCounter.Profiling.Testbed;

/// <summary>Runs iproute2's <c>ip</c>, the tool every Linux network engineer can reproduce our steps with.</summary>
internal static class IpCommand
{
    public static string Run(params string[] arguments)
    {
        var (exitCode, output, error) = TryRun(arguments);
        if (exitCode != 0)
            throw new TestbedException($"ip {string.Join(' ', arguments)} failed: {error.Trim()}");
        return output;
    }

    public static (int ExitCode, string Output, string Error) TryRun(params string[] arguments)
    {
        try
        {
            var result = Machine.ExternalTool.Run("ip", arguments);
            return (result.ExitCode, result.Output, result.Error);
        }
        catch (FileNotFoundException)
        {
            throw new TestbedException("could not start 'ip' (is iproute2 installed?)");
        }
    }
}

/// <summary>The testbed could not be built or taken down.</summary>
public sealed class TestbedException(string message) : Exception(message);
