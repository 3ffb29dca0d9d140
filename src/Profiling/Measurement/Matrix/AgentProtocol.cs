using System.Text;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Profiling.Matrix;

/// <summary>One program as the agent is to load it: the object's path where the agent runs.</summary>
public sealed record AgentVariantEntry(string Name, string ObjectPath, string Program);

/// <summary>
/// The agent's protocol, version 1 (guest/agent.c). The host writes a manifest of frames and
/// variants; the agent answers with tab-separated lines, each "pcagent", the version, a kind:
/// <list type="bullet">
/// <item>hello RELEASE CPUS: the kernel's uname -r and possible CPUs;</item>
/// <item>variant NAME, then log TEXT per line of the verifier's stats log;</item>
/// <item>refused ERRNO LIBBPF-LINE, or loaded XLATED-BYTES JITED-BYTES VERIFIED-INSNS KERNEL-CALLS
/// (calls left in the translated program, -1 when the kernel withholds it) and map NAME TYPE per map;</item>
/// <item>run CLASS RETVAL ERR after each frame, then entry CLASS MAP KEY SLOT... for every map entry
/// with a non-zero u64 slot, per-CPU values summed;</item>
/// <item>end, when every variant is done.</item>
/// </list>
/// Anything else on the port (a kernel message) is not the agent's and is skipped.
/// </summary>
public static class AgentProtocol
{
    public const int Version = 1;

    private const string Prefix = "pcagent";

    public static string Manifest(
        IEnumerable<(TrafficClass Class, byte[] Frame)> frames,
        IEnumerable<AgentVariantEntry> variants
    )
    {
        var text = new StringBuilder($"pcagent-manifest\t{Version}\n");
        foreach (var (trafficClass, frame) in frames)
            text.Append($"frame\t{TrafficClasses.Name(trafficClass)}\t{Convert.ToHexStringLower(frame)}\n");
        foreach (var variant in variants)
        {
            if (
                new[] { variant.Name, variant.ObjectPath, variant.Program }.Any(f =>
                    f.Contains('\t') || f.Contains('\n')
                )
            )
                throw new ArgumentException(
                    $"variant {variant.Name}: a name or path with a tab or newline cannot be sent"
                );
            text.Append($"variant\t{variant.Name}\t{variant.ObjectPath}\t{variant.Program}\n");
        }
        return text.ToString();
    }

    /// <summary>Whether the agent's output is whole: its end line arrived.</summary>
    public static bool IsComplete(string output) => Lines(output).Any(l => l.Kind == "end");

    /// <summary>What the agent said; lines of another version are a <see cref="FormatException"/>.</summary>
    public static AgentReport Parse(string output)
    {
        string? release = null;
        var cpus = 0;
        var ended = false;
        var errors = new List<string>();
        var variants = new List<AgentVariantReport>();
        AgentVariantReport? current = null;
        foreach (var (kind, fields) in Lines(output))
        {
            switch (kind)
            {
                case "hello":
                    release = Field(fields, 0);
                    cpus = Number(fields, 1);
                    break;
                case "variant":
                    current = new AgentVariantReport(Field(fields, 0));
                    variants.Add(current);
                    break;
                case "log" when current is not null:
                    current.Log.Add(string.Join('\t', fields));
                    break;
                case "refused" when current is not null:
                    current.Refusal = new AgentRefusal(Number(fields, 0), fields.Length > 1 ? fields[1] : "");
                    break;
                case "loaded" when current is not null:
                    current.Load = new AgentLoad(
                        Number(fields, 0) / 8,
                        Number(fields, 1),
                        Number(fields, 2),
                        Number(fields, 3) is >= 0 and var calls ? calls : null
                    );
                    break;
                case "map" when current is not null:
                    current.Maps.Add((Field(fields, 0), (BpfMapType)Number(fields, 1)));
                    break;
                case "run" when current is not null:
                    current.Runs.Add(
                        new AgentRun(ClassOf(Field(fields, 0)), (XdpAction)Number(fields, 1), Number(fields, 2))
                    );
                    break;
                case "entry" when current is { Runs: [.., var run] }:
                    var entries = run.Maps.TryGetValue(Field(fields, 1), out var map)
                        ? map
                        : run.Maps[Field(fields, 1)] = new Dictionary<ulong, ulong[]>();
                    entries[ulong.Parse(Field(fields, 2), CultureInfo.InvariantCulture)] = fields
                        .Skip(3)
                        .Select(s => ulong.Parse(s, CultureInfo.InvariantCulture))
                        .ToArray();
                    break;
                case "error":
                    errors.Add(string.Join('\t', fields));
                    break;
                case "end":
                    ended = true;
                    break;
            }
        }
        return new AgentReport(release, cpus, variants, ended, errors);
    }

    private static IEnumerable<(string Kind, string[] Fields)> Lines(string output)
    {
        foreach (var raw in output.Split('\n'))
        {
            var parts = raw.TrimEnd('\r').Split('\t');
            if (parts.Length < 3 || parts[0] != Prefix)
                continue;
            if (parts[1] != Version.ToString(CultureInfo.InvariantCulture))
                throw new FormatException($"the agent speaks protocol {parts[1]}; this host reads {Version}");
            yield return (parts[2], parts[3..]);
        }
    }

    private static string Field(string[] fields, int index) =>
        index < fields.Length ? fields[index] : throw new FormatException($"an agent line lacks field {index + 1}");

    private static int Number(string[] fields, int index) =>
        int.TryParse(Field(fields, index), CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"the agent's field '{fields[index]}' is not a number");

    private static TrafficClass ClassOf(string name) =>
        TrafficClasses.TryParse(name, out var trafficClass)
            ? trafficClass
            : throw new FormatException($"the agent ran a class this host does not know: {name}");
}

/// <summary>Everything the agent said on one kernel.</summary>
/// <param name="Ended">Its end line arrived: every variant it was given is here.</param>
public sealed record AgentReport(
    string? Release,
    int Cpus,
    IReadOnlyList<AgentVariantReport> Variants,
    bool Ended,
    IReadOnlyList<string> Errors
);

/// <summary>One variant on one kernel, as the agent reported it.</summary>
public sealed class AgentVariantReport(string name)
{
    public string Name { get; } = name;

    public List<string> Log { get; } = [];

    public AgentLoad? Load { get; set; }

    /// <summary>The object's own maps and their types.</summary>
    public List<(string Name, BpfMapType Type)> Maps { get; } = [];

    public AgentRefusal? Refusal { get; set; }

    public List<AgentRun> Runs { get; } = [];

    public string LogText => string.Join('\n', Log);
}

/// <summary>What bpf_prog_info said of the loaded program.</summary>
public sealed record AgentLoad(int XlatedInsns, int JitedBytes, int VerifiedInsns, int? KernelCalls);

/// <summary>The load failed with <paramref name="Errno"/>; <paramref name="Libbpf"/> is libbpf's last warning.</summary>
public sealed record AgentRefusal(int Errno, string Libbpf);

/// <summary>One frame's test run, and the maps after it: map, key, u64 slots summed over CPUs.</summary>
public sealed record AgentRun(TrafficClass Class, XdpAction Verdict, int Error)
{
    public Dictionary<string, Dictionary<ulong, ulong[]>> Maps { get; } = new(StringComparer.Ordinal);
}
