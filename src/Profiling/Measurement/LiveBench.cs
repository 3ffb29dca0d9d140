using System.Diagnostics;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Sources;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// Live mode on the embedded testbed, one setting at a time. Every measured program sits on a
/// lane of its own for the whole setting (the drop twin for the drop sink), so going from one
/// program to the next is only a different generator. Each round runs, for every variant in a
/// shuffled order, a quadruple of short slices, back to back: baseline, variant, variant,
/// baseline, or the other way round by turns (ABBA, BAAB). Busy periods on a shared machine last about a second here and swing the rate
/// by half; a quadruple lasts a fraction of that, so the pair difference cancels them. Run
/// stats are off in these slices: they read the clock around every BPF program run on the
/// host, the generator's included, about 150 ns a packet on this machine's veth path. The
/// first rounds end with a pass of run-stats slices, from which ns/run comes and never a rate.
/// Every slice is verified count by count.
/// </summary>
public sealed class LiveBench
{
    private const long PacketGranularity = 1000;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMilliseconds(500);

    /// <summary>Things the reader must know: the calibrated slice size, a round cap hit.</summary>
    public List<string> Notes { get; } = [];

    public IEnumerable<LiveSample> Run(
        LiveTestbed bed,
        LiveSetting setting,
        TrafficMix mix,
        GeneratorOptions generator,
        IReadOnlyList<LoadedVariant> loaded,
        LiveOptions options,
        Action<string>? status = null,
        CancellationToken cancellation = default,
        IReadOnlyList<ICounterSource>? sources = null
    )
    {
        var lanes = bed
            .Testbed.Lanes.Take(loaded.Count)
            .Select(l => new Lane(l.Index, bed, setting, mix, generator))
            .ToList();
        var programs = loaded.Select(v => new MeasuredProgram(v, setting)).ToList();
        var random = new Random(options.Seed);
        try
        {
            Assign(programs, lanes, random, options.WarmupPackets, cancellation);
            var baseline = programs.FirstOrDefault(p => p.Variant.Role == MeasuredRole.Baseline) ?? programs[0];
            var packets = Calibrate(baseline, setting, options, status, cancellation);
            foreach (
                var sample in Rounds(
                    programs,
                    lanes,
                    baseline,
                    setting,
                    packets,
                    options,
                    random,
                    status,
                    cancellation,
                    sources ?? []
                )
            )
                yield return sample;
        }
        finally
        {
            foreach (var program in programs)
                program.Detach();
        }
    }

    // Veth pairs are not all alike: on this machine one lane ran about 1 ns a packet slower
    // than another in some sittings, whatever program sat on it. Each round deals the
    // programs to the lanes afresh, so a lane's own speed averages out instead of biasing
    // one variant's net figure, and the A/A copy shows whatever is left of it.
    private static void Assign(
        IReadOnlyList<MeasuredProgram> programs,
        IReadOnlyList<Lane> lanes,
        Random random,
        long warmupPackets,
        CancellationToken cancellation
    )
    {
        foreach (var program in programs)
            program.Detach();
        var order = lanes.OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < programs.Count; i++)
            programs[i].AttachTo(order[i]);
        foreach (var program in programs)
            program.WarmUp(warmupPackets, cancellation);
    }

    private long Calibrate(
        MeasuredProgram baseline,
        LiveSetting setting,
        LiveOptions options,
        Action<string>? status,
        CancellationToken cancellation
    )
    {
        var pilot = baseline.Slice(
            options.SlicePackets,
            round: -1,
            quad: null,
            LiveWindowKind.Throughput,
            [],
            cancellation
        );
        if (pilot.Mpps is not { } rate || !double.IsFinite(rate) || rate <= 0)
            return options.SlicePackets;
        var timed =
            (long)Math.Ceiling(rate * 1e6 * options.SliceTime.TotalSeconds / PacketGranularity) * PacketGranularity;
        var packets = Math.Max(options.SlicePackets, timed);
        var note =
            $"live {setting}: {baseline.Variant.Name} ran at {rate:0.00} Mpps in a "
            + $"calibration slice; slices of {packets:N0} packets (at least "
            + $"{options.SliceTime.TotalMilliseconds:0} ms)";
        Notes.Add(note);
        status?.Invoke(note);
        return packets;
    }

    private IEnumerable<LiveSample> Rounds(
        IReadOnlyList<MeasuredProgram> programs,
        IReadOnlyList<Lane> lanes,
        MeasuredProgram baseline,
        LiveSetting setting,
        long packets,
        LiveOptions options,
        Random random,
        Action<string>? status,
        CancellationToken cancellation,
        IReadOnlyList<ICounterSource> sources
    )
    {
        // Shared sources ride along every throughput slice; the others get the stats slices.
        var shared = sources.Where(s => s.Windows == WindowUse.Shared).ToList();
        var own = sources.Where(s => s.Windows == WindowUse.OwnPerRound).ToList();
        var others = programs.Where(p => p != baseline).ToList();
        var samples = new List<LiveSample>();
        var quad = 0;
        var clock = Stopwatch.StartNew();
        var outOfTime = false;
        for (var round = 0; round < options.RoundCap; round++)
        {
            if (round >= options.Rounds)
            {
                var wide = StillWide(samples, programs, baseline, options);
                if (wide.Count == 0)
                    break;
                if (options.Budget is { } budget && clock.Elapsed > budget)
                {
                    outOfTime = true;
                    break;
                }
                if (round == options.Rounds)
                    status?.Invoke(
                        $"live {setting}: adding rounds (up to {options.RoundCap}) while the CI of "
                            + $"{string.Join(", ", wide)} is wider than its target"
                    );
            }
            // A log gets a line every ten rounds, not one per round: a budget can allow hundreds.
            if (round % 10 == 0)
                status?.Invoke(
                    round < options.Rounds
                        ? $"live {setting}: round {round + 1} of {options.Rounds}"
                        : $"live {setting}: extra round {round + 1 - options.Rounds} of up to {options.RoundCap - options.Rounds}"
                );
            if (round > 0)
                Assign(programs, lanes, random, packets / 4, cancellation);
            foreach (var other in others.OrderBy(_ => random.Next()).ToList())
            {
                cancellation.ThrowIfCancellationRequested();
                // ABBA and BAAB take turns, so neither program always sits at the ends of a quadruple.
                var order =
                    quad % 2 == 0 ? new[] { baseline, other, other, baseline } : [other, baseline, baseline, other];
                foreach (var program in order)
                {
                    var sample = program.Slice(packets, round, quad, LiveWindowKind.Throughput, shared, cancellation);
                    samples.Add(sample);
                    yield return sample;
                }
                quad++;
            }
            if (others.Count == 0)
            {
                foreach (var program in new[] { baseline, baseline })
                {
                    var sample = program.Slice(packets, round, null, LiveWindowKind.Throughput, shared, cancellation);
                    samples.Add(sample);
                    yield return sample;
                }
            }
            if (round < options.StatsRounds && own.Any(s => s.Available))
            {
                foreach (var program in programs.OrderBy(_ => random.Next()).ToList())
                    yield return program.Slice(packets, round, null, LiveWindowKind.RunStats, own, cancellation);
            }
        }
        var stillWide = StillWide(samples, programs, baseline, options);
        if (stillWide.Count > 0)
        {
            var why = outOfTime
                ? $"the setting's share of the time budget ({options.Budget!.Value.TotalSeconds:0} s) ran out"
                : $"the round cap ({options.RoundCap}) was reached";
            Notes.Add(
                $"live {setting}: {why} with the CI still wider than its target for {string.Join(", ", stillWide)}"
            );
        }
    }

    // A variant's figures are narrow enough when its Mpps CI over rounds is within the
    // relative target and, for all but the baseline, its paired net cost is within the
    // absolute target (or 5% of itself, for a costly variant).
    private static List<string> StillWide(
        IReadOnlyList<LiveSample> samples,
        IReadOnlyList<MeasuredProgram> programs,
        MeasuredProgram baseline,
        LiveOptions options
    )
    {
        var wide = new List<string>();
        foreach (var program in programs)
        {
            var name = program.Variant.Name;
            var rounds = LivePairs.RoundRates(samples.Where(s => s.Variant == name)).Select(r => r.Mpps).ToList();
            var mpps = Estimate.OfSamples(rounds);
            var narrow = rounds.Count >= 2 && mpps.RelativeHalfWidth <= options.TargetRelativeHalfWidth;
            if (program != baseline)
            {
                var net = SignedRank.Of(LivePairs.Differences(samples, name, baseline.Variant.Name));
                narrow &=
                    net.IsFinite
                    && net.HalfWidth <= Math.Max(options.TargetNetHalfWidthNs, 0.05 * Math.Abs(net.Estimate));
            }
            if (!narrow)
                wide.Add(name);
        }
        return wide;
    }

    /// <summary>One lane of the testbed: its generator, and what its DUT end had received when last read.</summary>
    private sealed class Lane(
        int index,
        LiveTestbed bed,
        LiveSetting setting,
        TrafficMix mix,
        GeneratorOptions generator
    )
    {
        private ulong _rx;

        public XdpLink Attach(KernelProgram program)
        {
            var dut = bed.Testbed.Lanes[index].DutIfindex;
            var link = bed.Testbed.DutNamespace.Run(() => program.AttachXdp(dut, XdpAttachMode.Native));
            _rx = Drain(_rx, expected: null);
            return link;
        }

        public GeneratorRun Send(long packets, CancellationToken cancellation) =>
            bed.Generators[index].Send(setting.Sizes.Split(mix.Split(packets)), generator, cancellation, setting.Flows);

        /// <summary>Frames the DUT end received since the last call, once every frame sent has arrived.</summary>
        public ulong Received(ulong? sent)
        {
            var before = _rx;
            _rx = Drain(before, sent);
            return _rx - before;
        }

        // The receiving XDP program runs on the sending CPU, mostly before the test run
        // returns; the rest drains from the peer's ring within a moment. Wait until the DUT
        // has every frame, or until its counter stops moving (a frame lost at transmit never arrives).
        private ulong Drain(ulong before, ulong? expected)
        {
            var clock = Stopwatch.StartNew();
            var last = bed.Testbed.LaneCounters()[index].RxPackets;
            var stableSince = clock.Elapsed;
            while (clock.Elapsed < DrainLimit)
            {
                if (expected is { } sent && last - before >= sent)
                    return last;
                Thread.Sleep(1);
                var now = bed.Testbed.LaneCounters()[index].RxPackets;
                if (now != last)
                    (last, stableSince) = (now, clock.Elapsed);
                else if (clock.Elapsed - stableSince > TimeSpan.FromMilliseconds(expected is null ? 30 : 10))
                    return last;
            }
            return last;
        }
    }

    /// <summary>
    /// A measured program (the variant's own, or its drop twin), the lane it sits on this round, and its counts when
    /// last read.
    /// </summary>
    private sealed class MeasuredProgram(LoadedVariant variant, LiveSetting setting)
    {
        private IReadOnlyDictionary<string, ulong>? _counts;
        private Lane? _lane;
        private XdpLink? _link;

        public LoadedVariant Variant { get; } = variant;

        private KernelProgram Program => Variant.ProgramFor(setting.Sink);

        public void AttachTo(Lane lane)
        {
            _link = lane.Attach(Program);
            _lane = lane;
        }

        public void Detach()
        {
            _link?.Dispose();
            _link = null;
            _lane = null;
        }

        public void WarmUp(long packets, CancellationToken cancellation)
        {
            if (packets > 0)
                _lane!.Send(packets, cancellation);
            _lane!.Received(sent: packets > 0 ? (ulong)packets : null);
            _counts = Variant.ReadCounts();
        }

        public LiveSample Slice(
            long packets,
            int round,
            int? quad,
            LiveWindowKind kind,
            IReadOnlyList<ICounterSource> sources,
            CancellationToken cancellation
        )
        {
            try
            {
                var lane = _lane ?? throw new InvalidOperationException($"{Variant.Name} is not attached to a lane");
                var countsBefore = _counts ??= Variant.ReadCounts();
                var infoBefore = Program.Info();
                var (run, readings) = SourceWindows.Measure(
                    sources,
                    new SourceWindow(Variant, Program),
                    () => lane.Send(packets, cancellation)
                );
                var delivered = lane.Received((ulong)run.TotalSent);
                var infoAfter = Program.Info();
                _counts = Variant.ReadCounts();
                var counted = CountReader.Delta(countsBefore, _counts);
                // With stats off, run_cnt is read around the slice all the same: it must not move.
                var stats = new RunStatsDelta(
                    infoAfter.RunCount - infoBefore.RunCount,
                    infoAfter.RunTimeNs - infoBefore.RunTimeNs
                );
                if (!readings.OfType<RunStatsReading>().Any())
                    readings = [.. readings, new RunStatsReading(stats)];
                var sample = LiveSample.Of(Variant, setting, round, kind) with
                {
                    Quad = quad,
                    Traffic = run.Traffic,
                    Sent = run.TotalSent,
                    Delivered = delivered,
                    Wall = run.Wall,
                    Readings = readings,
                    Counted = counted,
                    Verification = Variant.Counts
                        ? CountVerification.Compare(
                            CountVerification.Expected(Variant.Source.Variant, run.Traffic),
                            counted
                        )
                        : null,
                };
                // run_cnt moves only while run stats are on. If it moved in a throughput slice,
                // something else held them on (kernel.bpf_stats_enabled=1, or another
                // bpf_enable_stats fd), and the rate carries their cost: it is not the program's.
                if (kind == LiveWindowKind.Throughput && stats.RunCount > 0)
                    sample = sample with
                    {
                        Failure =
                            $"run stats were on during a throughput slice ({Bpf.RunStatsHolders.Explain()}), so its "
                            + "rate is not the program's; turn them off and run again",
                    };
                return sample;
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e) when (cancellation.IsCancellationRequested)
            {
                // A signal can also reach the kernel mid test-run (EINTR): the slice is abandoned either way.
                throw new OperationCanceledException("interrupted", e, cancellation);
            }
            catch (Exception e)
            {
                _counts = null;
                return LiveSample.Of(Variant, setting, round, kind) with { Quad = quad, Failure = e.Message };
            }
        }
    }
}
