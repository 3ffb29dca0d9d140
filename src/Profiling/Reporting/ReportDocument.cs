namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// A table once, for every renderer: terminal, Markdown and HTML. Cells are plain text;
/// what a column means is said once, in <see cref="Legend"/>.
/// </summary>
public sealed record Table(string? Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>What each column means, printed under the table.</summary>
    public IReadOnlyList<(string Column, string Meaning)> Legend { get; init; } = [];

    /// <summary>A line under the table (and its legend), e.g. what a marker in it means.</summary>
    public string? Footnote { get; init; }
}

/// <summary>One piece of a report.</summary>
public abstract record Block;

/// <summary>Text; <c>**bold**</c> and <c>`code`</c> render as such where the medium can.</summary>
public sealed record Paragraph(string Text) : Block;

public sealed record Bullets(IReadOnlyList<string> Items) : Block;

public sealed record TableBlock(Table Table) : Block;

/// <summary>A plot: the HTML embeds it, Markdown links the files beside it, the terminal leaves it out.</summary>
public sealed record Figure(PlotFile Plot) : Block;

/// <summary>Detail a reader opens when they want it: an HTML &lt;details&gt;, a plain section elsewhere.</summary>
public sealed record Collapsible(string Summary, IReadOnlyList<Block> Blocks) : Block;

/// <summary>A titled part of the report; <see cref="InTerminal"/> says whether the terminal summary shows it too.</summary>
/// <param name="Appendix">
/// Detail behind another section: HTML shows it in place, collapsed; Markdown after every
/// other section; the terminal only when asked to be verbose.
/// </param>
public sealed record Section(string Title, IReadOnlyList<Block> Blocks, bool InTerminal = true, bool Appendix = false);

/// <summary>The whole report: one model, rendered to the terminal, report.md and report.html.</summary>
public sealed record ReportDocument(string Title, IReadOnlyList<Section> Sections);
