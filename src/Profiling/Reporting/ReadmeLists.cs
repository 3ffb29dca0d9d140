using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting.Columns;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The README's lists that code defines, written from it: bench's option table from
/// <see cref="BenchOptions"/>, and a column list per CSV file and for the comparison table
/// from the column objects. The README holds each between <c>&lt;!-- columns NAME --&gt;</c>
/// and <c>&lt;!-- /columns --&gt;</c>, and a test keeps them equal.
/// </summary>
public static class ReadmeLists
{
    public static IReadOnlyList<(string Name, string Text)> Lists { get; } =
    [
        ("bench options", Options(BenchOptions.All)),
        ("comparison", Headers(ComparisonColumns.For("REFERENCE", BenchPlan.DefaultInstructionBudget))),
        ("runs.csv", CsvNames(RunsColumns.All)),
        ("summary.csv", CsvNames(SummaryColumns.All)),
        ("results.csv", CsvNames(ComparisonColumns.For(null, BenchPlan.DefaultInstructionBudget))),
        ("pairs.csv", CsvNames(PairsColumns.All)),
        ("matrix.csv", CsvNames(MatrixColumns.All)),
    ];

    public static string Begin(string name) => $"<!-- columns {name} -->";

    public const string End = "<!-- /columns -->";

    /// <summary>The README with every list replaced by what the columns say now.</summary>
    public static string Rewrite(string readme)
    {
        foreach (var (name, text) in Lists)
        {
            var begin = readme.IndexOf(Begin(name), StringComparison.Ordinal);
            var end = begin < 0 ? -1 : readme.IndexOf(End, begin, StringComparison.Ordinal);
            if (begin < 0 || end < 0)
                throw new InvalidOperationException($"the README has no '{Begin(name)}' ... '{End}' block");
            readme = readme[..begin] + Block(name, text) + readme[(end + End.Length)..];
        }
        return readme;
    }

    public static string Block(string name, string text) => $"{Begin(name)}\n{text}\n{End}";

    private static string Options(IReadOnlyList<BenchOption> options) =>
        string.Join(
            "\n",
            [
                "| option | config key | meaning | default |",
                "|---|---|---|---|",
                .. options.Select(o =>
                    $"| `{$"{o.Flag} {o.HelpName}".Trim().Replace("|", "\\|")}` | "
                    + $"{(o.ConfigKey is { } key ? $"`{key}`" : "")} | "
                    + $"{o.Help.Replace("|", "\\|")} | {o.Default.Replace("|", "\\|")} |"
                ),
            ]
        );

    private static string CsvNames<TRow>(IEnumerable<Column<TRow>> columns) =>
        string.Join("\n", columns.Where(c => c.CsvName is not null).Select(c => $"- {c.Documentation}"));

    private static string Headers<TRow>(IEnumerable<Column<TRow>> columns) =>
        string.Join(
            "\n",
            columns
                .Where(c => c.InTable)
                .DistinctBy(c => c.Header)
                .Select(c => $"- `{c.Header}`{(c.Unit is null ? "" : $" ({c.Unit})")}: {c.Legend}")
        );
}
