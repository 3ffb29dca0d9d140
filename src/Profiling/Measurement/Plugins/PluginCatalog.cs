using System.Reflection;
using McMaster.NETCore.Plugins;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Plugins.Descriptors;

namespace PacketCounter.Profiling.Plugins;

/// <summary>
/// Finds counter variants in plugin directories. A plugin is an assembly with a
/// .deps.json beside it, or a descriptor (<c>NAME.variant.yaml</c>), either directly in a
/// directory given or one level below it (plugins/&lt;Name&gt;/&lt;Name&gt;.dll). Each
/// assembly loads in its own context and shares only the contract with the host. A plugin
/// that fails is reported and skipped; the others are still used.
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

    /// <param name="descriptors">Reads descriptors; by default, compiling as the shipped BpfProgram item does.</param>
    public static PluginCatalog Discover(IEnumerable<string> directories, DescriptorLoader? descriptors = null)
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
            foreach (var descriptor in Here(directory, $"*{VariantDescriptor.Suffix}"))
            {
                try
                {
                    descriptors ??= DescriptorLoader.Shipped();
                    Add(descriptors.Load(descriptor), Path.GetFileName(descriptor), variants, problems);
                }
                catch (DescriptorException e)
                {
                    problems.Add(PluginProblem.Of(e));
                }
                catch (BpfCompileException e)
                {
                    problems.Add(PluginProblem.Of(new DescriptorException(descriptor, 1, 1, e.Message)));
                }
            }
        }
        return new PluginCatalog(variants, problems);
    }

    // Files matching the pattern in the directory, then one level below it, in a stable order.
    private static IEnumerable<string> Here(string directory, string pattern) =>
        Directory
            .EnumerateFiles(directory, pattern)
            .Order(StringComparer.Ordinal)
            .Concat(
                Directory
                    .EnumerateDirectories(directory)
                    .Order(StringComparer.Ordinal)
                    .SelectMany(d => Directory.EnumerateFiles(d, pattern).Order(StringComparer.Ordinal))
            );

    private static IEnumerable<string> PluginAssembliesIn(string directory) =>
        Here(directory, "*.deps.json")
            .Select(deps => deps[..^".deps.json".Length] + ".dll")
            .Where(File.Exists)
            .Where(dll => !Path.GetFileName(dll).StartsWith("PacketCounter.", StringComparison.Ordinal));

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
            Add(
                new DiscoveredVariant(variant, Path.GetDirectoryName(assemblyPath)!, assemblyPath),
                plugin,
                variants,
                problems
            );
        }
    }

    // A name is taken once: the variant found first keeps it.
    private static void Add(
        DiscoveredVariant variant,
        string plugin,
        List<DiscoveredVariant> variants,
        List<PluginProblem> problems
    )
    {
        var clash = variants.FirstOrDefault(v =>
            string.Equals(v.Name, variant.Name, StringComparison.OrdinalIgnoreCase)
        );
        if (clash is null)
        {
            variants.Add(variant);
            return;
        }
        var problem = $"variant name '{variant.Name}' is already taken by {clash.Origin}; rename one of them";
        problems.Add(
            variant.Variant is DescriptorVariant described
                ? PluginProblem.Of(DescriptorException.At(described.Descriptor.NameAt, problem))
                : new PluginProblem(plugin, problem)
        );
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
