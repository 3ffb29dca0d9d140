using System.Diagnostics;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Measurement;

/// <summary>What to run: which variants, how much traffic, of which kind.</summary>
public sealed record LivePlan(
    IReadOnlyList<DiscoveredVariant> Variants,
    long Packets,
    int FrameSize,
    TrafficMix Mix,
    GeneratorOptions Generator,
    long WarmupPackets);

/// <summary>One variant's live window on the testbed.</summary>
public sealed record LiveOutcome(
    string Variant,
    VariantRole Role,
    long Sent,
    ulong Delivered,
    TimeSpan Wall,
    double Mpps,
    CountVerification? Verification,
    ProgramInfo? Program,
    string? Failure)
{
    public bool Succeeded => Failure is null;

    /// <summary>Counted exactly (counters), or ran without failure (baseline).</summary>
    public bool Passed => Succeeded && (Verification?.IsExact ?? true);
}

/// <summary>
/// Runs each variant in turn on one embedded testbed: attach to the DUT end, warm up,
/// send the mix, read the counts and verify them against what was sent. A variant that
/// fails is recorded with its reason and the others still run.
/// </summary>
public sealed class LiveBench
{
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromMilliseconds(30);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(2);

    public IEnumerable<LiveOutcome> Run(LivePlan plan, Action<string>? status = null, CancellationToken cancellation = default)
    {
        LeftoverSweep.Run();
        using var testbed = VethTestbed.Create();
        using var generator = LiveFramesGenerator.Create(testbed.GeneratorIfindex);
        foreach (var variant in plan.Variants)
        {
            cancellation.ThrowIfCancellationRequested();
            status?.Invoke($"{variant.Name}: {plan.Packets:N0} packets of '{plan.Mix.Name}' at {plan.FrameSize} B");
            yield return RunOne(variant, plan, testbed, generator, cancellation);
        }
    }

    private static LiveOutcome RunOne(DiscoveredVariant variant, LivePlan plan, VethTestbed testbed, LiveFramesGenerator generator,
        CancellationToken cancellation)
    {
        try
        {
            using var loaded = LoadedVariant.Load(variant);
            using var link = testbed.DutNamespace.Run(() => loaded.Program.AttachXdp(testbed.DutIfindex));
            if (plan.WarmupPackets > 0)
                generator.Send(plan.Mix.Split(plan.WarmupPackets), plan.FrameSize, plan.Generator, cancellation);
            Settle(testbed);

            var countsBefore = loaded.ReadCounts();
            var rxBefore = testbed.DutCounters();
            var run = generator.Send(plan.Mix.Split(plan.Packets), plan.FrameSize, plan.Generator, cancellation);
            Settle(testbed);
            var delivered = (testbed.DutCounters() - rxBefore).RxPackets;
            var counted = CountReader.Delta(countsBefore, loaded.ReadCounts());

            var verification = variant.IsBaseline
                ? null
                : CountVerification.Compare(CountVerification.Expected(variant.Variant, run.Sent), counted);
            return new LiveOutcome(variant.Name, variant.Variant.Role, run.TotalSent, delivered, run.Wall, run.Mpps,
                verification, loaded.Program.Info(), null);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            return new LiveOutcome(variant.Name, variant.Variant.Role, 0, 0, TimeSpan.Zero, 0, null, null, e.Message);
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
