namespace PacketCounter.Profiling.History;

/// <summary>
/// The store's schema, one numbered step at a time; a store records each step it applied in
/// schema_migrations, and a step, once released, is never edited: a change is a new step. The
/// SQL is the subset SQLite and PostgreSQL share.
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<(int Version, string Description, string[] Statements)> All { get; } =
    [
        (
            1,
            "runs, machines, variant builds, figures and paired samples",
            [
                """
                CREATE TABLE machines (
                    key TEXT PRIMARY KEY,
                    cpu_model TEXT NOT NULL,
                    kernel TEXT NOT NULL,
                    jit TEXT NOT NULL,
                    cpus INTEGER NOT NULL)
                """,
                """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    started_utc TEXT NOT NULL,
                    command TEXT NOT NULL,
                    tag TEXT,
                    machine_key TEXT NOT NULL REFERENCES machines(key),
                    baseline_ns DOUBLE PRECISION,
                    incomplete INTEGER NOT NULL,
                    environment TEXT NOT NULL,
                    directory TEXT,
                    recorded_utc TEXT NOT NULL)
                """,
                "CREATE INDEX runs_by_start ON runs (started_utc)",
                "CREATE INDEX runs_by_tag ON runs (tag)",
                """
                CREATE TABLE variant_builds (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    variant TEXT NOT NULL,
                    role TEXT NOT NULL,
                    program_tag TEXT NOT NULL,
                    object_sha256 TEXT NOT NULL,
                    PRIMARY KEY (run_id, variant))
                """,
                """
                CREATE TABLE figures (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    variant TEXT NOT NULL,
                    role TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    class TEXT NOT NULL,
                    frame_size INTEGER NOT NULL,
                    gen_cpus TEXT NOT NULL,
                    iface TEXT NOT NULL,
                    sink TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    n INTEGER NOT NULL,
                    mean DOUBLE PRECISION NOT NULL,
                    ci_low DOUBLE PRECISION NOT NULL,
                    ci_high DOUBLE PRECISION NOT NULL,
                    net DOUBLE PRECISION,
                    net_ci_low DOUBLE PRECISION,
                    net_ci_high DOUBLE PRECISION,
                    ratio DOUBLE PRECISION,
                    ratio_ci_low DOUBLE PRECISION,
                    ratio_ci_high DOUBLE PRECISION,
                    pairs INTEGER,
                    PRIMARY KEY (run_id, variant, mode, class, frame_size, gen_cpus, iface, sink, metric))
                """,
                """
                CREATE TABLE samples (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    variant TEXT NOT NULL,
                    role TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    class TEXT NOT NULL,
                    frame_size INTEGER NOT NULL,
                    gen_cpus TEXT NOT NULL,
                    sink TEXT NOT NULL,
                    figure TEXT NOT NULL,
                    quad INTEGER NOT NULL,
                    value DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (run_id, variant, mode, class, frame_size, gen_cpus, sink, figure, quad))
                """,
            ]
        ),
        (2, "each run's whole result, as results.json holds it", ["ALTER TABLE runs ADD COLUMN result TEXT"]),
    ];

    public static int Latest => All[^1].Version;
}
