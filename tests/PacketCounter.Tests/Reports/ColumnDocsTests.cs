using PacketCounter.Profiling.Reporting.Columns;

namespace PacketCounter.Tests.Reports;

/// <summary>The README's column lists are what the column objects say.</summary>
[Trait(Category.Name, Category.Pure)]
public class ColumnDocsTests
{
    // PACKETCOUNTER_WRITE_README=1 writes the lists into the README instead of failing on them.
    [Fact]
    public void The_readme_lists_every_column_as_its_column_object_documents_it()
    {
        var path = Path.Combine(NativeTool.RepoRoot, "README.md");
        var readme = File.ReadAllText(path);
        var current = ColumnDocs.Rewrite(readme);
        if (Environment.GetEnvironmentVariable("PACKETCOUNTER_WRITE_README") == "1" && current != readme)
        {
            File.WriteAllText(path, current);
            readme = current;
        }
        foreach (var (name, text) in ColumnDocs.Lists)
            Assert.True(
                readme.Contains(ColumnDocs.Block(name, text), StringComparison.Ordinal),
                $"README.md's {name} columns differ from the column objects; run the test with "
                    + $"PACKETCOUNTER_WRITE_README=1 to write them. Expected:\n{ColumnDocs.Block(name, text)}"
            );
    }

    [Fact]
    public void Every_csv_column_and_table_header_has_a_meaning_and_no_file_names_a_column_twice()
    {
        foreach (var (name, text) in ColumnDocs.Lists)
        {
            var lines = text.Split('\n');
            Assert.All(lines, l => Assert.Matches("^- `[^`]+`( \\([^)]+\\))?: .{8,}$", l));
            var names = lines.Select(l => l.Split('`')[1]).ToList();
            Assert.True(names.Count == names.Distinct().Count(), $"{name}: {string.Join(", ", names)}");
        }
    }
}
