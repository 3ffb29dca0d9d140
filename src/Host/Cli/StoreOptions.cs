using PacketCounter.Profiling.History;

namespace PacketCounter.Host.Cli;

/// <summary>--store, shared by every command that reads or writes the history.</summary>
internal static class StoreOptions
{
    public static Option<string> Create() =>
        new("--store")
        {
            Description =
                "the history store: a SQLite file, a PostgreSQL connection "
                + "(postgres://user@host/db or Host=...;Database=...), or 'none' (default: "
                + $"${HistoryStore.EnvironmentVariable}, else {HistoryStore.DefaultLocation})",
            HelpName = "STORE",
        };

    /// <summary>Opens the chosen store; a command that cannot work without one says so.</summary>
    public static HistoryStore Open(ParseResult parse, Option<string> option) =>
        HistoryStore.Choose(parse.GetValue(option)) is { } location
            ? HistoryStore.Open(location)
            : throw new UsageException(
                "--store none: this command reads the history; name a store, or leave --store out for the default"
            );
}
