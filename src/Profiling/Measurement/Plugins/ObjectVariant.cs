using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Plugins;

/// <summary>
/// Any XDP program, measured as it is (bench --object FILE.o): it declares no counts, so
/// nothing is verified; what each class of frame gets from it (PASS, DROP, ...) is recorded
/// instead. Maps it needs are created by libbpf as for any object; a program that needs its
/// maps filled before it can run is out of scope.
/// </summary>
public sealed class ObjectVariant(string name, string objectFile, string programName) : ICounterVariant
{
    public string Name => name;

    public string Description => $"XDP program {programName} of {objectFile}, measured as it is";

    public VariantRole Role => VariantRole.Counter;

    public string ObjectFile => objectFile;

    public string ProgramName => programName;

    public IReadOnlyList<CountMap> CountMaps => [];

    public string? CountFor(TrafficClass trafficClass) => null;

    public bool RunsByDefault => false;

    /// <summary>
    /// The objects' programs as variants: each named by its file (with its folder where two
    /// files share a name), its program <paramref name="program"/> or else the object's only XDP program.
    /// </summary>
    public static IReadOnlyList<DiscoveredVariant> Of(IReadOnlyList<string> paths, string? program)
    {
        var full = paths.Select(Path.GetFullPath).Distinct().ToList();
        var stems = full.Select(Stem).ToList();
        return full.Select(
                (path, i) =>
                {
                    var name =
                        stems.Count(s => s == stems[i]) > 1
                            ? $"{Path.GetFileName(Path.GetDirectoryName(path))}/{stems[i]}"
                            : stems[i];
                    var function = program ?? Bpf.BpfObject.OnlyXdpProgram(path);
                    return new DiscoveredVariant(
                        new ObjectVariant(name, Path.GetFileName(path), function),
                        Path.GetDirectoryName(path)!,
                        path
                    );
                }
            )
            .ToList();
    }

    // prog.bpf.o -> prog
    private static string Stem(string path) =>
        Path.GetFileName(path) is var file && file.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot
            ? file[..dot]
            : file;
}
