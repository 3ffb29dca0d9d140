using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Fixtures;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Reports;

/// <summary>The findings on made-up figures whose answer is known: nothing in the words is about particular variants.</summary>
[Trait(Category.Name, Category.Pure)]
public class FindingsTextTests
{
    private static Ranking Ranking(params (string Name, double Estimate, double HalfWidth)[] counters)
    {
        var ranked = counters
            .Select(c => new RankedCounter(
                c.Name,
                new Interval(c.Estimate, c.Estimate - c.HalfWidth, c.Estimate + c.HalfWidth, 40, "test")
            ))
            .ToList();
        var pairs = new List<PairComparison>();
        for (var i = 0; i < ranked.Count; i++)
        for (var j = i + 1; j < ranked.Count; j++)
        {
            var d = ranked[j].Net.Estimate - ranked[i].Net.Estimate;
            var h = Math.Sqrt(Math.Pow(ranked[i].Net.HalfWidth, 2) + Math.Pow(ranked[j].Net.HalfWidth, 2));
            pairs.Add(
                new PairComparison(ranked[i].Variant, ranked[j].Variant, new Interval(d, d - h, d + h, 40, "test"))
            );
        }
        return new Ranking("micro, mix m, 64 B", "ns/packet", ranked, pairs);
    }

    [Fact]
    public void Names_come_from_the_model_and_only_separated_pairs_are_called_real()
    {
        var findings = new Findings(
            "Zero",
            [Ranking(("Alpha", 0.1, 0.05), ("Beta", 0.15, 0.05), ("Gamma", 5, 0.2))],
            new NoiseFloor([]),
            null
        );
        var text = string.Join("\n", FindingsText.Sentences(findings, new RunVerdict([], [], [], false)));
        Assert.Contains(
            "**Alpha** +0.10 ± 0.05, **Beta** +0.15 ± 0.05, **Gamma** +5.00 ± 0.20 ns/packet over Zero",
            text
        );
        var real = text.Split('\n').Single(l => l.StartsWith("Differences that are real", StringComparison.Ordinal));
        Assert.Contains("Gamma costs 4.90 ± 0.21 ns/packet more than Alpha", real);
        Assert.Contains("Gamma costs 4.85 ± 0.21 ns/packet more than Beta", real);
        Assert.DoesNotContain("Beta costs", real);
        var unresolved = text.Split('\n').Single(l => l.StartsWith("Not resolved", StringComparison.Ordinal));
        Assert.Contains("Alpha and Beta (+0.05 ± 0.07 ns/packet)", unresolved);
        Assert.Contains("Every variant loaded, ran and counted exactly.", text);
        foreach (var seedName in new[] { "Null", "Naive", "Optimized", "Ultra" })
            Assert.DoesNotContain(seedName, text);
    }

    [Fact]
    public void Failures_miscounts_and_an_unreliable_noise_floor_are_said_first_and_last()
    {
        var noisy = new NoiseFloor([
            new ControlCell("micro a", new Interval(0.5, 0.3, 0.7, 40, "test")),
            new ControlCell("micro b", new Interval(0.4, 0.2, 0.6, 40, "test")),
            new ControlCell("micro c", new Interval(0, -0.1, 0.1, 40, "test")),
        ])
        {
            MicroHalfWidth = 0.2,
        };
        var sentences = FindingsText.Sentences(
            new Findings("Zero", [], noisy, null),
            new RunVerdict(["Broken"], ["Sloppy"], [], noisy.Unreliable)
        );
        Assert.StartsWith("**This run is unreliable:** the A/A copy's CI excludes 0 in 2 of 3 cells", sentences[0]);
        Assert.Equal("Failed: Broken (see Failures). MISCOUNTED: Sloppy (see Miscounts).", sentences[^1]);
    }
}

/// <summary>The findings of a real run of fixtures with known extra work: the ranking is the work's order.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class FindingsKernelTests : KernelLeakGuard
{
    [Fact]
    public void A_run_of_known_extra_work_ranks_it_in_order_and_judges_pairs_by_their_intervals()
    {
        var probes = new[] { 64, 0, 16 }.Select(ProbeVariant.WithExtraWork).ToList();
        var mix = TrafficMix.Single(TrafficClass.Ipv4Udp);
        var plan = TestBench.Plan(
            [Variants.Baseline, .. probes],
            mix,
            BenchModes.All,
            TestBench.Live(rounds: 6, slicePackets: 60_000, statsRounds: 2),
            micro: TestBench.Micro(rounds: 20)
        ) with
        {
            Control = true,
        };
        var result = TestBench.Analyse(plan, TestBench.Run(plan));
        var findings = result.Findings;

        Assert.Equal(2, findings.Rankings.Count); // micro and live drop
        foreach (var ranking in findings.Rankings)
        {
            Assert.Equal(["Probe0", "Probe16", "Probe64"], ranking.Counters.Select(c => c.Variant));
            Assert.Equal(3, ranking.Pairs.Count);
            foreach (var pair in ranking.Pairs)
            {
                var cheaper = ranking.Counters.Single(c => c.Variant == pair.Cheaper).Net;
                var costlier = ranking.Counters.Single(c => c.Variant == pair.Costlier).Net;
                var margin = Math.Sqrt(cheaper.HalfWidth * cheaper.HalfWidth + costlier.HalfWidth * costlier.HalfWidth);
                Assert.Equal(costlier.Estimate - cheaper.Estimate > margin, pair.Significant);
            }
        }
        // 16 and 64 extra helper calls are far beyond this machine's noise in both modes.
        Assert.All(
            findings.Rankings,
            r => Assert.True(r.Pairs.Single(p => p.Costlier == "Probe64" && p.Cheaper == "Probe16").Significant)
        );
        var text = string.Join("\n", FindingsText.Sentences(findings, result.Verdict));
        Assert.Contains($"over {Variants.Baseline.Name}", text);
        Assert.Contains("Noise floor: the A/A copy", text);
        Assert.Contains("Run stats cost", text);
    }
}
