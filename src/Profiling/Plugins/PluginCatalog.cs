using System.Reflection;
using McMaster.NETCore.Plugins;
using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Plugins;

/// <summary>
/// Finds counter variants in plugin directories. A plugin is an assembly with a
/// .deps.json beside it, either directly in a directory given or one level below it
/// (plugins/&lt;Name&gt;/&lt;Name&gt;.dll). Each plugin loads in its own context and
/// shares only the contract with the host. A plugin that fails is reported and
/// skipped; the others are still used.
/// </summary>
public sealed class PluginCatalog
{
    private PluginCatalog(IReadOnlyList<DiscoveredVariant> variants, IReadOnlyList<PluginProblem> problems)
    {
        Variants = variants;
        Problems = problems;
    }

    public IReadOnlyList<DiscoveredVariant> Variants { get; }

    public IReadOnlyList<PluginProblem> Problems { get; }

    /// <summary>plugins/ beside the host.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    public static PluginCatalog Discover(IEnumerable<string> directories)
    {
        var variants = new List<DiscoveredVariant>();
        var problems = new List<PluginProblem>();
        foreach (var directory in directories.Select(Path.GetFullPath).Distinct())
        {
            if (!Directory.Exists(directory))
            {
                problems.Add(new PluginProblem(directory, "directory does not exist; pass an existing directory to --plugins"));
                continue;
            }
            foreach (var assembly in PluginAssembliesIn(directory))
                LoadPlugin(assembly, variants, problems);
        }
        return new PluginCatalog(variants, problems);
    }

    private static IEnumerable<string> PluginAssembliesIn(string directory)
    {
        IEnumerable<string> Here(string dir) => Directory.EnumerateFiles(dir, "*.deps.json")
            .Select(deps => deps[..^".deps.json".Length] + ".dll")
            .Where(File.Exists);
        return Here(directory)
            .Concat(Directory.EnumerateDirectories(directory).OrderBy(d => d, StringComparer.Ordinal).SelectMany(Here))
            .Where(dll => !Path.GetFileName(dll).StartsWith("PacketCounter.", StringComparison.Ordinal));
    }

    private static void LoadPlugin(string assemblyPath, List<DiscoveredVariant> variants, List<PluginProblem> problems)
    {
        var plugin = Path.GetFileNameWithoutExtension(assemblyPath);
        Type[] types;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, sharedTypes: [typeof(ICounterVariant)]);
            types = loader.LoadDefaultAssembly().GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null);
            problems.Add(new PluginProblem(plugin, $"built against an incompatible contract ({first?.Message ?? e.Message}); rebuild it against PacketCounter.Abstractions {ContractVersion}"));
            return;
        }
        catch (Exception e)
        {
            problems.Add(new PluginProblem(plugin, $"cannot be loaded from {assemblyPath}: {e.Message}"));
            return;
        }

        var variantTypes = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICounterVariant).IsAssignableFrom(t)).ToList();
        if (variantTypes.Count == 0)
        {
            problems.Add(new PluginProblem(plugin, $"has no public class implementing {nameof(ICounterVariant)}"));
            return;
        }
        foreach (var type in variantTypes)
        {
            ICounterVariant variant;
            try
            {
                variant = (ICounterVariant)Activator.CreateInstance(type)!;
                _ = variant.Name;
            }
            catch (Exception e)
            {
                var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                problems.Add(new PluginProblem(plugin, $"constructor of {type.FullName} threw {cause.GetType().Name}: {cause.Message}"));
                continue;
            }
            var clash = variants.FirstOrDefault(v => string.Equals(v.Name, variant.Name, StringComparison.OrdinalIgnoreCase));
            if (clash is not null)
            {
                problems.Add(new PluginProblem(plugin, $"variant name '{variant.Name}' is already taken by {clash.AssemblyPath}; rename one of them"));
                continue;
            }
            variants.Add(new DiscoveredVariant(variant, Path.GetDirectoryName(assemblyPath)!, assemblyPath));
        }
    }

    /// <summary>The contract version plugins must be built against.</summary>
    public static Version ContractVersion => typeof(ICounterVariant).Assembly.GetName().Version!;
}
