using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Plugins;

/// <summary>A variant a plugin supplied, with where it came from.</summary>
/// <param name="SourceDirectory">The folder the variant's object file is named relative to.</param>
/// <param name="Origin">The file that declares the variant: a plugin assembly, a descriptor or an object.</param>
public sealed record DiscoveredVariant(ICounterVariant Variant, string SourceDirectory, string Origin)
{
    public string Name => Variant.Name;

    public bool IsBaseline => Variant.Role == VariantRole.Baseline;

    /// <summary>The BPF object file, resolved beside the plugin's assembly.</summary>
    public string ObjectPath => Path.GetFullPath(Path.Combine(SourceDirectory, Variant.ObjectFile));

    /// <summary>SHA-256 of the object file: which build ran.</summary>
    public string ObjectSha256()
    {
        using var file = File.OpenRead(ObjectPath);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }
}

/// <summary>A plugin that could not be used, and why, in one line.</summary>
public sealed record PluginProblem(string Plugin, string Message)
{
    /// <summary>
    /// Whether the problem is in a descriptor the user wrote: bad input, like a wrong option,
    /// whose message starts with the file, line and column to fix.
    /// </summary>
    public bool InDescriptor { get; init; }

    public static PluginProblem Of(Descriptors.DescriptorException e) => new(e.File, e.Message) { InDescriptor = true };

    public override string ToString() => InDescriptor ? Message : $"plugin {Plugin}: {Message}";
}
