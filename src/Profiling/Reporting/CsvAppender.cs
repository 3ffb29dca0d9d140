using CsvHelper;
using CsvHelper.Configuration;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// A CSV file written a row at a time and flushed after every row, so an interrupted run
/// keeps every row it finished. Invariant culture whatever the machine's locale; column
/// names come from each row type's [Name] attributes.
/// </summary>
public sealed class CsvAppender<TRow> : IDisposable
{
    private readonly StreamWriter _stream;
    private readonly CsvWriter _csv;

    public CsvAppender(string path)
    {
        Path = path;
        _stream = new StreamWriter(path, append: false);
        _csv = new CsvWriter(_stream, new CsvConfiguration(CultureInfo.InvariantCulture));
        _csv.WriteHeader<TRow>();
        _csv.NextRecord();
        Flush();
    }

    public string Path { get; }

    public void Write(TRow row)
    {
        _csv.WriteRecord(row);
        _csv.NextRecord();
        Flush();
    }

    public void WriteAll(IEnumerable<TRow> rows)
    {
        foreach (var row in rows)
            Write(row);
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

    public static IReadOnlyList<TRow> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        return csv.GetRecords<TRow>().ToList();
    }
}
