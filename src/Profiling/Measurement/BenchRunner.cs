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
            foreach (var variant in plan.Variants)
            {
                try
                {
                    var l = LoadedVariant.Load(variant);
                    loaded.Add(l);
                    testbed.Anchor.Hold(l.Program);
                    results.Facts.Add(new StaticFacts(variant.Name, variant.Variant.Role, l.Program.Info()));
                }
                catch (VariantLoadException e)
                {
                    results.LoadFailures.Add(e);
                    results.Failures.Add(e.Message);
                }
            }
            if (loaded.Count == 0)
                return results;

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
                foreach (var sample in live.Run(livePlan, loaded, testbed, generator, status, cancellation))
                {
                    results.LiveSamples.Add(sample);
                    onLive?.Invoke(sample);
                    if (sample.Failure is not null)
                        results.Failures.Add($"variant {sample.Variant}: {sample.Failure}");
                    Step($"live {sample.Variant} {cell.Mix.Name} {cell.FrameSize} B cpu {sample.GeneratorCpus}");
                }
                results.Notes.AddRange(live.CapHits);
            }
        }
        catch (OperationCanceledException)
        {
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

    private static int TotalSteps(BenchPlan plan, int variants)
    {
        var micro = plan.Cells.Where(c => c.Modes.HasFlag(BenchModes.Micro))
            .Sum(c => BenchPlan.MicroClasses(c.Mix).Count * plan.Micro.Samples * variants);
        var live = plan.Cells.Count(c => c.Modes.HasFlag(BenchModes.Live)) * plan.GeneratorSettings.Count * plan.Repeats * variants;
        // Extra repeats for wide CIs make the bar overshoot its total; it is a guide, not a promise.
        return micro + live;
    }
}
