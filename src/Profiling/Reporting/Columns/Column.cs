namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>
/// One column, in one place: the header a table gives it, the name a CSV file gives it, what
/// it means, its unit, and how a row gives its value and its text. A table and a CSV file
/// are lists of these, so headers, cells and legends cannot fall out of step, and a new
/// figure is one new column.
/// </summary>
/// <typeparam name="TRow">What a row of the table or file is.</typeparam>
public sealed record Column<TRow>
{
    /// <summary>The header in terminal, Markdown and HTML tables.</summary>
    public required string Header { get; init; }

    /// <summary>The column's name in a CSV file; null: tables only.</summary>
    public string? CsvName { get; init; }

    /// <summary>What the column means: the legend under a table and the README's column list.</summary>
    public required string Legend { get; init; }

    public string? Unit { get; init; }

    /// <summary>Whether tables show it; false: CSV only.</summary>
    public bool InTable { get; init; } = true;

    /// <summary>It names the row (a variant, a setting): tables give it no legend.</summary>
    public bool IsKey { get; init; }

    /// <summary>The value a CSV file writes: a number, a string, or null for none.</summary>
    public required Func<TRow, object?> Value { get; init; }

    /// <summary>What a table prints; by default the value, "-" for none.</summary>
    public Func<TRow, string>? Text { get; init; }

    public string TableText(TRow row) => Text?.Invoke(row) ?? Cells.Text(Value(row));

    public string CsvText(TRow row) => Cells.Csv(Value(row));

    /// <summary>The README's line for it: "`name` (unit): meaning".</summary>
    public string Documentation => $"`{CsvName ?? Header}`{(Unit is null ? "" : $" ({Unit})")}: {Legend}";
}

/// <summary>Ways of making the columns most tables share.</summary>
public static class Column
{
    /// <summary>The legend of every "±CI" column.</summary>
    public const string CiLegend = "half-width of the 95% confidence interval of the figure to its left";

    public static Column<TRow> Key<TRow>(string header, string? csvName, string legend, Func<TRow, object?> value) =>
        new()
        {
            Header = header,
            CsvName = csvName,
            Legend = legend,
            IsKey = true,
            Value = value,
        };

    /// <summary>A plain table column: the value as it is, "-" for none.</summary>
    public static Column<TRow> Of<TRow>(string header, string legend, Func<TRow, object?> value) =>
        new()
        {
            Header = header,
            Legend = legend,
            Value = value,
        };

    /// <summary>A plain column that CSV files carry too, under <paramref name="csvName"/>.</summary>
    public static Column<TRow> Of<TRow>(string header, string csvName, string legend, Func<TRow, object?> value) =>
        Of(header, legend, value) with
        {
            CsvName = csvName,
        };

    /// <summary>A column only a CSV file carries.</summary>
    public static Column<TRow> Csv<TRow>(
        string csvName,
        string legend,
        Func<TRow, object?> value,
        string? unit = null
    ) => Key(csvName.ToUpperInvariant(), csvName, legend, value) with { IsKey = false, InTable = false, Unit = unit };

    /// <summary>A number printed with <paramref name="format"/> in tables and in full in CSV files.</summary>
    public static Column<TRow> Number<TRow>(
        string header,
        string? csvName,
        string legend,
        Func<TRow, double?> value,
        string format,
        string? unit = null
    ) =>
        new()
        {
            Header = header,
            CsvName = csvName,
            Legend = legend,
            Unit = unit,
            Value = row => value(row),
            Text = row => Format.Number(value(row), format),
        };

    /// <summary>The "±CI" column beside a figure: its half-width, tables only.</summary>
    public static Column<TRow> Ci<TRow>(Func<TRow, double?> halfWidth, string format) =>
        new()
        {
            Header = "±CI",
            Legend = CiLegend,
            Value = row => halfWidth(row),
            Text = row => Format.Number(halfWidth(row), format),
        };
}

/// <summary>How a value is written: invariant culture everywhere, a full-precision number in CSV.</summary>
internal static class Cells
{
    public static string Text(object? value) =>
        value switch
        {
            null => "-",
            double d => Format.Number(d, "0.##"),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    public static string Csv(object? value) =>
        value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
}
