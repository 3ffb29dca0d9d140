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
    private readonly FileStream _file;
    private readonly StreamWriter _stream;
    private readonly CsvWriter _csv;

    // The file's length after the last whole row: what stays if the rest cannot be written.
    private long _committed;
    private bool _abandoned;

    public CsvFile(string path, IReadOnlyList<Column<TRow>> columns)
    {
        _columns = columns.Where(c => c.CsvName is not null).ToList();
        // Unbuffered: the writer's flush after each row reaches the file, so the committed
        // length is the file's, and giving up never has bytes of its own left to write.
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _stream = new StreamWriter(_file);
        _csv = new CsvWriter(_stream, new CsvConfiguration(CultureInfo.InvariantCulture));
        foreach (var column in _columns)
            _csv.WriteField(column.CsvName);
        _csv.NextRecord();
        Flush();
    }

    /// <summary>Rows written whole so far.</summary>
    public int Rows { get; private set; }

    public void Write(TRow row)
    {
        foreach (var column in _columns)
            _csv.WriteField(column.CsvText(row));
        _csv.NextRecord();
        Flush();
        Rows++;
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
        _committed = _file.Position;
    }

    /// <summary>
    /// Gives up on a file that can no longer be written (a full disk): it is cut back to its
    /// last whole row, so what is there still reads as CSV, and nothing more is flushed.
    /// </summary>
    public void Abandon()
    {
        if (_abandoned)
            return;
        _abandoned = true;
        try
        {
            _file.SetLength(_committed);
        }
        catch (IOException) { } // shrinking needs no space; if even that fails, the row stays cut
        try
        {
            _file.Dispose();
        }
        catch (IOException) { }
    }

    public void Dispose()
    {
        if (_abandoned)
            return;
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
