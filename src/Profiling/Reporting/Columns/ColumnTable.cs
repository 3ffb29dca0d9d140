namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>Tables built from columns: the header, every cell and the legend come from the same objects.</summary>
public static class ColumnTable
{
    public static Table Of<TRow>(string? title, IReadOnlyList<Column<TRow>> columns, IEnumerable<TRow> rows)
    {
        var shown = columns.Where(c => c.InTable).ToList();
        return new Table(
            title,
            shown.Select(c => c.Header).ToList(),
            rows.Select(row => (IReadOnlyList<string>)shown.Select(c => c.TableText(row)).ToList()).ToList()
        )
        {
            Legend = shown
                .Where(c => !c.IsKey && c.Legend.Length > 0)
                .Select(c => (c.Header, c.Legend))
                .DistinctBy(l => l.Header)
                .ToList(),
        };
    }
}
