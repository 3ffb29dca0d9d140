using System.Globalization;
using System.Net;
using System.Text;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// report.md and report.html: the environment block, the comparison table, per-variant
/// facts and verification, the plots (embedded), warnings, and what each column means.
/// Both render the same document model; only the markup differs.
/// </summary>
public static class RunReport
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";

    private sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows);

    private abstract record Block;
    private sealed record Heading(string Text) : Block;
    private sealed record Paragraph(string Text) : Block;
    private sealed record TableBlock(string? Title, Table Table) : Block;
    private sealed record Image(string Caption, string PngPath) : Block;
    private sealed record Bullets(IReadOnlyList<string> Items) : Block;

    public static void Write(BenchResults results, MachineFacts machine, IReadOnlyDictionary<string, Traffic.TrafficMix> mixes,
        IReadOnlyList<PlotFile> plots, string directory, string runId)
    {
        var blocks = Document(results, machine, mixes, plots);
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown($"PacketCounter run {runId}", blocks));
        File.WriteAllText(Path.Combine(directory, HtmlFile), Html($"PacketCounter run {runId}", blocks));
    }

    private static List<Block> Document(BenchResults results, MachineFacts machine, IReadOnlyDictionary<string, Traffic.TrafficMix> mixes,
        IReadOnlyList<PlotFile> plots)
    {
        var blocks = new List<Block>();
        if (results.Incomplete)
            blocks.Add(new Paragraph("**INCOMPLETE:** the run was interrupted. Every sample finished before that is here; figures cover only those."));

        blocks.Add(new Heading("Environment"));
        blocks.Add(new TableBlock(null, new Table(["", ""],
        [
            ["kernel", machine.Kernel], ["OS", machine.Os], ["CPU", $"{machine.CpuModel}, {machine.OnlineCpus} online, {machine.PossibleCpus} possible"],
            ["BPF JIT", machine.JitState], ["libbpf", machine.Libbpf], [".NET", machine.DotNet],
            .. machine.Sources.Select(s => new[] { s.Source, s.Available ? $"available: {s.Detail}" : s.Detail }),
            ["command", machine.CommandLine], ["started (UTC)", machine.StartedUtc.ToString("u", CultureInfo.InvariantCulture)],
        ])));

        blocks.Add(new Heading("Comparison"));
        foreach (var section in ComparisonTable.Build(results, mixes))
            blocks.Add(new TableBlock(section.Title, new Table(ComparisonTable.Columns, section.Rows)));
        blocks.Add(new Paragraph("`*` marks the baseline: the Null program (XDP_PASS only), the floor every counter is measured against."));

        var micro = results.MicroFigures();
        if (micro.Count > 0)
        {
            blocks.Add(new Heading("Micro cost per traffic class"));
            var classes = micro.Select(f => f.Class).Distinct().Order().ToList();
            foreach (var size in micro.Select(f => f.FrameSize).Distinct())
            {
                var rows = micro.Where(f => f.FrameSize == size).GroupBy(f => f.Variant).Select(g => (string[])[g.Key, .. classes.Select(c =>
                    g.FirstOrDefault(f => f.Class == c) is not { } f ? "-"
                    : g.Key == BenchResults.BaselineName ? $"{f.NsPerPacket.Mean.Mean:0.00} (abs)"
                    : f.NetOfNull is { } n ? $"{n.Mean:0.00} ± {n.HalfWidth:0.00}" : "-")]).ToList();
                blocks.Add(new TableBlock($"{size} B frames: ns/packet net of Null (Null: absolute)", new Table(["VARIANT", .. classes.Select(TrafficClasses.Name)], rows)));
            }
        }

        var instructionTables = InstructionTable.Build(results);
        if (instructionTables.Count > 0)
        {
            blocks.Add(new Heading("Executed BPF instructions per packet"));
            blocks.Add(new Paragraph("Counted by running each variant's program, as libbpf prepared it for the kernel, in PacketCounter's emulator, which is checked against the kernel instruction by instruction in its tests. The count is of the program as compiled, before the verifier inlines helpers."));
            foreach (var (title, header, rows) in instructionTables)
                blocks.Add(new TableBlock(title, new Table(header, rows)));
        }

        blocks.Add(new Heading("Variants"));
        foreach (var facts in results.Facts)
        {
            var p = facts.Program;
            var windows = results.LiveSamples.Where(s => s.Variant == facts.Variant).ToList();
            var verification = facts.Role == VariantRole.Baseline
                ? "baseline: not a counter"
                : windows.Count == 0 ? "not run live"
                : $"{windows.Count(w => w.Verification?.IsExact ?? false)} of {windows.Count} windows exact; sent {windows.Sum(w => w.Sent):N0}, delivered {(ulong)windows.Sum(w => (decimal)w.Delivered):N0}, counted {(ulong)windows.Sum(w => (decimal)(w.Verification?.CountedTotal ?? 0)):N0} (the mix's uncounted classes excluded)";
            blocks.Add(new TableBlock(facts.Variant, new Table(["", ""],
            [
                ["program", $"{p.Name} (id {p.Id}, tag {p.Tag})"],
                ["xlated", $"{p.XlatedBytes} bytes, {p.XlatedInstructions} instructions"],
                ["jited", $"{p.JitedBytes} bytes"],
                ["verified_insns", p.VerifiedInstructions.ToString(CultureInfo.InvariantCulture)],
                ["maps", p.Maps.Count == 0 ? "none" : string.Join("; ", p.Maps.Select(m => $"{m.Name}: {m.Type}, key {m.KeySize} B, value {m.ValueSize} B, {m.MaxEntries} entries"))],
                ["verification", verification],
            ])));
        }
        foreach (var mismatch in results.LiveSamples.Where(s => s.Verification is { IsExact: false }))
            blocks.Add(new TableBlock($"{mismatch.Variant} MISCOUNTED in repeat {mismatch.Repeat + 1}", new Table(["COUNT", "EXPECTED", "COUNTED"],
                mismatch.Verification!.Rows.Select(r => new[] { r.Count, r.Expected.ToString(CultureInfo.InvariantCulture), r.Counted.ToString(CultureInfo.InvariantCulture) }).ToList())));
        if (results.Failures.Count > 0)
            blocks.Add(new Bullets(results.Failures.Distinct().Select(f => "failed: " + f).ToList()));

        if (plots.Count > 0)
        {
            blocks.Add(new Heading("Plots"));
            foreach (var plot in plots)
                blocks.Add(new Image(plot.Caption, plot.PngPath));
        }

        var warnings = ComparisonTable.Warnings(results);
        if (warnings.Count > 0)
        {
            blocks.Add(new Heading("Warnings"));
            blocks.Add(new Bullets(warnings));
        }

        blocks.Add(new Heading("Columns"));
        blocks.Add(new Bullets(ComparisonTable.Legend.Select(l => $"{l.Column}: {l.Meaning}").ToList()));
        return blocks;
    }

    private static string Markdown(string title, IReadOnlyList<Block> blocks)
    {
        var md = new StringBuilder($"# {title}\n\n");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading h: md.Append($"## {h.Text}\n\n"); break;
                case Paragraph p: md.Append($"{p.Text}\n\n"); break;
                case Bullets b: md.Append(string.Concat(b.Items.Select(i => $"- {i}\n"))).Append('\n'); break;
                case Image i: md.Append($"![{i.Caption}](data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(i.PngPath))})\n\n*{i.Caption}*\n\n"); break;
                case TableBlock t:
                    if (t.Title is not null)
                        md.Append($"**{t.Title}**\n\n");
                    md.Append("| ").Append(string.Join(" | ", t.Table.Header.Select(Cell))).Append(" |\n");
                    md.Append('|').Append(string.Concat(t.Table.Header.Select(_ => "---|"))).Append('\n');
                    foreach (var row in t.Table.Rows)
                        md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
                    md.Append('\n');
                    break;
            }
        }
        return md.ToString();

        static string Cell(string text) => text.Replace("|", "\\|");
    }

    private static string Html(string title, IReadOnlyList<Block> blocks)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        static string Inline(string text) => System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(E(text), @"\*\*(.+?)\*\*", "<strong>$1</strong>"), "`(.+?)`", "<code>$1</code>");
        var html = new StringBuilder($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>
            body { font-family: "DejaVu Sans", sans-serif; margin: 2em; color: #222; max-width: 1200px; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; font-variant-numeric: tabular-nums; }
            th { background: #eee; }
            figure { margin: 1em 0 2em; } img { max-width: 100%; border: 1px solid #ddd; }
            .incomplete { background: #fdd; padding: 0.5em; }
            </style></head><body>
            <h1>{{E(title)}}</h1>

            """);
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading h: html.Append($"<h2>{E(h.Text)}</h2>\n"); break;
                case Paragraph p: html.Append($"<p{(p.Text.Contains("INCOMPLETE") ? " class=\"incomplete\"" : "")}>{Inline(p.Text)}</p>\n"); break;
                case Bullets b: html.Append("<ul>").Append(string.Concat(b.Items.Select(i => $"<li>{E(i)}</li>"))).Append("</ul>\n"); break;
                case Image i:
                    html.Append($"<figure><img alt=\"{E(i.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(i.PngPath))}\"><figcaption>{E(i.Caption)}</figcaption></figure>\n");
                    break;
                case TableBlock t:
                    if (t.Title is not null)
                        html.Append($"<h3>{E(t.Title)}</h3>\n");
                    html.Append("<table>");
                    if (t.Table.Header.Any(h => h.Length > 0))
                        html.Append("<tr>").Append(string.Concat(t.Table.Header.Select(h => $"<th>{E(h)}</th>"))).Append("</tr>");
                    foreach (var row in t.Table.Rows)
                        html.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>");
                    html.Append("</table>\n");
                    break;
            }
        }
        return html.Append("</body></html>\n").ToString();
    }
}
