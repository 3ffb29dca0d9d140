using Npgsql;

namespace PacketCounter.Tests.History;

/// <summary>
/// A private PostgreSQL server from Debian's postgresql package, started for these tests in a
/// folder of their own and stopped after them: initdb and pg_ctl as the postgres user (the
/// server refuses to run as root), listening on a Unix socket only, trust authentication.
/// Where it cannot start, <see cref="Unavailable"/> says why and the tests that need it skip.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string? _directory;
    private readonly string? _pgCtl;
    private int _databases;

    public PostgresServer()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory
                .GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (bin is null)
        {
            Unavailable =
                "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (scripts/setup.sh installs Debian's postgresql)";
            return;
        }
        if (NativeTool.Run("id", ["-u", "postgres"]).ExitCode != 0)
        {
            Unavailable = "there is no 'postgres' user to run the server as (Debian's postgresql package creates it)";
            return;
        }
        _directory = Directory.CreateTempSubdirectory($"pc-pg-{Environment.ProcessId}-").FullName;
        _pgCtl = Path.Combine(bin, "pg_ctl");
        var data = Path.Combine(_directory, "data");
        var socket = Path.Combine(_directory, "socket");
        Directory.CreateDirectory(socket);
        NativeTool.RunOrFail("chown", ["-R", "postgres:postgres", _directory]);
        NativeTool.RunOrFail("chmod", ["755", _directory]);
        var port = 20000 + Environment.ProcessId % 20000;
        var init = AsPostgres(
            Path.Combine(bin, "initdb"),
            ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
            timeout: TimeSpan.FromMinutes(2)
        );
        if (init.ExitCode != 0)
        {
            Unavailable = $"initdb failed: {init.Error.Trim().Split('\n')[^1]}";
            return;
        }
        var start = AsPostgres(
            _pgCtl,
            [
                "-D",
                data,
                "-w",
                "-l",
                Path.Combine(_directory, "server.log"),
                "-o",
                $"-p {port} -k {socket} -c listen_addresses='' -c fsync=off",
                "start",
            ],
            timeout: TimeSpan.FromMinutes(2)
        );
        if (start.ExitCode != 0)
        {
            Unavailable = $"the server did not start: {start.Error.Trim().Split('\n')[^1]}";
            return;
        }
        AdminConnection = $"Host={socket};Port={port};Username=postgres;Database=postgres;Pooling=false";
        Version = Path.GetFileName(Path.GetDirectoryName(bin)!);
    }

    /// <summary>Why there is no server here; null when it runs.</summary>
    public string? Unavailable { get; }

    public string? Version { get; }

    private string? AdminConnection { get; }

    /// <summary>A fresh, empty database of the server, as a connection string.</summary>
    public string NewDatabase()
    {
        var name = $"pc_test_{Interlocked.Increment(ref _databases)}";
        using (var connection = new NpgsqlConnection(AdminConnection))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnection) { Database = name }.ConnectionString;
    }

    // A PostgreSQL tool run as the postgres user, which initdb and the server insist on.
    private static (int ExitCode, string Output, string Error) AsPostgres(
        string tool,
        string[] arguments,
        TimeSpan timeout
    ) => NativeTool.Run("runuser", ["-u", "postgres", "--", tool, .. arguments], timeout: timeout);

    public void Dispose()
    {
        if (_directory is null)
            return;
        if (_pgCtl is not null && AdminConnection is not null)
            AsPostgres(
                _pgCtl,
                ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"],
                timeout: TimeSpan.FromMinutes(1)
            );
        Directory.Delete(_directory, recursive: true);
    }
}
