using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// The testbed as live mode uses it: one lane per measured program, each with a generator
/// of its own (its output interface is a load-time constant), every generator held in the
/// XDP dispatcher so a test run costs microseconds, not a dispatcher rebuild.
/// </summary>
public sealed class LiveTestbed : IDisposable
{
    private readonly List<LiveFramesGenerator> _generators = [];

    private LiveTestbed(VethTestbed testbed) => Testbed = testbed;

    public VethTestbed Testbed { get; }

    /// <summary>The generator that sends into lane i.</summary>
    public IReadOnlyList<LiveFramesGenerator> Generators => _generators;

    /// <summary>Adds lanes until there are <paramref name="lanes"/>, each with its generator.</summary>
    /// <param name="flows">Whether settings send several flows: the generators' flow programs are then held in the dispatcher too.</param>
    public static LiveTestbed Over(VethTestbed testbed, int lanes, bool flows = false)
    {
        var live = new LiveTestbed(testbed);
        try
        {
            while (testbed.Lanes.Count < lanes)
                testbed.AddLane();
            foreach (var lane in testbed.Lanes.Take(lanes))
            {
                var generator = LiveFramesGenerator.Create(lane.GeneratorIfindex);
                live._generators.Add(generator);
                testbed.Anchor.Hold(generator.Program);
                if (flows)
                    testbed.Anchor.Hold(generator.FlowsProgram);
            }
            return live;
        }
        catch
        {
            live.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var generator in _generators)
            generator.Dispose();
    }
}
