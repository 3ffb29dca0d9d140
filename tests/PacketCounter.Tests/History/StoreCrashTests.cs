using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Results;
using PacketCounter.Tests.Faults;

namespace PacketCounter.Tests.History;

/// <summary>Run folders of synthetic results, for processes that record them.</summary>
internal static class SyntheticFolders
{
    /// <summary>Writes <paramref name="count"/> run folders named PREFIX-N under a new folder.</summary>
    public static string Write(string root, string prefix, int count)
    {
        var folder = Path.Combine(root, prefix);
        for (var n = 0; n < count; n++)
        {
            var run = Path.Combine(folder, $"{prefix}-{n:000}");
            Directory.CreateDirectory(run);
            var result = SyntheticRuns.Result(
                $"{prefix}-{n:000}",
                new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(n),
                ultraNet: 0.4 + n * 0.001
            );
            File.WriteAllText(Path.Combine(run, RunFolder.ResultFile), ResultJson.Write(result));
        }
        return folder;
    }

    /// <summary>
    /// Two processes importing <paramref name="count"/> runs each into one store at the same
    /// moment: both must succeed; returns the ids the store then lists.
    /// </summary>
    public static HashSet<string> ImportTwoAtOnce(string root, string store, int count)
    {
        using var first = Import(Write(root, "a", count), store);
        using var second = Import(Write(root, "b", count), store);
        foreach (var importer in new[] { first, second })
        {
            var (exitCode, output, error) = importer.WaitForExit(TimeSpan.FromMinutes(2));
            Assert.True(exitCode == 0, error);
            Assert.Contains($"{count} of {count} run(s) recorded", output);
        }
        using var history = HistoryStore.Open(store);
        return history.Runs().Select(r => r.Id).ToHashSet();
    }

    /// <summary>`history import FOLDER` into STORE as a child process.</summary>
    public static ChildHost Import(string folder, string store) =>
        new(
            new Dictionary<string, string?> { [HistoryStore.EnvironmentVariable] = store },
            "history",
            "import",
            folder
        );
}

/// <summary>The SQLite store under kill -9 and two writers at once.</summary>
[Trait(Category.Name, Category.Pure)]
public sealed class SqliteStoreCrashTests : IDisposable
{
    private readonly TempFolder _folder = new("pc-store-crash-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Two_processes_recording_into_one_file_at_once_both_succeed()
    {
        var store = Path.Combine(_folder.Path, "history.db");
        var ids = SyntheticFolders.ImportTwoAtOnce(_folder.Path, store, 30);
        Assert.Equal(60, ids.Count);
        Assert.Contains("a-029", ids);
        Assert.Contains("b-029", ids);
        Assert.Equal("ok", IntegrityOf(store));
    }

    [Fact]
    public void After_kill_9_at_any_point_of_a_write_the_store_holds_whole_runs_only()
    {
        var runs = SyntheticFolders.Write(_folder.Path, "k", 120);
        // How long a whole import takes here, start-up included: the kills are spread over it.
        var clock = Stopwatch.StartNew();
        using (var whole = SyntheticFolders.Import(runs, Path.Combine(_folder.Path, "whole.db")))
            Assert.Equal(0, whole.WaitForExit(TimeSpan.FromMinutes(2)).ExitCode);
        var duration = clock.Elapsed;
        var report = new List<string>();
        foreach (var share in new[] { 0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.85 })
        {
            var store = Path.Combine(_folder.Path, $"killed-{share}.db");
            using (var importer = SyntheticFolders.Import(runs, store))
            {
                Thread.Sleep(duration * share);
                if (importer.HasExited)
                {
                    report.Add($"{share:P0}: finished first");
                    continue;
                }
                importer.Signal(9);
                importer.WaitForExit(TimeSpan.FromSeconds(30));
            }
            if (!File.Exists(store))
            {
                report.Add($"{share:P0}: before the store existed");
                continue;
            }
            Assert.Equal("ok", IntegrityOf(store));
            using var history = HistoryStore.Open(store);
            var recorded = history.Runs();
            var figures = history.Figures(null, null, null, null, null);
            foreach (var entry in recorded)
            {
                var expected = RunFolder.Read(Path.Combine(runs, entry.Id));
                Assert.Equal(expected, history.Load(entry.Id).Result);
                Assert.Equal(FigureRow.Of(expected).Count, figures.Count(f => f.Run.Id == entry.Id));
            }
            // Nothing of a run that is not listed: no figure rows without their run.
            Assert.All(figures, f => Assert.Contains(recorded, r => r.Id == f.Run.Id));
            report.Add($"{share:P0}: {recorded.Count} whole runs");
        }
        // The kills must have landed mid-import at least once: some runs in, not all.
        Assert.Contains(
            report,
            r => r.EndsWith("whole runs", StringComparison.Ordinal) && !r.Contains(": 0 ") && !r.Contains(": 120 ")
        );
        Console.WriteLine(string.Join("; ", report));
    }

    private static string IntegrityOf(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}

/// <summary>Two processes recording into one PostgreSQL database at once.</summary>
[Trait(Category.Name, Category.Server)]
public sealed class PostgresStoreConcurrencyTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly TempFolder _folder = new("pc-store-pg-");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void Two_processes_recording_into_one_database_at_once_both_succeed()
    {
        Skip.If(postgres.Unavailable is not null, $"PostgreSQL: {postgres.Unavailable}");
        var ids = SyntheticFolders.ImportTwoAtOnce(_folder.Path, postgres.NewDatabase(), 20);
        Assert.Equal(40, ids.Count);
        Assert.Contains("b-019", ids);
    }
}
