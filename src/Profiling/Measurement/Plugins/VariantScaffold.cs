using System.Text.RegularExpressions;

namespace PacketCounter.Profiling.Plugins;

/// <summary>
/// Writes a new out-of-tree variant: a descriptor and its <c>.bpf.c</c>
/// (<see cref="ScaffoldFormat.Yaml"/>), or a project, its class and its <c>.bpf.c</c>, built
/// against the contract assembly and the BpfProgram item that ship beside the host
/// (<see cref="ScaffoldFormat.Project"/>). It starts as a copy of Ultra (IPv4 frames by
/// protocol in one per-CPU struct, verified exactly), whose files ship under
/// <c>sdk/template</c>, renamed; it is the starting point a user edits.
/// </summary>
public static partial class VariantScaffold
{
    /// <summary>The folder beside the host that holds the BpfProgram item and packet.h.</summary>
    public const string SdkFolder = "sdk";

    /// <summary>The in-tree variant a new one starts as a copy of.</summary>
    private const string Template = "Ultra";

    /// <summary>A variant name: a letter, then letters or digits, at most 32 characters.</summary>
    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    /// <summary>Writes the variant's files into <paramref name="directory"/>/<paramref name="name"/> and returns their paths.</summary>
    /// <param name="hostDirectory">The host's directory: the contract assembly is there, the BpfProgram item and the
    /// template under <see cref="SdkFolder"/>.</param>
    public static IReadOnlyList<string> Write(
        string name,
        string directory,
        string hostDirectory,
        ScaffoldFormat format = ScaffoldFormat.Project
    )
    {
        if (!IsValidName(name))
            throw new ScaffoldException(
                $"'{name}' is not a variant name; use a letter followed by letters or digits, at most 32 characters (e.g. MyCounter)"
            );
        var project = Path.GetFullPath(Path.Combine(directory, name));
        if (Directory.Exists(project) && Directory.EnumerateFileSystemEntries(project).Any())
            throw new ScaffoldException($"'{project}' already exists and is not empty; choose another name or --dir");
        var host = Path.GetFullPath(hostDirectory).TrimEnd('/') + "/";
        var template = Path.Combine(host, SdkFolder, "template");
        // Each written file's name, from the template file it is a renamed copy of.
        var sources = new Dictionary<string, string> { [$"{Snake(name)}.bpf.c"] = $"{Snake(Template)}.bpf.c" };
        if (format == ScaffoldFormat.Yaml)
            sources[$"{name}{Descriptors.VariantDescriptor.Suffix}"] =
                $"{Template}{Descriptors.VariantDescriptor.Suffix}";
        else
        {
            sources[$"{name}.csproj"] = "Variant.csproj";
            sources[$"{name}Variant.cs"] = $"{Template}Variant.cs";
        }
        if (
            !File.Exists(Path.Combine(host, SdkFolder, "BpfProgram.targets"))
            || !File.Exists(Path.Combine(host, "PacketCounter.Abstractions.dll"))
            || sources.Values.Any(f => !File.Exists(Path.Combine(template, f)))
        )
            throw new ScaffoldException(
                $"the host at '{host}' has no {SdkFolder}/BpfProgram.targets, {SdkFolder}/template or contract "
                    + "assembly; rebuild it"
            );

        var snake = Snake(name);
        string Renamed(string text) =>
            text.Replace("@HOST@", host)
                .Replace("@SNAKE@", snake)
                .Replace($"namespace PacketCounter.Plugins.{Template};", $"namespace {name};")
                .Replace(Template, name)
                .Replace(Snake(Template), snake);
        Directory.CreateDirectory(project);
        var written = new List<string>();
        foreach (var (file, source) in sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(project, file);
            File.WriteAllText(path, Renamed(File.ReadAllText(Path.Combine(template, source))));
            written.Add(path);
        }
        return written;
    }

    // MyCounter -> my_counter, the C side's names (libbpf shortens kernel object names to 15 characters itself).
    private static string Snake(string name) => CamelBoundary().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,31}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CamelBoundary();
}

/// <summary>What a new variant is written as.</summary>
public enum ScaffoldFormat
{
    /// <summary>A C# project: a class implementing the contract, built with dotnet build.</summary>
    Project,

    /// <summary>A descriptor (NAME.variant.yaml) beside the source: no C#, nothing to build by hand.</summary>
    Yaml,
}

/// <summary>A variant cannot be scaffolded where or as asked.</summary>
public sealed class ScaffoldException(string message) : Exception(message);
