using Microsoft.Data.Sqlite;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Reporting;

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
            using var store = HistoryStore.Open(path);
            store.Save(Run("r2", T0.AddHours(1)));
        });
        Assert.Contains("is locked by another process", error.Message);
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

    internal static RunRecord Run(
        string id,
        DateTimeOffset started,
        string? tag = null,
        double baselineNs = 8.2,
        double ultraNet = 0.4,
        string kernel = "6.18.44"
    )
    {
        var figures = new List<SummaryRow>
        {
            new()
            {
                Variant = "Null",
                Role = "baseline",
                Mode = "micro",
                Class = "ipv4-udp",
                FrameSize = 64,
                Metric = "ns_per_packet",
                N = 80,
                Mean = baselineNs,
                CiLow = baselineNs - 0.1,
                CiHigh = baselineNs + 0.1,
            },
            new()
            {
                Variant = "Ultra",
                Role = "counter",
                Mode = "micro",
                Class = "ipv4-udp",
                FrameSize = 64,
                Metric = "ns_per_packet",
                N = 20,
                Mean = baselineNs + ultraNet,
                CiLow = 8.4,
                CiHigh = 8.8,
                NetOfBaseline = ultraNet,
                NetCiLow = ultraNet - 0.05,
                NetCiHigh = ultraNet + 0.05,
                Pairs = 20,
            },
            new()
            {
                Variant = "Ultra",
                Role = "counter",
                Mode = "live",
                Class = "default",
                FrameSize = 64,
                GenCpus = "0",
                Sink = "drop",
                Metric = "mpps",
                N = 10,
                Mean = 12.5,
                CiLow = 12.1,
                CiHigh = 12.9,
                NetOfBaseline = 3.1,
                NetCiLow = 2.2,
                NetCiHigh = 4.0,
                RatioToBaseline = 0.96,
                RatioCiLow = 0.95,
                RatioCiHigh = 0.97,
                Pairs = 10,
            },
        };
        var pairs = Enumerable
            .Range(0, 20)
            .SelectMany(q =>
                new[]
                {
                    new PairRow
                    {
                        Variant = "Ultra",
                        Role = "counter",
                        Mode = "micro",
                        Class = "ipv4-udp",
                        FrameSize = 64,
                        Figure = "net_ns",
                        Quad = q,
                        Value = ultraNet + 0.01 * (q % 5),
                    },
                    new PairRow
                    {
                        Variant = "Ultra",
                        Role = "counter",
                        Mode = "micro",
                        Class = "ipv4-udp",
                        FrameSize = 64,
                        Figure = "cost_ratio",
                        Quad = q,
                        Value = 1 + (ultraNet + 0.01 * (q % 5)) / baselineNs,
                    },
                }
            )
            .ToList();
        return new RunRecord(
            id,
            started,
            "packetcounter bench",
            tag,
            new MachineFingerprint("Intel(R) Xeon(R) Processor", kernel, "on", 2, baselineNs),
            [new VariantIdentity("Ultra", "counter", "0123456789abcdef", new string('a', 64))],
            Incomplete: false,
            EnvironmentJson: "{\"kernel\": \"" + kernel + "\"}",
            figures,
            pairs,
            Directory: null
        );
    }

    protected static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public void A_saved_run_loads_back_with_its_figures_samples_builds_and_machine()
    {
        var run = Run("20261126-100000", T0, tag: "main");
        using (var store = HistoryStore.Open(Location()))
        {
            Assert.Equal("20261126-100000", store.Save(run));
            var loaded = store.Load("20261126-100000");
            Assert.Equal(run.Machine, loaded.Machine);
            Assert.Equal(run.Tag, loaded.Tag);
            Assert.Equal(run.StartedUtc, loaded.StartedUtc);
            Assert.Equal(run.Variants, loaded.Variants);
            Assert.Equal(run.EnvironmentJson, loaded.EnvironmentJson);
            Assert.Equal(
                run.Pairs.OrderBy(p => p.Figure).ThenBy(p => p.Quad),
                loaded.Pairs.OrderBy(p => p.Figure).ThenBy(p => p.Quad)
            );
            Assert.Equal(run.Figures.Count, loaded.Figures.Count);
            foreach (var figure in run.Figures)
            {
                var back = Assert.Single(
                    loaded.Figures,
                    f => f.Variant == figure.Variant && f.Mode == figure.Mode && f.Metric == figure.Metric
                );
                Assert.Equal(
                    (
                        figure.Mean,
                        figure.CiLow,
                        figure.CiHigh,
                        figure.NetOfBaseline,
                        figure.RatioToBaseline,
                        figure.Pairs,
                        figure.Sink,
                        figure.GenCpus
                    ),
                    (
                        back.Mean,
                        back.CiLow,
                        back.CiHigh,
                        back.NetOfBaseline,
                        back.RatioToBaseline,
                        back.Pairs,
                        back.Sink,
                        back.GenCpus
                    )
                );
            }
            Assert.Equal(1, store.SchemaVersion);
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
        Assert.Equal(0.5, store.Load("r").Figures.Single(f => f.Variant == "Ultra" && f.Mode == "micro").NetOfBaseline);
        Assert.Equal(
            0.6,
            store.Load("r-2").Figures.Single(f => f.Variant == "Ultra" && f.Mode == "micro").NetOfBaseline
        );
    }

    [SkippableFact]
    public void Migrations_apply_once_and_a_store_from_a_newer_version_is_refused_in_one_line()
    {
        var location = Location();
        using (var store = HistoryStore.Open(location))
            store.Save(Run("r1", T0));
        using (var again = HistoryStore.Open(location))
        {
            Assert.Equal(1, again.SchemaVersion);
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
        Assert.Contains("schema version 99, newer than this packetcounter knows (1)", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [SkippableFact]
    public void Figures_filter_by_variant_mode_class_metric_and_date()
    {
        using var store = HistoryStore.Open(Location());
        store.Save(Run("r1", T0, ultraNet: 0.4));
        store.Save(Run("r2", T0.AddHours(1), ultraNet: 0.7));
        var micro = store.Figures("Ultra", "micro", "ipv4-udp", "ns_per_packet", since: null);
        Assert.Equal([("r1", 0.4), ("r2", 0.7)], micro.Select(f => (f.Run.Id, f.Figure.NetOfBaseline!.Value)));
        Assert.Single(store.Figures("Ultra", "micro", "ipv4-udp", "ns_per_packet", since: T0.AddMinutes(1)));
        Assert.Equal(
            2,
            store.Figures(null, "micro", "ipv4-udp", "ns_per_packet", null).Count(f => f.Figure.Variant == "Null")
        );
        Assert.Equal(["r1", "r2"], store.Figures(null, "live", null, "mpps", null).Select(f => f.Run.Id));
    }
}
