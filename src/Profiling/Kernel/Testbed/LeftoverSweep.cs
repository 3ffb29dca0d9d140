namespace PacketCounter.Profiling.Testbed;

/// <summary>
/// Removes testbed interfaces and namespaces whose owning process is gone (a run killed
/// with SIGKILL cannot clean up after itself). Live runs' testbeds are left alone.
/// </summary>
public static class LeftoverSweep
{
    public sealed record Removed(IReadOnlyList<string> Interfaces, IReadOnlyList<string> Namespaces);

    public static Removed Run(Func<int, bool>? isAlive = null)
    {
        isAlive ??= pid => Directory.Exists($"/proc/{pid}");
        var interfaces = new List<string>();
        foreach (var line in IpCommand.Run("-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "12: pc123g1@if11: <BROADCAST,...": the name sits between the first ": " and '@' or ':'.
            var parts = line.Split(": ", 3);
            if (parts.Length < 2)
                continue;
            var name = parts[1].Split('@')[0];
            if (TestbedNames.OwnerOfInterface(name) is int owner && !isAlive(owner))
            {
                IpCommand.TryRun("link", "del", name);
                interfaces.Add(name);
            }
        }
        var namespaces = new List<string>();
        foreach (var line in IpCommand.Run("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (TestbedNames.OwnerOfNamespace(name) is int owner && !isAlive(owner))
            {
                IpCommand.TryRun("netns", "del", name);
                namespaces.Add(name);
            }
        }
        return new Removed(interfaces, namespaces);
    }
}
