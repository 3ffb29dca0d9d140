using System.Collections.Concurrent;
using System.Text.Json;

namespace PacketCounter.Profiling.Text;

/// <summary>
/// How an enum value is written wherever a file or a command line carries it: its name in
/// snake case ("ns_per_packet", "run_stats", "drop"). The JSON documents use the same policy,
/// so a CSV cell, a store column and a JSON value read alike.
/// </summary>
public static class EnumNames
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Of<T>(T value)
        where T : struct, Enum => Names.GetOrAdd(value, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

    public static bool TryParse<T>(string text, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The value named <paramref name="text"/>, or a <see cref="FormatException"/> listing the names.</summary>
    public static T Parse<T>(string text)
        where T : struct, Enum =>
        TryParse<T>(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not one of {string.Join(", ", All<T>())}");

    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => Enum.GetValues<T>().Select(v => Of(v)).ToList();
}
