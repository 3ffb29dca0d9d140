using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace PacketCounter.Profiling.Plugins.Descriptors;

/// <summary>
/// Compiles a <c>.bpf.c</c> the way the BpfProgram MSBuild item does: its clang, its flags and
/// its include directories are read from the <c>BpfProgram.targets</c> the host ships, so the
/// two cannot drift. Objects are cached by a hash of everything that goes into them (the
/// compiler's version, the flags, the source and every header it can see).
/// </summary>
public sealed class BpfCompiler
{
    private readonly string _clang;
    private readonly IReadOnlyList<string> _flags;
    private readonly IReadOnlyList<string> _includeDirectories;
    private readonly Lazy<string> _clangVersion;

    private BpfCompiler(string clang, IReadOnlyList<string> flags, IReadOnlyList<string> includeDirectories)
    {
        _clang = clang;
        _flags = flags;
        _includeDirectories = includeDirectories;
        _clangVersion = new Lazy<string>(() => RunClang(["--version"]).Output.Split('\n')[0]);
    }

    /// <summary>The flags every object gets, as the item passes them (without the include directories).</summary>
    public IReadOnlyList<string> Flags => _flags;

    /// <summary>The include directories, in the item's order: packet.h's, then the multiarch one when there is one.</summary>
    public IReadOnlyList<string> IncludeDirectories => _includeDirectories;

    /// <summary>The compiler the host ships its item for: <c>sdk/</c> beside the host.</summary>
    public static BpfCompiler Shipped() =>
        FromTargets(Path.Combine(AppContext.BaseDirectory, VariantScaffold.SdkFolder));

    /// <summary>
    /// Reads clang, the flags and the include directories from <c>BpfProgram.targets</c> in
    /// <paramref name="sdkDirectory"/>.
    /// </summary>
    public static BpfCompiler FromTargets(string sdkDirectory)
    {
        var targets = Path.Combine(sdkDirectory, "BpfProgram.targets");
        if (!File.Exists(targets))
            throw new BpfCompileException($"{targets} is missing; rebuild the host, which ships it");
        var properties = XDocument
            .Load(targets)
            .Descendants()
            .Where(e => e.Parent?.Name.LocalName == "PropertyGroup")
            .ToList();
        // Each property's default is the element whose condition is "not set" (and, for the
        // multiarch directory, names this machine's architecture).
        string? Default(string name, string? architecture = null) =>
            properties
                .Where(e => e.Name.LocalName == name)
                .FirstOrDefault(e =>
                    architecture is null
                    || (
                        e.Attribute("Condition")?.Value.Contains($"'{architecture}'", StringComparison.Ordinal) ?? false
                    )
                )
                ?.Value.Trim();
        var flags =
            Default("BpfCFlags")
            ?? throw new BpfCompileException($"{targets} sets no BpfCFlags; rebuild the host, which ships it");
        var multiarch = Default("BpfMultiarchInclude", RuntimeInformation.OSArchitecture.ToString());
        return new BpfCompiler(
            Default("BpfClang") ?? "clang",
            flags.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            [Path.Combine(sdkDirectory, "include"), .. multiarch is null ? Array.Empty<string>() : [multiarch]]
        );
    }

    /// <summary>
    /// The object built from <paramref name="source"/> with <paramref name="extraFlags"/>, from
    /// the cache under <paramref name="cacheDirectory"/> when it holds one built from the same inputs.
    /// </summary>
    public string Compile(string source, IReadOnlyList<string> extraFlags, string cacheDirectory)
    {
        var objectName =
            Path.GetFileName(source) is var file && file.EndsWith(".c", StringComparison.Ordinal)
                ? file[..^2] + ".o"
                : file + ".o";
        var key = InputsHash(source, extraFlags);
        var folder = Path.Combine(cacheDirectory, key);
        var built = Path.Combine(folder, objectName);
        if (File.Exists(built))
            return built;

        CompileCache.CreatePrivate(folder);
        var partial = Path.Combine(folder, $".{objectName}.{Environment.ProcessId}.partial");
        var arguments = _flags
            .Concat(extraFlags)
            .Concat(_includeDirectories.Select(d => $"-I{d}"))
            .Concat(["-c", source, "-o", partial])
            .ToList();
        var (exitCode, _, error) = RunClang(arguments);
        if (exitCode != 0)
        {
            File.Delete(partial);
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            throw new BpfCompileException(
                lines.FirstOrDefault(l => l.Contains("error:", StringComparison.Ordinal))
                    ?? lines.FirstOrDefault()
                    ?? $"{_clang} failed with exit code {exitCode} and said nothing"
            );
        }
        // A rename is atomic: a bench that runs beside this one sees the whole object or none.
        File.Move(partial, built, overwrite: true);
        return built;
    }

    private string InputsHash(string source, IReadOnlyList<string> extraFlags)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add(_clangVersion.Value);
        Add(string.Join(' ', _flags.Concat(extraFlags)));
        Add(Path.GetFileName(source));
        hash.AppendData(File.ReadAllBytes(source));
        // The headers the source can include from its own folder or the shipped include folder.
        var headers = _includeDirectories
            .Take(1)
            .Append(Path.GetDirectoryName(Path.GetFullPath(source))!)
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.h"))
            .Order(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            Add(header);
            hash.AppendData(File.ReadAllBytes(header));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    private (int ExitCode, string Output, string Error) RunClang(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(_clang)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error);
        }
        catch (Win32Exception e)
        {
            throw new BpfCompileException(
                $"cannot run {_clang} ({e.Message}); install clang (the packetcounter script installs it "
                    + "when missing), or build the object yourself and give object: FILE.bpf.o"
            );
        }
    }
}

/// <summary>A BPF source could not be compiled; the message is the compiler's first error line.</summary>
public sealed class BpfCompileException(string message) : Exception(message);
