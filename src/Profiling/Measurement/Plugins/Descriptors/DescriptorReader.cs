using System.Text;
using PacketCounter.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PacketCounter.Profiling.Plugins.Descriptors;

/// <summary>
/// Reads a <c>NAME.variant.yaml</c> into a <see cref="VariantDescriptor"/>. Every mistake is
/// one <see cref="DescriptorException"/> at the line and column of the value that is wrong,
/// saying what was expected; nothing outside the file is consulted (the object is checked later).
/// </summary>
public static class DescriptorReader
{
    private static readonly string[] TopKeys =
    [
        "name",
        "description",
        "role",
        "source",
        "object",
        "program",
        "cflags",
        "maps",
        "counts",
        "expect",
        "sweep",
        "runs_by_default",
        "speedup_reference",
    ];

    public static VariantDescriptor Read(string path)
    {
        var file = Path.GetFullPath(path);
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            var message = (e.InnerException ?? e).Message.Split('\n')[0];
            throw new DescriptorException(file, (int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {message}");
        }
        // The YAML scanner fails other ways on some malformed text (an invalid operation, a
        // tag that is not a URI), without a position; loading only parses, so each is bad YAML.
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new DescriptorException(file, 1, 1, $"not valid YAML: the reader stopped ({e.Message})");
        }
        catch (DecoderFallbackException)
        {
            throw new DescriptorException(file, 1, 1, "not valid YAML: the file is not UTF-8 text");
        }
        var nodes = new Nodes(file);
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            throw new DescriptorException(
                file,
                1,
                1,
                $"the descriptor is empty; expected the keys {string.Join(", ", TopKeys)}"
            );
        var root = nodes.Mapping(yaml.Documents[0].RootNode, "the descriptor", TopKeys);

        var name = nodes.Text(root.Required("name"));
        if (!VariantScaffold.IsValidName(name))
            throw nodes.Fail(
                root.Required("name"),
                $"'{name}' is not a variant name; expected a letter followed by letters or digits, at most 32 characters"
            );
        var role = root.Optional("role") is { } roleNode
            ? nodes.OneOf(
                roleNode,
                "role",
                new Dictionary<string, VariantRole>
                {
                    ["counter"] = VariantRole.Counter,
                    ["baseline"] = VariantRole.Baseline,
                }
            )
            : VariantRole.Counter;
        var source = root.Optional("source") is { } s ? nodes.Located(s) : (Located<string>?)null;
        var obj = root.Optional("object") is { } o ? nodes.Located(o) : (Located<string>?)null;
        if (source is null == obj is null)
            throw source is null
                ? nodes.Fail(
                    root.Node,
                    "neither source nor object is given; expected source: FILE.bpf.c or object: FILE.bpf.o"
                )
                : nodes.Fail(root.Required("object"), "source and object are both given; expected one of them");
        var cflags = root.Optional("cflags") is { } flagsNode ? nodes.Texts(flagsNode) : [];
        if (cflags.Count > 0 && source is null)
            throw nodes.Fail(root.Required("cflags"), "cflags apply to a source; an object is used as it is built");

        var maps = root.Optional("maps") is { } mapsNode ? Maps(nodes, mapsNode) : [];
        var counts = root.Optional("counts") is { } countsNode ? Counts(nodes, countsNode, maps) : [];
        var expect =
            root.Optional("expect") is { } expectNode ? Expectations(nodes, expectNode, maps)
            : counts.Count > 0 ? [Expectation.EveryPacket]
            : [];
        if (role == VariantRole.Baseline && (maps.Count > 0 || counts.Count > 0))
            throw nodes.Fail(
                root.Optional("maps") ?? root.Required("counts"),
                "a baseline counts nothing; expected no maps and no counts with role: baseline"
            );
        if (role == VariantRole.Counter && counts.Count == 0)
            throw nodes.Fail(
                root.Optional("counts") ?? root.Node,
                "a counter names the count of at least one class; expected counts: {CLASS: COUNT, ...}"
            );

        return new VariantDescriptor(
            file,
            name,
            nodes.Text(root.Required("description")),
            role,
            source,
            obj,
            nodes.Located(root.Required("program")),
            cflags,
            maps,
            counts,
            expect,
            root.Optional("sweep") is { } sweep ? Sweep(nodes, sweep) : null,
            root.Optional("runs_by_default") is not { } runs || nodes.Bool(runs),
            root.Optional("speedup_reference") is { } reference && nodes.Bool(reference),
            nodes.At(root.Required("name"))
        );
    }

    private static List<DescribedMap> Maps(Nodes nodes, YamlNode node)
    {
        var maps = new List<DescribedMap>();
        foreach (var item in nodes.Sequence(node, "maps"))
        {
            var map = nodes.Mapping(item, "a map", ["map", "fields", "per_key"]);
            var fieldsNode = map.Optional("fields");
            var perKeyNode = map.Optional("per_key");
            if (fieldsNode is null == perKeyNode is null)
                throw nodes.Fail(
                    item,
                    "a map is read either as fields or per key; expected fields: [COUNT, ...] or per_key: protocol|number"
                );
            Located<IReadOnlyList<string>>? fields = null;
            if (fieldsNode is not null)
            {
                var names = nodes.Texts(fieldsNode);
                if (names.Count == 0)
                    throw nodes.Fail(
                        fieldsNode,
                        "fields is empty; expected one count name per __u64 field of the value"
                    );
                fields = new Located<IReadOnlyList<string>>(names, nodes.At(fieldsNode));
            }
            var perKey = perKeyNode is null
                ? (KeyNaming?)null
                : nodes.OneOf(
                    perKeyNode,
                    "per_key",
                    new Dictionary<string, KeyNaming>
                    {
                        ["protocol"] = KeyNaming.Protocol,
                        ["number"] = KeyNaming.Number,
                    }
                );
            var name = nodes.Located(map.Required("map"));
            if (maps.Any(m => m.Map.Value == name.Value))
                throw nodes.Fail(map.Required("map"), $"map '{name.Value}' is listed twice; expected each map once");
            maps.Add(new DescribedMap(name, fields, perKey));
        }
        return maps;
    }

    private static Dictionary<TrafficClass, string> Counts(Nodes nodes, YamlNode node, List<DescribedMap> maps)
    {
        if (node is not YamlMappingNode mapping)
            throw nodes.Fail(node, "counts is not a mapping; expected CLASS: COUNT lines, e.g. ipv4-tcp: tcp");
        var counts = new Dictionary<TrafficClass, string>();
        foreach (var (key, value) in mapping.Children)
        {
            var className = nodes.Text(key);
            if (!TrafficClasses.TryParse(className, out var trafficClass))
                throw nodes.Fail(
                    key,
                    $"unknown class '{className}'; expected one of {string.Join(", ", TrafficClasses.All.Select(TrafficClasses.Name))}"
                );
            counts[trafficClass] = ReadableCount(nodes, value, maps);
        }
        return counts;
    }

    private static List<Expectation> Expectations(Nodes nodes, YamlNode node, List<DescribedMap> maps)
    {
        var kinds = "packets, bytes, histogram, at_most";
        var rules = new List<Expectation>();
        foreach (var item in nodes.Sequence(node, "expect"))
        {
            if (item is YamlScalarNode scalar)
            {
                rules.Add(
                    scalar.Value switch
                    {
                        "packets" => Expectation.EveryPacket,
                        "histogram" => new Expectation.Histogram(),
                        _ => throw nodes.Fail(
                            item,
                            $"unknown expectation '{scalar.Value}'; expected packets or histogram, or kind: {kinds} with its keys"
                        ),
                    }
                );
                continue;
            }
            var rule = nodes.Mapping(item, "an expectation", ["kind", "sample_one_in", "sigmas", "count", "why"]);
            var kind = nodes.Text(rule.Required("kind"));
            string[] allowed = kind switch
            {
                "packets" => ["kind", "sample_one_in", "sigmas"],
                "bytes" => ["kind", "count"],
                "histogram" => ["kind"],
                "at_most" => ["kind", "count", "why"],
                _ => throw nodes.Fail(rule.Required("kind"), $"unknown kind '{kind}'; expected one of {kinds}"),
            };
            foreach (var (key, keyNode) in rule.Keys.Where(k => !allowed.Contains(k.Name)))
                throw nodes.Fail(keyNode, $"kind {kind} takes no '{key}'; expected {string.Join(", ", allowed)}");
            rules.Add(
                kind switch
                {
                    "packets" => new Expectation.Packets(
                        rule.Optional("sample_one_in") is { } oneIn ? nodes.Positive(oneIn) : null,
                        rule.Optional("sigmas") is { } sigmas ? nodes.Number(sigmas, minimumExclusive: 0) : 3
                    ),
                    "bytes" => new Expectation.Bytes(BytesCount(nodes, rule.Required("count"), maps)),
                    "histogram" => new Expectation.Histogram(),
                    _ => new Expectation.AtMost(
                        new Located<string>(
                            ReadableCount(nodes, rule.Required("count"), maps),
                            nodes.At(rule.Required("count"))
                        ),
                        nodes.Text(rule.Required("why"))
                    ),
                }
            );
        }
        return rules;
    }

    // A bytes count names itself, or its class's count as {count}; only the literal part can be checked here.
    private static Located<string> BytesCount(Nodes nodes, YamlNode node, List<DescribedMap> maps)
    {
        var template = nodes.Text(node);
        if (!template.Contains("{count}", StringComparison.Ordinal))
            ReadableCount(nodes, node, maps);
        return new Located<string>(template, nodes.At(node));
    }

    private static string ReadableCount(Nodes nodes, YamlNode node, List<DescribedMap> maps)
    {
        var count = nodes.Text(node);
        if (!maps.Any(m => m.Gives(count)))
            throw nodes.Fail(
                node,
                maps.Count == 0
                    ? $"count '{count}' is read from no map; expected maps: listing the map that holds it"
                    : $"count '{count}' is read from no map; expected one the maps give "
                        + $"({string.Join("; ", maps.Select(m => m.Describe()))})"
            );
        return count;
    }

    private static VariantSweep Sweep(Nodes nodes, YamlNode node)
    {
        var sweep = nodes.Mapping(node, "sweep", ["family", "parameter", "value"]);
        return new VariantSweep(
            nodes.Text(sweep.Required("family")),
            nodes.Text(sweep.Required("parameter")),
            nodes.Number(sweep.Required("value"), minimumExclusive: null)
        );
    }

    /// <summary>A mapping's keys, checked against what may appear.</summary>
    private sealed class Keyed(
        Nodes nodes,
        YamlMappingNode node,
        string what,
        IReadOnlyList<(string Name, YamlNode Node, YamlNode Value)> keys
    )
    {
        public YamlMappingNode Node => node;

        public IEnumerable<(string Name, YamlNode Node)> Keys => keys.Select(k => (k.Name, k.Node));

        public YamlNode? Optional(string key) => keys.FirstOrDefault(k => k.Name == key).Value;

        public YamlNode Required(string key) =>
            Optional(key) ?? throw nodes.Fail(node, $"{what} has no '{key}'; expected {key}: ...");
    }

    /// <summary>Typed reads of nodes, each failing at the node with what was expected.</summary>
    private sealed class Nodes(string file)
    {
        public Located At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

        public DescriptorException Fail(YamlNode node, string problem) => DescriptorException.At(At(node), problem);

        public Keyed Mapping(YamlNode node, string what, IReadOnlyList<string> allowed)
        {
            if (node is not YamlMappingNode mapping)
                throw Fail(node, $"{what} is not a mapping; expected keys among {string.Join(", ", allowed)}");
            var keys = new List<(string, YamlNode, YamlNode)>();
            foreach (var (key, value) in mapping.Children)
            {
                var name = Text(key);
                if (!allowed.Contains(name))
                    throw Fail(key, $"unknown key '{name}'; expected one of {string.Join(", ", allowed)}");
                keys.Add((name, key, value));
            }
            return new Keyed(this, mapping, what, keys);
        }

        public IReadOnlyList<YamlNode> Sequence(YamlNode node, string what) =>
            node is YamlSequenceNode sequence
                ? sequence.Children.ToList()
                : throw Fail(node, $"{what} is not a list; expected one '- ' line per item");

        public string Text(YamlNode node) =>
            node is YamlScalarNode { Value: { Length: > 0 } value }
                ? value
                : throw Fail(node, "expected a single value here");

        public Located<string> Located(YamlNode node) => new(Text(node), At(node));

        public IReadOnlyList<string> Texts(YamlNode node) =>
            node is YamlScalarNode ? [Text(node)] : Sequence(node, "the value").Select(Text).ToList();

        public bool Bool(YamlNode node) =>
            Text(node) switch
            {
                "true" => true,
                "false" => false,
                var other => throw Fail(node, $"'{other}' is not true or false"),
            };

        public uint Positive(YamlNode node) =>
            uint.TryParse(Text(node), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw Fail(node, $"'{Text(node)}' is not a whole number of at least 1");

        public double Number(YamlNode node, double? minimumExclusive) =>
            double.TryParse(Text(node), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value)
            && (minimumExclusive is not { } minimum || value > minimum)
                ? value
                : throw Fail(node, $"'{Text(node)}' is not a number{(minimumExclusive is { } m ? $" above {m}" : "")}");

        public T OneOf<T>(YamlNode node, string key, IReadOnlyDictionary<string, T> choices) =>
            choices.TryGetValue(Text(node), out var value)
                ? value
                : throw Fail(
                    node,
                    $"{key} '{Text(node)}' is unknown; expected one of {string.Join(", ", choices.Keys)}"
                );
    }
}
