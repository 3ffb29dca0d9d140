using PacketCounter.Host.Terminal;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Counters;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Text;
using PacketCounter.Profiling.Traffic;
using Spectre.Console;

namespace PacketCounter.Host.Cli;

/// <summary>bench: parse the options into a <see cref="BenchPlan"/>, run it, write the run folder, print the summary.</summary>
internal static class BenchCommand
{
    public static Command Build(CancellationToken cancellation)
    {
        var options = BenchOptions.All.Select(row => (Row: row, Option: CliOption(row))).ToList();
        var command = new Command(
            "bench",
            "run every variant on the embedded veth testbed (or an interface), micro and live, verify its counts, and write reports"
        );
        foreach (var (_, option) in options)
            command.Add(option);
        command.SetAction(parse =>
        {
            var given = options
                .Select(o => (o.Row, Result: parse.GetResult(o.Option)))
                .Where(o => o.Result is { Implicit: false })
                .Select(o => (o.Row, Tokens: (IReadOnlyList<string>)o.Result!.Tokens.Select(t => t.Value).ToList()))
                .ToList();
            // A config file first, then the command line over it.
            var config = given.FirstOrDefault(g => g.Row.Flag == "--config").Tokens?[0];
            var settings = config is null
                ? new BenchSettings()
                : BenchOptions.FromConfig(ConfigFile.Read(config), config);
            foreach (var (row, tokens) in given)
                settings = row.Apply(settings, tokens, row.Flag);

            var catalog = PluginOptions.Discover(settings.PluginDirectories);
            if (PluginOptions.HasBadDescriptor(catalog))
                return ExitCodes.Usage;
            var plan = BenchPlanBuilder.Build(settings, catalog.Variants);
            var history = HistoryStore.Choose(settings.Store);
            var outDirectory = RunDirectory.Create(settings.OutDirectory);
            // With --json, stdout holds the document alone: everything a person reads goes to stderr.
            var console = settings.Json == true ? Consoles.Error : Consoles.Out;
            RunResult result;
            using (var hostLock = LockHost(settings.NoWait == true, cancellation))
            {
                if (hostLock is null)
                    return ExitCodes.TempFail;
                result = Run(plan, outDirectory, catalog, console, cancellation);
            }
            return Finish(
                result,
                settings,
                outDirectory,
                history,
                console,
                settings.Verbose == true,
                $"every sample taken so far is in {outDirectory}"
            );
        });
        return command;
    }

    // One measurement at a time on the host: a second bench waits, or with --no-wait gives up.
    private static MeasurementLock? LockHost(bool noWait, CancellationToken cancellation) =>
        MeasurementLock.Acquire(
            PluginOptions.CommandLineText,
            holder =>
            {
                var who = holder?.ToString() ?? "another bench";
                Console.Error.WriteLine(
                    noWait
                        ? $"packetcounter: {who} is measuring on this host; not waiting (--no-wait)"
                        : $"packetcounter: waiting for {who} to finish"
                );
                return !noWait;
            },
            cancellation
        );

    // The row's option as System.CommandLine holds it: its value checked as it is parsed, so a bad one is a usage error.
    internal static Option CliOption(BenchOption row)
    {
        Option option =
            row.IsSwitch ? new Option<bool>(row.Flag)
            : row.Repeatable ? new Option<string[]>(row.Flag) { AllowMultipleArgumentsPerToken = false }
            : new Option<string>(row.Flag);
        option.Description = row.Description;
        if (row.HelpName.Length > 0)
            option.HelpName = row.HelpName;
        option.Validators.Add(result =>
        {
            try
            {
                row.Apply(new BenchSettings(), result.Tokens.Select(t => t.Value).ToList(), row.Flag);
            }
            catch (OptionException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
    }

    private static RunResult Run(
        BenchPlan plan,
        string outDirectory,
        PluginCatalog catalog,
        IAnsiConsole console,
        CancellationToken cancellation
    )
    {
        console.WriteLine(
            "bench: "
                + $"{string.Join(", ", plan.Variants.Select(v => v.Name))}{(plan.Control ? " and the baseline's A/A copy" : "")}; "
                + $"reference {plan.Reference ?? "none"}"
        );
        if (plan.Interface is { } target)
        {
            console.WriteLine(
                $"bench on {target.Interface} ({target.AttachMode}): "
                    + $"{target.WindowDuration.TotalSeconds:0} s per window, {plan.Live.Rounds} rounds"
            );
            console.WriteLine(
                "note: the rate is whatever the external traffic offers; variants compare only "
                    + "if that traffic is steady, and counts cannot be verified against packets sent elsewhere"
            );
        }
        else
        {
            var modes = plan.Cells.Select(c => c.Modes).Distinct().Aggregate((BenchModes)0, (a, b) => a | b);
            var sizes = plan
                .Cells.Select(c => c.Sizes.IsFixed ? $"{c.FrameSize} B" : $"{c.Sizes.Name} live")
                .Distinct();
            console.WriteLine(
                $"cells: modes {modes}; sizes {string.Join(", ", sizes)}; "
                    + $"mixes {string.Join(",", plan.Cells.Select(c => c.Mix.Name).Distinct())}"
            );
            if (modes.HasFlag(BenchModes.Live))
                console.WriteLine(
                    $"live: sink {string.Join(" | ", plan.Sinks.Select(EnumNames.Of))}; "
                        + $"{plan.Live.Rounds} rounds of ABBA slice quadruples (up to {plan.Live.RoundCap} "
                        + "while a CI is wider than its target); slices of at least "
                        + $"{plan.Live.SlicePackets:N0} packets and "
                        + $"{plan.Live.SliceTime.TotalMilliseconds:0} ms; run stats off in throughput "
                        + "slices, on in separate stats slices; generator CPUs "
                        + $"{string.Join(" | ", plan.Generators.Select(g => g.Cpus))}; order seed {plan.Live.Seed}"
                );
            if (modes.HasFlag(BenchModes.Micro))
                console.WriteLine(
                    $"micro: ABBA quadruples of ~{plan.Micro.SliceTime.TotalMilliseconds:0.#} ms "
                        + $"slices against the baseline, {plan.Micro.WarmupRounds} warm-up + "
                        + $"{plan.Micro.MinRounds} to {plan.Micro.MaxRounds} rounds per class (until each "
                        + $"net CI is within {plan.Micro.TargetHalfWidthNs} ns or "
                        + $"{plan.Micro.TargetRelative * 100:0.#}%), thread pinned to CPU {plan.Micro.Cpu}"
                );
            console.WriteLine(
                plan.Budget is { } limit
                    ? $"time budget: {limit.TotalSeconds:0} s for the measurements (extra rounds stop there)"
                    : "time budget: none"
            );
        }
        console.WriteLine($"results: {outDirectory}");

        RunResult result;
        using (var artifacts = new RunArtifacts(outDirectory))
        {
            var samples = ProgressDisplay.Run(
                Consoles.Error,
                Consoles.ErrorIsTerminal,
                artifacts,
                observer => new BenchRunner().Run(plan, observer, cancellation)
            );
            var environment = Profiling.Machine.MachineFacts.Read(
                PluginOptions.CommandLineText,
                samples.StartedUtc,
                samples.CounterSources,
                samples.Facts.Select(f => f.Identity)
            );
            result = RunAnalysis.Of(
                artifacts.RunId,
                plan,
                samples,
                environment,
                catalog.Problems.Select(p => p.ToString()).ToList()
            );
            artifacts.Finish(result);
        }
        return result;
    }

    /// <summary>
    /// How a run command ends once its folder is written: the summary, where the results are,
    /// what went wrong on stderr (and <paramref name="keptWhenInterrupted"/> for a run cut
    /// short), the record in the store, the document with --json, and the exit code.
    /// </summary>
    internal static int Finish(
        RunResult result,
        BenchSettings settings,
        string outDirectory,
        string? history,
        IAnsiConsole console,
        bool verbose,
        string? keptWhenInterrupted
    )
    {
        TerminalReport.Write(console, RunReport.Build(result, plots: [], "summary"), verbose);
        console.WriteLine();
        console.WriteLine($"results: {outDirectory}");
        foreach (var line in result.Outcome.Lines)
            Console.Error.WriteLine($"packetcounter: {line}");
        if (result.Incomplete && keptWhenInterrupted is not null)
            Console.Error.WriteLine($"packetcounter: interrupted; {keptWhenInterrupted} (marked INCOMPLETE)");
        var recorded = Record(new StoredRun(result, settings.Tag, Path.GetFullPath(outDirectory)), history, console);
        if (settings.Json == true)
            Console.Out.Write(ResultJson.Write(result) + "\n");
        var exit = result.Outcome.ExitCode;
        return recorded ? exit : Math.Max(exit, ExitCodes.Failure);
    }

    // The run's folder is complete before this: a store that cannot take the run costs
    // the record, never the results.
    private static bool Record(StoredRun run, string? location, IAnsiConsole console)
    {
        if (location is null)
            return true;
        try
        {
            using var store = HistoryStore.Open(location);
            var id = store.Save(run);
            var tag = run.Tag is null ? "" : $" (tag {run.Tag})";
            console.WriteLine($"recorded: run {id}{tag} in {store.Description}");
            return true;
        }
        catch (HistoryException e)
        {
            Console.Error.WriteLine(
                $"packetcounter: the run was not recorded in the history: {e.Message}; its folder "
                    + $"{run.Directory} is complete, and `packetcounter history import` can record it later"
            );
            return false;
        }
    }
}
