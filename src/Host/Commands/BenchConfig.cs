using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PacketCounter.Host.Commands;

/// <summary>
/// A batch matrix for <c>bench --config FILE</c>, in YAML or JSON (YAML reads both):
/// variants × sizes × mixes × modes, with repeats and traffic amounts. Options given on
/// the command line win over the file.
/// </summary>
public sealed class BenchConfig
{
    public List<string>? Variants { get; set; }
    public List<int>? Sizes { get; set; }
    public List<string>? Mixes { get; set; }
    public List<string>? Modes { get; set; }
    public List<string>? GenCpus { get; set; }
    public List<string>? Events { get; set; }
    public long? Packets { get; set; }
    public long? Warmup { get; set; }
    public int? Repeats { get; set; }
    public int? MaxRepeats { get; set; }
    public int? Samples { get; set; }
    public int? Seed { get; set; }
    public int? InsnBudget { get; set; }

    public static BenchConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new UsageException($"--config '{path}' does not exist");
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        try
        {
            return deserializer.Deserialize<BenchConfig>(File.ReadAllText(path)) ?? new BenchConfig();
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException ?? e).Message.Split('\n')[0];
            throw new UsageException($"--config '{path}' line {e.Start.Line}: {reason}; keys are variants, sizes, mixes, modes, gen_cpus, events, packets, warmup, repeats, max_repeats, samples, seed");
        }
    }
}
