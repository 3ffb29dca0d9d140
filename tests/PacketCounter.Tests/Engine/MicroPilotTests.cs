using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Tests.Engine;

/// <summary>Micro mode's slice sizing on synthetic timings whose answer is known: no kernel, no clock.</summary>
[Trait(Category.Name, Category.Pure)]
public class MicroPilotTests
{
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(1.5);

    [Fact]
    public void A_steady_10_ns_program_doubles_past_a_quarter_of_the_target_then_sizes_the_slice_to_it()
    {
        var asked = new List<int>();
        var repeat = MicroBenchmark.PilotRepeat(
            n =>
            {
                asked.Add(n);
                return 10;
            },
            Target
        );
        Assert.Equal(150_000, repeat);
        // 1,000 repetitions take 10 µs; doubling reaches a quarter of 1.5 ms at 64,000.
        Assert.Equal([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000], asked.Take(7));
        // Then three rounds of three runs, the first at the doubled size, the next two at the target's.
        Assert.Equal([64_000, 64_000, 64_000, 150_000, 150_000, 150_000, 150_000, 150_000, 150_000], asked.Skip(7));
    }

    [Fact]
    public void A_slow_first_run_does_not_set_the_size()
    {
        var calls = 0;
        // The first test run of a process is slow: 1,000 ns per repetition, then 10.
        var repeat = MicroBenchmark.PilotRepeat(_ => calls++ == 0 ? 1_000 : 10, Target);
        Assert.Equal(150_000, repeat);
    }

    [Fact]
    public void One_slow_run_of_three_is_outvoted_by_the_middle_one()
    {
        var calls = 0;
        // Past the doubling, every third run is disturbed and reads 20 ns: the middle of three stays 10.
        var repeat = MicroBenchmark.PilotRepeat(_ => ++calls % 3 == 0 ? 20 : 10, Target);
        Assert.Equal(150_000, repeat);
    }
}
