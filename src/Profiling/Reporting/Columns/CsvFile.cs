using CsvHelper;
using CsvHelper.Configuration;

namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>
/// A CSV file written from columns, a row at a time and flushed after every row, so an
/// interrupted run keeps every row it finished. Invariant culture whatever the machine's locale.
/// </summary>
public sealed class CsvFile<TRow> : IDisposable
{
    private readonly IReadOnlyList<Column<TRow>> _columns;
    private readonly StreamWriter _stream;
    private readonly CsvWriter _csv;

    public CsvFile(string path, IReadOnlyList<Column<TRow>> columns)
    {
        _columns = columns.Where(c => c.CsvName is not null).ToList();
        _stream = new StreamWriter(path, append: false);
        _csv = new CsvWriter(_stream, new CsvConfiguration(CultureInfo.InvariantCulture));
        foreach (var column in _columns)
            _csv.WriteField(column.CsvName);
        _csv.NextRecord();
        Flush();
    }

    public void Write(TRow row)
    {
        foreach (var column in _columns)
            _csv.WriteField(column.CsvText(row));
        _csv.NextRecord();
        Flush();
    }

    public void WriteAll(IEnumerable<TRow> rows)
    {
        foreach (var row in rows)
            Write(row);
    }

    /// <summary>Writes the whole file at once.</summary>
    public static void Write(string path, IReadOnlyList<Column<TRow>> columns, IEnumerable<TRow> rows)
    {
        using var file = new CsvFile<TRow>(path, columns);
        file.WriteAll(rows);
    }

    private void Flush()
    {
        _csv.Flush();
        _stream.Flush();
    }

    public void Dispose()
    {
        _csv.Dispose();
        _stream.Dispose();
    }
}

/// <summary>A CSV file read back: its header, and each row by column name.</summary>
public sealed record CsvRows(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)
{
    public static CsvRows Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (csv.Read())
            rows.Add(
                header.Select((name, i) => (name, Value: csv.GetField(i) ?? "")).ToDictionary(f => f.name, f => f.Value)
            );
        return new CsvRows(header, rows);
    }
}
