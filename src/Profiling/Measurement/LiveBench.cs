using System.Diagnostics;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// Live mode on the embedded testbed, one setting at a time. Every measured program sits on a
/// lane of its own for the whole setting (the drop twin for the drop sink), so going from one
/// program to the next is only a different generator. Each round runs, for every variant in a
/// shuffled order, an ABBA quadruple of short slices: baseline, variant, variant, baseline,
/// back to back. Busy periods on a shared machine last about a second here and swing the rate
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

    public IEnumerable<LiveSample> Run(LiveTestbed bed, LiveSetting setting, TrafficMix mix, GeneratorOptions generator, IReadOnlyList<LoadedVariant> loaded,
        LiveOptions options, Action<string>? status = null, CancellationToken cancellation = default, Counters.SystemCounters? counters = null)
    {
        var lanes = loaded.Select((variant, index) => new Lane(variant, index, bed, setting, mix, generator)).ToList();
        var links = new List<XdpLink>();
        try
        {
            foreach (var lane in lanes)
                links.Add(lane.Attach());
            foreach (var lane in lanes)
                lane.WarmUp(options.WarmupPackets, cancellation);
            var baseline = lanes.FirstOrDefault(l => l.Variant.Role == MeasuredRole.Baseline) ?? lanes[0];
            var packets = Calibrate(baseline, setting, options, status, cancellation);
            foreach (var sample in Rounds(lanes, baseline, setting, packets, options, status, cancellation, counters))
                yield return sample;
        }
        finally
        {
            foreach (var link in links)
                link.Dispose();
        }
    }

    private long Calibrate(Lane baseline, LiveSetting setting, LiveOptions options, Action<string>? status, CancellationToken cancellation)
    {
        var pilot = baseline.Slice(options.SlicePackets, round: -1, quad: null, LiveWindowKind.Throughput, null, cancellation);
        if (pilot.Mpps is not { } rate || !double.IsFinite(rate) || rate <= 0)
            return options.SlicePackets;

        var timed = (long)Math.Ceiling(rate * 1e6 * options.SliceTime.TotalSeconds / PacketGranularity) * PacketGranularity;
        var packets = Math.Max(options.SlicePackets, timed);
        var note = $"live {setting}: {baseline.Variant.Name} ran at {rate:0.00} Mpps in a calibration slice; slices of {packets:N0} packets (at least {options.SliceTime.TotalMilliseconds:0} ms)";
        Notes.Add(note);
        status?.Invoke(note);
        return packets;
    }

    private IEnumerable<LiveSample> Rounds(IReadOnlyList<Lane> lanes, Lane baseline, LiveSetting setting, long packets, LiveOptions options,
        Action<string>? status, CancellationToken cancellation, Counters.SystemCounters? counters)
    {
        var random = new Random(options.Seed);
        var others = lanes.Where(l => l != baseline).ToList();
        var samples = new List<LiveSample>();
        var quad = 0;
        for (var round = 0; round < options.RoundCap; round++)
        {
            if (round >= options.Rounds)
            {
                var wide = StillWide(samples, lanes, baseline, options);
                if (wide.Count == 0)
                    break;
                if (round == options.Rounds)
                    status?.Invoke($"live {setting}: adding rounds (up to {options.RoundCap}) while the CI of {string.Join(", ", wide)} is wider than its target");
            }
            status?.Invoke(round < options.Rounds
                ? $"live {setting}: round {round + 1} of {options.Rounds}"
                : $"live {setting}: extra round {round + 1 - options.Rounds} of up to {options.RoundCap - options.Rounds}");
            foreach (var other in others.OrderBy(_ => random.Next()).ToList())
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var lane in new[] { baseline, other, other, baseline })
                {
                    var sample = lane.Slice(packets, round, quad, LiveWindowKind.Throughput, counters, cancellation);
                    samples.Add(sample);
                    yield return sample;
                }
                quad++;
            }
            if (others.Count == 0)
            {
                foreach (var lane in new[] { baseline, baseline })
                {
                    var sample = lane.Slice(packets, round, null, LiveWindowKind.Throughput, counters, cancellation);
                    samples.Add(sample);
                    yield return sample;
                }
            }
            if (round < options.StatsRounds)
            {
                var pass = new List<LiveSample>();
                using (RunStatsScope.Enable())
                {
                    foreach (var lane in lanes.OrderBy(_ => random.Next()).ToList())
                        pass.Add(lane.Slice(packets, round, null, LiveWindowKind.RunStats, null, cancellation));
                }
                foreach (var sample in pass)
                    yield return sample;
            }
        }
        var stillWide = StillWide(samples, lanes, baseline, options);
        if (stillWide.Count > 0)
            Notes.Add($"live {setting}: the round cap ({options.RoundCap}) was reached with the CI still wider than its target for {string.Join(", ", stillWide)}");
    }

    // A variant's figures are narrow enough when its Mpps CI over rounds is within the
    // relative target and, for all but the baseline, its paired net cost is within the
    // absolute target (or 5% of itself, for a costly variant).
    private static List<string> StillWide(IReadOnlyList<LiveSample> samples, IReadOnlyList<Lane> lanes, Lane baseline, LiveOptions options)
    {
        var wide = new List<string>();
        foreach (var lane in lanes)
        {
            var name = lane.Variant.Name;
            var rounds = Analysis.LiveFigures.RoundRates(samples.Where(s => s.Variant == name));
            var mpps = Estimate.OfSamples(rounds);
            var narrow = rounds.Count >= 2 && mpps.RelativeHalfWidth <= options.TargetRelativeHalfWidth;
            if (lane != baseline)
            {
                var net = SignedRank.Of(Analysis.LiveFigures.QuadDifferences(samples, name, baseline.Variant.Name));
                narrow &= net.IsFinite && net.HalfWidth <= Math.Max(options.TargetNetHalfWidthNs, 0.05 * Math.Abs(net.Estimate));
            }
            if (!narrow)
                wide.Add(name);
        }
        return wide;
    }

    /// <summary>One measured program on its lane: its generator, its attachment, and what its counters and the DUT said last.</summary>
    private sealed class Lane(LoadedVariant variant, int index, LiveTestbed bed, LiveSetting setting, TrafficMix mix, GeneratorOptions generator)
    {
        private IReadOnlyDictionary<string, ulong>? _counts;
        private ulong _rx;

        public LoadedVariant Variant { get; } = variant;

        private KernelProgram Program => Variant.ProgramFor(setting.Sink);

        public XdpLink Attach()
        {
            var program = Program;
            var dut = bed.Testbed.Lanes[index].DutIfindex;
            return bed.Testbed.DutNamespace.Run(() => program.AttachXdp(dut, XdpAttachMode.Native));
        }

        public void WarmUp(long packets, CancellationToken cancellation)
        {
            if (packets > 0)
                Send(packets, cancellation);
            _rx = Drain(_rx, expected: null);
            _counts = Variant.ReadCounts();
        }

        private GeneratorRun Send(long packets, CancellationToken cancellation) =>
            bed.Generators[index].Send(mix.Split(packets), setting.FrameSize, generator, cancellation);

        public LiveSample Slice(long packets, int round, int? quad, LiveWindowKind kind, Counters.SystemCounters? counters, CancellationToken cancellation)
        {
            try
            {
                var countsBefore = _counts ??= Variant.ReadCounts();
                var rxBefore = _rx;
                var infoBefore = Program.Info();
                counters?.Start();
                var run = Send(packets, cancellation);
                var counterValues = counters?.Stop();
                _rx = Drain(rxBefore, (ulong)run.TotalSent);
                var infoAfter = Program.Info();
                _counts = Variant.ReadCounts();
                var counted = CountReader.Delta(countsBefore, _counts);
                var stats = new RunStatsDelta(infoAfter.RunCount - infoBefore.RunCount, infoAfter.RunTimeNs - infoBefore.RunTimeNs);
                var sample = new LiveSample
                {
                    Variant = Variant.Name,
                    Role = Variant.Role,
                    Setting = setting,
                    Round = round,
                    Quad = quad,
                    Kind = kind,
                    SentPerClass = run.Sent,
                    Sent = run.TotalSent,
                    Delivered = _rx - rxBefore,
                    Wall = run.Wall,
                    RunStats = stats,
                    Counters = counterValues,
                    Counted = counted,
                    Verification = Variant.Counts ? CountVerification.Compare(CountVerification.Expected(Variant.Source.Variant, run.Sent), counted) : null,
                };
                // run_cnt moves only while run stats are on. If it moved in a throughput slice,
                // something else held them on (kernel.bpf_stats_enabled=1, or another
                // bpf_enable_stats fd), and the rate carries their cost: it is not the program's.
                if (kind == LiveWindowKind.Throughput && stats.RunCount > 0)
                    sample = sample with { Failure = "run stats were on during a throughput slice (kernel.bpf_stats_enabled=1 or another process holds them on), so its rate is not the program's; turn them off and run again" };
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
                return LiveSample.Failed(Variant.Name, Variant.Role, setting, round, kind, e.Message) with { Quad = quad };
            }
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
}
