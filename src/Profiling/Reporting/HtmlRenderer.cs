using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PacketCounter.Profiling.Reporting;

/// <summary>report.html: self-contained (plots embedded as data URIs), so it can be mailed or archived as one file.</summary>
public static partial class HtmlRenderer
{
    public static string Render(ReportDocument document)
    {
        var html = new StringBuilder(
            $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(document.Title)}}</title>
            <style>
            body { font-family: "DejaVu Sans", sans-serif; margin: 1em 2em; color: #222; max-width: 1200px; }
            h1 { margin: 0.3em 0; } h2 { margin: 0.8em 0 0.3em; }
            table { border-collapse: collapse; margin: 0.5em 0 0.5em; }
            th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; font-variant-numeric: tabular-nums; }
            th { background: #eee; }
            dl.legend { font-size: 0.9em; margin: 0.3em 0 1.5em; }
            dl.legend dt { font-weight: bold; float: left; margin-right: 0.5em; } dl.legend dd { margin: 0 0 0.2em; }
            figure { margin: 0.5em 0 1em; } img { max-width: 100%; border: 1px solid #ddd; }
            details { margin: 0.5em 0 1.5em; } summary { cursor: pointer; font-weight: bold; }
            .incomplete { background: #fdd; padding: 0.5em; }
            </style></head><body>
            <h1>{{E(document.Title)}}</h1>

            """
        );
        foreach (var section in document.Sections)
        {
            if (section.Appendix)
            {
                Append(html, new Collapsible(section.Title, section.Blocks));
                continue;
            }
            html.Append($"<section><h2>{E(section.Title)}</h2>\n");
            foreach (var block in section.Blocks)
                Append(html, block);
            html.Append("</section>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    private static void Append(StringBuilder html, Block block)
    {
        switch (block)
        {
            case Paragraph p:
                html.Append(
                    $"<p{(p.Text.Contains("INCOMPLETE", StringComparison.Ordinal) ? " class=\"incomplete\"" : "")}>{Inline(p.Text)}</p>\n"
                );
                break;
            case Bullets b:
                html.Append("<ul>")
                    .Append(string.Concat(b.Items.Select(i => $"<li>{Inline(i)}</li>")))
                    .Append("</ul>\n");
                break;
            case Figure f:
                var png = Convert.ToBase64String(File.ReadAllBytes(f.Plot.PngPath));
                html.Append($"<figure><img alt=\"{E(f.Plot.Caption)}\" src=\"data:image/png;base64,{png}\">")
                    .Append($"<figcaption>{E(f.Plot.Caption)}</figcaption></figure>\n");
                break;
            case Collapsible c:
                html.Append($"<details><summary>{E(c.Summary)}</summary>\n");
                foreach (var inner in c.Blocks)
                    Append(html, inner);
                html.Append("</details>\n");
                break;
            case TableBlock { Table: var t }:
                if (t.Title is not null)
                    html.Append($"<h3>{E(t.Title)}</h3>\n");
                html.Append("<table>");
                if (t.Header.Any(h => h.Length > 0))
                    html.Append("<tr>").Append(string.Concat(t.Header.Select(h => $"<th>{E(h)}</th>"))).Append("</tr>");
                foreach (var row in t.Rows)
                    html.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>");
                html.Append("</table>\n");
                if (t.Legend.Count > 0)
                    html.Append("<dl class=\"legend\">")
                        .Append(string.Concat(t.Legend.Select(l => $"<dt>{E(l.Column)}</dt><dd>{E(l.Meaning)}</dd>")))
                        .Append("</dl>\n");
                if (t.Footnote is not null)
                    html.Append($"<p>{Inline(t.Footnote)}</p>\n");
                break;
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Inline(string text) =>
        Code().Replace(Bold().Replace(E(text), "<strong>$1</strong>"), "<code>$1</code>");

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex("`(.+?)`")]
    private static partial Regex Code();
}
