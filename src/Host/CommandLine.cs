using System.Globalization;

namespace PacketCounter.Host;

/// <summary>A bad command line: one line saying what was wrong. The host prints it with the usage and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The parsed command line: a command, then --name value options (a name may repeat
/// where the command allows it). Each command declares the options it takes, and
/// anything else is refused.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _options;

    private CommandLine(string command, Dictionary<string, List<string>> options, IReadOnlyList<string> positional)
    {
        Command = command;
        _options = options;
        Positional = positional;
    }

    public string Command { get; }

    public IReadOnlyList<string> Positional { get; }

    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, IReadOnlySet<string>> optionsByCommand)
    {
        if (args.Count == 0)
            throw new UsageException("no command given");
        var command = args[0];
        if (!optionsByCommand.TryGetValue(command, out var allowed))
            throw new UsageException($"unknown command '{command}'");
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }
            var name = arg[2..];
            string value;
            var equals = name.IndexOf('=');
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else
            {
                if (i + 1 >= args.Count)
                    throw new UsageException($"option --{name} needs a value");
                value = args[++i];
            }
            if (!allowed.Contains(name))
                throw new UsageException($"'{command}' has no option --{name}");
            if (!options.TryGetValue(name, out var values))
                options[name] = values = [];
            values.Add(value);
        }
        return new CommandLine(command, options, positional);
    }

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public string? Single(string name)
    {
        var values = All(name);
        if (values.Count > 1)
            throw new UsageException($"--{name} is given {values.Count} times; give it once");
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>A list option, comma-separated and/or repeated.</summary>
    public IReadOnlyList<string> List(string name) =>
        All(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    public long Long(string name, long fallback, long min, long max)
    {
        var text = Single(name);
        if (text is null)
            return fallback;
        if (!long.TryParse(text.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            && !TryParseSuffixed(text, out value))
            throw new UsageException($"--{name} must be a whole number, not '{text}'");
        if (value < min || value > max)
            throw new UsageException($"--{name} must be between {min} and {max}, not {value}");
        return value;
    }

    public int Int(string name, int fallback, int min, int max) => (int)Long(name, fallback, min, max);

    public void RequireNoPositional()
    {
        if (Positional.Count > 0)
            throw new UsageException($"'{Command}' takes no argument '{Positional[0]}'");
    }

    // 10M, 500k: packet counts are easier to read and type that way.
    private static bool TryParseSuffixed(string text, out long value)
    {
        value = 0;
        if (text.Length < 2)
            return false;
        var multiplier = char.ToUpperInvariant(text[^1]) switch { 'K' => 1_000L, 'M' => 1_000_000L, 'G' => 1_000_000_000L, _ => 0L };
        if (multiplier == 0 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return false;
        value = (long)Math.Round(number * multiplier);
        return true;
    }
}
