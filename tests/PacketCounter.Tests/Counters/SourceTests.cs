using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Counters;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Sources;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Counters;

/// <summary>Counter sources driven as bench drives them: probed first, then begun and ended around a window.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class SourceTests(ITestOutputHelper output) : KernelLeakGuard
{
    private const int Runs = 5_000;

    [Fact]
    public void Run_stats_count_every_run_of_their_own_window_and_none_after_it()
    {
        using var ultra = LoadedVariant.Load(Variants.Named("Ultra"));
        using var source = RunStatsSource.Probe();
        Assert.True(source.Available, source.States[0].Detail);
        Assert.Equal(WindowUse.OwnPerRound, source.Windows);
        var frame = FrameBuilder.Build(TrafficClass.Ipv4Udp, 64);
        var window = new SourceWindow(ultra, ultra.Program);
        var (_, readings) = SourceWindows.Measure(
            [source],
            window,
            () => ultra.Program.TestRun(frame, new XdpTestRun(Runs))
        );
        var delta = Assert.IsType<RunStatsReading>(Assert.Single(readings)).Delta;
        Assert.Equal((ulong)Runs, delta.RunCount);
        Assert.True(delta.RunTimeNs > 0);
        // Ended, the source holds stats on no longer: the next runs move no run count.
        var before = ultra.Program.Info().RunCount;
        ultra.Program.TestRun(frame, new XdpTestRun(Runs));
        Assert.Equal(before, ultra.Program.Info().RunCount);
    }

    [Fact]
    public void Attribution_says_up_front_whether_it_can_run_and_counts_one_run_per_packet_where_it_can()
    {
        using var ultra = LoadedVariant.Load(Variants.Named("Ultra"));
        var sources = AttributionSource.For([PerfEventSpec.Parse("cpu-clock")], [0], ultra.Program);
        using var source = Assert.Single(sources);
        Assert.Equal(WindowUse.OwnAfterRounds, source.Windows);
        var state = Assert.Single(source.States);
        var frame = FrameBuilder.Build(TrafficClass.Ipv4Udp, 64);
        var (_, readings) = SourceWindows.Measure(
            [source],
            new SourceWindow(ultra, ultra.Program),
            () => ultra.Program.TestRun(frame, new XdpTestRun(Runs))
        );
        if (!source.Available)
        {
            // The degradation path: the reason is said, nothing is attached, nothing is read.
            output.WriteLine($"fentry attribution: {state.Detail}");
            Assert.StartsWith("not supported: ", state.Detail);
            Assert.Empty(readings);
            return;
        }
        var reading = Assert.IsType<AttributionSourceReading>(Assert.Single(readings)).Reading;
        Assert.Equal((ulong)Runs, reading.Runs);
        Assert.True(reading.PerRun > 0);
    }

    [Fact]
    public void A_window_that_throws_ends_every_source_it_began()
    {
        using var ultra = LoadedVariant.Load(Variants.Named("Ultra"));
        using var source = RunStatsSource.Probe();
        var window = new SourceWindow(ultra, ultra.Program);
        Assert.Throws<InvalidOperationException>(() =>
            SourceWindows.Measure<int>([source], window, () => throw new InvalidOperationException("cut short"))
        );
        // Stats are off again: a run now moves no run count.
        var before = ultra.Program.Info().RunCount;
        ultra.Program.TestRun(FrameBuilder.Build(TrafficClass.Ipv4Udp, 64), new XdpTestRun(100));
        Assert.Equal(before, ultra.Program.Info().RunCount);
    }
}
