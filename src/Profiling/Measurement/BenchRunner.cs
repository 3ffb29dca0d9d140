using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Profiling.Measurement;

/// <summary>How far a run is: steps done of the total, and what runs now.</summary>
public readonly record struct BenchProgress(int Done, int Total, string Current);

/// <summary>
/// Runs a <see cref="BenchPlan"/>: loads every variant once, records its static facts,
/// then each cell in micro mode and in live mode. Samples reach the callbacks as they
/// are taken, so exporters can keep them even when the run is cut short; a cancelled
/// run returns what it had, marked incomplete.
/// </summary>
public sealed class BenchRunner
{
    public BenchResults Run(BenchPlan plan, Action<MicroSample>? onMicro = null, Action<LiveSample>? onLive = null,
        Action<BenchProgress>? progress = null, Action<string>? status = null, CancellationToken cancellation = default)
    {
        var results = new BenchResults();
        var loaded = new List<LoadedVariant>();
        Testbed.LeftoverSweep.Run();
        using var testbed = Testbed.VethTestbed.Create();
        using var generator = Traffic.LiveFramesGenerator.Create(testbed.GeneratorIfindex);
        try
        {
            testbed.Anchor.Hold(generator.Program);
            loaded.AddRange(LoadVariants(plan.Variants, results));
            foreach (var variant in loaded)
                testbed.Anchor.Hold(variant.Program);
            if (loaded.Count == 0)
                return results;

            using var counters = plan.Events is { Count: > 0 } && plan.Cells.Any(c => c.Modes.HasFlag(BenchModes.Live))
                ? new Counters.SystemCounters(plan.Events, Cpu.CpuAffinity.AllowedForCurrentThread())
                : null;
            if (counters is not null)
            {
                results.CounterSources.AddRange(counters.Events.Select(e => new Machine.SourceState($"perf {e}", true, "counting system-wide per CPU")));
                results.CounterSources.AddRange(counters.Unsupported);
            }
            var attribution = plan.Events is { Count: > 0 } ? Counters.ProgramAttribution.Probe(loaded[0].Program) : null;
            if (attribution is not null)
                results.CounterSources.Add(attribution);
            foreach (var source in results.CounterSources)
                status?.Invoke($"{source.Source}: {(source.Available ? "available" : source.Detail)}");
            results.InstructionBudget = plan.InstructionBudget;
            foreach (var variant in loaded)
            {
                foreach (var (size, classes) in plan.Cells.GroupBy(c => c.FrameSize).Select(g => (g.Key, g.SelectMany(c => c.Mix.Weights.Keys).Distinct().Order().ToList())))
                {
                    try
                    {
                        results.InstructionProfiles.AddRange(Emulation.InstructionProfiler.Profile(variant, classes, size).Select(p => (size, p)));
                    }
                    catch (Emulation.EmulationException e)
                    {
                        results.Notes.Add($"instructions per packet of {variant.Source.Name} cannot be counted: {e.Message}");
                    }
                }
            }
            var total = TotalSteps(plan, loaded.Count);
            var done = 0;
            void Step(string current) => progress?.Invoke(new BenchProgress(++done, total, current));

            foreach (var cell in plan.Cells.Where(c => c.Modes.HasFlag(BenchModes.Micro)))
            {
                new MicroBenchmark().Run(loaded, BenchPlan.MicroClasses(cell.Mix), cell.FrameSize, plan.Micro, sample =>
                {
                    results.MicroSamples.Add(sample);
                    onMicro?.Invoke(sample);
                    Step($"micro {sample.Variant} {Abstractions.TrafficClasses.Name(sample.Class)} {sample.FrameSize} B");
                }, status, cancellation);
            }
            foreach (var cell in plan.Cells.Where(c => c.Modes.HasFlag(BenchModes.Live)))
            {
                var livePlan = new LivePlan(plan.Variants, plan.Packets, cell.FrameSize, cell.Mix, plan.GeneratorSettings, plan.WarmupPackets,
                    plan.Repeats, plan.Seed, plan.MaxRepeats);
                var live = new LiveBench();
                foreach (var sample in live.Run(livePlan, loaded, testbed, generator, status, cancellation, counters))
                {
                    results.LiveSamples.Add(sample);
                    onLive?.Invoke(sample);
                    if (sample.Failure is not null)
                        results.Failures.Add($"variant {sample.Variant}: {sample.Failure}");
                    Step($"live {sample.Variant} {cell.Mix.Name} {cell.FrameSize} B cpu {sample.GeneratorCpus}");
                }
                results.Notes.AddRange(live.CapHits);
                if (attribution is { Available: true })
                    Attribute(plan, livePlan, loaded, testbed, generator, results, status, cancellation);
            }
        }
        catch (Exception e) when (e is OperationCanceledException || cancellation.IsCancellationRequested)
        {
            // The sample under way is abandoned; everything before it is kept.
            results.Incomplete = true;
        }
        finally
        {
            testbed.Anchor.Dispose();
            foreach (var variant in loaded)
                variant.Dispose();
        }
        return results;
    }

    /// <summary>
    /// Loads each variant and records its static facts; one that cannot be loaded is
    /// recorded as a failure, with its verifier log, and the others go on.
    /// </summary>
    public static List<LoadedVariant> LoadVariants(IEnumerable<DiscoveredVariant> variants, BenchResults results)
    {
        var loaded = new List<LoadedVariant>();
        foreach (var variant in variants)
        {
            try
            {
                var l = LoadedVariant.Load(variant);
                loaded.Add(l);
                results.Facts.Add(new StaticFacts(variant.Name, variant.Variant.Role, l.Program.Info()));
            }
            catch (VariantLoadException e)
            {
                results.LoadFailures.Add(e);
                results.Failures.Add(e.Message);
            }
        }
        return loaded;
    }

    // Attribution windows come after the throughput windows and never overlap them: the
    // fentry/fexit trampoline inflates every run it wraps.
    private static void Attribute(BenchPlan plan, LivePlan livePlan, IReadOnlyList<LoadedVariant> loaded, Testbed.VethTestbed testbed,
        Traffic.LiveFramesGenerator generator, BenchResults results, Action<string>? status, CancellationToken cancellation)
    {
        var events = plan.Events!.Where(e => e.Kind != Counters.PerfEventKind.Software).ToList();
        var cpus = Cpu.CpuAffinity.AllowedForCurrentThread();
        foreach (var spec in events)
        {
            foreach (var variant in loaded)
            {
                cancellation.ThrowIfCancellationRequested();
                status?.Invoke($"attribution {variant.Source.Name} {spec.Name}");
                try
                {
                    using var link = testbed.DutNamespace.Run(() => variant.Program.AttachXdp(testbed.DutIfindex));
                    using var attribution = Counters.ProgramAttribution.Attach(variant.Program, spec, cpus);
                    generator.Send(livePlan.Mix.Split(livePlan.Packets), livePlan.FrameSize, livePlan.GeneratorSettings[0], cancellation);
                    results.Attributions.Add(attribution.Read(variant.Source.Name) with { Mix = livePlan.Mix.Name, FrameSize = livePlan.FrameSize });
                }
                catch (Exception e) when (e is Interop.BpfException or Counters.PerfEventException)
                {
                    results.Notes.Add($"attribution {variant.Source.Name} {spec.Name}: {e.Message}");
                }
            }
        }
    }

    private static int TotalSteps(BenchPlan plan, int variants)
    {
        var micro = plan.Cells.Where(c => c.Modes.HasFlag(BenchModes.Micro))
            .Sum(c => BenchPlan.MicroClasses(c.Mix).Count * plan.Micro.Samples * variants);
        var live = plan.Cells.Count(c => c.Modes.HasFlag(BenchModes.Live)) * plan.GeneratorSettings.Count * plan.Repeats * variants;
        // Extra repeats for wide CIs make the bar overshoot its total; it is a guide, not a promise.
        return micro + live;
    }
}
