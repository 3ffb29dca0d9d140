using PacketCounter.Host.Terminal;
using PacketCounter.Profiling.Comparison;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Host.Cli;

internal static class CompareCommand
{
    public static Command Build()
    {
        var runA = new Argument<string?>("RUN_A")
        {
            Description = "the earlier run: a run folder, or a run id or tag in the history store",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var runB = new Argument<string?>("RUN_B")
        {
            Description = "the later run, the same way (with --baseline: default the latest run in the store)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var baseline = new Option<string>("--baseline")
        {
            Description =
                "compare against this run of the history store: last (the run before the one compared), a run id, or a tag",
            HelpName = "last|RUN-ID|TAG",
        };
        var threshold = new Option<double>("--threshold")
        {
            Description =
                "a row differs only when its cost ratio to the baseline moved by more than this "
                + $"(default {GateSettings.DefaultThreshold * 100:0}%)",
            CustomParser = Parsers.Percentage,
            DefaultValueFactory = _ => GateSettings.DefaultThreshold,
        };
        var floor = new Option<double>("--floor")
        {
            Description = $"... and its net cost by more than this many ns (default {GateSettings.DefaultFloorNs})",
            CustomParser = Parsers.Seconds(0, 1e9),
            DefaultValueFactory = _ => GateSettings.DefaultFloorNs,
            HelpName = "NS",
        };
        var correction = new Option<string>("--correction")
        {
            Description =
                "across rows: holm (no false 'slower' in 95% of compares) or bh "
                + "(Benjamini-Hochberg: at most 5% of the rows called different are wrong) "
                + "(default holm)",
            HelpName = "holm|bh",
        };
        var failOnVerifier = new Option<double?>("--fail-on-verifier")
        {
            Description =
                "exit 1 when a variant's processed instructions or peak verifier states grew by more than this "
                + "from A to B (e.g. 10%)",
            HelpName = "PCT",
            CustomParser = r => Parsers.Percentage(r),
        };
        var store = StoreOptions.Create();
        var command = new Command(
            "compare",
            "gate one run against another on figures normalized inside each run; exits 1 when any row is slower"
        )
        {
            runA,
            runB,
            baseline,
            threshold,
            floor,
            correction,
            failOnVerifier,
            store,
        };
        command.SetAction(parse =>
        {
            var settings = new GateSettings(
                parse.GetValue(threshold),
                parse.GetValue(floor),
                Correction: (parse.GetValue(correction) ?? "holm").ToLowerInvariant() switch
                {
                    "holm" => Correction.Holm,
                    "bh" or "benjamini-hochberg" => Correction.BenjaminiHochberg,
                    var other => throw new UsageException($"--correction '{other}' is unknown; use holm or bh"),
                }
            );
            var (a, b) = Runs(parse, parse.GetValue(runA), parse.GetValue(runB), parse.GetValue(baseline), store);
            var comparison = RunComparison.Compare(a, b, settings);
            var document = ComparisonReport.Build(comparison);
            Terminal.TerminalReport.Write(Consoles.Out, document);
            var report =
                b.Directory is { } folder && Directory.Exists(folder)
                    ? Path.Combine(folder, RunComparison.ReportFile)
                    : Path.Combine("reports", $"compare-{a.Id}-{b.Id}.md");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(report))!);
            File.WriteAllText(report, MarkdownRenderer.Render(document));
            Console.WriteLine($"written: {report}");
            foreach (var warning in comparison.Warnings)
                Console.Error.WriteLine($"packetcounter: warning: {warning}");
            if (comparison.Slower > 0)
            {
                var slower = comparison
                    .Rows.Where(r => r.Verdict == Verdict.Slower)
                    .Select(r => $"{r.Key} {r.RelativeChange:+0.0%}");
                Console.Error.WriteLine(
                    $"packetcounter: {comparison.Slower} row(s) slower: {string.Join("; ", slower)}"
                );
            }
            var grew = parse.GetValue(failOnVerifier) is { } share ? comparison.VerifierGrowth(share) : [];
            foreach (var diff in grew)
                Console.Error.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"packetcounter: verifier: {diff.Variant} {diff.Figure} grew {diff.A} → {diff.B} "
                            + $"({diff.Change:+0.0%}), beyond {parse.GetValue(failOnVerifier):0.#%}"
                    )
                );
            var regressions = comparison.Matrix?.Regressions ?? [];
            foreach (var change in regressions)
                Console.Error.WriteLine($"packetcounter: {change.Cell}: {change.A} → {change.B}");
            return comparison.Slower == 0 && grew.Count == 0 && regressions.Count == 0
                ? ExitCodes.Success
                : ExitCodes.Failure;
        });
        return command;
    }

    private static (StoredRun A, StoredRun B) Runs(
        ParseResult parse,
        string? first,
        string? second,
        string? baseline,
        Option<string> store
    )
    {
        if (baseline is null)
        {
            if (first is null || second is null)
                throw new UsageException(
                    "compare needs two runs (RUN_A RUN_B), or --baseline REF with at most one run"
                );
            return (Read(parse, first, store), Read(parse, second, store));
        }
        if (second is not null)
            throw new UsageException("with --baseline, name at most one run: the one compared against the baseline");
        using var history = StoreOptions.Open(parse, store);
        var compared =
            first is not null && Directory.Exists(first)
                ? StoredRun.FromDirectory(first)
                : history.Load(history.Resolve(first ?? "last").Id);
        var reference = history.Resolve(baseline, before: compared.Id);
        if (reference.Id == compared.Id)
            throw new UsageException($"--baseline {baseline} is run {compared.Id} itself; name an earlier run or tag");
        return (history.Load(reference.Id), compared);
    }

    // A run folder when the path is one, else a reference into the store.
    private static StoredRun Read(ParseResult parse, string run, Option<string> store)
    {
        if (Directory.Exists(run))
            return StoredRun.FromDirectory(run);
        var location = HistoryStore.Choose(parse.GetValue(store));
        if (location is null || (!HistoryStore.IsPostgres(location) && !File.Exists(location)))
            throw new UsageException(
                $"'{run}' is not a run "
                    + $"folder{(location is null ? "" : $", and there is no history store at {location} to look it up in")}; "
                    + "pass a folder written by bench"
            );
        using var history = HistoryStore.Open(location);
        return history.Load(history.Resolve(run).Id);
    }
}
