using System.Globalization;
using System.Text;
using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Verification;

/// <summary>One count: what the traffic sent says it must be, and what the variant counted.</summary>
public sealed record CountRow(ExpectedCount Expectation, ulong Counted)
{
    public string Count => Expectation.Count;

    public ulong Expected => Expectation.Value;

    /// <summary>Equal, or, for a count with a declared bound, within it.</summary>
    public bool Matches => Expectation.Admits(Counted);

    /// <summary>Whether the count had to equal its expectation exactly.</summary>
    public bool IsExactCount => Expectation.Tolerance == 0;

    /// <summary>Whether the bound is statistical: an honest count misses it now and then, by a known chance.</summary>
    public bool IsStatistical => !IsExactCount && Expectation.Sigmas is not null;

    /// <summary>The chance an honest count falls outside a statistical bound (two-sided normal tail); 0 otherwise.</summary>
    public double MissChance =>
        IsStatistical ? MathNet.Numerics.SpecialFunctions.Erfc(Expectation.Sigmas!.Value / Math.Sqrt(2)) : 0;

    /// <summary>"exact", or the bound, e.g. "±1234 (3σ binomial, 1 in 64)".</summary>
    public string Rule =>
        IsExactCount
            ? "exact"
            : $"±{Expectation.Tolerance.ToString("0", CultureInfo.InvariantCulture)} ({Expectation.Bound})";
}

/// <summary>
/// Whether a variant counted what was sent: every count equal (or within its declared
/// bound), nothing missing and nothing extra. <see cref="Table"/> shows expected against counted.
/// </summary>
public sealed record CountVerification(IReadOnlyList<CountRow> Rows)
{
    /// <summary>Every count verified: exact counts equal, bounded counts within their bound.</summary>
    public bool Verifies => Rows.All(r => r.Matches);

    /// <summary>Every exact count equal and every hard bound held: a failure here is a miscount, whatever chance says.</summary>
    public bool HardCountsHold => Rows.Where(r => !r.IsStatistical).All(r => r.Matches);

    /// <summary>Statistical counts checked, and how many fell outside their bound.</summary>
    public (int Checks, int Outside, double MissChance) Statistical =>
        (
            Rows.Count(r => r.IsStatistical),
            Rows.Count(r => r.IsStatistical && !r.Matches),
            Rows.Where(r => r.IsStatistical).Select(r => r.MissChance).DefaultIfEmpty(0).Max()
        );

    /// <summary>Every count verified and none needed a bound.</summary>
    public bool IsExact => Verifies && Rows.All(r => r.IsExactCount);

    public ulong CountedTotal =>
        (ulong)Rows.Where(r => r.Expectation.Unit == CountUnit.Packets).Sum(r => (decimal)r.Counted);

    /// <summary>The counts the sent traffic must produce for <paramref name="variant"/>.</summary>
    public static IReadOnlyList<ExpectedCount> Expected(ICounterVariant variant, SentTraffic sent) =>
        variant.ExpectedCounts(sent).Where(e => e.Value != 0 || e.Tolerance > 0).ToList();

    public static CountVerification Compare(
        IReadOnlyList<ExpectedCount> expected,
        IReadOnlyDictionary<string, ulong> counted
    )
    {
        var byName = expected
            .GroupBy(e => e.Count, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g =>
                    g.Count() == 1
                        ? g.Single()
                        : throw new VariantMismatchException($"the plugin expects count '{g.Key}' more than once"),
                StringComparer.Ordinal
            );
        var names = byName.Keys.Union(counted.Keys).Order(StringComparer.Ordinal);
        return new CountVerification(
            names
                .Select(n => new CountRow(
                    byName.GetValueOrDefault(n) ?? new ExpectedCount(n, 0),
                    counted.GetValueOrDefault(n)
                ))
                .Where(r => r.Expected != 0 || r.Counted != 0 || !r.IsExactCount)
                .ToList()
        );
    }

    /// <summary>Exact counts only: a name and a value each.</summary>
    public static CountVerification Compare(
        IReadOnlyDictionary<string, ulong> expected,
        IReadOnlyDictionary<string, ulong> counted
    ) => Compare(expected.Select(e => new ExpectedCount(e.Key, e.Value)).ToList(), counted);

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine($"{"COUNT", -16} {"EXPECTED", 14} {"COUNTED", 14} {"DIFF", 12}  RULE");
        foreach (var row in Rows)
        {
            var diff = (long)row.Counted - (long)row.Expected;
            text.AppendLine(
                $"{row.Count, -16} {row.Expected, 14} {row.Counted, 14} "
                    + $"{(diff == 0 ? "" : diff.ToString("+#;-#", CultureInfo.InvariantCulture)), 12}  "
                    + $"{row.Rule}{(row.Matches ? "" : "  FAILS")}"
            );
        }
        return text.ToString();
    }
}
