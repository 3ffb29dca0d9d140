using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Plugins;

/// <summary>A variant's BPF object loaded into the kernel, checked against what its plugin declares.</summary>
public sealed class LoadedVariant : IDisposable
{
    private LoadedVariant(DiscoveredVariant source, BpfObject obj, BpfProgram program)
    {
        Source = source;
        Object = obj;
        Program = program;
    }

    public DiscoveredVariant Source { get; }
    public BpfObject Object { get; }
    public BpfProgram Program { get; }

    /// <summary>
    /// Loads the object, finds the program and checks the declared maps. Any failure
    /// becomes a <see cref="VariantLoadException"/> naming the variant.
    /// </summary>
    public static LoadedVariant Load(DiscoveredVariant source)
    {
        BpfObject? obj = null;
        try
        {
            if (File.Exists(source.ObjectPath) && PluginTrust.WhyUnsafe(source.ObjectPath) is { } unsafeObject)
                throw new UnauthorizedAccessException($"refusing to load: {unsafeObject}");
            obj = BpfObject.Open(source.ObjectPath);
            // Only the variant's own program: a plugin object may hold others (tests, helpers).
            foreach (var other in obj.Programs.Where(p => p.Name != source.Variant.ProgramName))
                other.SetAutoload(false);
            var program = obj.Program(source.Variant.ProgramName);
            obj.Load();
            CountReader.Validate(obj, source.Variant);
            return new LoadedVariant(source, obj, program);
        }
        catch (Exception e)
        {
            obj?.Dispose();
            throw new VariantLoadException(source.Name, e);
        }
    }

    public IReadOnlyDictionary<string, ulong> ReadCounts() => CountReader.Read(Object, Source.Variant);

    public void Dispose() => Object.Dispose();
}

/// <summary>A variant could not be loaded. The message is one line naming the variant and the cause.</summary>
public sealed class VariantLoadException(string variant, Exception cause)
    : Exception($"variant {variant}: {cause.Message}", cause)
{
    public string Variant { get; } = variant;

    /// <summary>The verifier's full log when the kernel refused the program.</summary>
    public string? VerifierLog => (InnerException as Interop.BpfVerifierException)?.VerifierLog;
}
