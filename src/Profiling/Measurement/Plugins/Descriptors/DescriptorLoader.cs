using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Plugins.Descriptors;

/// <summary>
/// Turns a descriptor file into a variant ready to bench: the plugin trust rules for the file,
/// its source and its object; the source compiled as the BpfProgram item compiles it; and the
/// object opened (not loaded) to check that the program and every map the descriptor names are
/// there, with the value sizes the descriptor's fields make. Every problem is one
/// <see cref="DescriptorException"/> pointing at the descriptor's line and column.
/// </summary>
public sealed class DescriptorLoader(BpfCompiler compiler, string cacheDirectory)
{
    /// <summary>A loader that compiles as the shipped BpfProgram item does, into the user's cache.</summary>
    public static DescriptorLoader Shipped() => new(BpfCompiler.Shipped(), CompileCache.Directory);

    public DiscoveredVariant Load(string path)
    {
        var file = Path.GetFullPath(path);
        var top = new Located(file, 1, 1);
        Refuse(top, [Path.GetDirectoryName(file)!, file]);
        var descriptor = DescriptorReader.Read(file);
        var objectPath = descriptor.Source is { } source
            ? Compile(descriptor, source)
            : Prebuilt(descriptor.Object!.Value);
        Check(descriptor, objectPath);
        return new DiscoveredVariant(new DescriptorVariant(descriptor, objectPath), descriptor.Directory, file);
    }

    private string Compile(VariantDescriptor descriptor, Located<string> source)
    {
        var path = Existing(source, "source", ".bpf.c");
        var folder = Path.GetDirectoryName(path)!;
        Refuse(source.At, [folder, path, .. Directory.EnumerateFiles(folder, "*.h")]);
        string built;
        try
        {
            built = compiler.Compile(path, descriptor.CFlags, cacheDirectory);
        }
        catch (BpfCompileException e)
        {
            throw DescriptorException.At(source.At, $"the source does not compile: {e.Message}");
        }
        Refuse(source.At, [cacheDirectory, Path.GetDirectoryName(built)!, built]);
        return built;
    }

    private static string Prebuilt(Located<string> obj)
    {
        var path = Existing(obj, "object", ".bpf.o");
        Refuse(obj.At, [path]);
        return path;
    }

    private static string Existing(Located<string> relative, string key, string kind)
    {
        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(relative.At.File)!, relative.Value));
        return File.Exists(path)
            ? path
            : throw DescriptorException.At(
                relative.At,
                $"{key} '{relative.Value}' does not exist ({path}); expected a {kind} file, named relative to the descriptor"
            );
    }

    private static void Refuse(Located at, IEnumerable<string> paths)
    {
        if (PluginTrust.FirstUnsafe(paths) is { } why)
            throw DescriptorException.At(at, $"refusing to load: {why}");
    }

    private static void Check(VariantDescriptor descriptor, string objectPath)
    {
        var objectAt = (descriptor.Source ?? descriptor.Object)!.Value.At;
        BpfObject obj;
        try
        {
            obj = BpfObject.Open(objectPath);
        }
        catch (BpfException e)
        {
            throw DescriptorException.At(objectAt, $"{objectPath} is not a BPF object libbpf can open: {e.Message}");
        }
        using (obj)
        {
            var program = descriptor.Program;
            var programs = obj.Programs;
            if (programs.FirstOrDefault(p => p.Name == program.Value) is not { } found)
                throw DescriptorException.At(
                    program.At,
                    $"program '{program.Value}' is not in {obj.FileName}; expected one of {Names(programs.Select(p => p.Name))}"
                );
            if (!found.IsXdp)
                throw DescriptorException.At(
                    program.At,
                    $"program '{program.Value}' is not an XDP program; expected one of "
                        + Names(programs.Where(p => p.IsXdp).Select(p => p.Name))
                );
            var maps = obj.Maps;
            foreach (var described in descriptor.Maps)
                CheckMap(described, maps, obj.FileName);
        }
    }

    private static void CheckMap(DescribedMap described, IReadOnlyList<BpfMap> maps, string objectName)
    {
        var name = described.Map;
        if (maps.FirstOrDefault(m => m.Name == name.Value) is not { } map)
            throw DescriptorException.At(
                name.At,
                $"map '{name.Value}' is not in {objectName}; expected one of "
                    + Names(maps.Where(m => !m.Name.Contains('.')).Select(m => m.Name))
            );
        if (map.KeySize != sizeof(uint))
            throw DescriptorException.At(
                name.At,
                $"map '{name.Value}' has {map.KeySize}-byte keys; expected __u32 keys (4 bytes)"
            );
        if (described.Fields is { } fields && map.ValueSize != fields.Value.Count * sizeof(ulong))
            throw DescriptorException.At(
                fields.At,
                $"fields lists {fields.Value.Count} counts ({fields.Value.Count * sizeof(ulong)} bytes), but map "
                    + $"'{name.Value}' has {map.ValueSize}-byte values; expected {FieldsOf(map.ValueSize)}"
            );
        if (described.PerKey is not null && map.ValueSize != sizeof(ulong))
            throw DescriptorException.At(
                name.At,
                $"map '{name.Value}' has {map.ValueSize}-byte values; a per_key map holds one __u64 per key "
                    + $"(8 bytes); expected fields: for a struct of {FieldsOf(map.ValueSize)}"
            );
    }

    private static string FieldsOf(int valueSize) =>
        valueSize % sizeof(ulong) == 0
            ? $"{valueSize / sizeof(ulong)} __u64 fields"
            : $"__u64 fields, which {valueSize} bytes cannot hold";

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.DefaultIfEmpty("none"));
}
