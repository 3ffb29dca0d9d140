using PacketCounter.Abstractions;
using PacketCounter.Profiling.Comparison;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Tests.History;

/// <summary>The decision rule on synthetic runs whose answer is known, with a fixed seed.</summary>
[Trait(Category.Name, Category.Pure)]
public class RegressionGateTests
{
    private const double BaselineNs = 8;

    // Per-quadruple cost ratios as this VM produces them: heavy-tailed noise around the
    // true ratio, and now and then a burst that lands on one side of a quadruple.
    private static List<double> Quads(Random random, double ratio, int count, double noise)
    {
        var values = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var t = StudentT3(random);
            var burst = random.NextDouble() < 0.05 ? 0.3 * random.NextDouble() : 0;
            values.Add(ratio * (1 + noise * t + burst));
        }
        return values;
    }

    private static double StudentT3(Random random)
    {
        double Normal() =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double Square(double x) => x * x;
        var chi = Square(Normal()) + Square(Normal()) + Square(Normal());
        return Normal() / Math.Sqrt(chi / 3);
    }

    private static RowSamples Row(Random random, string name, double ratioA, double ratioB, int pairs, double noise)
    {
        var a = Quads(random, ratioA, pairs, noise);
        var b = Quads(random, ratioB, pairs, noise);
        return new RowSamples(
            new RowKey(name, MeasuredRole.Counter, CellKey.Micro(TrafficClass.Ipv4Udp, 64)),
            a,
            b,
            a.Select(r => (r - 1) * BaselineNs).ToList(),
            b.Select(r => (r - 1) * BaselineNs).ToList()
        );
    }

    // A default compare has about 40 rows: 4 counters and the control over 10 classes.
    private static readonly double[] Ratios = [.. Enumerable.Range(0, 40).Select(i => 1.02 + 0.05 * (i % 25))];

    // Many simulated compares of 40 rows each; row 7 moves by `shift` from a Naive-like cost.
    private static List<IReadOnlyList<GateDecision>> Compares(int seed, int count, double shift)
    {
        var random = new Random(seed);
        return Enumerable
            .Range(0, count)
            .Select(_ =>
                RegressionGate.Decide(
                    Ratios
                        .Select(
                            (r, i) =>
                                i == 7
                                    ? Row(random, "shifted", 2.5, 2.5 * (1 + shift), pairs: 40, noise: 0.04)
                                    : Row(random, $"v{i}", r, r, pairs: 40, noise: 0.04)
                        )
                        .ToList(),
                    new GateSettings()
                )
            )
            .ToList();
    }

    [Fact]
    public void Over_many_A_A_compares_at_most_5_percent_call_any_row_different()
    {
        var compares = Compares(seed: 11, count: 400, shift: 0);
        var alarms = compares.Count(c => c.Any(d => d.Verdict != Verdict.Same));
        var uncorrected = compares.Count(c => c.Any(d => d.PValue < 0.05));
        Assert.True(
            alarms <= compares.Count * 0.05,
            $"{alarms} of {compares.Count} A/A compares called a row different"
        );
        // Without the correction, nearly every compare of 40 rows finds some p below 0.05:
        // the correction is what holds the rate above.
        Assert.True(
            uncorrected > compares.Count / 2,
            $"only {uncorrected} of {compares.Count} compares had an uncorrected p < 0.05; the simulation is too quiet to test anything"
        );
    }

    // The shifted row costs what Naive does (2.5 times the baseline): a 10% move of its cost
    // is 2 ns, beyond the 1 ns floor, which by design hides 10% of a sub-nanosecond counter.
    [Fact]
    public void A_10_percent_shift_is_called_slower_in_at_least_80_percent_of_compares_and_nothing_else_is()
    {
        var compares = Compares(seed: 12, count: 300, shift: 0.10);
        var detected = compares.Count(c => c[7].Verdict == Verdict.Slower);
        var others = compares.Sum(c => c.Where((_, i) => i != 7).Count(d => d.Verdict != Verdict.Same));
        Assert.True(
            detected >= compares.Count * 0.80,
            $"the 10% shift was called slower in {detected} of {compares.Count} compares"
        );
        Assert.True(others <= compares.Count * 0.05, $"{others} unshifted rows were called different");
    }

    [Fact]
    public void A_significant_change_within_the_threshold_or_the_floor_is_the_same()
    {
        var random = new Random(13);
        // 3% on a costly program: significant with this many pairs, but within 5%.
        var within = Row(random, "within", 2.0, 2.06, pairs: 200, noise: 0.01);
        // 6% on a program that costs 0.16 ns over an 8 ns baseline: 0.49 ns, below the 1 ns floor.
        var floor = Row(random, "floor", 1.02, 1.02 * 1.06, pairs: 200, noise: 0.01);
        var beyond = Row(random, "beyond", 2.0, 2.4, pairs: 200, noise: 0.01);
        var faster = Row(random, "faster", 2.0, 1.6, pairs: 200, noise: 0.01);
        var decisions = RegressionGate.Decide([within, floor, beyond, faster], new GateSettings());

        Assert.All(decisions, d => Assert.True(d.AdjustedPValue < 0.05, $"{d.Key.Variant}: p {d.AdjustedPValue}"));
        Assert.Equal(Verdict.Same, decisions[0].Verdict);
        Assert.Contains("within 5%", decisions[0].Reason);
        Assert.Equal(Verdict.Same, decisions[1].Verdict);
        Assert.Contains("floor", decisions[1].Reason);
        Assert.Equal(Verdict.Slower, decisions[2].Verdict);
        Assert.InRange(decisions[2].RelativeChange, 0.17, 0.23);
        Assert.InRange(decisions[2].ShiftNs, 2.8, 3.6);
        Assert.Equal(Verdict.Faster, decisions[3].Verdict);
    }

    [Fact]
    public void Too_few_pairs_is_the_same_with_the_reason()
    {
        var decision = RegressionGate
            .Decide(
                [
                    new RowSamples(
                        new RowKey("x", MeasuredRole.Counter, CellKey.Micro(TrafficClass.Arp, 64)),
                        [1.5, 1.6],
                        [3, 3.1],
                        [4, 4.8],
                        [16, 16.8]
                    ),
                ],
                new GateSettings()
            )
            .Single();
        Assert.Equal(Verdict.Same, decision.Verdict);
        Assert.Contains("too few pairs", decision.Reason);
    }

    [Fact]
    public void Holm_and_Benjamini_Hochberg_match_their_textbook_values()
    {
        double[] p = [0.01, 0.04, 0.03, 0.005];
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") and "BH".
        Assert.Equal([0.03, 0.06, 0.06, 0.02], MultipleComparisons.Holm(p).Select(x => Math.Round(x, 10)));
        Assert.Equal([0.02, 0.04, 0.04, 0.02], MultipleComparisons.BenjaminiHochberg(p).Select(x => Math.Round(x, 10)));
        Assert.Equal([1.0, 1.0], MultipleComparisons.Holm([0.6, 0.9]));
    }
}
