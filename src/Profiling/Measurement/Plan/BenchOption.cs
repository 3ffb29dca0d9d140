namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// One option of bench, in one place: its flag, its config key, the plan field it sets,
/// its default and its help. The command line's options, the config file's keys, the plan
/// and the README's option table are all made from these.
/// </summary>
public abstract record BenchOption
{
    /// <summary>"--rounds".</summary>
    public required string Flag { get; init; }

    /// <summary>The key a config file gives it by, e.g. "rounds"; null: the command line only.</summary>
    public string? ConfigKey { get; init; }

    /// <summary>What it sets, e.g. "Live.Rounds", or where it goes when it is not in the plan.</summary>
    public required string PlanField { get; init; }

    /// <summary>The default, as help prints it; empty when there is none to say.</summary>
    public required string Default { get; init; }

    public required string Help { get; init; }

    /// <summary>What help calls its value, e.g. "N" or "A,B".</summary>
    public string HelpName { get; init; } = "VALUE";

    /// <summary>It may be given more than once (lists; each --gen-cpus a setting of its own).</summary>
    public bool Repeatable { get; init; }

    /// <summary>It takes no value: given, it is on.</summary>
    public bool IsSwitch { get; init; }

    /// <summary>Help's line: the help, then the default.</summary>
    public string Description => Default.Length == 0 ? Help : $"{Help} (default {Default})";

    /// <summary>The settings with this option's value read from <paramref name="tokens"/>, one per occurrence.</summary>
    /// <param name="where">How the value was given, for an error: the flag, or the config key.</param>
    public abstract BenchSettings Apply(BenchSettings settings, IReadOnlyList<string> tokens, string where);
}

/// <summary>An option whose value is a <typeparamref name="T"/>.</summary>
public sealed record BenchOption<T> : BenchOption
{
    /// <summary>The value from the tokens, or an <see cref="OptionException"/> naming <c>where</c>.</summary>
    public required Func<string, IReadOnlyList<string>, T> Parse { get; init; }

    public required Func<BenchSettings, T, BenchSettings> Set { get; init; }

    public override BenchSettings Apply(BenchSettings settings, IReadOnlyList<string> tokens, string where) =>
        Set(settings, Parse(where, tokens));
}
