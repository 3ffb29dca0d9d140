using PacketCounter.Host.Terminal;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Counters;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Traffic;
using Spectre.Console;

namespace PacketCounter.Host.Cli;

/// <summary>bench: parse the options into a <see cref="BenchPlan"/>, run it, write the run folder, print the summary.</summary>
internal static class BenchCommand
{
    private static string Thousands(long count) =>
        count % 1000 == 0 ? $"{count / 1000}k" : count.ToString(CultureInfo.InvariantCulture);

    public static Command Build(CancellationToken cancellation)
    {
        var plugins = PluginOptions.Create();
        var variants = new Option<string[]>("--variants")
        {
            Description =
                "only these variants, comma-separated or repeated (the baseline and its A/A copy always run too)",
            HelpName = "A,B",
        };
        var mode = new Option<string>("--mode") { Description = "micro | live | all (default all)" };
        var packets = new Option<long>("--packets")
        {
            Description =
                $"live: packets per slice at least (default {Thousands(LiveOptions.Default.SlicePackets)}; suffixes k, M, G)",
            CustomParser = Parsers.Count(1, 10_000_000_000),
        };
        var sliceMs = new Option<int>("--slice-ms")
        {
            Description =
                "live: a slice lasts at least about this long; a calibration slice of the "
                + $"baseline sizes the packet count (default {LiveOptions.Default.SliceTime.TotalMilliseconds:0})",
            CustomParser = Parsers.Int(0, 600_000),
        };
        var warmup = new Option<long>("--warmup")
        {
            Description =
                "live: packets sent into every lane before a setting's first round "
                + $"(default {Thousands(LiveOptions.Default.WarmupPackets)})",
            CustomParser = Parsers.Count(0, 10_000_000_000),
        };
        var rounds = new Option<int>("--rounds")
        {
            Description =
                "live: rounds, each an ABBA quadruple of slices (baseline, variant, variant, "
                + "baseline) per variant in a shuffled order; the first "
                + $"{LiveOptions.Default.StatsRounds} also take a run-stats slice per variant "
                + $"(default {LiveOptions.Default.Rounds})",
            CustomParser = Parsers.Int(1, 10_000),
        };
        var maxRounds = new Option<int>("--max-rounds")
        {
            Description =
                "live: add rounds while a variant's Mpps CI is wider than "
                + $"{LiveOptions.Default.TargetRelativeHalfWidth * 100:0.#}% of its mean or its net "
                + $"ns/packet CI wider than {LiveOptions.Default.TargetNetHalfWidthNs} ns (or 5%), "
                + $"up to this many (default {LiveOptions.Default.MaxRounds})",
            CustomParser = Parsers.Int(1, 100_000),
        };
        var sinks = new Option<string[]>("--sink")
        {
            Description =
                "live: where frames end: drop (XDP_DROP after the variant's code, its drop twin: "
                + "measures the counter) or pass (the variant's own XDP_PASS: adds the network "
                + "stack); comma-separated or repeated (default drop)",
            HelpName = "drop|pass",
        };
        var genCpus = new Option<string[]>("--gen-cpus")
        {
            Description =
                "live: generator CPUs, one pinned thread each; repeat to measure several "
                + "settings, e.g. --gen-cpus 0 --gen-cpus 0,1 (default: the first CPU)",
            HelpName = "LIST",
        };
        var microRounds = new Option<int>("--micro-rounds")
        {
            Description =
                "micro: rounds always measured per class, each an ABBA quadruple of "
                + $"~{MicroOptions.Default.SliceTime.TotalMilliseconds} ms slices per variant "
                + $"(default {MicroOptions.Default.MinRounds})",
            CustomParser = Parsers.Int(2, 100_000),
        };
        var microMaxRounds = new Option<int>("--micro-max-rounds")
        {
            Description =
                "micro: add rounds while a net CI is wider than "
                + $"{MicroOptions.Default.TargetHalfWidthNs} ns (or "
                + $"{MicroOptions.Default.TargetRelative * 100:0.#}% of the figure), up to this "
                + $"many (default {MicroOptions.Default.MaxRounds})",
            CustomParser = Parsers.Int(2, 1_000_000),
        };
        var budget = new Option<double>("--budget")
        {
            Description =
                "seconds the measurements may take together: micro gets "
                + $"{BenchPlan.MicroShare * 100:0}% when live runs too, live the rest; extra rounds "
                + $"stop there (default {BenchPlan.DefaultBudget.TotalSeconds}; 0 for no limit)",
            CustomParser = Parsers.Seconds(0, 86_400 * 30),
        };
        var size = new Option<int>("--size")
        {
            Description = "frame size in bytes, 64 to 1500 (default 64)",
            CustomParser = Parsers.Int(int.MinValue, int.MaxValue),
        };
        var sizeMix = new Option<string>("--sizes")
        {
            Description =
                "live: send a mix of frame sizes, 'imix' (64, 576 and 1500 B, 7:4:1) or "
                + "SIZE[:WEIGHT],... (equal weights unless given); micro measures each size on its "
                + "own; not with --size",
            HelpName = "LIST|imix",
        };
        var flows = new Option<string[]>("--flows")
        {
            Description =
                "live: frames with ports walk through N flows (distinct source and destination "
                + "ports), each count a setting of its own, e.g. --flows 1k,64k,1M (default 1)",
            HelpName = "N,...",
        };
        var mix = new Option<string>("--mix")
        {
            Description =
                $"{string.Join(" | ", TrafficMix.Names.Take(2))} | a class name such as ipv4-udp (default: default)",
        };
        var events = new Option<string[]>("--events")
        {
            Description =
                "live: perf events counted system-wide per CPU in every throughput window, e.g. "
                + "cycles,instructions,cycles:k ('none' for none; default: a standard set)",
            HelpName = "LIST",
        };
        var insnBudget = new Option<int>("--insn-budget")
        {
            Description =
                $"flag variants executing more BPF instructions per packet than N (default {BenchPlan.DefaultInstructionBudget})",
            CustomParser = Parsers.Int(1, 1_000_000),
        };
        var seed = new Option<int>("--seed")
        {
            Description = "the seed of the live order shuffle (default: random, printed)",
            CustomParser = Parsers.Int(0, int.MaxValue),
        };
        var reference = new Option<string>("--reference")
        {
            Description =
                "the counter speedups are quoted against ('none' for none; default: the counter "
                + "whose plugin declares itself the reference, the seed's naive design)",
        };
        var config = new Option<string>("--config")
        {
            Description = "a YAML or JSON matrix: variants, sizes, mixes, modes, gen_cpus, sinks, packets, rounds, ...",
            HelpName = "FILE",
        };
        var outDir = new Option<string>("--out")
        {
            Description = "where results go (default: reports/<run-id>)",
            HelpName = "DIR",
        };
        var iface = new Option<string>("--iface")
        {
            Description =
                "measure on this real interface with its external traffic instead of the testbed (pass sink only)",
            HelpName = "IF",
        };
        var duration = new Option<double>("--duration")
        {
            Description = "with --iface: seconds per window (default 10)",
            CustomParser = Parsers.Seconds(1, 86_400),
        };
        var tag = new Option<string>("--tag")
        {
            Description = "label the run in the history store (compare --baseline TAG finds the latest run with it)",
            HelpName = "NAME",
        };
        var store = StoreOptions.Create();
        var attach = new Option<Profiling.Bpf.XdpAttachMode>("--attach")
        {
            Description = "with --iface: native | generic | auto (default native)",
            CustomParser = Parsers.AttachMode,
        };

        var command = new Command(
            "bench",
            "run every variant on the embedded veth testbed (or an interface), micro and live, verify its counts, and write reports"
        )
        {
            plugins,
            variants,
            mode,
            packets,
            sliceMs,
            warmup,
            rounds,
            maxRounds,
            sinks,
            genCpus,
            microRounds,
            microMaxRounds,
            budget,
            size,
            sizeMix,
            flows,
            mix,
            events,
            insnBudget,
            seed,
            reference,
            config,
            outDir,
            tag,
            store,
            iface,
            duration,
            attach,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(config) is { } path ? BenchConfig.Load(path) : new BenchConfig();
            T Pick<T>(Option<T> option, T? fromFile, T fallback)
                where T : struct =>
                parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : fromFile ?? fallback;

            var roundCount = Pick(rounds, file.Rounds, LiveOptions.Default.Rounds);
            var catalog = PluginOptions.Discover(parse, plugins);
            var chosen = Select(
                catalog,
                Parsers.Split(parse.GetValue(variants)) is { Count: > 0 } named ? named : file.Variants ?? []
            );
            var modes = ParseModes(
                parse.GetValue(mode) ?? (file.Modes is { Count: > 0 } m ? string.Join(",", m) : "all")
            );
            var sizes =
                parse.GetResult(size) is { Implicit: false } ? [Parsers.FrameSize(parse.GetValue(size))]
                : file.Sizes is { Count: > 0 } s ? s.Select(Parsers.FrameSize).ToList()
                : [FrameBuilder.MinimumSize];
            var mixes = (
                parse.GetValue(mix) is { } one ? [one]
                : file.Mixes is { Count: > 0 } x ? x
                : [TrafficMix.Default.Name]
            ).Select(Parsers.Mix).ToList();
            var allowed = CpuAffinity.AllowedForCurrentThread();
            var generatorSettings = (parse.GetValue(genCpus) is { Length: > 0 } g ? g : file.GenCpus?.ToArray() ?? [])
                .Select(text => new GeneratorOptions(Parsers.Cpus(text, allowed)))
                .ToList();
            if (generatorSettings.Count == 0)
                generatorSettings.Add(GeneratorOptions.OnCpu(allowed[0]));
            var sinkList = (Parsers.Split(parse.GetValue(sinks)) is { Count: > 0 } sk ? sk : file.Sinks ?? ["drop"])
                .Select(Parsers.Sink)
                .Distinct()
                .ToList();
            var eventSpecs = ParseEvents(
                Parsers.Split(parse.GetValue(events)) is { Count: > 0 } e
                    ? e
                    : file.Events ?? [.. PerfEventSpec.DefaultNames]
            );
            var liveSeed = Pick(seed, file.Seed, Random.Shared.Next(1, 1_000_000));
            var maxRoundCount = Math.Max(roundCount, Pick(maxRounds, file.MaxRounds, LiveOptions.Default.MaxRounds));

            var cells = sizes
                .SelectMany(frameSize => mixes.Select(trafficMix => new BenchCell(frameSize, trafficMix, modes)))
                .ToList();
            if (parse.GetValue(sizeMix) is { } sizeText)
            {
                if (parse.GetResult(size) is { Implicit: false })
                    throw new UsageException(
                        "--size and --sizes cannot be used together; give the one size as --sizes N"
                    );
                var frameSizes = Parsers.Sizes(sizeText);
                cells = frameSizes.IsFixed
                    ? [.. mixes.Select(trafficMix => new BenchCell(frameSizes.MeanSize, trafficMix, modes))]
                    :
                    [
                        .. modes.HasFlag(BenchModes.Micro)
                            ? frameSizes
                                .Weights.Keys.Order()
                                .SelectMany(frameSize =>
                                    mixes.Select(trafficMix => new BenchCell(frameSize, trafficMix, BenchModes.Micro))
                                )
                            : [],
                        .. modes.HasFlag(BenchModes.Live)
                            ? mixes.Select(trafficMix => BenchCell.LiveMix(frameSizes, trafficMix))
                            : [],
                    ];
            }

            var plan = new BenchPlan
            {
                Variants = chosen,
                Cells = cells,
                Live = LiveOptions.Default with
                {
                    SlicePackets = Pick(packets, file.Packets, LiveOptions.Default.SlicePackets),
                    WarmupPackets = Pick(warmup, file.Warmup, LiveOptions.Default.WarmupPackets),
                    Rounds = roundCount,
                    MaxRounds = maxRoundCount,
                    SliceTime =
                        parse.GetResult(sliceMs) is { Implicit: false } || file.SliceMs is not null
                            ? TimeSpan.FromMilliseconds(Pick(sliceMs, file.SliceMs, 20))
                            : LiveOptions.Default.SliceTime,
                    Seed = liveSeed,
                },
                Generators = generatorSettings,
                Sinks = sinkList,
                Flows = (
                    Parsers.Split(parse.GetValue(flows)) is { Count: > 0 } flowList ? flowList : file.Flows ?? ["1"]
                )
                    .Select(Parsers.Flows)
                    .Distinct()
                    .ToList(),
                Micro = MicroOptions.Default with
                {
                    MinRounds = Pick(microRounds, file.MicroRounds, MicroOptions.Default.MinRounds),
                    MaxRounds = Math.Max(
                        Pick(microRounds, file.MicroRounds, MicroOptions.Default.MinRounds),
                        Pick(microMaxRounds, file.MicroMaxRounds, MicroOptions.Default.MaxRounds)
                    ),
                    Cpu = generatorSettings[0].Cpus.Cpus[0],
                },
                Budget = Pick(budget, file.Budget, BenchPlan.DefaultBudget.TotalSeconds) is > 0 and var seconds
                    ? TimeSpan.FromSeconds(seconds)
                    : null,
                Events = eventSpecs,
                InstructionBudget = Pick(insnBudget, file.InsnBudget, BenchPlan.DefaultInstructionBudget),
                Reference = Reference(catalog, chosen, parse.GetValue(reference) ?? file.Reference),
            };
            if (parse.GetValue(iface) is { } ifaceName)
            {
                if (parse.GetResult(sinks) is { Implicit: false } && sinkList.Contains(Sink.Drop))
                    throw new UsageException(
                        "--sink drop cannot be used with --iface: it would drop that interface's real "
                            + "traffic; a real interface is measured with the pass sink"
                    );
                plan = plan with
                {
                    Sinks = [Sink.Pass],
                    Cells = [],
                    Control = false,
                    Interface = new InterfaceTarget(
                        ifaceName,
                        parse.GetResult(attach) is { Implicit: false }
                            ? parse.GetValue(attach)
                            : Profiling.Bpf.XdpAttachMode.Native,
                        TimeSpan.FromSeconds(
                            parse.GetResult(duration) is { Implicit: false } ? parse.GetValue(duration) : 10
                        )
                    ),
                };
            }
            var history = HistoryStore.Choose(parse.GetValue(store));
            var outDirectory = RunDirectory.Create(parse.GetValue(outDir));
            var result = Run(plan, mixes, outDirectory, catalog, cancellation);
            var exit = result.Outcome.ExitCode;
            var recorded = Record(new StoredRun(result, parse.GetValue(tag), Path.GetFullPath(outDirectory)), history);
            return recorded ? exit : Math.Max(exit, ExitCodes.Failure);
        });
        return command;
    }

    private static RunResult Run(
        BenchPlan plan,
        IReadOnlyList<TrafficMix> mixes,
        string outDirectory,
        PluginCatalog catalog,
        CancellationToken cancellation
    )
    {
        var console = Consoles.Out;
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
                $"cells: modes {modes}; sizes {string.Join(", ", sizes)}; mixes {string.Join(",", mixes.Select(m => m.Name))}"
            );
            if (modes.HasFlag(BenchModes.Live))
                console.WriteLine(
                    $"live: sink {string.Join(" | ", plan.Sinks.Select(Sinks.Name))}; "
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
                (progress, status) =>
                    new BenchRunner().Run(plan, artifacts.Add, artifacts.Add, progress, status, cancellation)
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
        TerminalReport.Write(console, RunReport.Build(result, plots: [], "summary"));
        console.WriteLine();
        console.WriteLine($"results: {outDirectory}");
        foreach (var line in result.Outcome.Lines)
            Console.Error.WriteLine($"packetcounter: {line}");
        if (result.Incomplete)
            Console.Error.WriteLine(
                $"packetcounter: interrupted; every sample taken so far is in {outDirectory} (marked INCOMPLETE)"
            );
        return result;
    }

    // The run's folder is complete before this: a store that cannot take the run costs
    // the record, never the results.
    private static bool Record(StoredRun run, string? location)
    {
        if (location is null)
            return true;
        try
        {
            using var store = HistoryStore.Open(location);
            var id = store.Save(run);
            var tag = run.Tag is null ? "" : $" (tag {run.Tag})";
            Consoles.Out.WriteLine($"recorded: run {id}{tag} in {store.Description}");
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

    private static string? Reference(PluginCatalog catalog, IReadOnlyList<DiscoveredVariant> chosen, string? named)
    {
        if (string.Equals(named, "none", StringComparison.OrdinalIgnoreCase))
            return null;
        if (named is not null)
        {
            var variant = PluginOptions.Find(catalog, named, "--reference");
            if (variant.IsBaseline)
                throw new UsageException(
                    $"--reference: {variant.Name} is the baseline; every figure is already relative to it; name a counter"
                );
            return chosen.Contains(variant)
                ? variant.Name
                : throw new UsageException(
                    $"--reference: {variant.Name} is not among the variants of this run; add it to --variants"
                );
        }
        return chosen.FirstOrDefault(v => !v.IsBaseline && v.Variant.IsSpeedupReference)?.Name;
    }

    private static IReadOnlyList<PerfEventSpec> ParseEvents(IReadOnlyList<string> names)
    {
        if (names is ["none"])
            return [];
        return names
            .Select(n =>
                PerfEventSpec.TryParse(n, out var spec)
                    ? spec
                    : throw new UsageException(
                        $"--events: unknown event '{n}'; known: "
                            + $"{string.Join(", ", PerfEventSpec.KnownNames)} (add :k for kernel only, or 'none')"
                    )
            )
            .ToList();
    }

    private static BenchModes ParseModes(string text)
    {
        var modes = (BenchModes)0;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            modes |= part.ToLowerInvariant() switch
            {
                "micro" => BenchModes.Micro,
                "live" => BenchModes.Live,
                "all" => BenchModes.All,
                _ => throw new UsageException($"--mode '{part}' is unknown; use micro, live or all"),
            };
        }
        return modes == 0 ? BenchModes.All : modes;
    }

    private static IReadOnlyList<DiscoveredVariant> Select(PluginCatalog catalog, IReadOnlyList<string> names)
    {
        var chosen = new List<DiscoveredVariant>();
        foreach (var name in names)
        {
            var variant = PluginOptions.Find(catalog, name, "--variants");
            if (!chosen.Contains(variant))
                chosen.Add(variant);
        }
        if (chosen.Count == 0)
            chosen.AddRange(catalog.Variants.Where(v => v.Variant.RunsByDefault));
        // The baseline always runs, first, so every counter is measured beside it.
        var ordered = catalog
            .Variants.Where(v => v.IsBaseline)
            .Take(1)
            .Concat(chosen.Where(v => !v.IsBaseline))
            .Distinct()
            .ToList();
        if (ordered.Count == 0)
            throw new UsageException("no variants were discovered; build the plugins or pass --plugins DIR");
        return ordered;
    }
}
