using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Sources;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>How far a run is: steps done of the total, and what runs now.</summary>
public readonly record struct BenchProgress(int Done, int Total, string Current);

/// <summary>A bench's stages, in the order they run.</summary>
public enum BenchStage
{
    /// <summary>Every variant loaded, and the baseline's A/A copy; their static facts recorded.</summary>
    Load,

    /// <summary>Drop twins checked, counter sources probed.</summary>
    Prepare,

    /// <summary>Executed instructions per class counted in the emulator.</summary>
    Profile,

    /// <summary>Every micro cell.</summary>
    Micro,

    /// <summary>Every live setting, on the testbed or a real interface.</summary>
    Live,

    /// <summary>Counter sources that need windows of their own after the rounds (fentry attribution).</summary>
    Attribute,
}

/// <summary>
/// Where a bench reports as it goes: each stage as it starts, each sample as it is taken (so
/// exporters keep them however the run ends), how far it is, and lines worth printing.
/// </summary>
public interface IBenchObserver
{
    void Entered(BenchStage stage) { }

    void Took(MicroSample sample) { }

    void Took(LiveSample sample) { }

    void Progressed(BenchProgress progress) { }

    void Said(string line) { }
}

/// <summary>
/// Runs a <see cref="BenchPlan"/>, the one way every bench is run, by the CLI and the tests
/// alike, in named stages: <see cref="BenchStage.Load"/>, <see cref="BenchStage.Prepare"/>,
/// <see cref="BenchStage.Profile"/>, <see cref="BenchStage.Micro"/>, <see cref="BenchStage.Live"/>
/// and <see cref="BenchStage.Attribute"/>, on the embedded testbed or on a real interface for
/// <see cref="BenchPlan.Interface"/>. A cancelled run returns what it had, marked incomplete.
/// </summary>
public sealed class BenchRunner
{
    private sealed class NoObserver : IBenchObserver;

    public BenchResults Run(BenchPlan plan, IBenchObserver? observer = null, CancellationToken cancellation = default)
    {
        var run = new Stages(plan, observer ?? new NoObserver(), cancellation);
        if (Bpf.RunStatsState.EnabledBySysctl())
            run.Results.Notes.Add(
                "kernel.bpf_stats_enabled is 1: run stats are on for every program on this host, "
                    + "so micro figures include their clock reads and every live throughput window is "
                    + "refused; set it to 0"
            );
        return plan.Interface is { } target ? run.OnInterface(target) : run.OnTestbed();
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
                    new VariantBuild(
                        variant.Name,
                        variant.Role,
                        discovered.Variant.ProgramName,
                        discovered.ObjectSha256(),
                        variant.Program.Info()
                    )
                    {
                        Verifier = VerifierStatsOf(discovered, results),
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

    // The verifier's figures come from a load of their own with the stats log: the loads that
    // are measured keep their flags. The A/A copy is the same program: it shares the baseline's.
    private static VerifierStats? VerifierStatsOf(DiscoveredVariant variant, BenchResults results)
    {
        if (
            results.Facts.FirstOrDefault(f => f.Program == variant.Variant.ProgramName && f.Verifier is not null)
                is { } earlier
            && earlier.ObjectSha256 == variant.ObjectSha256()
        )
            return earlier.Verifier;
        try
        {
            return VerifierStats.Measure(variant.ObjectPath, variant.Variant.ProgramName).Stats;
        }
        catch (Exception e) when (e is Native.BpfException or FormatException)
        {
            results.Notes.Add($"the verifier's figures of {variant.Name} cannot be read: {e.Message}");
            return null;
        }
    }

    /// <summary>One run of a plan: its stages, and what they share.</summary>
    private sealed class Stages(BenchPlan plan, IBenchObserver observer, CancellationToken cancellation)
    {
        private readonly List<LoadedVariant> _loaded = [];
        private readonly List<ICounterSource> _sources = [];
        private readonly List<BenchCell> _liveCells = plan.Cells.Where(c => c.Modes.HasFlag(BenchModes.Live)).ToList();
        private readonly System.Diagnostics.Stopwatch _clock = new();
        private int _done;
        private int _total;

        public BenchResults Results { get; } = new() { Reference = plan.Reference };

        private int LiveSettings => _liveCells.Count * plan.Generators.Count * plan.Sinks.Count * plan.Flows.Count;

        public BenchResults OnTestbed()
        {
            LeftoverSweep.Run();
            using var testbed = VethTestbed.Create(lanes: 0);
            try
            {
                Load(plan.Control);
                if (_loaded.Count == 0)
                    return Results;
                foreach (var variant in _loaded)
                    testbed.Anchor.Hold(variant.Program);
                Prepare(testbed, live: _liveCells.Count > 0);
                Profile();
                _total = TotalSteps();
                _clock.Start();
                Micro(testbed);
                using var bed =
                    _liveCells.Count > 0 ? LiveTestbed.Over(testbed, _loaded.Count, plan.Flows.Any(f => f > 1)) : null;
                if (bed is not null)
                    Live(bed);
                if (bed is not null)
                    Attribute(testbed, bed.Generators[0]);
            }
            catch (Exception e) when (e is OperationCanceledException || cancellation.IsCancellationRequested)
            {
                // The sample under way is abandoned; everything before it is kept.
                Results.Incomplete = true;
            }
            finally
            {
                if (testbed.Anchor.PeakHeld > DispatcherAnchor.KernelDispatcherSlots)
                    Results.Notes.Add(
                        $"this run held up to {testbed.Anchor.PeakHeld} programs in the kernel's XDP "
                            + $"dispatcher, which calls {DispatcherAnchor.KernelDispatcherSlots} directly: "
                            + "the rest ran through an indirect call their cost includes; bench fewer variants at "
                            + "once (--variants)"
                    );
                testbed.Anchor.Dispose();
                Release();
            }
            return Results;
        }

        /// <summary>bench --iface: every variant on a real interface with whatever traffic it receives, pass sink only.</summary>
        public BenchResults OnInterface(InterfaceTarget target)
        {
            var iface = HostInterface.Resolve(target.Interface);
            try
            {
                Load(control: false);
                _sources.Add(new CpuTimeSource());
                _sources.Add(RunStatsSource.Probe());
                Results.CounterSources.AddRange(_sources.SelectMany(s => s.States));
                observer.Entered(BenchStage.Live);
                // External traffic cannot be calibrated or repeated on demand: a fixed number of rounds.
                foreach (
                    var sample in InterfaceBench.Run(
                        _loaded,
                        iface,
                        target.AttachMode,
                        target.WindowDuration,
                        plan.Live.Rounds,
                        _sources,
                        observer.Said,
                        cancellation
                    )
                )
                    Record(sample);
            }
            catch (Exception e) when (e is OperationCanceledException || cancellation.IsCancellationRequested)
            {
                Results.Incomplete = true;
            }
            finally
            {
                Release();
            }
            return Results;
        }

        private void Load(bool control)
        {
            observer.Entered(BenchStage.Load);
            _loaded.AddRange(LoadVariants(plan.Variants, Results, control));
        }

        // Each twin is held in the XDP dispatcher like its original, and must drop every class
        // the live mixes send before any drop-sink window uses it. Each counter source is probed
        // once, up front: one that cannot run here says why and is never begun.
        private void Prepare(VethTestbed testbed, bool live)
        {
            observer.Entered(BenchStage.Prepare);
            if (plan.Sinks.Contains(Sink.Drop) && live)
                PrepareDropTwins(testbed);
            if (!live)
                return;
            var cpus = CpuAffinity.AllowedForCurrentThread();
            if (plan.Events.Count > 0)
                _sources.Add(new PerfEventSource(plan.Events, cpus));
            _sources.Add(RunStatsSource.Probe());
            if (plan.Events.Count > 0)
            {
                var hardware = plan.Events.Where(e => e.Kind != Counters.PerfEventKind.Software).ToList();
                var attribution = AttributionSource.For(hardware, cpus, _loaded[0].Program);
                // One state says what every attribution source found.
                Results.CounterSources.AddRange(
                    _sources.SelectMany(s => s.States).Concat(attribution.Take(1).SelectMany(a => a.States))
                );
                _sources.AddRange(attribution);
            }
            else
                Results.CounterSources.AddRange(_sources.SelectMany(s => s.States));
        }

        private void PrepareDropTwins(VethTestbed testbed)
        {
            var frames = _liveCells
                .SelectMany(c =>
                    c.Mix.Weights.Keys.SelectMany(k => c.Sizes.Weights.Keys.Select(size => (Class: k, FrameSize: size)))
                )
                .Distinct()
                .ToDictionary(
                    f => $"{f.FrameSize} B {TrafficClasses.Name(f.Class)}",
                    f => FrameBuilder.Build(f.Class, f.FrameSize)
                );
            foreach (var variant in _loaded)
            {
                try
                {
                    var twin = (Bpf.DropTwin)variant.ProgramFor(Sink.Drop);
                    testbed.Anchor.Hold(twin);
                    variant.PrepareDropTwin(frames);
                }
                catch (VariantLoadException e)
                {
                    Results.Failures.Add($"{e.Message} (drop sink)");
                }
            }
        }

        // What each program does to each class, by the kernel's own run of one frame, and what a
        // packet of each class executes, by the emulator.
        private void Profile()
        {
            observer.Entered(BenchStage.Profile);
            foreach (var variant in _loaded.Where(v => v.Role != MeasuredRole.Control))
            {
                foreach (
                    var (size, trafficClass) in plan
                        .Cells.SelectMany(c => c.Mix.Weights.Keys.Select(k => (c.FrameSize, k)))
                        .Distinct()
                        .OrderBy(f => f.FrameSize)
                        .ThenBy(f => f.k)
                )
                {
                    var verdict = variant.Program.TestRun(
                        FrameBuilder.Build(trafficClass, size),
                        new Bpf.XdpTestRun(1)
                    );
                    Results.Verdicts.Add(new ClassVerdict(variant.Name, trafficClass, size, verdict.Verdict));
                }
                foreach (
                    var (size, classes) in plan
                        .Cells.GroupBy(c => c.FrameSize)
                        .Select(g => (g.Key, g.SelectMany(c => c.Mix.Weights.Keys).Distinct().Order().ToList()))
                )
                {
                    try
                    {
                        Results.InstructionProfiles.AddRange(
                            Emulation.InstructionProfiler.Profile(variant, classes, size).Select(p => (size, p))
                        );
                    }
                    catch (Emulation.EmulationException e)
                    {
                        Results.Notes.Add($"instructions per packet of {variant.Name} cannot be counted: {e.Message}");
                    }
                }
                if (variant.Role != MeasuredRole.Counter)
                    continue;
                foreach (var (mix, size) in plan.Cells.Select(c => (c.Mix, c.FrameSize)).Distinct())
                {
                    try
                    {
                        var annotation = Emulation.SourceAnnotation.Of(variant, mix, size, $"mix {mix.Name}");
                        Results.HotLines.AddRange(
                            annotation
                                .Hottest(3)
                                .Select(
                                    (h, i) =>
                                        new Emulation.HotLine(
                                            variant.Name,
                                            mix.Name,
                                            size,
                                            i + 1,
                                            h.Line.Source.ToString(),
                                            h.Line.Text,
                                            h.Line.Executed,
                                            h.Share
                                        )
                                )
                        );
                    }
                    catch (Exception e)
                        when (e is Emulation.EmulationException or InvalidDataException or Native.BpfException)
                    {
                        Results.Notes.Add($"where {variant.Name}'s instructions go cannot be told: {e.Message}");
                    }
                }
            }
        }

        private void Micro(VethTestbed testbed)
        {
            var cells = plan.Cells.Where(c => c.Modes.HasFlag(BenchModes.Micro)).ToList();
            if (cells.Count == 0)
                return;
            observer.Entered(BenchStage.Micro);
            foreach (var cell in cells)
            {
                var micro = new MicroBenchmark();
                var options = plan.Budget is { } budget
                    ? plan.Micro with
                    {
                        Budget = budget * (LiveSettings > 0 ? BenchPlan.MicroShare : 1) / cells.Count,
                    }
                    : plan.Micro;
                using var placements = new Placements(_loaded, testbed.Anchor, options.Seed);
                micro.Run(
                    _loaded,
                    BenchPlan.MicroClasses(cell.Mix),
                    cell.FrameSize,
                    options,
                    sample =>
                    {
                        Results.MicroSamples.Add(sample);
                        observer.Took(sample);
                        Step($"micro {TrafficClasses.Name(sample.Class)} {sample.FrameSize} B: {sample.Variant}");
                    },
                    observer.Said,
                    cancellation,
                    placements
                );
                Results.Notes.AddRange(micro.Notes);
            }
        }

        private void Live(LiveTestbed bed)
        {
            observer.Entered(BenchStage.Live);
            var settingsLeft = LiveSettings;
            foreach (var cell in _liveCells)
            foreach (var generator in plan.Generators)
            foreach (var (sink, flows) in plan.Sinks.SelectMany(sink => plan.Flows.Select(flows => (sink, flows))))
            {
                var setting = new LiveSetting(cell.Mix.Name, cell.FrameSize, new GeneratorSource(generator.Cpus), sink)
                {
                    Sizes = cell.Sizes,
                    Flows = flows,
                };
                // Time one setting leaves unused passes on to the settings after it.
                var options = plan.Budget is { } budget
                    ? plan.Live with
                    {
                        Budget = TimeSpan.FromTicks(Math.Max(0, (budget - _clock.Elapsed).Ticks / settingsLeft)),
                    }
                    : plan.Live;
                settingsLeft--;
                var live = new LiveBench();
                foreach (
                    var sample in live.Run(
                        bed,
                        setting,
                        cell.Mix,
                        generator,
                        _loaded,
                        options,
                        observer.Said,
                        cancellation,
                        [.. _sources.Where(s => s.Windows != WindowUse.OwnAfterRounds)]
                    )
                )
                {
                    Record(sample);
                    Step($"live {setting}: {sample.Variant} round {sample.Round + 1}");
                }
                Results.Notes.AddRange(live.Notes);
            }
        }

        // Windows of their own, after the throughput windows and never overlapping them: a source
        // that needs them slows every run it counts (the fentry/fexit trampoline does).
        private void Attribute(VethTestbed testbed, LiveFramesGenerator generator)
        {
            var sources = _sources.Where(s => s.Windows == WindowUse.OwnAfterRounds && s.Available).ToList();
            if (sources.Count == 0)
                return;
            observer.Entered(BenchStage.Attribute);
            foreach (var cell in _liveCells)
            foreach (var source in sources)
            foreach (var variant in _loaded)
            {
                cancellation.ThrowIfCancellationRequested();
                observer.Said($"{source.Name}: {variant.Name}");
                try
                {
                    using var link = testbed.DutNamespace.Run(() => variant.Program.AttachXdp(testbed.DutIfindex));
                    var (_, readings) = SourceWindows.Measure(
                        [source],
                        new SourceWindow(variant, variant.Program),
                        () =>
                            generator.Send(
                                cell.Mix.Split(plan.Live.SlicePackets * 10),
                                cell.FrameSize,
                                plan.Generators[0],
                                cancellation
                            )
                    );
                    foreach (var reading in readings.OfType<AttributionSourceReading>())
                        Results.Attributions.Add(
                            reading.Reading with
                            {
                                Mix = cell.Mix.Name,
                                FrameSize = cell.FrameSize,
                            }
                        );
                }
                catch (Exception e) when (e is Native.BpfException or Counters.PerfEventException)
                {
                    Results.Notes.Add($"{source.Name} {variant.Name}: {e.Message}");
                }
            }
        }

        private void Record(LiveSample sample)
        {
            Results.LiveSamples.Add(sample);
            observer.Took(sample);
            if (sample.Failure is not null)
                Results.Failures.Add($"variant {sample.Variant}: {sample.Failure}");
        }

        private void Step(string current) => observer.Progressed(new BenchProgress(++_done, _total, current));

        private int TotalSteps()
        {
            // Micro and live alike: an ABBA quadruple of slices per variant besides the baseline, each round.
            var quads = 4 * Math.Max(1, _loaded.Count - 1);
            var micro = plan
                .Cells.Where(c => c.Modes.HasFlag(BenchModes.Micro))
                .Sum(c => BenchPlan.MicroClasses(c.Mix).Count * plan.Micro.MinRounds * quads);
            return micro + LiveSettings * plan.Live.Rounds * (quads + _loaded.Count);
        }

        private void Release()
        {
            foreach (var source in _sources)
                source.Dispose();
            foreach (var variant in _loaded)
                variant.Dispose();
        }
    }
}
