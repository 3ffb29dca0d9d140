using PacketCounter.Profiling.Plugins;
using Xunit;

namespace PacketCounter.Tests.Kernel;

/// <summary>The in-tree variants as the host discovers them from plugins/ beside the test assembly.</summary>
internal static class Variants
{
    private static readonly Lazy<PluginCatalog> Catalog = new(() => PluginCatalog.Discover([PluginCatalog.DefaultDirectory]));

    public static IReadOnlyList<DiscoveredVariant> All
    {
        get
        {
            Assert.Empty(Catalog.Value.Problems);
            return Catalog.Value.Variants;
        }
    }

    public static DiscoveredVariant Named(string name) => All.Single(v => v.Name == name);

    public static TheoryData<string> Names(bool includeBaseline)
    {
        var data = new TheoryData<string>();
        foreach (var name in new[] { "Null", "Naive", "Optimized", "Ultra" }.Where(n => includeBaseline || n != "Null"))
            data.Add(name);
        return data;
    }
}
