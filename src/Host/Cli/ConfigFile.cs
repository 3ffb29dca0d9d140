using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PacketCounter.Host.Cli;

/// <summary>
/// A batch matrix for <c>bench --config FILE</c>, in YAML or JSON (YAML reads both): each
/// key an option's config key, each value one value or a list, read as the option reads
/// its command-line values.
/// </summary>
internal static class ConfigFile
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string path)
    {
        if (!File.Exists(path))
            throw new UsageException($"--config '{path}' does not exist");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new UsageException(
                $"--config '{path}' line {e.Start.Line}: {(e.InnerException ?? e).Message.Split('\n')[0]}"
            );
        }
        // The YAML scanner fails other ways on some malformed text (an invalid operation, a
        // tag that is not a URI), without a position; loading only parses, so each is bad YAML.
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new UsageException($"--config '{path}' is not valid YAML or JSON: the reader stopped ({e.Message})");
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return new Dictionary<string, IReadOnlyList<string>>();
        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new UsageException($"--config '{path}': the file must be a mapping of keys to values");
        var values = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (key, value) in root.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            values[name] = value switch
            {
                YamlScalarNode scalar => [scalar.Value ?? ""],
                YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) =>
                [
                    .. list.Children.Select(c => ((YamlScalarNode)c).Value ?? ""),
                ],
                _ => throw new UsageException(
                    $"--config '{path}' line {value.Start.Line}: key '{name}' takes a value or a list of values"
                ),
            };
        }
        return values;
    }
}
