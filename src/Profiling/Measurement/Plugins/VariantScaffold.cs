using System.Text.RegularExpressions;

namespace PacketCounter.Profiling.Plugins;

/// <summary>
/// Writes a new out-of-tree variant: a project, its class and its <c>.bpf.c</c>, built against
/// the contract assembly and the BpfProgram item that ship beside the host. As written it
/// counts IPv4 frames by protocol in one per-CPU struct and verifies exactly; it is the
/// starting point a user edits.
/// </summary>
public static partial class VariantScaffold
{
    /// <summary>The folder beside the host that holds the BpfProgram item and packet.h.</summary>
    public const string SdkFolder = "sdk";

    /// <summary>A variant name: a letter, then letters or digits, at most 32 characters.</summary>
    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    /// <summary>Writes the variant's files into <paramref name="directory"/>/<paramref name="name"/> and returns their paths.</summary>
    /// <param name="hostDirectory">The host's directory: the contract assembly is there, the BpfProgram item under
    /// <see cref="SdkFolder"/>.</param>
    public static IReadOnlyList<string> Write(string name, string directory, string hostDirectory)
    {
        if (!IsValidName(name))
            throw new ScaffoldException(
                $"'{name}' is not a variant name; use a letter followed by letters or digits, at most 32 characters (e.g. MyCounter)"
            );
        var project = Path.GetFullPath(Path.Combine(directory, name));
        if (Directory.Exists(project) && Directory.EnumerateFileSystemEntries(project).Any())
            throw new ScaffoldException($"'{project}' already exists and is not empty; choose another name or --dir");
        var host = Path.GetFullPath(hostDirectory).TrimEnd('/') + "/";
        if (
            !File.Exists(Path.Combine(host, SdkFolder, "BpfProgram.targets"))
            || !File.Exists(Path.Combine(host, "PacketCounter.Abstractions.dll"))
        )
            throw new ScaffoldException(
                $"the host at '{host}' has no {SdkFolder}/BpfProgram.targets or contract assembly; rebuild it"
            );

        var snake = Snake(name);
        var files = new Dictionary<string, string>
        {
            [$"{name}.csproj"] = Project(snake, host),
            [$"{name}Variant.cs"] = Variant(name, snake),
            [$"{snake}.bpf.c"] = Program(name, snake),
        };
        Directory.CreateDirectory(project);
        var written = new List<string>();
        foreach (var (file, text) in files)
        {
            var path = Path.Combine(project, file);
            File.WriteAllText(path, text);
            written.Add(path);
        }
        return written;
    }

    // MyCounter -> my_counter, the C side's names (libbpf shortens kernel object names to 15 characters itself).
    private static string Snake(string name) => CamelBoundary().Replace(name, "$1_$2").ToLowerInvariant();

    private static string Project(string snake, string host) =>
        $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <EnableDynamicLoading>true</EnableDynamicLoading>
                <!-- The PacketCounter host this variant was made with; override to build against another. -->
                <PacketCounterHost Condition="'$(PacketCounterHost)' == ''">{host}</PacketCounterHost>
              </PropertyGroup>
              <ItemGroup>
                <!-- Compile-time only: the host supplies the contract at run time. -->
                <Reference Include="PacketCounter.Abstractions">
                  <HintPath>$(PacketCounterHost)PacketCounter.Abstractions.dll</HintPath>
                  <Private>false</Private>
                </Reference>
                <BpfProgram Include="{snake}.bpf.c" />
              </ItemGroup>
              <Import Project="$(PacketCounterHost){SdkFolder}/BpfProgram.targets" />
            </Project>

            """;

    private static string Variant(string name, string snake) =>
        $$"""
            using PacketCounter.Abstractions;

            /// <summary>
            /// {{name}}: IPv4 frames counted by protocol in one per-CPU struct. Change the design; keep the declarations in
            /// step with {{snake}}.bpf.c.
            /// </summary>
            public sealed class {{name}}Variant : ICounterVariant
            {
                public string Name => "{{name}}";
                public string Description => "IPv4 frames by protocol (tcp, udp, icmp, other) in one per-CPU struct";
                public VariantRole Role => VariantRole.Counter;
                public string ObjectFile => "{{snake}}.bpf.o";
                public string ProgramName => "{{snake}}_counter";

                // The fields of struct {{snake}}_counts, in order.
                public IReadOnlyList<CountMap> CountMaps { get; } = [CountMap.Fields("{{snake}}_counts", "tcp", "udp", "icmp", "other")];

                // Where a frame of each class must be counted; null: not at all. For counts of bytes,
                // sizes or samples, implement ExpectedCounts(SentTraffic) instead.
                public string? CountFor(TrafficClass trafficClass) => TrafficClasses.Ipv4Protocol(trafficClass) switch
                {
                    IpProtocols.Tcp => "tcp",
                    IpProtocols.Udp => "udp",
                    IpProtocols.Icmp => "icmp",
                    null => null,
                    _ => "other",
                };
            }

            """;

    private static string Program(string name, string snake) =>
        $$"""
            /* {{name}}: IPv4 frames counted by protocol in one per-CPU struct. */
            #include "packet.h"

            struct {{snake}}_counts {
            	__u64 tcp;
            	__u64 udp;
            	__u64 icmp;
            	__u64 other;
            };

            struct {
            	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
            	__type(key, __u32);
            	__type(value, struct {{snake}}_counts);
            	__uint(max_entries, 1);
            } {{snake}}_counts SEC(".maps");

            SEC("xdp")
            int {{snake}}_counter(struct xdp_md *ctx)
            {
            	int protocol = ipv4_protocol(ctx);
            	struct {{snake}}_counts *counts;
            	__u32 key = 0;

            	if (protocol == NOT_IPV4)
            		return XDP_PASS;
            	counts = bpf_map_lookup_elem(&{{snake}}_counts, &key);
            	if (!counts)
            		return XDP_PASS;
            	switch (protocol) {
            	case IPPROTO_TCP:
            		counts->tcp++;
            		break;
            	case IPPROTO_UDP:
            		counts->udp++;
            		break;
            	case IPPROTO_ICMP:
            		counts->icmp++;
            		break;
            	default:
            		counts->other++;
            		break;
            	}
            	return XDP_PASS;
            }

            char LICENSE[] SEC("license") = "Dual BSD/GPL";

            """;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,31}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CamelBoundary();
}

/// <summary>A variant cannot be scaffolded where or as asked.</summary>
public sealed class ScaffoldException(string message) : Exception(message);
