using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Tests.Kernel;

/// <summary>Small plans for the tests, run through the same <see cref="BenchRunner"/> the CLI uses.</summary>
internal static class TestBench
{
    /// <summary>Live options for a short, fixed run: no calibration, no adaptive rounds.</summary>
    public static LiveOptions Live(int rounds, long slicePackets, int? statsRounds = null, int seed = 11) =>
        LiveOptions.Default with
        {
            SlicePackets = slicePackets,
            WarmupPackets = 1_000,
            Rounds = rounds,
            MaxRounds = rounds,
            SliceTime = TimeSpan.Zero,
            StatsRounds = statsRounds ?? rounds,
            Seed = seed,
        };

    /// <summary>Micro options for a fixed number of rounds: no adaptive rounds, no budget cut.</summary>
    public static MicroOptions Micro(int rounds) =>
        MicroOptions.Default with
        {
            WarmupRounds = 1,
            MinRounds = rounds,
            MaxRounds = rounds,
            Budget = TimeSpan.FromMinutes(10),
        };

    public static BenchPlan Plan(
        IReadOnlyList<DiscoveredVariant> variants,
        TrafficMix mix,
        BenchModes modes,
        LiveOptions? live = null,
        IReadOnlyList<Sink>? sinks = null,
        GeneratorOptions? generator = null,
        MicroOptions? micro = null,
        bool control = false
    ) =>
        new()
        {
            Variants = variants,
            Cells = [new BenchCell(FrameBuilder.MinimumSize, mix, modes)],
            Live = live ?? Live(rounds: 1, slicePackets: 50_000),
            Sinks = sinks ?? [Sink.Drop],
            Generators = [generator ?? GeneratorOptions.OnCpu(0)],
            Micro = micro ?? Micro(rounds: 12),
            Control = control,
        };

    /// <summary>Runs the plan and fails the test on any load failure or interruption.</summary>
    public static BenchResults Run(BenchPlan plan)
    {
        var results = new BenchRunner().Run(plan);
        Assert.Empty(results.LoadFailures);
        Assert.False(results.Incomplete);
        return results;
    }

    /// <summary>The run's result, as bench computes it from the samples.</summary>
    public static RunResult Analyse(BenchPlan plan, BenchResults results, string id = "test") =>
        RunAnalysis.Of(
            id,
            plan,
            results,
            MachineFacts.Read("test", results.StartedUtc, results.CounterSources, results.Facts.Select(f => f.Identity))
        );

    /// <summary>The throughput slices of a live-only run of <paramref name="variants"/> (the baseline is added when missing).</summary>
    public static List<LiveSample> Slices(
        IReadOnlyList<DiscoveredVariant> variants,
        TrafficMix mix,
        long slicePackets,
        Sink sink = Sink.Drop,
        GeneratorOptions? generator = null
    )
    {
        var withBaseline = Variants.All.Where(v => v.IsBaseline).Concat(variants).Distinct().ToList();
        var results = Run(
            Plan(withBaseline, mix, BenchModes.Live, Live(rounds: 1, slicePackets, statsRounds: 0), [sink], generator)
        );
        return results
            .LiveSamples.Where(s => s.IsThroughput && s.Round >= 0 && variants.Any(v => v.Name == s.Variant))
            .ToList();
    }
}
