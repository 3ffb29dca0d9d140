using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Tests.Engine;

/// <summary>
/// The paired estimator on synthetic machines whose answer is known: each simulated run
/// measures ABBA quadruples (baseline, variant, variant, baseline) on a machine with its own
/// kind of noise, and the Hodges–Lehmann interval of the quadruple differences must cover the
/// true shift at its nominal 95% (within what 1,000 runs can tell), and still find a real shift.
/// </summary>
[Trait(Category.Name, Category.Pure)]
public class EstimatorTests
{
    private const int Runs = 1000;
    private const int Pairs = 60;
    private const double Shift = 0.5;

    /// <summary>A machine: the cost of slice i of a run, given the program's own cost, in ns/packet.</summary>
    private delegate double Machine(Random random, int slice, double programCost);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // Student t with 2 degrees of freedom: infinite variance, the heavy tail of a neighbour's bursts.
    private static double HeavyTailed(Random random) =>
        Gaussian(random) / Math.Sqrt((Math.Pow(Gaussian(random), 2) + Math.Pow(Gaussian(random), 2)) / 2);

    public static TheoryData<string> Machines() =>
        ["gaussian noise", "heavy-tailed noise", "step drift", "bimodal machine"];

    private static Machine Named(string name) =>
        name switch
        {
            "gaussian noise" => (random, _, cost) => cost + 0.8 * Gaussian(random),
            "heavy-tailed noise" => (random, _, cost) => cost + 0.5 * HeavyTailed(random),
            // The machine gets 6 ns slower partway through the run and stays so.
            "step drift" => (random, slice, cost) => cost + 0.3 * Gaussian(random) + (slice > 4 * Pairs / 3 ? 6 : 0),
            // Busy periods of a few dozen slices add 12 ns to whatever runs in them.
            _ => BimodalMachine(),
        };

    private static Machine BimodalMachine()
    {
        var busy = false;
        return (random, _, cost) =>
        {
            if (random.NextDouble() < 0.04)
                busy = !busy;
            return cost + 0.3 * Gaussian(random) + (busy ? 12 : 0);
        };
    }

    private static List<double> Quadruples(Machine machine, Random random, double shift)
    {
        const double baseline = 8;
        var differences = new List<double>();
        var slice = 0;
        for (var pair = 0; pair < Pairs; pair++)
        {
            var a1 = machine(random, slice++, baseline);
            var b1 = machine(random, slice++, baseline + shift);
            var b2 = machine(random, slice++, baseline + shift);
            var a2 = machine(random, slice++, baseline);
            differences.Add((b1 + b2 - a1 - a2) / 2);
        }
        return differences;
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void The_interval_covers_the_true_shift_at_its_nominal_rate(string name)
    {
        var random = new Random(2026);
        var covered = 0;
        for (var run = 0; run < Runs; run++)
        {
            var machine = Named(name);
            if (SignedRank.Of(Quadruples(machine, random, Shift)) is { Low: <= Shift, High: >= Shift })
                covered++;
        }
        var coverage = (double)covered / Runs;
        // 95% nominal; the binomial spread over 1,000 runs is 0.7 points, and the signed-rank
        // interval is conservative by construction (its ranks are whole).
        Assert.InRange(coverage, 0.93, 0.995);
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void A_real_shift_is_found_and_none_is_invented(string name)
    {
        var random = new Random(7);
        int found = 0,
            invented = 0;
        for (var run = 0; run < 200; run++)
        {
            if (SignedRank.Of(Quadruples(Named(name), random, 2.0)).Low > 0)
                found++;
            if (SignedRank.Of(Quadruples(Named(name), random, 0)).Excludes(0))
                invented++;
        }
        Assert.True(found >= 190, $"{name}: a 2 ns shift was found in {found} of 200 runs");
        Assert.True(invented <= 20, $"{name}: no shift was called one in {invented} of 200 runs");
    }

    // Each load of the programs adds an offset of its own (where the JIT put the code) to
    // every pair measured on it: 20 loads of 8 pairs, offsets of 0.2 ns (what two loads of Null
    // differed by here), pair noise of 0.3.
    private static List<(int Cluster, double Difference)> Loads(Random random, double shift)
    {
        var pairs = new List<(int, double)>();
        for (var load = 0; load < 20; load++)
        {
            var offset = 0.2 * Gaussian(random);
            for (var i = 0; i < 8; i++)
                pairs.Add((load, shift + offset + 0.3 * HeavyTailed(random)));
        }
        return pairs;
    }

    [Fact]
    public void Pairs_that_share_a_load_offset_are_covered_at_the_nominal_rate_only_when_taken_by_load()
    {
        var random = new Random(21);
        var byLoad = 0;
        var asPairs = 0;
        for (var run = 0; run < Runs; run++)
        {
            var pairs = Loads(random, Shift);
            if (!Paired.LocationByCluster(pairs).Excludes(Shift))
                byLoad++;
            if (!Paired.Location(pairs.Select(p => p.Difference).ToList()).Excludes(Shift))
                asPairs++;
        }
        Assert.InRange(byLoad, 930, 975);
        // Taken as independent pairs, the interval ignores the offsets and misses far more often.
        Assert.True(asPairs < 850, $"the pair-level interval covered in {asPairs} of {Runs} runs");
    }

    [Fact]
    public void With_fewer_than_three_loads_the_pairs_are_taken_as_they_are()
    {
        var random = new Random(22);
        var pairs = Enumerable
            .Range(0, 30)
            .Select(i => (Cluster: i % 2, Difference: 1 + 0.2 * Gaussian(random)))
            .ToList();
        Assert.Equal(Paired.Location(pairs.Select(p => p.Difference).ToList()), Paired.LocationByCluster(pairs));
        var spread = Enumerable
            .Range(0, 30)
            .Select(i => (Cluster: i % 5, Difference: 1 + 0.2 * Gaussian(random)))
            .ToList();
        Assert.Contains("over 5 loads", Paired.LocationByCluster(spread).Method);
    }

    [Fact]
    public void Under_heavy_tails_the_robust_interval_is_narrower_than_the_mean_s()
    {
        var random = new Random(3);
        var narrower = 0;
        for (var run = 0; run < 200; run++)
        {
            var differences = Quadruples(Named("heavy-tailed noise"), random, Shift);
            if (SignedRank.Of(differences).HalfWidth < Estimate.OfSamples(differences).HalfWidth)
                narrower++;
        }
        Assert.True(narrower > 150, $"narrower in {narrower} of 200 runs");
    }

    [Theory]
    // Critical values of the two-sided Wilcoxon signed-rank test at 5% (T such that P(W <= T) <= 2.5%): the rank is T + 1.
    [InlineData(6, 1)]
    [InlineData(7, 3)]
    [InlineData(8, 4)]
    [InlineData(10, 9)]
    [InlineData(15, 26)]
    [InlineData(20, 53)]
    [InlineData(30, 138)]
    public void Critical_ranks_match_the_published_table(int n, long rank) =>
        Assert.Equal(rank, SignedRank.CriticalRank(n, 0.05));

    [Fact]
    public void Below_six_pairs_no_interval_reaches_95_percent()
    {
        Assert.Equal(0, SignedRank.CriticalRank(5, 0.05));
        Assert.False(SignedRank.Of([1, 2, 3, 4, 5]).IsFinite);
    }

    [Fact]
    public void The_interval_ends_are_order_statistics_of_the_walsh_averages()
    {
        var random = new Random(5);
        var sample = Enumerable.Range(0, 23).Select(_ => random.NextDouble() * 10 - 5).ToList();
        var walsh = new List<double>();
        for (var i = 0; i < sample.Count; i++)
        for (var j = i; j < sample.Count; j++)
            walsh.Add((sample[i] + sample[j]) / 2);
        walsh.Sort();
        var rank = SignedRank.CriticalRank(sample.Count, 0.05);
        var interval = SignedRank.Of(sample);
        Assert.Equal(walsh[(int)rank - 1], interval.Low, 9);
        Assert.Equal(walsh[walsh.Count - (int)rank], interval.High, 9);
        // The estimate is the median of the same averages (276 of them: the mean of the middle two).
        Assert.Equal(276, walsh.Count);
        Assert.Equal((walsh[137] + walsh[138]) / 2, interval.Estimate, 9);
    }
}
