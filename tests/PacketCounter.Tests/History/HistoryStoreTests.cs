using Microsoft.Data.Sqlite;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Tests.History;

/// <summary>The SQLite store a user has: a file, no server.</summary>
[Trait(Category.Name, Category.Pure)]
public sealed class SqliteHistoryStoreTests : HistoryStoreTests
{
    protected override string Location() => Path.Combine(Folder, $"{Guid.NewGuid():N}.db");

    protected override System.Data.Common.DbConnection Connect(string location) =>
        new SqliteConnection($"Data Source={location}");

    [Fact]
    public void A_damaged_database_file_is_one_clear_line()
    {
        var path = Path.Combine(Folder, "damaged.db");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
        var error = Assert.Throws<HistoryException>(() => HistoryStore.Open(path));
        Assert.Contains($"history store SQLite {path} is not a readable SQLite database", error.Message);
        Assert.Contains("history import", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_database_another_process_holds_locked_is_one_clear_line()
    {
        var path = Path.Combine(Folder, "locked.db");
        using (var store = HistoryStore.Open(path))
            store.Save(Run("r1", T0));
        using var holder = new SqliteConnection($"Data Source={path};Pooling=false");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }
        var error = Assert.Throws<HistoryException>(() =>
        {
            using var store = HistoryStore.Open(path, TimeSpan.FromSeconds(1));
            store.Save(Run("r2", T0.AddHours(1)));
        });
        Assert.Contains("is locked by another process (waited 1 s)", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_postgres_uri_names_the_database_without_printing_its_password()
    {
        var error = Assert.Throws<HistoryException>(() =>
            HistoryStore.Open("postgres://bench:s3cret@127.0.0.1:1/history")
        );
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Contains("PostgreSQL history on 127.0.0.1", error.Message);
    }
}

/// <summary>The PostgreSQL store a team shares, on a server these tests start (<see cref="PostgresServer"/>).</summary>
[Trait(Category.Name, Category.Server)]
public sealed class PostgresHistoryStoreTests(PostgresServer postgres)
    : HistoryStoreTests,
        IClassFixture<PostgresServer>
{
    protected override string Location()
    {
        Skip.If(postgres.Unavailable is not null, $"PostgreSQL: {postgres.Unavailable}");
        return postgres.NewDatabase();
    }

    protected override System.Data.Common.DbConnection Connect(string location) =>
        new Npgsql.NpgsqlConnection(location);
}

/// <summary>SQLite and PostgreSQL through the same tests: the store a team shares behaves like the file a user has.</summary>
public abstract class HistoryStoreTests : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("pc-history-").FullName;

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh, empty store of this kind.</summary>
    protected abstract string Location();

    /// <summary>A raw connection to the store at <paramref name="location"/>, past the store's own code.</summary>
    protected abstract System.Data.Common.DbConnection Connect(string location);

    internal static StoredRun Run(
        string id,
        DateTimeOffset started,
        string? tag = null,
        double baselineNs = 8.2,
        double ultraNet = 0.4,
        string kernel = "6.18.44"
    ) => new(SyntheticRuns.Result(id, started, baselineNs, ultraNet, kernel), tag);

    private static double UltraMicroNet(StoredRun run) =>
        run.Result.Micro.Single(f => f.Variant == "Ultra").NetOfBaseline!.Value.Estimate;

    protected static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public void A_saved_run_loads_back_whole_with_its_tag_and_machine()
    {
        var run = Run("20261126-100000", T0, tag: "main") with { Directory = "/reports/20261126-100000" };
        using var store = HistoryStore.Open(Location());
        Assert.Equal("20261126-100000", store.Save(run));
        var loaded = store.Load("20261126-100000");
        Assert.Equal(run.Result, loaded.Result);
        Assert.Equal(run.Machine, loaded.Machine);
        Assert.Equal(run.Tag, loaded.Tag);
        Assert.Equal(run.Directory, loaded.Directory);
        Assert.Equal(run.StartedUtc, loaded.StartedUtc);
        // Equality is the whole document: a figure that moved is another result.
        Assert.NotEqual(Run("20261126-100000", T0, tag: "main", ultraNet: 0.41).Result, loaded.Result);
        Assert.Equal(Migrations.Latest, store.SchemaVersion);
    }

    [SkippableFact]
    public void The_figures_table_holds_every_figure_of_the_run_for_queries()
    {
        var run = Run("r1", T0);
        using var store = HistoryStore.Open(Location());
        store.Save(run);
        var rows = store.Figures(null, null, null, null, null).Select(f => f.Figure).ToList();
        var expected = FigureRow.Of(run.Result);
        Assert.Equal(expected.Count, rows.Count);
        foreach (var figure in expected)
        {
            var back = Assert.Single(
                rows,
                r => r.Variant == figure.Variant && r.Cell == figure.Cell && r.Metric == figure.Metric
            );
            Assert.Equal(figure.Role, back.Role);
            Assert.Equal(
                (figure.Value.Mean.Mean, figure.Value.Mean.Low, figure.Value.Mean.High),
                (back.Mean, back.Low, back.High)
            );
            Assert.Equal(figure.Net?.Estimate, back.Net?.Value);
            Assert.Equal(figure.Net?.Low, back.Net?.Low);
        }
    }

    [SkippableFact]
    public void Last_a_run_id_and_a_tag_resolve_to_the_runs_they_name()
    {
        using var store = HistoryStore.Open(Location());
        store.Save(Run("r1", T0, tag: "main"));
        store.Save(Run("r2", T0.AddHours(1), tag: "main"));
        store.Save(Run("r3", T0.AddHours(2), tag: "feature"));

        Assert.Equal("r3", store.Resolve("last").Id);
        Assert.Equal("r2", store.Resolve("last", before: "r3").Id);
        Assert.Equal("r2", store.Resolve("main").Id);
        Assert.Equal("r1", store.Resolve("r1").Id);
        Assert.Equal(["r1", "r2", "r3"], store.Runs().Select(r => r.Id));
        Assert.Equal(["r2", "r3"], store.Runs(T0.AddMinutes(30)).Select(r => r.Id));
        var missing = Assert.Throws<HistoryException>(() => store.Resolve("nightly"));
        Assert.Contains("no run or tag 'nightly'", missing.Message);
        Assert.Throws<HistoryException>(() => store.Resolve("last", before: "r1"));
    }

    [SkippableFact]
    public void The_same_run_saved_again_replaces_itself_and_another_run_with_its_id_is_kept_beside_it()
    {
        using var store = HistoryStore.Open(Location());
        Assert.Equal("r", store.Save(Run("r", T0, ultraNet: 0.4)));
        Assert.Equal("r", store.Save(Run("r", T0, ultraNet: 0.5)));
        Assert.Equal("r-2", store.Save(Run("r", T0.AddDays(1), ultraNet: 0.6)));
        Assert.Equal(["r", "r-2"], store.Runs().Select(r => r.Id));
        Assert.Equal(0.5, UltraMicroNet(store.Load("r")));
        Assert.Equal(0.6, UltraMicroNet(store.Load("r-2")));
    }

    [SkippableFact]
    public void Migrations_apply_once_and_a_store_from_a_newer_version_is_refused_in_one_line()
    {
        var location = Location();
        using (var store = HistoryStore.Open(location))
            store.Save(Run("r1", T0));
        using (var again = HistoryStore.Open(location))
        {
            Assert.Equal(Migrations.Latest, again.SchemaVersion);
            Assert.Single(again.Runs());
        }
        using (var raw = Connect(location))
        {
            raw.Open();
            using var command = raw.CreateCommand();
            command.CommandText =
                "INSERT INTO schema_migrations (version, description, applied_utc) VALUES (99, 'from the future', 'x')";
            command.ExecuteNonQuery();
        }
        var refused = Assert.Throws<HistoryException>(() => HistoryStore.Open(location));
        Assert.Contains(
            $"schema version 99, newer than this packetcounter knows ({Migrations.Latest})",
            refused.Message
        );
        Assert.DoesNotContain('\n', refused.Message);
    }

    [SkippableFact]
    public void Figures_filter_by_variant_mode_class_metric_and_date()
    {
        using var store = HistoryStore.Open(Location());
        store.Save(Run("r1", T0, ultraNet: 0.4));
        store.Save(Run("r2", T0.AddHours(1), ultraNet: 0.7));
        var micro = store.Figures("Ultra", BenchMode.Micro, "ipv4-udp", Metric.NsPerPacket, since: null);
        Assert.Equal([("r1", 0.4), ("r2", 0.7)], micro.Select(f => (f.Run.Id, f.Figure.Net!.Value)));
        Assert.Single(store.Figures("Ultra", BenchMode.Micro, "ipv4-udp", Metric.NsPerPacket, since: T0.AddMinutes(1)));
        Assert.Equal(
            2,
            store
                .Figures(null, BenchMode.Micro, "ipv4-udp", Metric.NsPerPacket, null)
                .Count(f => f.Figure.Variant == "Null")
        );
        Assert.Equal(["r1", "r2"], store.Figures(null, BenchMode.Live, null, Metric.Mpps, null).Select(f => f.Run.Id));
    }
}
