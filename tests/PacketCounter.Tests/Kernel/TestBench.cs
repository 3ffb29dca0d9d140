using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Tests.Kernel;

/// <summary>
/// Small plans for the tests, built by the same <see cref="BenchPlanBuilder"/> the CLI uses
/// from settings, and run through the same <see cref="BenchRunner"/>.
/// </summary>
internal static class TestBench
{
    /// <summary>Live settings for a short, fixed run: no calibration, no adaptive rounds.</summary>
    public static BenchSettings Live(int rounds, long slicePackets, int? statsRounds = null, int seed = 11) =>
        new()
        {
            Packets = slicePackets,
            Warmup = 1_000,
            Rounds = rounds,
            MaxRounds = rounds,
            SliceTime = TimeSpan.Zero,
            StatsRounds = statsRounds ?? rounds,
            Seed = seed,
        };

    /// <summary>Micro settings for a fixed number of rounds: no adaptive rounds, no budget cut.</summary>
    public static BenchSettings Micro(int rounds) =>
        new()
        {
            MicroWarmupRounds = 1,
            MicroRounds = rounds,
            MicroMaxRounds = rounds,
            MicroCellBudget = TimeSpan.FromMinutes(10),
        };

    /// <summary>
    /// The plan of <paramref name="variants"/> on one 64 B cell of <paramref name="mix"/>, no
    /// perf events and no overall budget; the live and micro settings default to a round of
    /// 50k-packet slices and 12 fixed micro rounds.
    /// </summary>
    public static BenchPlan Plan(
        IReadOnlyList<DiscoveredVariant> variants,
        TrafficMix mix,
        BenchModes modes,
        BenchSettings? live = null,
        IReadOnlyList<Sink>? sinks = null,
        CpuList? generator = null,
        BenchSettings? micro = null,
        bool control = false,
        FrameSizes? sizes = null
    )
    {
        live ??= Live(rounds: 1, slicePackets: 50_000);
        micro ??= Micro(rounds: 12);
        var settings = new BenchSettings
        {
            Variants = variants.Select(v => v.Name).ToList(),
            Mixes = [mix],
            Modes = modes,
            SizeMix = sizes,
            Sinks = sinks ?? [Sink.Drop],
            GeneratorCpus = [generator ?? CpuList.Of(0)],
            Events = [],
            Budget = 0,
            Control = control,
            Packets = live.Packets,
            Warmup = live.Warmup,
            Rounds = live.Rounds,
            MaxRounds = live.MaxRounds,
            SliceTime = live.SliceTime,
            StatsRounds = live.StatsRounds,
            Seed = live.Seed,
            MicroWarmupRounds = micro.MicroWarmupRounds,
            MicroRounds = micro.MicroRounds,
            MicroMaxRounds = micro.MicroMaxRounds,
            MicroCellBudget = micro.MicroCellBudget,
            MicroPlacementTime = micro.MicroPlacementTime,
        };
        return BenchPlanBuilder.Build(settings, variants);
    }

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
        CpuList? generator = null
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
