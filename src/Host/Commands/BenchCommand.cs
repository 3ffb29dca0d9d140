using System.Globalization;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Host.Commands;

internal static class BenchCommand
{
    public static readonly string[] Options =
        ["plugins", "variants", "packets", "warmup", "size", "mix", "gen-cpus", "out", "mode", "repeats", "max-repeats", "samples", "seed", "config", "events", "iface", "duration", "attach", "insn-budget"];

    public static int Run(CommandLine commandLine, CancellationToken cancellation)
    {
        commandLine.RequireNoPositional();
        var config = commandLine.Single("config") is { } path ? BenchConfig.Load(path) : null;

        var packets = commandLine.Long("packets", config?.Packets ?? 1_000_000, 1, 10_000_000_000);
        var warmup = commandLine.Long("warmup", config?.Warmup ?? 200_000, 0, 10_000_000_000);
        var repeats = commandLine.Int("repeats", config?.Repeats ?? 5, 1, 1000);
        var maxRepeats = commandLine.Int("max-repeats", config?.MaxRepeats ?? Math.Max(repeats, 12), repeats, 10_000);
        var samples = commandLine.Int("samples", config?.Samples ?? 10, 2, 10_000);
        var seed = commandLine.Int("seed", config?.Seed ?? Random.Shared.Next(1, 1_000_000), 0, int.MaxValue);
        var modes = ParseModes(commandLine.Single("mode") ?? (config?.Modes is { Count: > 0 } m ? string.Join(",", m) : "all"));
        var sizes = commandLine.Single("size") is not null
            ? [commandLine.Int("size", 64, FrameBuilder.MinimumSize, FrameBuilder.MaximumSize)]
            : config?.Sizes is { Count: > 0 } s ? s.Select(ValidSize).ToList() : [FrameBuilder.MinimumSize];
        var mixes = (commandLine.Single("mix") is { } one ? [one] : config?.Mixes is { Count: > 0 } x ? x : [TrafficMix.Default.Name])
            .Select(ParseMix).ToList();
        var generatorSettings = GeneratorSettings(commandLine.All("gen-cpus").Count > 0 ? commandLine.All("gen-cpus") : config?.GenCpus ?? []);

        var events = ParseEvents(commandLine.List("events") is { Count: > 0 } e ? e : config?.Events ?? [.. PacketCounter.Profiling.Counters.PerfEventSpec.DefaultNames]);
        var catalog = PluginOptions.Discover(commandLine);
        var variants = Select(catalog, commandLine.List("variants").Count > 0 ? commandLine.List("variants") : config?.Variants ?? []);
        var outDirectory = RunDirectory.Create(commandLine.Single("out"));

        if (commandLine.Single("iface") is { } ifaceName)
            return RunOnInterface(commandLine, ifaceName, variants, repeats, outDirectory, cancellation);

        var cells = sizes.SelectMany(size => mixes.Select(mix => new BenchCell(size, mix, modes))).ToList();
        var plan = new BenchPlan(variants, cells, packets, warmup, repeats, generatorSettings,
            MicroOptions.Default with { Samples = samples, Cpu = generatorSettings[0].Cpus[0] }, seed, maxRepeats, events, commandLine.Int("insn-budget", config?.InsnBudget ?? 50, 1, 1_000_000));

        Console.WriteLine($"bench: {string.Join(", ", variants.Select(v => v.Name))}; modes {modes}; sizes {string.Join(",", sizes)} B; mixes {string.Join(",", mixes.Select(m => m.Name))}");
        Console.WriteLine($"live: {repeats} to {maxRepeats} repeats (until the Mpps CI is within 5%) x {packets:N0} packets per variant (warm-up {warmup:N0}), generator CPUs {string.Join(" | ", generatorSettings.Select(LiveSample.CpuList))}, order seed {seed}");
        Console.WriteLine($"micro: >= {plan.Micro.TargetSample.TotalMilliseconds:0} ms per sample, {plan.Micro.WarmupSamples} warm-up + {samples} measured samples, thread pinned to CPU {plan.Micro.Cpu}");
        Console.WriteLine($"results: {outDirectory}");

        BenchResults results;
        using (var artifacts = new RunArtifacts(outDirectory))
        {
            var progress = new ProgressLine();
            results = new BenchRunner().Run(plan, artifacts.Add, artifacts.Add, progress.Report, progress.Status, cancellation);
            progress.Clear();
            artifacts.Finish(results, PacketCounter.Profiling.Machine.MachineFacts.Read(PluginOptions.CommandLineText, results.CounterSources),
                mixes.ToDictionary(m => m.Name));
        }
        SummaryPrinter.Print(results, mixes.ToDictionary(m => m.Name), outDirectory);

        if (results.Incomplete)
        {
            Console.Error.WriteLine($"packetcounter: interrupted; every sample taken so far is in {outDirectory} (marked INCOMPLETE)");
            return ExitCodes.Interrupted;
        }
        var failed = results.Failures.Count + catalog.Problems.Count
            + results.LiveSamples.Count(s => s.Verification is { IsExact: false });
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>bench --iface: every variant on a real interface with whatever traffic it receives.</summary>
    private static int RunOnInterface(CommandLine commandLine, string ifaceName, IReadOnlyList<DiscoveredVariant> variants, int repeats,
        string outDirectory, CancellationToken cancellation)
    {
        var iface = PacketCounter.Profiling.Testbed.HostInterface.Resolve(ifaceName);
        var mode = AttachModes.Parse(commandLine.Single("attach") ?? "native", "--attach");
        var duration = TimeSpan.FromSeconds(commandLine.Int("duration", 10, 1, 86_400));
        Console.WriteLine($"bench on {iface.Name} ({mode}): {string.Join(", ", variants.Select(v => v.Name))}, {duration.TotalSeconds:0} s per window, {repeats} repeats");
        Console.WriteLine("note: the rate is whatever the external traffic offers; variants compare only if that traffic is steady, and counts cannot be verified against packets sent elsewhere");

        var results = new BenchResults();
        var loaded = BenchRunner.LoadVariants(variants, results);
        try
        {
            using var artifacts = new RunArtifacts(outDirectory);
            var progress = new ProgressLine();
            try
            {
                foreach (var sample in InterfaceBench.Run(loaded, iface, mode, duration, repeats, progress.Status, cancellation))
                {
                    results.LiveSamples.Add(sample);
                    artifacts.Add(sample);
                    if (sample.Failure is not null)
                        results.Failures.Add($"variant {sample.Variant}: {sample.Failure}");
                }
            }
            catch (OperationCanceledException)
            {
                results.Incomplete = true;
            }
            artifacts.Finish(results, PacketCounter.Profiling.Machine.MachineFacts.Read(PluginOptions.CommandLineText),
                new Dictionary<string, TrafficMix>());
        }
        finally
        {
            foreach (var l in loaded)
                l.Dispose();
        }
        SummaryPrinter.Print(results, new Dictionary<string, TrafficMix>(), outDirectory);
        if (results.Incomplete)
            return ExitCodes.Interrupted;
        return results.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static IReadOnlyList<PacketCounter.Profiling.Counters.PerfEventSpec> ParseEvents(IReadOnlyList<string> names)
    {
        if (names is ["none"])
            return [];
        return names.Select(n => PacketCounter.Profiling.Counters.PerfEventSpec.TryParse(n, out var spec)
            ? spec
            : throw new UsageException($"--events: unknown event '{n}'; known: {string.Join(", ", PacketCounter.Profiling.Counters.PerfEventSpec.KnownNames)} (add :k for kernel only, or 'none')")).ToList();
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

    private static int ValidSize(int size) =>
        size is >= FrameBuilder.MinimumSize and <= FrameBuilder.MaximumSize
            ? size
            : throw new UsageException($"frame size {size} is outside {FrameBuilder.MinimumSize} to {FrameBuilder.MaximumSize}");

    private static TrafficMix ParseMix(string name) =>
        TrafficMix.TryParse(name, out var mix) ? mix : throw new UsageException($"mix '{name}' is unknown; use one of {string.Join(", ", TrafficMix.Names)}");

    /// <summary>Each --gen-cpus is one setting ("0", "0,1"); every variant is measured under each.</summary>
    private static IReadOnlyList<GeneratorOptions> GeneratorSettings(IReadOnlyList<string> settings)
    {
        var allowed = CpuAffinity.AllowedForCurrentThread();
        if (settings.Count == 0)
            return [GeneratorOptions.OnCpu(allowed[0])];
        var result = new List<GeneratorOptions>();
        foreach (var setting in settings)
        {
            var cpus = new List<int>();
            foreach (var text in setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cpu) || !allowed.Contains(cpu))
                    throw new UsageException($"--gen-cpus '{text}' is not a CPU this process may use ({string.Join(",", allowed)})");
                if (!cpus.Contains(cpu))
                    cpus.Add(cpu);
            }
            if (cpus.Count == 0)
                throw new UsageException("--gen-cpus needs at least one CPU");
            result.Add(new GeneratorOptions(cpus));
        }
        return result;
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
            chosen.AddRange(catalog.Variants);
        // The baseline always runs, first, so every counter is measured beside it.
        var ordered = catalog.Variants.Where(v => v.IsBaseline).Concat(chosen.Where(v => !v.IsBaseline)).Distinct().ToList();
        if (ordered.Count == 0)
            throw new UsageException("no variants were discovered; build the plugins or pass --plugins DIR");
        return ordered;
    }
}
