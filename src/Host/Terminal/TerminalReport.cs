using PacketCounter.Profiling.Reporting;
using Spectre.Console;
using Paragraph = PacketCounter.Profiling.Reporting.Paragraph;
using SpectreTable = Spectre.Console.Table;

namespace PacketCounter.Host.Terminal;

/// <summary>
/// The terminal summary: the report's sections marked for the terminal, rendered with
/// Spectre. Plots and collapsed detail stay in report.html and report.md.
/// </summary>
internal static class TerminalReport
{
    /// <param name="verbose">Show the appendix sections too (every pair behind the tiers).</param>
    public static void Write(IAnsiConsole console, ReportDocument document, bool verbose = false)
    {
        foreach (var section in document.Sections.Where(s => s.InTerminal && (verbose || !s.Appendix)))
        {
            console.WriteLine();
            console.WriteLine($"=== {section.Title} ===");
            foreach (var block in section.Blocks)
                Write(console, block);
        }
    }

    private static void Write(IAnsiConsole console, Block block)
    {
        switch (block)
        {
            case Paragraph p:
                console.WriteLine(Plain(p.Text));
                break;
            case Bullets b:
                foreach (var item in b.Items)
                    console.WriteLine($"  {Plain(item)}");
                break;
            case TableBlock { Table: var t }:
                Write(console, t);
                break;
        }
    }

    public static void Write(IAnsiConsole console, Profiling.Reporting.Table table)
    {
        if (table.Title is not null)
            console.WriteLine(table.Title);
        var rendered = new SpectreTable().Border(TableBorder.Simple);
        foreach (var column in table.Header)
            rendered.AddColumn(new TableColumn(Markup.Escape(column)));
        foreach (var row in table.Rows)
            rendered.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        console.Write(rendered);
        foreach (var (column, meaning) in table.Legend)
            console.WriteLine($"  {column}: {meaning}");
        if (table.Footnote is not null)
            console.WriteLine(Plain(table.Footnote));
    }

    private static string Plain(string text) => text.Replace("**", "").Replace("`", "");
}
