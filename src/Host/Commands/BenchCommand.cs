using System.Globalization;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Host.Commands;

internal static class BenchCommand
{
    public static int Run(CommandLine commandLine, CancellationToken cancellation)
    {
        commandLine.RequireNoPositional();
        var packets = commandLine.Long("packets", 10_000_000, 1, 10_000_000_000);
        var warmup = commandLine.Long("warmup", 1_000_000, 0, 10_000_000_000);
        var size = commandLine.Int("size", FrameBuilder.MinimumSize, FrameBuilder.MinimumSize, FrameBuilder.MaximumSize);
        var mixName = commandLine.Single("mix") ?? TrafficMix.Default.Name;
        if (!TrafficMix.TryParse(mixName, out var mix))
            throw new UsageException($"--mix '{mixName}' is unknown; use one of {string.Join(", ", TrafficMix.Names)}");
        var generator = new GeneratorOptions(GeneratorCpus(commandLine));

        var catalog = PluginOptions.Discover(commandLine);
        var variants = Select(catalog, commandLine.List("variants"));
        var outDirectory = RunDirectory.Create(commandLine.Single("out"));

        Console.WriteLine($"bench: {packets:N0} packets per variant, mix '{mix.Name}', {size} B frames, generator on CPU {string.Join(",", generator.Cpus)}");
        Console.WriteLine($"results: {outDirectory}");

        var outcomes = new List<LiveOutcome>();
        var plan = new LivePlan(variants, packets, size, mix, generator, warmup);
        using (var csv = new ResultsCsvWriter(Path.Combine(outDirectory, "results.csv")))
        {
            try
            {
                foreach (var outcome in new LiveBench().Run(plan, status => Console.WriteLine($"  running {status}"), cancellation))
                {
                    outcomes.Add(outcome);
                    csv.Write(ResultsCsvWriter.RowOf(outcome, mix.Name, size, NaiveMpps(outcomes)));
                    if (outcome.Failure is not null)
                        Console.Error.WriteLine($"packetcounter: variant {outcome.Variant}: {outcome.Failure}");
                    else if (outcome.Verification is { IsExact: false } verification)
                        Console.Error.WriteLine($"packetcounter: variant {outcome.Variant} MISCOUNTED:\n{verification.Table()}");
                }
            }
            finally
            {
                PrintTable(outcomes);
            }
        }

        var failed = outcomes.Count(o => !o.Passed) + catalog.Problems.Count;
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static double? NaiveMpps(IEnumerable<LiveOutcome> outcomes) =>
        outcomes.FirstOrDefault(o => o.Variant.Equals("Naive", StringComparison.OrdinalIgnoreCase) && o.Succeeded)?.Mpps;

    private static void PrintTable(IReadOnlyList<LiveOutcome> outcomes)
    {
        var naive = NaiveMpps(outcomes);
        Console.WriteLine();
        Console.WriteLine("=== Performance Comparison ===");
        Console.WriteLine($"{"VARIANT",-12} {"PACKETS",-12} {"MPPS",-7} {"SPEEDUP",-8} {"DELIVERED",-12} {"VERIFIED",-9}");
        Console.WriteLine(new string('=', 66));
        foreach (var o in outcomes)
        {
            var speedup = naive is > 0 && o.Succeeded ? (o.Mpps / naive.Value).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";
            var name = o.Role == Abstractions.VariantRole.Baseline ? $"{o.Variant}*" : o.Variant;
            Console.WriteLine($"{name,-12} {o.Sent,-12} {o.Mpps,-7:0.00} {speedup,-8} {o.Delivered,-12} {ResultsCsvWriter.VerifiedText(o),-9}");
        }
        if (outcomes.Any(o => o.Role == Abstractions.VariantRole.Baseline))
            Console.WriteLine("* baseline: the Null program (XDP_PASS only), the floor every counter is compared with");
        Console.WriteLine("MPPS: packets sent / generator wall time. SPEEDUP: vs Naive. DELIVERED: DUT rx delta. VERIFIED: every count equals the packets sent of its classes.");
    }

    private static IReadOnlyList<int> GeneratorCpus(CommandLine commandLine)
    {
        var allowed = CpuAffinity.AllowedForCurrentThread();
        var requested = commandLine.List("gen-cpus");
        if (requested.Count == 0)
            return [allowed[0]];
        var cpus = new List<int>();
        foreach (var text in requested)
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cpu) || !allowed.Contains(cpu))
                throw new UsageException($"--gen-cpus '{text}' is not a CPU this process may use ({string.Join(",", allowed)})");
            if (!cpus.Contains(cpu))
                cpus.Add(cpu);
        }
        return cpus;
    }

    private static IReadOnlyList<DiscoveredVariant> Select(PluginCatalog catalog, IReadOnlyList<string> names)
    {
        var chosen = new List<DiscoveredVariant>();
        foreach (var name in names)
        {
            var variant = catalog.Variants.FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--variants: no variant named '{name}'; discovered: {string.Join(", ", catalog.Variants.Select(v => v.Name))}");
            if (!chosen.Contains(variant))
                chosen.Add(variant);
        }
        if (chosen.Count == 0)
            chosen.AddRange(catalog.Variants);
        // The baseline always runs, first, so every counter is measured beside it.
        var baselines = catalog.Variants.Where(v => v.IsBaseline);
        var ordered = baselines.Concat(chosen.Where(v => !v.IsBaseline)).Distinct().ToList();
        if (ordered.Count == 0)
            throw new UsageException("no variants were discovered; build the plugins or pass --plugins DIR");
        return ordered;
    }
}
