using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.History;

/// <summary>One run as a history listing shows it.</summary>
public sealed record RunEntry(
    string Id,
    DateTimeOffset StartedUtc,
    string? Tag,
    string MachineKey,
    double? BaselineNs,
    bool Incomplete,
    string Command
);

/// <summary>
/// Every run's record: an embedded SQLite file by default, or a PostgreSQL database a team
/// shares. One schema, applied by numbered migrations, in the SQL both understand. Every
/// failure becomes a <see cref="HistoryException"/> whose message is one line saying what
/// and what to do.
/// </summary>
public sealed class HistoryStore : IDisposable
{
    /// <summary>Where runs are recorded when no store is named: beside the run folders.</summary>
    public static string DefaultLocation => Path.Combine("reports", "history.db");

    /// <summary>Environment variable naming the store when --store is not given.</summary>
    public const string EnvironmentVariable = "PACKETCOUNTER_STORE";

    private readonly DbConnection _connection;

    private HistoryStore(DbConnection connection, string description, TimeSpan busyTimeout)
    {
        _connection = connection;
        Description = description;
        _busyTimeout = busyTimeout;
    }

    /// <summary>How long a SQLite write waits for another process's, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _busyTimeout;

    /// <summary>"SQLite reports/history.db", or "PostgreSQL db on host".</summary>
    public string Description { get; }

    /// <summary>
    /// Opens and migrates a store: a PostgreSQL connection (postgres:// or postgresql:// URI,
    /// or Npgsql's Host=...;Database=... form), or else a SQLite file path, created if missing.
    /// </summary>
    /// <param name="busyTimeout">How long a write waits for another writer of a SQLite file (default 30 s).</param>
    public static HistoryStore Open(string location, TimeSpan? busyTimeout = null)
    {
        var wait = busyTimeout ?? DefaultBusyTimeout;
        var postgres = IsPostgres(location);
        DbConnection connection;
        string description;
        try
        {
            if (postgres)
            {
                var builder = new NpgsqlConnectionStringBuilder(ToNpgsql(location))
                {
                    Timeout = 10,
                    CommandTimeout = 60,
                };
                connection = new NpgsqlConnection(builder.ConnectionString);
                description = $"PostgreSQL {builder.Database} on {builder.Host}";
            }
            else
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(location));
                if (directory is not null)
                    Directory.CreateDirectory(directory);
                // Default Timeout is also the busy timeout: a writer holding the file makes us wait this long, then fail.
                connection = new SqliteConnection(
                    new SqliteConnectionStringBuilder
                    {
                        DataSource = location,
                        DefaultTimeout = Math.Max(1, (int)wait.TotalSeconds),
                        Pooling = false,
                    }.ConnectionString
                );
                description = $"SQLite {location}";
            }
        }
        catch (ArgumentException e)
        {
            throw new HistoryException(
                $"history store '{Redacted(location)}' is not a valid connection: {e.Message}",
                e
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HistoryException($"history store '{location}': its folder cannot be created: {e.Message}", e);
        }
        var store = new HistoryStore(connection, description, wait);
        try
        {
            store.Guard(() => connection.Open());
            if (!postgres)
            {
                store.Guard(() => connection.Execute("PRAGMA foreign_keys = ON"));
                // The write-ahead log: readers never wait for a writer, and a writer killed
                // mid-transaction leaves the last commit whole.
                store.Guard(() => connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL"));
            }
            store.Migrate();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The store named by --store, else by PACKETCOUNTER_STORE, else the default file; null when 'none'.</summary>
    public static string? Choose(string? option) =>
        (option ?? Environment.GetEnvironmentVariable(EnvironmentVariable) ?? DefaultLocation) is var chosen
        && string.Equals(chosen, "none", StringComparison.OrdinalIgnoreCase)
            ? null
            : chosen;

    public static bool IsPostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || location.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>The schema version the store is at.</summary>
    public int SchemaVersion =>
        Guard(() => _connection.ExecuteScalar<int?>("SELECT MAX(version) FROM schema_migrations") ?? 0);

    private void Migrate()
    {
        Guard(() =>
        {
            _connection.Execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                    + "description TEXT NOT NULL, applied_utc TEXT NOT NULL)"
            );
            using var transaction = BeginExclusive();
            var applied = _connection
                .Query<int>("SELECT version FROM schema_migrations", transaction: transaction)
                .ToHashSet();
            if (applied.Count > 0 && applied.Max() > Migrations.Latest)
                throw new HistoryException(
                    $"history store {Description} is at schema version {applied.Max()}, newer than "
                        + $"this packetcounter knows ({Migrations.Latest}); use a newer packetcounter, or "
                        + "another --store"
                );
            foreach (var (version, description, statements) in Migrations.All.Where(m => !applied.Contains(m.Version)))
            {
                foreach (var statement in statements)
                    _connection.Execute(statement, transaction: transaction);
                _connection.Execute(
                    "INSERT INTO schema_migrations (version, description, applied_utc) VALUES (@version, @description, @applied)",
                    new
                    {
                        version,
                        description,
                        applied = Now(),
                    },
                    transaction
                );
            }
            transaction.Commit();
        });
    }

    // Two processes migrating or writing at once must take turns: an advisory lock in
    // PostgreSQL, BEGIN IMMEDIATE (the write lock up front) in SQLite.
    private DbTransaction BeginExclusive()
    {
        if (_connection is SqliteConnection sqlite)
            return sqlite.BeginTransaction(deferred: false);
        var transaction = _connection.BeginTransaction();
        _connection.Execute("SELECT pg_advisory_xact_lock(7274110)", transaction: transaction);
        return transaction;
    }

    /// <summary>
    /// Records a run; a run with the same id replaces it when it is the same run (same start),
    /// and is kept beside it under a suffixed id otherwise. Returns the id recorded.
    /// </summary>
    public string Save(StoredRun run) =>
        Guard(() =>
        {
            using var transaction = BeginExclusive();
            var id = run.Id;
            for (var n = 2; ; n++)
            {
                var started = _connection.ExecuteScalar<string?>(
                    "SELECT started_utc FROM runs WHERE id = @id",
                    new { id },
                    transaction
                );
                if (started is null)
                    break;
                if (started == Timestamp(run.StartedUtc))
                {
                    _connection.Execute("DELETE FROM runs WHERE id = @id", new { id }, transaction);
                    break;
                }
                id = $"{run.Id}-{n}";
            }
            var machine = run.Machine;
            _connection.Execute(
                "INSERT INTO machines (key, cpu_model, kernel, jit, cpus) VALUES (@Key, "
                    + "@CpuModel, @Kernel, @Jit, @Cpus) ON CONFLICT (key) DO NOTHING",
                new
                {
                    machine.Key,
                    machine.CpuModel,
                    machine.Kernel,
                    machine.Jit,
                    machine.Cpus,
                },
                transaction
            );
            _connection.Execute(
                """
                INSERT INTO runs (id, started_utc, command, tag, machine_key, baseline_ns, incomplete, environment, directory,
                                  recorded_utc, result)
                VALUES (@id, @started, @Command, @Tag, @key, @baseline, @incomplete, @environment, @Directory, @recorded, @result)
                """,
                new
                {
                    id,
                    started = Timestamp(run.StartedUtc),
                    run.Command,
                    run.Tag,
                    key = machine.Key,
                    baseline = machine.BaselineNs,
                    incomplete = run.Result.Incomplete ? 1 : 0,
                    environment = System.Text.Json.JsonSerializer.Serialize(
                        run.Result.Environment,
                        Machine.MachineFactsJson.Default.MachineFacts
                    ),
                    run.Directory,
                    recorded = Now(),
                    result = ResultJson.Compact(run.Result),
                },
                transaction
            );
            _connection.Execute(
                "INSERT INTO variant_builds (run_id, variant, role, program_tag, object_sha256) "
                    + "VALUES (@id, @Name, @Role, @ProgramTag, @ObjectSha256)",
                run.Result.Variants.Select(v => v.Identity)
                    .Select(v => new
                    {
                        id,
                        v.Name,
                        v.Role,
                        v.ProgramTag,
                        v.ObjectSha256,
                    }),
                transaction
            );
            _connection.Execute(
                """
                INSERT INTO figures (run_id, variant, role, mode, class, frame_size, gen_cpus, iface, sink, metric,
                                     n, mean, ci_low, ci_high,
                                     net, net_ci_low, net_ci_high, ratio, ratio_ci_low, ratio_ci_high, pairs)
                VALUES (@id, @Variant, @Role, @Mode, @Class, @FrameSize, @GenCpus, @Iface, @Sink, @Metric, @N, @Mean, @CiLow, @CiHigh,
                        @NetOfBaseline, @NetCiLow, @NetCiHigh, @RatioToBaseline, @RatioCiLow, @RatioCiHigh, @Pairs)
                """,
                FigureRow
                    .Of(run.Result)
                    .Select(f =>
                        Filed(
                            id,
                            f,
                            new
                            {
                                Metric = EnumNames.Of(f.Metric),
                                N = f.Value.Count,
                                Mean = Finite(f.Value.Mean.Mean),
                                CiLow = Finite(f.Value.Mean.Low),
                                CiHigh = Finite(f.Value.Mean.High),
                                NetOfBaseline = Finite(f.Net?.Estimate),
                                NetCiLow = Finite(f.Net?.Low),
                                NetCiHigh = Finite(f.Net?.High),
                                RatioToBaseline = Finite(f.Ratio?.Estimate),
                                RatioCiLow = Finite(f.Ratio?.Low),
                                RatioCiHigh = Finite(f.Ratio?.High),
                                f.Pairs,
                            }
                        )
                    ),
                transaction
            );
            _connection.Execute(
                """
                INSERT INTO samples (run_id, variant, role, mode, class, frame_size, gen_cpus, sink, figure, quad, value)
                VALUES (@id, @Variant, @Role, @Mode, @Class, @FrameSize, @GenCpus, @Sink, @Figure, @Quad, @Value)
                """,
                PairPoint
                    .Of(run.Result.Pairs)
                    .Where(p => double.IsFinite(p.Value))
                    .Select(p =>
                        Filed(
                            id,
                            p,
                            new
                            {
                                Figure = EnumNames.Of(p.Series.Figure),
                                p.Quad,
                                p.Value,
                            }
                        )
                    ),
                transaction
            );
            transaction.Commit();
            return id;
        });

    /// <summary>Runs recorded, oldest first, optionally since a time.</summary>
    public IReadOnlyList<RunEntry> Runs(DateTimeOffset? since = null) =>
        Guard(() =>
            _connection
                .Query<RunRow_>(
                    "SELECT id, started_utc, tag, machine_key, baseline_ns, incomplete, command FROM "
                        + "runs WHERE started_utc >= @since ORDER BY started_utc, id",
                    new { since = Timestamp(since ?? DateTimeOffset.MinValue) }
                )
                .Select(r => r.ToEntry())
                .ToList()
        );

    /// <summary>
    /// A run named by its id, by a tag (the latest run with it), or "last": the latest run
    /// before <paramref name="before"/>, or the latest of all.
    /// </summary>
    public RunEntry Resolve(string reference, string? before = null)
    {
        var runs = Runs();
        if (string.Equals(reference, "last", StringComparison.OrdinalIgnoreCase))
        {
            var candidates = before is null ? runs : runs.TakeWhile(r => r.Id != before).ToList();
            return candidates.LastOrDefault()
                ?? throw new HistoryException(
                    before is null
                        ? $"history store {Description} has no runs yet; run bench first, or bring run "
                            + "folders in with `packetcounter history import reports`"
                        : $"history store {Description} has no run before {before} to compare with"
                );
        }
        return runs.FirstOrDefault(r => r.Id == reference)
            ?? runs.LastOrDefault(r => r.Tag == reference)
            ?? throw new HistoryException(
                $"no run or tag '{reference}' in history store {Description}; `packetcounter history` lists what is there"
            );
    }

    /// <summary>A recorded run, whole: the result as it was measured, its tag and folder.</summary>
    public StoredRun Load(string id) =>
        Guard(() =>
        {
            var run =
                _connection.QuerySingleOrDefault<RunRow_>("SELECT * FROM runs WHERE id = @id", new { id })
                ?? throw new HistoryException($"no run '{id}' in history store {Description}");
            if (run.result is null)
                throw new HistoryException(
                    $"run {id} was recorded before the history kept whole results (schema 1): its figures "
                        + "still show in `packetcounter history`, but it cannot be compared; compare runs recorded since"
                );
            try
            {
                return new StoredRun(ResultJson.Read(run.result) with { Id = run.id }, run.tag, run.directory);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new HistoryException(
                    $"run {id} in history store {Description} holds a result that cannot be read: {e.Message.Split('\n')[0]}",
                    e
                );
            }
        });

    /// <summary>Figures of every run for a trend, oldest run first.</summary>
    public IReadOnlyList<(RunEntry Run, TrendFigure Figure)> Figures(
        string? variant,
        BenchMode? mode,
        string? trafficClass,
        Metric? metric,
        DateTimeOffset? since
    ) =>
        Guard(() =>
        {
            var runs = Runs(since).ToDictionary(r => r.Id);
            return _connection
                .Query<FigureRow_>(
                    """
                    SELECT f.* FROM figures f JOIN runs r ON r.id = f.run_id
                    WHERE (@variant IS NULL OR f.variant = @variant) AND (@mode IS NULL OR f.mode = @mode)
                      AND (@class IS NULL OR f.class = @class) AND (@metric IS NULL OR f.metric = @metric)
                      AND r.started_utc >= @since
                    ORDER BY r.started_utc, r.id
                    """,
                    new
                    {
                        variant,
                        mode = mode is { } m ? EnumNames.Of(m) : null,
                        @class = trafficClass,
                        metric = metric is { } f ? EnumNames.Of(f) : null,
                        since = Timestamp(since ?? DateTimeOffset.MinValue),
                    }
                )
                .Where(f => runs.ContainsKey(f.run_id))
                .Select(f => (runs[f.run_id], f.ToFigure()))
                .ToList();
        });

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            throw new HistoryException(
                $"history store {Description} is locked by another process (waited {_busyTimeout.TotalSeconds:0} s): "
                    + "let it finish, or name another with --store",
                e
            );
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            throw new HistoryException(
                $"history store {Description} is not a readable SQLite database "
                    + $"({e.Message.TrimEnd('.')}); move it aside and rebuild it with `packetcounter "
                    + "history import reports`",
                e
            );
        }
        catch (SqliteException e)
        {
            throw new HistoryException($"history store {Description}: {e.Message}", e);
        }
        catch (NpgsqlException e)
        {
            throw new HistoryException($"history store {Description}: {e.Message.Split('\n')[0]}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new HistoryException($"history store {Description}: {e.Message}", e);
        }
    }

    private void Guard(Action action) =>
        Guard(() =>
        {
            action();
            return 0;
        });

    // A row's parameters: the run and the cell it is filed under, then its own values.
    private static DynamicParameters Filed(string id, ICellRow row, object values)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("id", id);
        parameters.Add("Variant", row.Variant);
        parameters.Add("Role", EnumNames.Of(row.Role));
        parameters.Add("Mode", EnumNames.Of(row.Cell.Mode));
        parameters.Add("Class", row.Cell.Class);
        parameters.Add("FrameSize", row.Cell.FrameSize);
        parameters.Add("GenCpus", row.Cell.GeneratorCpus?.ToString() ?? "");
        parameters.Add("Iface", row.Cell.Interface ?? "");
        parameters.Add("Sink", row.Cell.Sink is { } sink ? EnumNames.Of(sink) : "");
        return parameters;
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static string Timestamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    private static string Now() => Timestamp(DateTimeOffset.UtcNow);

    /// <summary>postgres://user:password@host:port/database?key=value as Npgsql's keyword form.</summary>
    private static string ToNpgsql(string location)
    {
        if (!location.Contains("://", StringComparison.Ordinal))
            return location;
        var uri = new Uri(location);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Uri.UnescapeDataString(uri.Host),
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database
                ? database
                : "postgres",
        };
        if (uri.Port > 0)
            builder.Port = uri.Port;
        if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0)
            builder.Username = Uri.UnescapeDataString(user);
        if (uri.UserInfo.Split(':', 2) is [_, var password])
            builder.Password = Uri.UnescapeDataString(password);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(parts[0]).Replace('_', ' ')] =
                parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        return builder.ConnectionString;
    }

    // A connection string may carry a password: never print one.
    private static string Redacted(string location) =>
        IsPostgres(location)
            ? System.Text.RegularExpressions.Regex.Replace(
                location,
                "(?i)(password=)[^;]*|(://[^:/@]*:)[^@]*@",
                m => m.Groups[1].Success ? m.Groups[1].Value + "***" : m.Groups[2].Value + "***@"
            )
            : location;

    public void Dispose() => _connection.Dispose();

    // Row shapes as the database returns them (Dapper maps columns by name).
#pragma warning disable IDE1006
    private sealed class RunRow_
    {
        public string id { get; init; } = "";
        public string started_utc { get; init; } = "";
        public string command { get; init; } = "";
        public string? tag { get; init; }
        public string machine_key { get; init; } = "";
        public double? baseline_ns { get; init; }
        public long incomplete { get; init; }
        public string? environment { get; init; }
        public string? directory { get; init; }
        public string? result { get; init; }

        public RunEntry ToEntry() =>
            new(
                id,
                DateTimeOffset.Parse(started_utc, CultureInfo.InvariantCulture),
                tag,
                machine_key,
                baseline_ns,
                incomplete != 0,
                command
            );
    }

    private sealed class FigureRow_
    {
        public string run_id { get; init; } = "";
        public string variant { get; init; } = "";
        public string role { get; init; } = "";
        public string mode { get; init; } = "";
        public string @class { get; init; } = "";
        public long frame_size { get; init; }
        public string gen_cpus { get; init; } = "";
        public string iface { get; init; } = "";
        public string sink { get; init; } = "";
        public string metric { get; init; } = "";
        public double mean { get; init; }
        public double ci_low { get; init; }
        public double ci_high { get; init; }
        public double? net { get; init; }
        public double? net_ci_low { get; init; }
        public double? net_ci_high { get; init; }

        public TrendFigure ToFigure() =>
            new(
                variant,
                EnumNames.TryParse<MeasuredRole>(role, out var measured) ? measured : MeasuredRole.Counter,
                new CellKey(
                    EnumNames.Parse<BenchMode>(mode),
                    @class,
                    (int)frame_size,
                    CpuList.TryParse(gen_cpus, out var cpus) ? cpus : null,
                    iface.Length > 0 ? iface : null,
                    EnumNames.TryParse<Sink>(sink, out var sunk) ? sunk : null
                ),
                EnumNames.Parse<Metric>(metric),
                mean,
                ci_low,
                ci_high,
                net is { } n ? new TrendNet(n, net_ci_low, net_ci_high) : null
            );
    }

#pragma warning restore IDE1006
}
