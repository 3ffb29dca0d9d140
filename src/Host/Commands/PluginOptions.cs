using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Host.Commands;

internal static class PluginOptions
{
    /// <summary>Discovers plugins from plugins/ beside the host and every --plugins directory, and prints each problem once.</summary>
    public static PluginCatalog Discover(CommandLine commandLine)
    {
        var catalog = PluginCatalog.Discover([PluginCatalog.DefaultDirectory, .. commandLine.All("plugins")]);
        foreach (var problem in catalog.Problems)
            Console.Error.WriteLine($"packetcounter: {problem}");
        return catalog;
    }
}
