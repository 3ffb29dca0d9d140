namespace PacketCounter.Tests.Engine;

/// <summary>Lines a reader sees whole: the formatter keeps code within 120, and no line of src/ or tests/ passes 140.</summary>
[Trait(Category.Name, Category.Pure)]
public class SourceLineTests
{
    private const int Limit = 140;

    [Fact]
    public void No_source_line_is_longer_than_the_limit()
    {
        var files = new[] { "src", "tests" }
            .SelectMany(d =>
                Directory.EnumerateFiles(Path.Combine(NativeTool.RepoRoot, d), "*.cs", SearchOption.AllDirectories)
            )
            .Where(f =>
                !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)
            )
            .ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found");
        var longer = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, line.Length)))
            .Where(l => l.Length > Limit)
            .Select(l => $"{Path.GetRelativePath(NativeTool.RepoRoot, l.File)}:{l.Line} ({l.Length})")
            .ToList();
        Assert.True(longer.Count == 0, $"lines over {Limit} characters: {string.Join(", ", longer)}");
    }
}
