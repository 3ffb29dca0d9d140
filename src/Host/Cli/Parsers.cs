using System.CommandLine.Parsing;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Host.Cli;

/// <summary>
/// Option values PacketCounter reads in its own notation: counts with k/M/G suffixes, CPU
/// lists, mixes, sinks, percentages. Each reports a bad value as one line naming the option.
/// </summary>
internal static class Parsers
{
    /// <summary>A whole number, "10M" or "500k" allowed, within [min, max].</summary>
    public static Func<ArgumentResult, long> Count(long min, long max) =>
        result =>
        {
            var text = Single(result);
            if (!TryCount(text, out var value))
                return Fail<long>(result, $"must be a whole number (k, M and G suffixes allowed), not '{text}'");
            if (value < min || value > max)
                return Fail<long>(result, $"must be between {min} and {max}, not {value}");
            return value;
        };

    public static Func<ArgumentResult, int> Int(int min, int max) => result => (int)Count(min, max)(result);

    public static Func<ArgumentResult, double> Seconds(double min, double max) =>
        result =>
        {
            var text = Single(result);
            if (
                !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || value < min
                || value > max
            )
                return Fail<double>(result, $"must be a number of seconds between {min} and {max}, not '{text}'");
            return value;
        };

    /// <summary>"5%" or "5" as a fraction (0.05).</summary>
    public static double Percentage(ArgumentResult result)
    {
        var text = Single(result);
        if (
            !double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || value < 0
            || value >= 100
        )
            return Fail<double>(result, $"must be a percentage such as 5%, not '{text}'");
        return value / 100;
    }

    public static XdpAttachMode AttachMode(ArgumentResult result) =>
        Single(result).ToLowerInvariant() switch
        {
            "native" => XdpAttachMode.Native,
            "generic" => XdpAttachMode.Generic,
            "auto" => XdpAttachMode.Auto,
            var other => Fail<XdpAttachMode>(
                result,
                $"'{other}' is unknown; use native, generic, or auto (native, falling back to generic)"
            ),
        };

    public static TrafficMix Mix(string name) =>
        TrafficMix.TryParse(name, out var mix)
            ? mix
            : throw new UsageException($"mix '{name}' is unknown; use one of {string.Join(", ", TrafficMix.Names)}");

    /// <summary>A flow count: 1 to 2^24 (enough to thrash any table), with k or M suffixes.</summary>
    public static int Flows(string text) =>
        TryCount(text, out var value) && value is >= 1 and <= 1 << 24
            ? (int)value
            : throw new UsageException($"--flows {text}: give flow counts from 1 to {1 << 24}, e.g. 1k,64k,1M");

    public static FrameSizes Sizes(string text) =>
        FrameSizes.TryParse(text, out var sizes, out var problem)
            ? sizes!
            : throw new UsageException(
                $"--sizes {text}: {problem}; give 'imix' or sizes such as 64,1500 or 64:7,576:4,1500:1"
            );

    public static int FrameSize(int size) =>
        size is >= FrameBuilder.MinimumSize and <= FrameBuilder.MaximumSize
            ? size
            : throw new UsageException(
                $"frame size {size} is outside {FrameBuilder.MinimumSize} to {FrameBuilder.MaximumSize}"
            );

    public static Sink Sink(string text) =>
        Sinks.TryParse(text, out var sink)
            ? sink
            : throw new UsageException($"--sink '{text}' is unknown; use pass or drop");

    /// <summary>One generator setting, "0" or "0,1", each CPU one this process may use.</summary>
    public static CpuList Cpus(string text, IReadOnlyList<int> allowed)
    {
        if (!CpuList.TryParse(text, out var cpus) || cpus is null)
            throw new UsageException($"--gen-cpus '{text}' is not a list of CPU numbers such as 0 or 0,1");
        foreach (var cpu in cpus.Cpus.Where(c => !allowed.Contains(c)))
            throw new UsageException(
                $"--gen-cpus '{cpu}' is not a CPU this process may use ({string.Join(",", allowed)})"
            );
        return cpus;
    }

    /// <summary>Values of a list option, comma-separated and/or repeated.</summary>
    public static IReadOnlyList<string> Split(IEnumerable<string>? values) =>
        (values ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();

    // 10M, 500k: packet counts are easier to read and type that way.
    private static bool TryCount(string text, out long value)
    {
        if (long.TryParse(text.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            return true;
        value = 0;
        if (text.Length < 2)
            return false;
        var multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1_000L,
            'M' => 1_000_000L,
            'G' => 1_000_000_000L,
            _ => 0L,
        };
        if (
            multiplier == 0
            || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
        )
            return false;
        value = (long)Math.Round(number * multiplier);
        return true;
    }

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : "";

    private static T Fail<T>(ArgumentResult result, string message)
    {
        var name = (result.Parent as OptionResult)?.Option.Name ?? "value";
        result.AddError($"{name} {message}");
        return default!;
    }
}
