using PacketCounter.Abstractions;
using PacketCounter.Host.Terminal;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Text;
using Spectre.Console;

namespace PacketCounter.Host.Cli;

internal static class HistoryCommand
{
    public static Command Build()
    {
        var store = StoreOptions.Create();
        var variant = new Option<string>("--variant") { Description = "only this variant" };
        var trafficClass = new Option<string>("--class")
        {
            Description = "micro: a traffic class; live: a mix (default: ipv4-udp for micro, every mix for live)",
        };
        var metric = new Option<string>("--metric")
        {
            Description = $"{string.Join(" | ", EnumNames.All<Metric>())} (default ns_per_packet: micro net cost)",
        };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "only runs started on or after this date (e.g. 2026-11-01)",
            HelpName = "DATE",
            CustomParser = Date,
        };
        var outDir = new Option<string>("--out")
        {
            Description = "where the trend plots go (default reports/history)",
            HelpName = "DIR",
        };
        var kernels = new Option<bool>("--kernels")
        {
            Description =
                "the recorded kernel matrices instead: each variant on each kernel, run by run (the newest "
                + $"{MatrixHistory.Runs}), as xlated instructions / JIT bytes or REFUSED",
        };
        var command = new Command(
            "history",
            "the recorded runs: a trend table per cell and a trend plot of net costs, with changes of machine marked"
        )
        {
            store,
            kernels,
            variant,
            trafficClass,
            metric,
            since,
            outDir,
            Import(store),
        };
        command.SetAction(parse =>
        {
            var metricName = parse.GetValue(metric) ?? EnumNames.Of(Metric.NsPerPacket);
            if (!EnumNames.TryParse<Metric>(metricName, out var chosen))
                throw new UsageException(
                    $"--metric '{metricName}' is unknown; use one of {string.Join(", ", EnumNames.All<Metric>())}"
                );
            if (parse.GetValue(kernels))
                return Matrices(parse, store, parse.GetValue(variant), parse.GetValue(since));
            var mode = chosen == Metric.NsPerPacket ? BenchMode.Micro : BenchMode.Live;
            var cell =
                parse.GetValue(trafficClass)
                ?? (mode == BenchMode.Micro ? TrafficClasses.Name(TrafficClass.Ipv4Udp) : null);
            using var history = StoreOptions.Open(parse, store);
            var figures = history.Figures(parse.GetValue(variant), mode, cell, chosen, parse.GetValue(since));
            var console = Consoles.Out;
            console.WriteLine($"history: {history.Description}, {history.Runs().Count} run(s) recorded");
            if (figures.Count == 0)
            {
                console.WriteLine(
                    $"no {EnumNames.Of(mode)} {metricName} "
                        + $"figures{(cell is null ? "" : $" for {cell}")}{(parse.GetValue(variant) is { } v ? $" of {v}" : "")} "
                        + "in the runs selected; `packetcounter history --help` lists the filters"
                );
                return ExitCodes.Success;
            }
            var directory = parse.GetValue(outDir) ?? Path.Combine("reports", "history");
            Directory.CreateDirectory(directory);
            foreach (var trend in Trend.Of(figures))
            {
                console.WriteLine();
                Terminal.TerminalReport.Write(console, TrendTable.Of(trend));
                var plot = Plots.Trend(trend, directory);
                console.WriteLine($"plot: {plot.PngPath} (and .svg)");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Matrices(ParseResult parse, Option<string> store, string? variant, DateTimeOffset? since)
    {
        using var history = StoreOptions.Open(parse, store);
        var console = Consoles.Out;
        var entries = history
            .Runs(since)
            .Where(r => r.Command.StartsWith("packetcounter matrix", StringComparison.Ordinal))
            .ToList();
        console.WriteLine($"history: {history.Description}, {entries.Count} kernel matrix run(s) recorded");
        // Only the runs the table shows are read back whole.
        var matrices = entries
            .OrderBy(r => r.StartedUtc)
            .TakeLast(MatrixHistory.Runs)
            .Select(r => history.Load(r.Id))
            .Where(r => r.Result.Kernels.Count > 0)
            .ToList();
        if (matrices.Count > 0)
            Terminal.TerminalReport.Write(console, MatrixHistory.Of(matrices, variant));
        return ExitCodes.Success;
    }

    private static Command Import(Option<string> store)
    {
        var folders = new Argument<string[]>("DIR")
        {
            Description = "run folders written by bench, or folders holding them (e.g. reports)",
            Arity = ArgumentArity.OneOrMore,
        };
        var tag = new Option<string>("--tag") { Description = "label every imported run with this tag" };
        var command = new Command("import", "record existing run folders in the history store") { folders, tag };
        command.SetAction(parse =>
        {
            var runs = new List<string>();
            foreach (var folder in parse.GetValue(folders)!)
            {
                if (IsRunFolder(folder))
                    runs.Add(folder);
                else if (Directory.Exists(folder))
                    runs.AddRange(Directory.GetDirectories(folder).Where(IsRunFolder).Order(StringComparer.Ordinal));
                else
                    throw new UsageException(
                        $"'{folder}' is not a folder; pass run folders written by bench, or a folder holding them"
                    );
            }
            if (runs.Count == 0)
                throw new UsageException(
                    $"no run folder (one with {RunFolder.ResultFile} or {RunFolder.SummaryFile}) found in the folders given"
                );
            using var history = StoreOptions.Open(parse, store);
            var failed = 0;
            foreach (var run in runs)
            {
                try
                {
                    var id = history.Save(StoredRun.FromDirectory(run, parse.GetValue(tag)));
                    Console.WriteLine($"imported {run} as run {id}");
                }
                catch (Exception e) when (e is HistoryException or RunFolderException)
                {
                    failed++;
                    Console.Error.WriteLine($"packetcounter: not imported: {e.Message}");
                }
            }
            Console.WriteLine($"{runs.Count - failed} of {runs.Count} run(s) recorded in {history.Description}");
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    // A folder bench wrote: with its whole result, or one from before that, which import names and refuses.
    private static bool IsRunFolder(string folder) =>
        File.Exists(Path.Combine(folder, RunFolder.ResultFile))
        || File.Exists(Path.Combine(folder, RunFolder.SummaryFile));

    private static DateTimeOffset? Date(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date;
        result.AddError($"--since must be a date such as 2026-11-01, not '{text}'");
        return null;
    }
}
