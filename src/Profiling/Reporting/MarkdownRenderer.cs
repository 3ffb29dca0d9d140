using System.Text;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// report.md: plain Markdown that reads in an editor and renders on a code host. Plots are
/// linked to the PNG and SVG files beside it, not embedded.
/// </summary>
public static class MarkdownRenderer
{
    public static string Render(ReportDocument document)
    {
        var md = new StringBuilder($"# {document.Title}\n\n");
        // Detail comes last, so the body reads straight through.
        foreach (var section in document.Sections.OrderBy(s => s.Appendix))
        {
            md.Append($"## {section.Title}\n\n");
            foreach (var block in section.Blocks)
                Append(md, block);
        }
        return md.ToString();
    }

    private static void Append(StringBuilder md, Block block)
    {
        switch (block)
        {
            case Paragraph p:
                md.Append($"{p.Text}\n\n");
                break;
            case Bullets b:
                md.Append(string.Concat(b.Items.Select(i => $"- {i}\n"))).Append('\n');
                break;
            case Figure f:
                var png = Path.GetFileName(f.Plot.PngPath);
                md.Append(
                    $"![{f.Plot.Caption}]({png})\n\n*{f.Plot.Caption}* ([PNG]({png}), [SVG]({Path.GetFileName(f.Plot.SvgPath)}))\n\n"
                );
                break;
            case Collapsible c:
                md.Append($"### {c.Summary}\n\n");
                foreach (var inner in c.Blocks)
                    Append(md, inner);
                break;
            case TableBlock { Table: var t }:
                if (t.Title is not null)
                    md.Append($"**{t.Title}**\n\n");
                md.Append("| ").Append(string.Join(" | ", t.Header.Select(Cell))).Append(" |\n");
                md.Append('|').Append(string.Concat(t.Header.Select(_ => "---|"))).Append('\n');
                foreach (var row in t.Rows)
                    md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
                md.Append('\n');
                if (t.Legend.Count > 0)
                    md.Append(string.Concat(t.Legend.Select(l => $"- **{l.Column}**: {l.Meaning}\n"))).Append('\n');
                if (t.Footnote is not null)
                    md.Append($"{t.Footnote}\n\n");
                break;
        }
    }

    private static string Cell(string text) => text.Length == 0 ? " " : text.Replace("|", "\\|");
}
