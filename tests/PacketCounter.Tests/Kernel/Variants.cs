using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Tests.Kernel;

/// <summary>The in-tree variants as the host discovers them from plugins/ beside the test assembly.</summary>
internal static class Variants
{
    private static readonly Lazy<PluginCatalog> Catalog = new(() =>
        PluginCatalog.Discover([PluginCatalog.DefaultDirectory])
    );

    public static IReadOnlyList<DiscoveredVariant> All
    {
        get
        {
            Assert.Empty(Catalog.Value.Problems);
            return Catalog.Value.Variants;
        }
    }

    public static DiscoveredVariant Named(string name) => All.Single(v => v.Name == name);

    /// <summary>Every discovered variant's name, so a new plugin is covered without editing a list.</summary>
    public static TheoryData<string> Names(bool includeBaseline)
    {
        var data = new TheoryData<string>();
        foreach (var variant in All.Where(v => includeBaseline || !v.IsBaseline))
            data.Add(variant.Name);
        return data;
    }

    /// <summary>The baseline, found by its role.</summary>
    public static DiscoveredVariant Baseline => All.Single(v => v.IsBaseline);
}
