using System.Text;

namespace PacketCounter.Profiling.Verification;

/// <summary>One count: what the traffic sent says it must be, and what the variant counted.</summary>
public sealed record CountRow(string Count, ulong Expected, ulong Counted)
{
    public bool Matches => Expected == Counted;
}

/// <summary>
/// Whether a variant counted exactly what was sent: every count equal, nothing
/// missing and nothing extra. <see cref="Table"/> shows expected against counted.
/// </summary>
public sealed record CountVerification(IReadOnlyList<CountRow> Rows)
{
    public bool IsExact => Rows.All(r => r.Matches);

    public ulong CountedTotal => (ulong)Rows.Sum(r => (decimal)r.Counted);

    /// <summary>The counts the sent traffic must produce for <paramref name="variant"/>.</summary>
    public static IReadOnlyDictionary<string, ulong> Expected(ICounterVariant variant, IReadOnlyDictionary<TrafficClass, long> sent)
    {
        var expected = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (trafficClass, packets) in sent)
        {
            if (packets == 0 || variant.CountFor(trafficClass) is not { } count)
                continue;
            expected[count] = expected.GetValueOrDefault(count) + (ulong)packets;
        }
        return expected;
    }

    public static CountVerification Compare(IReadOnlyDictionary<string, ulong> expected, IReadOnlyDictionary<string, ulong> counted)
    {
        var names = expected.Keys.Union(counted.Keys).Order(StringComparer.Ordinal);
        return new CountVerification(names
            .Select(n => new CountRow(n, expected.GetValueOrDefault(n), counted.GetValueOrDefault(n)))
            .Where(r => r.Expected != 0 || r.Counted != 0)
            .ToList());
    }

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine($"{"COUNT",-12} {"EXPECTED",14} {"COUNTED",14} {"DIFF",12}");
        foreach (var row in Rows)
        {
            var diff = (long)row.Counted - (long)row.Expected;
            text.AppendLine($"{row.Count,-12} {row.Expected,14} {row.Counted,14} {(diff == 0 ? "" : diff.ToString("+#;-#")),12}");
        }
        return text.ToString();
    }
}
