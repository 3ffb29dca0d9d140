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
        return Findings.Rank("micro, mix m, 64 B", "ns/packet", ranked);
    }

    [Fact]
    public void Names_come_from_the_model_and_the_headline_groups_them_by_tier()
    {
        var findings = new Findings(
            "Zero",
            [Ranking(("Alpha", 0.1, 0.05), ("Beta", 0.15, 0.05), ("Gamma", 5, 0.2))],
            new NoiseFloor([]),
            null
        );
        var text = string.Join("\n", FindingsText.Sentences(findings, new RunVerdict([], [], [], false)));
        Assert.Contains(
            "Micro (mix m, 64 B): tier a **Alpha**, **Beta** (+0.10 to +0.15); b **Gamma** (+5.00) ns/packet over Zero.",
            text
        );
        Assert.Contains("Every variant loaded, ran and counted exactly.", text);
        foreach (var seedName in new[] { "Null", "Naive", "Optimized", "Ultra" })
            Assert.DoesNotContain(seedName, text);
        // Every pair, with its corrected p, is the appendix's table.
        var pairs = FindingsText.Pairwise(findings.Rankings[0]);
        Assert.Equal(3, pairs.Rows.Count);
        Assert.Equal(["Alpha", "Beta", "0.05", "0.07"], pairs.Rows[0].Take(4));
        Assert.Equal("no", pairs.Rows[0][^1]);
        Assert.Equal("yes", pairs.Rows.Single(r => r[0] == "Alpha" && r[1] == "Gamma")[^1]);
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
        Assert.StartsWith(
            "**This run is unreliable:** the A/A copy, which must read 0, is off it beyond chance in micro a (+0.50 ± 0.20); "
                + "micro b (+0.40 ± 0.20)",
            sentences[0]
        );
        Assert.Equal("Failed: Broken (see Failures). MISCOUNTED: Sloppy (see Miscounts).", sentences[^1]);
    }
}

/// <summary>The findings of a real run of fixtures with known extra work: the ranking is the work's order.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class FindingsKernelTests : KernelLeakGuard
{
    [Fact]
    public void A_run_of_known_extra_work_ranks_it_in_order_and_tiers_it_by_its_corrected_pairs()
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
                // The p of a difference read as normal is below 5% exactly when the difference exceeds its margin.
                Assert.Equal(costlier.Estimate - cheaper.Estimate > margin, pair.PValue < 0.05);
                Assert.True(pair.AdjustedPValue >= pair.PValue);
                Assert.Equal(pair.AdjustedPValue < 0.05, pair.Significant);
            }
            var tier = ranking.Counters.ToDictionary(c => c.Variant, c => c.Tier);
            Assert.Empty(tier["Probe16"].Intersect(tier["Probe64"]));
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

/// <summary>The noise floor's verdict on synthetic A/A cells whose answer is known.</summary>
[Trait(Category.Name, Category.Pure)]
public class NoiseFloorTests
{
    private static ControlCell Cell(string name, double estimate, double halfWidth, string? family) =>
        new(name, new Interval(estimate, estimate - halfWidth, estimate + halfWidth, 40, "test"), family);

    [Fact]
    public void Cells_that_share_their_loads_and_lean_together_are_one_draw_not_ten()
    {
        // Ten classes of one frame size, all nudged +0.10 by the same placements: each CI
        // excludes 0, but it is one family off by a little over its width, which chance does.
        var floor = new NoiseFloor([
            .. Enumerable.Range(0, 10).Select(i => Cell($"micro c{i} 64 B", 0.10, 0.09, "micro 64 B")),
        ]);
        Assert.Equal(10, floor.Excluding.Count);
        var family = Assert.Single(floor.Families);
        Assert.True(family.Excludes);
        Assert.False(floor.Unreliable);
    }

    [Fact]
    public void A_family_far_off_zero_makes_the_run_unreliable()
    {
        var floor = new NoiseFloor([
            .. Enumerable.Range(0, 10).Select(i => Cell($"micro c{i} 64 B", 0.5, 0.1, "micro 64 B")),
            Cell("live s", 0.1, 0.3, null),
        ]);
        Assert.True(floor.Unreliable);
    }

    [Fact]
    public void More_families_off_zero_than_chance_gives_once_in_a_thousand_runs_is_unreliable()
    {
        // Each off by 1.5 widths, none far off: 3 of 3 happens by chance 1 run in 8,000; 1 of 3 often.
        ControlCell[] off =
        [
            Cell("micro 64", 0.15, 0.1, null),
            Cell("micro 512", 0.15, 0.1, null),
            Cell("live", 0.15, 0.1, null),
        ];
        Assert.True(new NoiseFloor(off).Unreliable);
        Assert.False(
            new NoiseFloor([off[0], Cell("micro 512", 0.0, 0.1, null), Cell("live", 0.05, 0.1, null)]).Unreliable
        );
        Assert.False(new NoiseFloor([]).Unreliable);
    }
}
