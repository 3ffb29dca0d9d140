using System.Diagnostics;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.SystemStats;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Measurement;

/// <summary>What live mode runs: variants × generator settings × repeats, each window N packets of the mix.</summary>
public sealed record LivePlan(
    IReadOnlyList<DiscoveredVariant> Variants,
    long Packets,
    int FrameSize,
    TrafficMix Mix,
    IReadOnlyList<GeneratorOptions> GeneratorSettings,
    long WarmupPackets,
    int Repeats = 1,
    int Seed = 0,
    int MaxRepeats = 0,
    double TargetRelativeHalfWidth = 0.05)
{
    /// <summary>Repeats run while any variant's Mpps CI is wider than the target, up to this many.</summary>
    public int RepeatCap => Math.Max(Repeats, MaxRepeats);
}

/// <summary>One variant's live window on the testbed.</summary>
public sealed record LiveSample(
    string Variant,
    VariantRole Role,
    string Mix,
    int FrameSize,
    string GeneratorCpus,
    int Repeat,
    long Sent,
    ulong Delivered,
    TimeSpan Wall,
    double Mpps,
    ulong RunCount,
    ulong RunTimeNs,
    IReadOnlyList<CpuBusy> CpuBusy,
    CountVerification? Verification,
    string? Failure,
    IReadOnlyList<Counters.CounterValue>? Counters = null,
    IReadOnlyDictionary<string, ulong>? Counted = null)
{
    /// <summary>The mix name of windows fed by traffic PacketCounter did not send (bench --iface).</summary>
    public const string ExternalMix = "external";

    public ulong CountedTotal => Counted is null ? Verification?.CountedTotal ?? 0 : (ulong)Counted.Values.Sum(v => (decimal)v);

    /// <summary>Every counted event per delivered packet, and IPC where cycles and instructions both counted.</summary>
    public IReadOnlyDictionary<string, double> CountersPerPacket
    {
        get
        {
            var perPacket = new SortedDictionary<string, double>(StringComparer.Ordinal);
            if (Counters is null || Delivered == 0)
                return perPacket;
            foreach (var counter in Counters)
                perPacket[counter.Event + "/pkt"] = counter.Value / Delivered;
            foreach (var suffix in new[] { "", ":k" })
            {
                var cycles = Counters.FirstOrDefault(c => c.Event == "cycles" + suffix);
                var instructions = Counters.FirstOrDefault(c => c.Event == "instructions" + suffix);
                if (cycles is { Value: > 0 } && instructions is not null)
                    perPacket["IPC" + suffix] = instructions.Value / cycles.Value;
            }
            return perPacket;
        }
    }

    public bool Succeeded => Failure is null;

    /// <summary>Counted exactly (counters), or ran without failure (baseline).</summary>
    public bool Passed => Succeeded && (Verification?.IsExact ?? true);

    /// <summary>Average program run time per invocation, from run stats.</summary>
    public double NsPerRun => RunCount > 0 ? (double)RunTimeNs / RunCount : double.NaN;

    /// <summary>The program's share of one CPU over the window: Δrun_time / wall (as bpftop computes it).</summary>
    public double CpuPercent => Wall > TimeSpan.Zero ? 100.0 * RunTimeNs / Wall.TotalNanoseconds : double.NaN;

    public static string CpuList(GeneratorOptions generator) => string.Join(",", generator.Cpus);
}

/// <summary>
/// Live mode: each variant attached in turn to the DUT end of one testbed while the
/// generator sends the mix. Repeats are interleaved (a shuffled order per round, from a
/// printed seed), so drift on a shared machine reaches every variant alike. Run stats
/// are on for each measured window only. Every window is verified count by count.
/// </summary>
public sealed class LiveBench
{
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromMilliseconds(30);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(2);

    /// <summary>Variants that could not be loaded, with why; they have no samples.</summary>
    public List<VariantLoadException> LoadFailures { get; } = [];

    public IEnumerable<LiveSample> Run(LivePlan plan, IReadOnlyList<LoadedVariant> loaded, VethTestbed testbed, LiveFramesGenerator generator,
        Action<string>? status = null, CancellationToken cancellation = default, Counters.SystemCounters? counters = null)
    {
        var random = new Random(plan.Seed);
        foreach (var setting in plan.GeneratorSettings)
        {
            var mpps = loaded.ToDictionary(v => v.Source.Name, _ => new List<double>());
            for (var repeat = 0; repeat < plan.RepeatCap; repeat++)
            {
                if (repeat >= plan.Repeats && mpps.Values.All(m => WideEnough(m, plan.TargetRelativeHalfWidth)))
                    break;
                foreach (var variant in loaded.OrderBy(_ => random.Next()).ToList())
                {
                    cancellation.ThrowIfCancellationRequested();
                    status?.Invoke($"live {variant.Source.Name} repeat {repeat + 1}/{plan.Repeats}, generator on CPU {LiveSample.CpuList(setting)}");
                    var sample = Window(variant, plan, setting, repeat, testbed, generator, counters, cancellation);
                    if (sample.Succeeded)
                        mpps[variant.Source.Name].Add(sample.Mpps);
                    yield return sample;
                }
            }
            var wide = mpps.Where(m => !WideEnough(m.Value, plan.TargetRelativeHalfWidth)).Select(m => m.Key).ToList();
            if (plan.RepeatCap > plan.Repeats && wide.Count > 0)
                CapHits.Add($"live cpu {LiveSample.CpuList(setting)} {plan.Mix.Name} {plan.FrameSize} B: the repeat cap ({plan.RepeatCap}) was hit with the Mpps CI still wider than {plan.TargetRelativeHalfWidth:P0} for {string.Join(", ", wide)}");
        }
    }

    /// <summary>Settings whose repeat cap was reached before every CI was narrow enough.</summary>
    public List<string> CapHits { get; } = [];

    private static bool WideEnough(List<double> mpps, double target) =>
        mpps.Count >= 2 && Statistics.Estimate.OfSamples(mpps).RelativeHalfWidth <= target;

    /// <summary>Loads, runs and unloads in one go (variants that fail to load are in <see cref="LoadFailures"/>).</summary>
    public List<LiveSample> RunAll(LivePlan plan, Action<string>? status = null, CancellationToken cancellation = default)
    {
        LeftoverSweep.Run();
        var loaded = new List<LoadedVariant>();
        try
        {
            foreach (var variant in plan.Variants)
            {
                try
                {
                    loaded.Add(LoadedVariant.Load(variant));
                }
                catch (VariantLoadException e)
                {
                    LoadFailures.Add(e);
                }
            }
            using var testbed = VethTestbed.Create();
            using var generator = LiveFramesGenerator.Create(testbed.GeneratorIfindex);
            testbed.Anchor.Hold(generator.Program);
            return Run(plan, loaded, testbed, generator, status, cancellation).ToList();
        }
        finally
        {
            foreach (var variant in loaded)
                variant.Dispose();
        }
    }

    private static LiveSample Window(LoadedVariant variant, LivePlan plan, GeneratorOptions setting, int repeat, VethTestbed testbed,
        LiveFramesGenerator generator, Counters.SystemCounters? counters, CancellationToken cancellation)
    {
        var source = variant.Source;
        var cpus = LiveSample.CpuList(setting);
        try
        {
            using var link = testbed.DutNamespace.Run(() => variant.Program.AttachXdp(testbed.DutIfindex));
            if (plan.WarmupPackets > 0)
                generator.Send(plan.Mix.Split(plan.WarmupPackets), plan.FrameSize, setting, cancellation);
            Settle(testbed);

            var countsBefore = variant.ReadCounts();
            var rxBefore = testbed.DutCounters();
            GeneratorRun run;
            ProgramInfo infoBefore, infoAfter;
            IReadOnlyList<CpuTimes> cpuBefore, cpuAfter;
            IReadOnlyList<Counters.CounterValue>? counterValues;
            using (RunStatsScope.Enable())
            {
                infoBefore = variant.Program.Info();
                cpuBefore = CpuTimes.Read();
                counters?.Start();
                run = generator.Send(plan.Mix.Split(plan.Packets), plan.FrameSize, setting, cancellation);
                counterValues = counters?.Stop();
                cpuAfter = CpuTimes.Read();
                Settle(testbed);
                infoAfter = variant.Program.Info();
            }
            var delivered = (testbed.DutCounters() - rxBefore).RxPackets;
            var counted = CountReader.Delta(countsBefore, variant.ReadCounts());
            var verification = source.IsBaseline
                ? null
                : CountVerification.Compare(CountVerification.Expected(source.Variant, run.Sent), counted);
            return new LiveSample(source.Name, source.Variant.Role, plan.Mix.Name, plan.FrameSize, cpus, repeat, run.TotalSent, delivered,
                run.Wall, run.Mpps, infoAfter.RunCount - infoBefore.RunCount, infoAfter.RunTimeNs - infoBefore.RunTimeNs,
                CpuBusy.Between(cpuBefore, cpuAfter), verification, null, counterValues, counted);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e) when (cancellation.IsCancellationRequested)
        {
            // A signal can also reach the kernel mid test-run (EINTR): the window is abandoned either way.
            throw new OperationCanceledException("interrupted", e, cancellation);
        }
        catch (Exception e)
        {
            return new LiveSample(source.Name, source.Variant.Role, plan.Mix.Name, plan.FrameSize, cpus, repeat, 0, 0, TimeSpan.Zero, 0, 0, 0,
                [], null, e.Message);
        }
    }

    // veth hands frames to the peer's NAPI, which can still be draining its ring when
    // the test run returns; wait until the DUT's rx counter stops moving.
    private static void Settle(VethTestbed testbed)
    {
        var limit = Stopwatch.StartNew();
        var last = testbed.DutCounters().RxPackets;
        while (limit.Elapsed < SettleLimit)
        {
            Thread.Sleep(SettleQuiet);
            var now = testbed.DutCounters().RxPackets;
            if (now == last)
                return;
            last = now;
        }
    }
}
