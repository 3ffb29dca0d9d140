using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Host.Cli;

internal static class PluginOptions
{
    public static Option<string[]> Create() =>
        new("--plugins")
        {
            Description = "also discover plugins in DIR (repeatable); plugins/ beside the host is always searched",
            HelpName = "DIR",
        };

    /// <summary>Discovers plugins from plugins/ beside the host and every --plugins directory, and prints each problem once.</summary>
    public static PluginCatalog Discover(ParseResult parse, Option<string[]> plugins)
    {
        var catalog = PluginCatalog.Discover([PluginCatalog.DefaultDirectory, .. parse.GetValue(plugins) ?? []]);
        foreach (var problem in catalog.Problems)
            Console.Error.WriteLine($"packetcounter: {problem}");
        return catalog;
    }

    /// <summary>The discovered variant named by option <paramref name="option"/>, or a usage error listing what there is.</summary>
    public static DiscoveredVariant Find(PluginCatalog catalog, string name, string option) =>
        catalog.Variants.FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new UsageException(
            $"{option}: no variant named '{name}'; discovered: {string.Join(", ", catalog.Variants.Select(v => v.Name))}"
        );

    /// <summary>The command line as the user typed it, for environment.json.</summary>
    public static string CommandLineText =>
        "packetcounter " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
}
