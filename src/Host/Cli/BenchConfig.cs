using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PacketCounter.Host.Cli;

/// <summary>
/// A batch matrix for <c>bench --config FILE</c>, in YAML or JSON (YAML reads both):
/// variants × sizes × mixes × modes × generator settings × sinks, with rounds and traffic
/// amounts. Options given on the command line win over the file.
/// </summary>
public sealed class BenchConfig
{
    /// <summary>Every key the file may hold, as the error line lists them.</summary>
    public static readonly string[] Keys =
    [
        "variants",
        "sizes",
        "mixes",
        "modes",
        "gen_cpus",
        "sinks",
        "events",
        "packets",
        "warmup",
        "rounds",
        "max_rounds",
        "slice_ms",
        "micro_rounds",
        "micro_max_rounds",
        "budget",
        "seed",
        "insn_budget",
        "reference",
        "flows",
    ];

    public List<string>? Variants { get; set; }
    public List<int>? Sizes { get; set; }
    public List<string>? Mixes { get; set; }
    public List<string>? Modes { get; set; }
    public List<string>? GenCpus { get; set; }
    public List<string>? Sinks { get; set; }
    public List<string>? Events { get; set; }
    public long? Packets { get; set; }
    public long? Warmup { get; set; }
    public int? Rounds { get; set; }
    public int? MaxRounds { get; set; }
    public int? SliceMs { get; set; }
    public int? MicroRounds { get; set; }
    public int? MicroMaxRounds { get; set; }
    public double? Budget { get; set; }
    public int? Seed { get; set; }
    public int? InsnBudget { get; set; }
    public string? Reference { get; set; }
    public List<string>? Flows { get; set; }

    public static BenchConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new UsageException($"--config '{path}' does not exist");
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        try
        {
            return deserializer.Deserialize<BenchConfig>(File.ReadAllText(path)) ?? new BenchConfig();
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException ?? e).Message.Split('\n')[0];
            throw new UsageException(
                $"--config '{path}' line {e.Start.Line}: {reason}; keys are {string.Join(", ", Keys)}"
            );
        }
    }
}
