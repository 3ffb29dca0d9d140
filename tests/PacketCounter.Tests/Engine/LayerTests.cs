using System.Reflection;

namespace PacketCounter.Tests.Engine;

/// <summary>The engine's layers reference only the layers below them.</summary>
[Trait(Category.Name, Category.Pure)]
public class LayerTests
{
    // Lowest first: each may reference those before it, never one after it.
    private static readonly string[] Layers =
    [
        "PacketCounter.Abstractions",
        "PacketCounter.Profiling.Statistics",
        "PacketCounter.Profiling.Kernel",
        "PacketCounter.Profiling.Measurement",
        "PacketCounter.Profiling.Analysis",
        "PacketCounter.Profiling.History",
        "PacketCounter.Profiling.Reporting",
        "packetcounter",
    ];

    [Fact]
    public void Every_layer_references_only_the_layers_below_it()
    {
        var found = 0;
        foreach (var (name, index) in Layers.Select((name, index) => (name, index)))
        {
            var assembly = Assembly.Load(name);
            var ours = assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(r => Layers.Contains(r)).ToList();
            var above = ours.Where(r => Array.IndexOf(Layers, r) > index).ToList();
            Assert.True(above.Count == 0, $"{name} references {string.Join(", ", above)}, above it");
            found += ours.Count;
        }
        // The layers do use each other: the check above has references to look at.
        Assert.True(found >= Layers.Length - 2, $"only {found} references between the layers");
        Assert.Contains(
            "PacketCounter.Profiling.Kernel",
            Assembly.Load("PacketCounter.Profiling.Measurement").GetReferencedAssemblies().Select(r => r.Name)
        );
    }

    [Fact]
    public void Only_the_kernel_layer_declares_native_imports()
    {
        foreach (var name in Layers.Where(n => n != "PacketCounter.Profiling.Kernel"))
        {
            var imports = Assembly
                .Load(name)
                .GetTypes()
                .SelectMany(t =>
                    t.GetMethods(
                        BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly
                    )
                )
                .Where(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl))
                .Select(m => $"{m.DeclaringType}.{m.Name}")
                .ToList();
            Assert.True(imports.Count == 0, $"{name} imports native code: {string.Join(", ", imports)}");
        }
        Assert.Contains(
            Assembly.Load("PacketCounter.Profiling.Kernel").GetTypes(),
            t =>
                t.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                    .Any(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl))
        );
    }
}
