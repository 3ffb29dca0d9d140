using System.Diagnostics;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>How micro mode samples.</summary>
/// <param name="SliceTime">Each slice (one test run) lasts about this long; the repeat count adapts per variant.</param>
/// <param name="WarmupRounds">Rounds taken and discarded before measuring.</param>
/// <param name="MinRounds">Rounds always measured per class: each an ABBA quadruple per variant.</param>
/// <param name="MaxRounds">Rounds are added while a variant's net CI is wider than its target, up to this many.</param>
/// <param name="Budget">The time all classes of a cell may take together; the rounds stop there even if a CI is still wide.</param>
/// <param name="Cpu">The CPU the measuring thread is pinned to.</param>
/// <param name="TargetHalfWidthNs">The net CI half-width a variant needs, or <paramref name="TargetRelative"/> of
/// its net cost if that is larger.</param>
public sealed record MicroOptions(
    TimeSpan SliceTime,
    int WarmupRounds,
    int MinRounds,
    int MaxRounds,
    TimeSpan Budget,
    int Cpu,
    double TargetHalfWidthNs = 0.2,
    double TargetRelative = 0.025,
    int Seed = 1
)
{
    /// <summary>Every program is loaded afresh after about this long of measuring (see <see cref="Placements"/>); zero: never.</summary>
    public TimeSpan PlacementTime { get; init; } = TimeSpan.FromSeconds(1);

    public static MicroOptions Default { get; } =
        new(TimeSpan.FromMilliseconds(1.5), 3, 20, 400, TimeSpan.FromSeconds(30), 0);

    /// <summary>A variant's net CI is narrow enough.</summary>
    public bool NarrowEnough(Interval net) =>
        net.IsFinite && net.HalfWidth <= Math.Max(TargetHalfWidthNs, TargetRelative * Math.Abs(net.Estimate));
}

/// <summary>
/// One micro slice: one test run of <see cref="Repeat"/> repetitions of a frame, timed by our
/// clock around the call (the kernel's own figure is whole nanoseconds, recorded beside it).
/// </summary>
/// <param name="Quad">The quadruple the slice belongs to (baseline, variant, variant, baseline, or the other way
/// round); the unit net costs are paired on.</param>
/// <param name="Placement">Which load of the program was timed: 0 for the run's own, then one more per renewal.</param>
public sealed record MicroSample(
    string Variant,
    MeasuredRole Role,
    TrafficClass Class,
    int FrameSize,
    int Round,
    int Quad,
    int Repeat,
    double NsPerPacket,
    uint KernelDurationNs,
    int Placement = 0
) : ICellRow
{
    public CellKey Cell => CellKey.Micro(Class, FrameSize);
}

/// <summary>
/// Isolated program cost: BPF_PROG_TEST_RUN (not live) of one frame per class, on a pinned OS
/// thread, run stats off. Slices of about 1.5 ms alternate each variant with the baseline in
/// ABBA and BAAB order by turns, so a neighbour's burst on a shared machine lands on both
/// sides of a pair; a probe here put the median of such pairs within ±0.02 ns where the mean
/// of the same pairs swung by ±0.4 ns. Nothing is allocated between timed calls, and samples
/// reach the caller after each round: a collection or a CSV flush beside a slice slowed the
/// slices next to it by up to 2 ns here, which the A/A control showed. Stages are separate:
/// a pilot sizes each variant's slice, warm-up rounds are discarded, then measured rounds,
/// added while any variant's net CI is wider than its target, within the time budget.
/// </summary>
public sealed class MicroBenchmark
{
    private const int FirstPilotRepeat = 1_000;

    // The stopping rule's interval costs ~25 ms per variant at 400 pairs (three passes over
    // the Walsh averages), so it is checked every few rounds, not after each.
    private const int CheckEvery = 10;

    /// <summary>Classes whose round cap or time share ran out with a CI still wide.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>
    /// Measures every loaded variant on every class, each paired with the baseline (the
    /// variant with <see cref="MeasuredRole.Baseline"/>, or the first). Classes take turns
    /// round by round, so a neighbour's busy stretch spreads over all of them instead of
    /// spoiling the few that happened to run then; a class leaves the rotation once every
    /// variant's net CI is narrow enough. Run stats must be off: they add a clock read to
    /// every run (22 ns → 108 ns for a trivial program here).
    /// </summary>
    /// <param name="placements">Fresh loads of the variants, renewed every <see cref="MicroOptions.PlacementTime"/>;
    /// null: the variants' own loads throughout.</param>
    public void Run(
        IReadOnlyList<LoadedVariant> variants,
        IReadOnlyList<TrafficClass> classes,
        int frameSize,
        MicroOptions options,
        Action<MicroSample> onSample,
        Action<string>? status = null,
        CancellationToken cancellation = default,
        Placements? placements = null
    )
    {
        placements ??= new Placements(variants, anchor: null);
        if (RunStatsState.EnabledBySysctl())
            status?.Invoke("warning: kernel.bpf_stats_enabled is 1; micro figures include the stats clock reads");
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(options.Cpu);
                Measure(variants, classes, frameSize, options, onSample, status, cancellation, placements);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "micro benchmark",
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private void Measure(
        IReadOnlyList<LoadedVariant> variants,
        IReadOnlyList<TrafficClass> classes,
        int frameSize,
        MicroOptions options,
        Action<MicroSample> onSample,
        Action<string>? status,
        CancellationToken cancellation,
        Placements placements
    )
    {
        var clock = Stopwatch.StartNew();
        var renewed = TimeSpan.Zero;
        var baseline = variants.FirstOrDefault(v => v.Role == MeasuredRole.Baseline) ?? variants[0];
        var others = variants.Where(v => v != baseline).ToList();
        var random = new Random(options.Seed);
        var cells = classes
            .Select(c =>
            {
                var frame = FrameBuilder.Build(c, frameSize);
                return new ClassCell(
                    c,
                    frame,
                    variants.ToDictionary(v => v, v => PilotRepeat(v.Program, frame, options.SliceTime)),
                    others.ToDictionary(v => v, _ => new List<(int, double)>())
                );
            })
            .ToList();
        status?.Invoke(
            $"micro {frameSize} B: {classes.Count} classes in turn, {string.Join(", ", variants.Select(v => v.Name))}"
        );
        var quad = 0;
        var outOfTime = false;
        var plan = new List<(ClassCell Cell, LoadedVariant Other, bool Abba)>();
        var timed = new (double NsPerPacket, uint KernelDurationNs)[4 * cells.Count * Math.Max(1, others.Count)];
        for (var round = -options.WarmupRounds; round < options.MaxRounds; round++)
        {
            var open = cells.Where(c => !c.Done).ToList();
            if (open.Count == 0)
                break;
            if (round >= options.MinRounds && clock.Elapsed > options.Budget)
            {
                outOfTime = true;
                break;
            }
            if (
                round >= 0
                && placements.CanRenew
                && options.PlacementTime > TimeSpan.Zero
                && clock.Elapsed - renewed >= options.PlacementTime
            )
            {
                placements.Renew();
                renewed = clock.Elapsed;
            }
            // Everything the round will do is decided before it: nothing is allocated between
            // its timed calls, so no collection can land in, or beside, one of them.
            plan.Clear();
            foreach (var cell in open.OrderBy(_ => random.Next()))
            foreach (var other in (others.Count > 0 ? others : [baseline]).OrderBy(_ => random.Next()))
                plan.Add((cell, other, (quad + plan.Count) % 2 == 0));
            cancellation.ThrowIfCancellationRequested();
            for (var q = 0; q < plan.Count; q++)
            {
                var (cell, other, abba) = plan[q];
                // ABBA and BAAB take turns, so neither program always sits at the ends, and an
                // untimed washout slice absorbs what the previous quadruple's program left
                // behind (a costly variant slows the slice after it).
                var (first, second) = abba ? (baseline, other) : (other, baseline);
                var repeat = cell.RepeatFor(other, baseline);
                var (one, two) = (placements.ProgramOf(first), placements.ProgramOf(second));
                TimeSlice(one, cell.Frame, Math.Max(1, repeat / 4));
                timed[4 * q] = TimeSlice(one, cell.Frame, repeat);
                timed[4 * q + 1] = TimeSlice(two, cell.Frame, repeat);
                timed[4 * q + 2] = TimeSlice(two, cell.Frame, repeat);
                timed[4 * q + 3] = TimeSlice(one, cell.Frame, repeat);
            }
            if (round >= 0)
            {
                for (var q = 0; q < plan.Count; q++, quad++)
                {
                    var (cell, other, abba) = plan[q];
                    var (first, second) = abba ? (baseline, other) : (other, baseline);
                    var slots = new[] { first, second, second, first };
                    for (var slot = 0; slot < 4; slot++)
                        onSample(
                            new MicroSample(
                                slots[slot].Name,
                                slots[slot].Role,
                                cell.Class,
                                frameSize,
                                round,
                                quad,
                                cell.RepeatFor(other, baseline),
                                timed[4 * q + slot].NsPerPacket,
                                timed[4 * q + slot].KernelDurationNs,
                                placements.Epoch
                            )
                        );
                    if (other != baseline)
                    {
                        var ends = timed[4 * q].NsPerPacket + timed[4 * q + 3].NsPerPacket;
                        var middle = timed[4 * q + 1].NsPerPacket + timed[4 * q + 2].NsPerPacket;
                        cell.Differences[other].Add((placements.Epoch, (abba ? middle - ends : ends - middle) / 2));
                    }
                }
            }
            if (round >= options.MinRounds - 1 && (round + 1 - options.MinRounds) % CheckEvery == 0)
                foreach (var cell in open)
                    cell.Done = cell.Differences.Values.All(d => options.NarrowEnough(Paired.LocationByCluster(d)));
        }
        // Each interval once: at a few hundred pairs it costs milliseconds per variant.
        var wide = cells
            .Where(c => !c.Done)
            .Select(c =>
                (
                    c.Class,
                    Variants: c.Differences.Where(d => !options.NarrowEnough(Paired.LocationByCluster(d.Value)))
                        .Select(d => d.Key.Name)
                        .ToList()
                )
            )
            .Where(c => c.Variants.Count > 0)
            .ToList();
        var rounds = cells.Max(c => c.Differences.Values.Select(d => d.Count).DefaultIfEmpty(0).Max());
        status?.Invoke(
            $"micro {frameSize} B: up to {rounds} rounds per class in "
                + $"{clock.Elapsed.TotalSeconds:0.0} s over {placements.Epoch + 1} loads of each "
                + $"program ({placements.RenewalTime.TotalSeconds:0.0} s loading)"
                + (
                    wide.Count > 0
                        ? $"; a CI is still wider than its target in {string.Join(", ", wide.Select(c => TrafficClasses.Name(c.Class)))}"
                        : ""
                )
        );
        foreach (var cell in wide)
            Notes.Add(
                $"micro {TrafficClasses.Name(cell.Class)} {frameSize} B: "
                    + $"{(outOfTime ? "the time budget" : $"the round cap ({options.MaxRounds})")} ran "
                    + $"out with the net CI still wider than its target for {string.Join(", ", cell.Variants)}"
            );
    }

    private sealed record ClassCell(
        TrafficClass Class,
        byte[] Frame,
        IReadOnlyDictionary<LoadedVariant, int> Repeats,
        IReadOnlyDictionary<LoadedVariant, List<(int Placement, double Difference)>> Differences
    )
    {
        public bool Done { get; set; }

        /// <summary>
        /// One repeat count for both programs of a quadruple, sized for the cheaper of the two:
        /// a test run's fixed cost (a few microseconds) divided by the repeats then cancels in
        /// the difference, where two pilots' sizes would leave it in.
        /// </summary>
        public int RepeatFor(LoadedVariant variant, LoadedVariant baseline) =>
            Math.Min(Repeats[variant], Repeats[baseline]);
    }

    private static int PilotRepeat(KernelProgram program, byte[] frame, TimeSpan target) =>
        PilotRepeat(repeat => TimeSlice(program, frame, repeat).NsPerPacket, target);

    /// <summary>
    /// The repeat count that makes one test run last <paramref name="target"/>, given a way
    /// to time a run of N repetitions (ns per repetition). It doubles the count until a run
    /// takes a quarter of the target, then times three runs of the target's length and takes
    /// the middle one, three times over. A process's first test runs are slow (the first
    /// pilot here once chose 3,000 repeats where 200,000 were right), so the size comes from
    /// the full-length runs, never from the first.
    /// </summary>
    internal static int PilotRepeat(Func<int, double> nsPerPacketAt, TimeSpan target)
    {
        var repeat = FirstPilotRepeat;
        while (true)
        {
            var ns = nsPerPacketAt(repeat);
            if (ns * repeat >= target.TotalNanoseconds / 4 || repeat >= int.MaxValue / 4)
                break;
            repeat *= 2;
        }
        for (var i = 0; i < 3; i++)
        {
            var runs = Enumerable.Range(0, 3).Select(_ => nsPerPacketAt(repeat)).Order().ToList();
            repeat = (int)Math.Clamp(Math.Ceiling(target.TotalNanoseconds / runs[1]), 1, int.MaxValue / 2);
        }
        return repeat;
    }

    /// <summary>
    /// One timed slice as micro mode times it: our clock around one test run of
    /// <paramref name="repeat"/> repetitions, per repetition, beside the kernel's own
    /// figure for the same call (whole nanoseconds).
    /// </summary>
    internal static (double NsPerPacket, uint KernelDurationNs) TimeSlice(
        KernelProgram program,
        byte[] frame,
        int repeat
    )
    {
        var start = Stopwatch.GetTimestamp();
        var result = program.TestRun(frame, new XdpTestRun(repeat));
        var elapsed = Stopwatch.GetElapsedTime(start);
        return (elapsed.TotalNanoseconds / repeat, result.KernelDurationNs);
    }
}
