using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace PacketCounter.Profiling.Machine;

/// <summary>Whether a measurement source can run here, and why not when it cannot.</summary>
public sealed record SourceState(string Source, bool Available, string Detail);

/// <summary>Which build of a variant ran: the kernel's tag of the loaded program and the hash of its object file.</summary>
public sealed record VariantIdentity(string Name, string Role, string ProgramTag, string ObjectSha256);

/// <summary>The environment block every report opens with (environment.json).</summary>
public sealed record MachineFacts(
    string Kernel,
    string CpuModel,
    int OnlineCpus,
    int PossibleCpus,
    string JitState,
    string Libbpf,
    string DotNet,
    string Os,
    IReadOnlyList<SourceState> Sources,
    string CommandLine,
    DateTimeOffset StartedUtc,
    IReadOnlyList<VariantIdentity> Variants
)
{
    /// <param name="startedUtc">When the run started, taken before it, not when the facts are read.</param>
    public static MachineFacts Read(
        string commandLine,
        DateTimeOffset startedUtc,
        IEnumerable<SourceState>? extraSources = null,
        IEnumerable<VariantIdentity>? variants = null
    ) =>
        new(
            Kernel: ReadTrimmed("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
            CpuModel: File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1]
                .Trim()
                ?? "unknown",
            OnlineCpus: Environment.ProcessorCount,
            PossibleCpus: Bpf.PossibleCpus.Count,
            JitState: ReadTrimmed("/proc/sys/net/core/bpf_jit_enable") switch
            {
                "1" => "on",
                "2" => "on (debug)",
                "0" => "off (interpreter)",
                null => "unknown",
                var other => other,
            },
            Libbpf: $"{(Interop.Libbpf.MajorVersion())}.{(Interop.Libbpf.MinorVersion())} (libbpf.so.1)",
            DotNet: RuntimeInformation.FrameworkDescription,
            Os: ReadOsName(),
            Sources: [HardwarePmu.State(), .. extraSources ?? []],
            CommandLine: commandLine,
            StartedUtc: startedUtc,
            Variants: variants?.ToList() ?? []
        );

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string ReadOsName()
    {
        var line = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release")
                .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            : null;
        return line?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
    }
}

/// <summary>environment.json's format: snake_case, indented.</summary>
[JsonSerializable(typeof(MachineFacts))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class MachineFactsJson : JsonSerializerContext;
