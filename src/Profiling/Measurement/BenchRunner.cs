using PacketCounter.Abstractions;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>How far a run is: steps done of the total, and what runs now.</summary>
public readonly record struct BenchProgress(int Done, int Total, string Current);

/// <summary>
/// Runs a <see cref="BenchPlan"/>, the one way every bench is run, by the CLI and the
/// tests alike: loads every variant once (and the baseline's A/A copy), records its static
/// facts, then each cell in micro mode and in live mode on the embedded testbed, or on a
/// real interface for <see cref="BenchPlan.Interface"/>. Samples reach the callbacks as
/// they are taken, so exporters keep them even when the run is cut short; a cancelled run
/// returns what it had, marked incomplete.
/// </summary>
public sealed class BenchRunner
{
    public BenchResults Run(
        BenchPlan plan,
        Action<MicroSample>? onMicro = null,
        Action<LiveSample>? onLive = null,
        Action<BenchProgress>? progress = null,
        Action<string>? status = null,
        CancellationToken cancellation = default
    )
    {
        var results = new BenchResults { Reference = plan.Reference };
        if (Bpf.RunStatsState.EnabledBySysctl())
            results.Notes.Add(
                "kernel.bpf_stats_enabled is 1: run stats are on for every program on this host, "
                    + "so micro figures include their clock reads and every live throughput window is "
                    + "refused; set it to 0"
            );
        if (plan.Interface is not null)
            return RunOnInterface(plan, plan.Interface, results, onLive, status, cancellation);

        var loaded = new List<LoadedVariant>();
        LeftoverSweep.Run();
        using var testbed = VethTestbed.Create(lanes: 0);
        try
        {
            loaded.AddRange(LoadVariants(plan.Variants, results, plan.Control));
            if (loaded.Count == 0)
                return results;
            foreach (var variant in loaded)
                testbed.Anchor.Hold(variant.Program);
            var liveCells = plan.Cells.Where(c => c.Modes.HasFlag(BenchModes.Live)).ToList();
            if (plan.Sinks.Contains(Sink.Drop) && liveCells.Count > 0)
                PrepareDropTwins(loaded, liveCells, testbed, results);

            using var counters =
                plan.Events.Count > 0 && liveCells.Count > 0
                    ? new Counters.SystemCounters(plan.Events, Cpu.CpuAffinity.AllowedForCurrentThread())
                    : null;
            if (counters is not null)
            {
                results.CounterSources.AddRange(
                    counters.Events.Select(e => new Machine.SourceState(
                        $"perf {e}",
                        true,
                        "counting system-wide per CPU"
                    ))
                );
                results.CounterSources.AddRange(counters.Unsupported);
            }
            var attribution = plan.Events.Count > 0 ? Counters.ProgramAttribution.Probe(loaded[0].Program) : null;
            if (attribution is not null)
                results.CounterSources.Add(attribution);
            ProfileInstructions(plan, loaded, results);

            var total = TotalSteps(plan, loaded.Count);
            var done = 0;
            void Step(string current) => progress?.Invoke(new BenchProgress(++done, total, current));

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var microCells = plan.Cells.Where(c => c.Modes.HasFlag(BenchModes.Micro)).ToList();
            var liveSettings = liveCells.Count * plan.Generators.Count * plan.Sinks.Count * plan.Flows.Count;
            foreach (var cell in microCells)
            {
                var micro = new MicroBenchmark();
                var options = plan.Budget is { } budget
                    ? plan.Micro with
                    {
                        Budget = budget * (liveSettings > 0 ? BenchPlan.MicroShare : 1) / microCells.Count,
                    }
                    : plan.Micro;
                using var placements = new Placements(loaded, testbed.Anchor, options.Seed);
                micro.Run(
                    loaded,
                    BenchPlan.MicroClasses(cell.Mix),
                    cell.FrameSize,
                    options,
                    sample =>
                    {
                        results.MicroSamples.Add(sample);
                        onMicro?.Invoke(sample);
                        Step($"micro {TrafficClasses.Name(sample.Class)} {sample.FrameSize} B: {sample.Variant}");
                    },
                    status,
                    cancellation,
                    placements
                );
                results.Notes.AddRange(micro.Notes);
            }
            using var bed =
                liveCells.Count > 0 ? LiveTestbed.Over(testbed, loaded.Count, plan.Flows.Any(f => f > 1)) : null;
            var settingsLeft = liveSettings;
            foreach (var cell in liveCells)
            {
                foreach (var generatorOptions in plan.Generators)
                {
                    foreach (
                        var (sink, flows) in plan.Sinks.SelectMany(sink => plan.Flows.Select(flows => (sink, flows)))
                    )
                    {
                        var setting = new LiveSetting(
                            cell.Mix.Name,
                            cell.FrameSize,
                            new GeneratorSource(generatorOptions.Cpus),
                            sink
                        )
                        {
                            Sizes = cell.Sizes,
                            Flows = flows,
                        };
                        // Time one setting leaves unused passes on to the settings after it.
                        var options = plan.Budget is { } budget
                            ? plan.Live with
                            {
                                Budget = TimeSpan.FromTicks(Math.Max(0, (budget - clock.Elapsed).Ticks / settingsLeft)),
                            }
                            : plan.Live;
                        settingsLeft--;
                        var live = new LiveBench();
                        foreach (
                            var sample in live.Run(
                                bed!,
                                setting,
                                cell.Mix,
                                generatorOptions,
                                loaded,
                                options,
                                status,
                                cancellation,
                                counters
                            )
                        )
                        {
                            Record(results, sample, onLive);
                            Step($"live {setting}: {sample.Variant} round {sample.Round + 1}");
                        }
                        results.Notes.AddRange(live.Notes);
                    }
                }
                if (attribution is { Available: true })
                    Attribute(plan, cell, loaded, testbed, bed!.Generators[0], results, status, cancellation);
            }
        }
        catch (Exception e) when (e is OperationCanceledException || cancellation.IsCancellationRequested)
        {
            // The sample under way is abandoned; everything before it is kept.
            results.Incomplete = true;
        }
        finally
        {
            if (testbed.Anchor.PeakHeld > DispatcherAnchor.KernelDispatcherSlots)
                results.Notes.Add(
                    $"this run held up to {testbed.Anchor.PeakHeld} programs in the kernel's XDP "
                        + $"dispatcher, which calls {DispatcherAnchor.KernelDispatcherSlots} directly: "
                        + "the rest ran through an indirect call their cost includes; bench fewer variants at once (--variants)"
                );
            testbed.Anchor.Dispose();
            foreach (var variant in loaded)
                variant.Dispose();
        }
        return results;
    }

    /// <summary>
    /// Loads each variant, and a second copy of the baseline for the A/A control, and
    /// records their static facts; one that cannot be loaded is recorded as a failure, with
    /// its verifier log, and the others go on.
    /// </summary>
    public static List<LoadedVariant> LoadVariants(
        IEnumerable<DiscoveredVariant> variants,
        BenchResults results,
        bool control = false
    )
    {
        var loaded = new List<LoadedVariant>();
        var loads = variants
            .Select(v => (Variant: v, Load: (Func<LoadedVariant>)(() => LoadedVariant.Load(v))))
            .ToList();
        if (control && loads.FirstOrDefault(l => l.Variant.IsBaseline).Variant is { } baseline)
            loads.Insert(
                1 + loads.FindIndex(l => l.Variant == baseline),
                (baseline, () => LoadedVariant.LoadControl(baseline))
            );
        foreach (var (discovered, load) in loads)
        {
            try
            {
                var variant = load();
                loaded.Add(variant);
                results.Facts.Add(
                    new StaticFacts(
                        variant.Name,
                        variant.Role,
                        variant.Program.Info(),
                        ObjectHash(discovered.ObjectPath)
                    )
                    {
                        Sweep = variant.Role == MeasuredRole.Counter ? discovered.Variant.Sweep : null,
                    }
                );
            }
            catch (VariantLoadException e)
            {
                results.LoadFailures.Add(e);
                results.Failures.Add(e.Message);
            }
        }
        return loaded;
    }

    private static string ObjectHash(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    private static void Record(BenchResults results, LiveSample sample, Action<LiveSample>? onLive)
    {
        results.LiveSamples.Add(sample);
        onLive?.Invoke(sample);
        if (sample.Failure is not null)
            results.Failures.Add($"variant {sample.Variant}: {sample.Failure}");
    }

    // Each twin is held in the XDP dispatcher like its original, and must drop every class
    // the live mixes send before any drop-sink window uses it.
    private static void PrepareDropTwins(
        List<LoadedVariant> loaded,
        IReadOnlyList<BenchCell> liveCells,
        VethTestbed testbed,
        BenchResults results
    )
    {
        var frames = liveCells
            .SelectMany(c =>
                c.Mix.Weights.Keys.SelectMany(k => c.Sizes.Weights.Keys.Select(size => (Class: k, FrameSize: size)))
            )
            .Distinct()
            .ToDictionary(
                f => $"{f.FrameSize} B {TrafficClasses.Name(f.Class)}",
                f => FrameBuilder.Build(f.Class, f.FrameSize)
            );
        foreach (var variant in loaded)
        {
            try
            {
                var twin = (Bpf.DropTwin)variant.ProgramFor(Sink.Drop);
                testbed.Anchor.Hold(twin);
                variant.PrepareDropTwin(frames);
            }
            catch (VariantLoadException e)
            {
                results.Failures.Add($"{e.Message} (drop sink)");
            }
        }
    }

    private static void ProfileInstructions(BenchPlan plan, IReadOnlyList<LoadedVariant> loaded, BenchResults results)
    {
        foreach (var variant in loaded.Where(v => v.Role != MeasuredRole.Control))
        {
            foreach (
                var (size, classes) in plan
                    .Cells.GroupBy(c => c.FrameSize)
                    .Select(g => (g.Key, g.SelectMany(c => c.Mix.Weights.Keys).Distinct().Order().ToList()))
            )
            {
                try
                {
                    results.InstructionProfiles.AddRange(
                        Emulation.InstructionProfiler.Profile(variant, classes, size).Select(p => (size, p))
                    );
                }
                catch (Emulation.EmulationException e)
                {
                    results.Notes.Add($"instructions per packet of {variant.Name} cannot be counted: {e.Message}");
                }
            }
        }
    }

    /// <summary>bench --iface: every variant on a real interface with whatever traffic it receives, pass sink only.</summary>
    private static BenchResults RunOnInterface(
        BenchPlan plan,
        InterfaceTarget target,
        BenchResults results,
        Action<LiveSample>? onLive,
        Action<string>? status,
        CancellationToken cancellation
    )
    {
        var iface = HostInterface.Resolve(target.Interface);
        var loaded = LoadVariants(plan.Variants, results);
        try
        {
            // External traffic cannot be calibrated or repeated on demand: a fixed number of rounds.
            foreach (
                var sample in InterfaceBench.Run(
                    loaded,
                    iface,
                    target.AttachMode,
                    target.WindowDuration,
                    plan.Live.Rounds,
                    status,
                    cancellation
                )
            )
                Record(results, sample, onLive);
        }
        catch (Exception e) when (e is OperationCanceledException || cancellation.IsCancellationRequested)
        {
            results.Incomplete = true;
        }
        finally
        {
            foreach (var variant in loaded)
                variant.Dispose();
        }
        return results;
    }

    // Attribution windows come after the throughput windows and never overlap them: the
    // fentry/fexit trampoline inflates every run it wraps.
    private static void Attribute(
        BenchPlan plan,
        BenchCell cell,
        IReadOnlyList<LoadedVariant> loaded,
        VethTestbed testbed,
        LiveFramesGenerator generator,
        BenchResults results,
        Action<string>? status,
        CancellationToken cancellation
    )
    {
        var events = plan.Events.Where(e => e.Kind != Counters.PerfEventKind.Software).ToList();
        var cpus = Cpu.CpuAffinity.AllowedForCurrentThread();
        foreach (var spec in events)
        {
            foreach (var variant in loaded)
            {
                cancellation.ThrowIfCancellationRequested();
                status?.Invoke($"attribution {variant.Name} {spec.Name}");
                try
                {
                    using var link = testbed.DutNamespace.Run(() => variant.Program.AttachXdp(testbed.DutIfindex));
                    using var attribution = Counters.ProgramAttribution.Attach(variant.Program, spec, cpus);
                    generator.Send(
                        cell.Mix.Split(plan.Live.SlicePackets * 10),
                        cell.FrameSize,
                        plan.Generators[0],
                        cancellation
                    );
                    results.Attributions.Add(
                        attribution.Read(variant.Name) with
                        {
                            Mix = cell.Mix.Name,
                            FrameSize = cell.FrameSize,
                        }
                    );
                }
                catch (Exception e) when (e is Native.BpfException or Counters.PerfEventException)
                {
                    results.Notes.Add($"attribution {variant.Name} {spec.Name}: {e.Message}");
                }
            }
        }
    }

    private static int TotalSteps(BenchPlan plan, int variants)
    {
        // Micro and live alike: an ABBA quadruple of slices per variant besides the baseline, each round.
        var quads = 4 * Math.Max(1, variants - 1);
        var micro = plan
            .Cells.Where(c => c.Modes.HasFlag(BenchModes.Micro))
            .Sum(c => BenchPlan.MicroClasses(c.Mix).Count * plan.Micro.MinRounds * quads);
        var perRound = quads + variants;
        var live =
            plan.Cells.Count(c => c.Modes.HasFlag(BenchModes.Live))
            * plan.Generators.Count
            * plan.Sinks.Count
            * plan.Flows.Count
            * plan.Live.Rounds
            * perRound;
        return micro + live;
    }
}
