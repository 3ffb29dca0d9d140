using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Plugins;

/// <summary>A variant a plugin supplied, with where it came from.</summary>
public sealed record DiscoveredVariant(ICounterVariant Variant, string SourceDirectory, string AssemblyPath)
{
    public string Name => Variant.Name;

    public bool IsBaseline => Variant.Role == VariantRole.Baseline;

    /// <summary>The BPF object file, resolved beside the plugin's assembly.</summary>
    public string ObjectPath => Path.GetFullPath(Path.Combine(SourceDirectory, Variant.ObjectFile));
}

/// <summary>A plugin that could not be used, and why, in one line.</summary>
public sealed record PluginProblem(string Plugin, string Message)
{
    public override string ToString() => $"plugin {Plugin}: {Message}";
}
