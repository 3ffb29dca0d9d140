using PacketCounter.Profiling.Measurement;
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
    public static PluginCatalog Discover(ParseResult parse, Option<string[]> plugins) =>
        Discover(parse.GetValue(plugins));

    /// <summary>The same, from the directories given.</summary>
    public static PluginCatalog Discover(IEnumerable<string>? directories)
    {
        var catalog = PluginCatalog.Discover([PluginCatalog.DefaultDirectory, .. directories ?? []]);
        foreach (var problem in catalog.Problems)
            Console.Error.WriteLine($"packetcounter: {problem}");
        return catalog;
    }

    /// <summary>
    /// Whether a descriptor the user wrote is wrong. Its line is printed already; like a wrong
    /// option, it stops a command before anything is loaded (exit 2).
    /// </summary>
    public static bool HasBadDescriptor(PluginCatalog catalog) => catalog.Problems.Any(p => p.InDescriptor);

    /// <summary>The exit code of a command that only discovers: a wrong descriptor is bad input, a failed plugin a failure.</summary>
    public static int ProblemsExit(PluginCatalog catalog) =>
        HasBadDescriptor(catalog) ? ExitCodes.Usage
        : catalog.Problems.Count > 0 ? ExitCodes.Failure
        : ExitCodes.Success;

    /// <summary>The discovered variant named by option <paramref name="option"/>, or a usage error listing what there is.</summary>
    public static DiscoveredVariant Find(PluginCatalog catalog, string name, string option) =>
        BenchPlanBuilder.Find(catalog.Variants, name, option);

    /// <summary>The command line as the user typed it, for environment.json.</summary>
    public static string CommandLineText =>
        "packetcounter " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
}
