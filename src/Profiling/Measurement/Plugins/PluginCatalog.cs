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
                problems.Add(
                    new PluginProblem(directory, "directory does not exist; pass an existing directory to --plugins")
                );
                continue;
            }
            if (PluginTrust.WhyUnsafe(directory) is { } unsafeRoot)
            {
                problems.Add(new PluginProblem(directory, $"refusing to load plugins: {unsafeRoot}"));
                continue;
            }
            foreach (var assembly in PluginAssembliesIn(directory))
            {
                var pluginDirectory = Path.GetDirectoryName(assembly)!;
                if (PluginTrust.FirstUnsafe([pluginDirectory, assembly]) is { } unsafePlugin)
                {
                    problems.Add(
                        new PluginProblem(
                            Path.GetFileNameWithoutExtension(assembly),
                            $"refusing to load: {unsafePlugin}"
                        )
                    );
                    continue;
                }
                LoadPlugin(assembly, variants, problems);
            }
        }
        return new PluginCatalog(variants, problems);
    }

    private static IEnumerable<string> PluginAssembliesIn(string directory)
    {
        IEnumerable<string> Here(string dir) =>
            Directory
                .EnumerateFiles(dir, "*.deps.json")
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
        catch (Exception e) when (ContractMismatch(e) is { } wanted)
        {
            problems.Add(
                new PluginProblem(
                    plugin,
                    $"built against PacketCounter.Abstractions {wanted}, but this host has "
                        + $"{ContractVersion}; rebuild it against {ContractVersion}"
                )
            );
            return;
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null);
            problems.Add(
                new PluginProblem(plugin, $"its types cannot be loaded: {OneLine(first?.Message ?? e.Message)}")
            );
            return;
        }
        catch (Exception e)
        {
            problems.Add(new PluginProblem(plugin, $"cannot be loaded from {assemblyPath}: {OneLine(e.Message)}"));
            return;
        }

        var variantTypes = types
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICounterVariant).IsAssignableFrom(t))
            .ToList();
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
                problems.Add(
                    new PluginProblem(
                        plugin,
                        $"constructor of {type.FullName} threw {cause.GetType().Name}: {cause.Message}"
                    )
                );
                continue;
            }
            var clash = variants.FirstOrDefault(v =>
                string.Equals(v.Name, variant.Name, StringComparison.OrdinalIgnoreCase)
            );
            if (clash is not null)
            {
                problems.Add(
                    new PluginProblem(
                        plugin,
                        $"variant name '{variant.Name}' is already taken by {clash.AssemblyPath}; rename one of them"
                    )
                );
                continue;
            }
            variants.Add(new DiscoveredVariant(variant, Path.GetDirectoryName(assemblyPath)!, assemblyPath));
        }
    }

    // A plugin built against another contract fails to resolve PacketCounter.Abstractions
    // at the version it names; the host only ever offers its own.
    private static Version? ContractMismatch(Exception e)
    {
        var candidates = e is ReflectionTypeLoadException r
            ? r.LoaderExceptions.Where(x => x is not null).Select(x => x!)
            : [e];
        foreach (var candidate in candidates)
        {
            var fileName = candidate switch
            {
                FileNotFoundException f => f.FileName,
                FileLoadException f => f.FileName,
                _ => null,
            };
            if (
                fileName is not null
                && new AssemblyName(fileName) is { Name: var name, Version: { } version }
                && name == typeof(ICounterVariant).Assembly.GetName().Name
                && version != ContractVersion
            )
                return version;
        }
        return null;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The contract version plugins must be built against.</summary>
    public static Version ContractVersion => typeof(ICounterVariant).Assembly.GetName().Version!;
}
