using PacketCounter.Profiling.Reporting.Columns;

namespace PacketCounter.Tests;

/// <summary>A row of a run's CSV file, its fields by column name, read as the tests need them.</summary>
internal sealed record CsvRow(IReadOnlyDictionary<string, string> Fields)
{
    public string this[string column] => Fields[column];

    public long? Long(string column) =>
        Fields[column] is "" ? null : long.Parse(Fields[column], CultureInfo.InvariantCulture);

    public double? Double(string column) =>
        Fields[column] is "" ? null : double.Parse(Fields[column], CultureInfo.InvariantCulture);

    public static IReadOnlyList<CsvRow> Read(string path) =>
        CsvRows.Read(path).Rows.Select(r => new CsvRow(r)).ToList();
}
