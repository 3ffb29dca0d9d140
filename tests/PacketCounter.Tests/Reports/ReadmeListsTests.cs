using PacketCounter.Profiling.Reporting;

namespace PacketCounter.Tests.Reports;

/// <summary>The README's option table and column lists are what the option table and the column objects say.</summary>
[Trait(Category.Name, Category.Pure)]
public class ReadmeListsTests
{
    // PACKETCOUNTER_WRITE_README=1 writes the lists into the README instead of failing on them.
    [Fact]
    public void The_readme_lists_every_column_as_its_column_object_documents_it()
    {
        var path = Path.Combine(NativeTool.RepoRoot, "README.md");
        var readme = File.ReadAllText(path);
        var current = ReadmeLists.Rewrite(readme);
        if (Environment.GetEnvironmentVariable("PACKETCOUNTER_WRITE_README") == "1" && current != readme)
        {
            File.WriteAllText(path, current);
            readme = current;
        }
        foreach (var (name, text) in ReadmeLists.Lists)
            Assert.True(
                readme.Contains(ReadmeLists.Block(name, text), StringComparison.Ordinal),
                $"README.md's {name} list differs from the code that defines it; run the test with "
                    + $"PACKETCOUNTER_WRITE_README=1 to write them. Expected:\n{ReadmeLists.Block(name, text)}"
            );
    }

    [Fact]
    public void Every_csv_column_and_table_header_has_a_meaning_and_no_file_names_a_column_twice()
    {
        foreach (var (name, text) in ReadmeLists.Lists.Where(l => l.Name != "bench options"))
        {
            var lines = text.Split('\n');
            Assert.All(lines, l => Assert.Matches("^- `[^`]+`( \\([^)]+\\))?: .{8,}$", l));
            var names = lines.Select(l => l.Split('`')[1]).ToList();
            Assert.True(names.Count == names.Distinct().Count(), $"{name}: {string.Join(", ", names)}");
        }
    }

    [Fact]
    public void Every_bench_option_has_help_and_flags_and_config_keys_are_each_used_once()
    {
        var options = Profiling.Measurement.BenchOptions.All;
        Assert.All(options, o => Assert.True(o.Help.Length > 10 && o.Flag.StartsWith("--"), o.Flag));
        Assert.Equal(options.Count, options.Select(o => o.Flag).Distinct().Count());
        var keys = options.Where(o => o.ConfigKey is not null).Select(o => o.ConfigKey).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Contains("rounds", keys);
    }
}
