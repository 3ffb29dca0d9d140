using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>A value a user gave (an option, a config key) that cannot be used; the message is one line.</summary>
public sealed class OptionException(string message) : Exception(message);

/// <summary>
/// Values in PacketCounter's own notation, read the same from the command line and a
/// config file: counts with k/M/G suffixes, seconds, CPU lists, mixes, sizes, sinks. Each
/// bad value is one <see cref="OptionException"/> naming what was wrong and what to give.
/// </summary>
public static class OptionValues
{
    /// <summary>A whole number, "10M" or "500k" allowed, within [min, max].</summary>
    public static long Count(string name, string text, long min, long max)
    {
        if (!TryCount(text, out var value))
            throw new OptionException($"{name} must be a whole number (k, M and G suffixes allowed), not '{text}'");
        if (value < min || value > max)
            throw new OptionException($"{name} must be between {min} and {max}, not {value}");
        return value;
    }

    public static int Int(string name, string text, int min, int max) => (int)Count(name, text, min, max);

    public static double Seconds(string name, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && value >= min
        && value <= max
            ? value
            : throw new OptionException($"{name} must be a number of seconds between {min} and {max}, not '{text}'");

    /// <summary>"5%" or "5" as a fraction (0.05).</summary>
    public static double Percentage(string name, string text) =>
        double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && value is >= 0 and < 100
            ? value / 100
            : throw new OptionException($"{name} must be a percentage such as 5%, not '{text}'");

    public static XdpAttachMode AttachMode(string name, string text) =>
        text.ToLowerInvariant() switch
        {
            "native" => XdpAttachMode.Native,
            "generic" => XdpAttachMode.Generic,
            "auto" => XdpAttachMode.Auto,
            _ => throw new OptionException(
                $"{name} '{text}' is unknown; use native, generic, or auto (native, falling back to generic)"
            ),
        };

    public static TrafficMix Mix(string name, string text) =>
        TrafficMix.TryParse(text, out var mix)
            ? mix
            : throw new OptionException(
                $"{name}: mix '{text}' is unknown; use one of {string.Join(", ", TrafficMix.Names)}"
            );

    /// <summary>A flow count: 1 to 2^24 (enough to thrash any table), with k or M suffixes.</summary>
    public static int Flows(string name, string text) =>
        TryCount(text, out var value) && value is >= 1 and <= 1 << 24
            ? (int)value
            : throw new OptionException($"{name} {text}: give flow counts from 1 to {1 << 24}, e.g. 1k,64k,1M");

    public static FrameSizes Sizes(string name, string text) =>
        FrameSizes.TryParse(text, out var sizes, out var problem)
            ? sizes!
            : throw new OptionException(
                $"{name} {text}: {problem}; give 'imix' or sizes such as 64,1500 or 64:7,576:4,1500:1"
            );

    public static int FrameSize(string name, string text)
    {
        var size = Int(name, text, int.MinValue, int.MaxValue);
        return size is >= FrameBuilder.MinimumSize and <= FrameBuilder.MaximumSize
            ? size
            : throw new OptionException(
                $"{name}: frame size {size} is outside {FrameBuilder.MinimumSize} to {FrameBuilder.MaximumSize}"
            );
    }

    public static Sink Sink(string name, string text) =>
        Text.EnumNames.TryParse<Sink>(text, out var sink)
            ? sink
            : throw new OptionException($"{name} '{text}' is unknown; use pass or drop");

    /// <summary>One generator setting, "0" or "0,1", each CPU one this process may use.</summary>
    public static CpuList Cpus(string name, string text, IReadOnlyList<int> allowed)
    {
        if (!CpuList.TryParse(text, out var cpus) || cpus is null)
            throw new OptionException($"{name} '{text}' is not a list of CPU numbers such as 0 or 0,1");
        foreach (var cpu in cpus.Cpus.Where(c => !allowed.Contains(c)))
            throw new OptionException(
                $"{name} '{cpu}' is not a CPU this process may use ({string.Join(",", allowed)})"
            );
        return cpus;
    }

    public static BenchModes Modes(string name, IEnumerable<string> parts)
    {
        var modes = (BenchModes)0;
        foreach (var part in parts)
        {
            modes |= part.ToLowerInvariant() switch
            {
                "micro" => BenchModes.Micro,
                "live" => BenchModes.Live,
                "all" => BenchModes.All,
                _ => throw new OptionException($"{name} '{part}' is unknown; use micro, live or all"),
            };
        }
        return modes == 0 ? BenchModes.All : modes;
    }

    /// <summary>Values of a list option, comma-separated and/or repeated.</summary>
    public static IReadOnlyList<string> Split(IEnumerable<string>? values) =>
        (values ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();

    /// <summary>"100k": how a count reads in help text and defaults.</summary>
    public static string Thousands(long count) =>
        count % 1000 == 0 ? $"{count / 1000}k" : count.ToString(CultureInfo.InvariantCulture);

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
}
