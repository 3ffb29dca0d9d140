using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Emulation;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Tests.Reports;

/// <summary>The compact letter display and the tiers, on pairs whose answer is known.</summary>
[Trait(Category.Name, Category.Pure)]
public class TierTests
{
    private static IReadOnlyList<string> Letters(int count, params (int, int)[] apart) =>
        CompactLetters.Of(count, (i, j) => apart.Contains((i, j)));

    [Fact]
    public void All_apart_gives_each_its_own_letter_in_rank_order() =>
        Assert.Equal(["a", "b", "c", "d"], Letters(4, (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)));

    [Fact]
    public void All_tied_shares_one_letter() => Assert.Equal(["a", "a", "a"], Letters(3));

    [Fact]
    public void A_chain_puts_the_middle_one_in_both_tiers() =>
        // A~B, B~C, A≠C.
        Assert.Equal(["a", "ab", "b"], Letters(3, (0, 2)));

    [Fact]
    public void A_single_variant_is_tier_a_and_none_is_nothing()
    {
        Assert.Equal(["a"], Letters(1));
        Assert.Empty(Letters(0));
    }

    [Fact]
    public void Two_tied_groups_apart_from_each_other()
    {
        // {0,1} tied, {2,3} tied, every cross pair apart; 4 apart from all.
        var apart = new[] { (0, 2), (0, 3), (1, 2), (1, 3), (0, 4), (1, 4), (2, 4), (3, 4) };
        Assert.Equal(["a", "a", "b", "b", "c"], Letters(5, apart));
    }

    [Fact]
    public void Every_pair_sharing_a_letter_is_one_not_told_apart()
    {
        // A random pattern: the display must agree with it for every pair.
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var count = random.Next(2, 8);
            var apart = new HashSet<(int, int)>();
            for (var i = 0; i < count; i++)
            for (var j = i + 1; j < count; j++)
                if (random.NextDouble() < 0.5)
                    apart.Add((i, j));
            var letters = CompactLetters.Of(count, (i, j) => apart.Contains((i, j)));
            for (var i = 0; i < count; i++)
            for (var j = i + 1; j < count; j++)
                Assert.Equal(apart.Contains((i, j)), !letters[i].Intersect(letters[j]).Any());
        }
    }

    private static RankedCounter Counter(string name, double estimate, double halfWidth) =>
        new(name, new Interval(estimate, estimate - halfWidth, estimate + halfWidth, 40, "test"));

    [Fact]
    public void A_ranking_tiers_its_counters_and_says_them_in_one_sentence()
    {
        var ranking = Findings.Rank(
            "micro, mix m, 64 B",
            "ns/packet",
            [
                Counter("Gamma", 5.0, 0.2),
                Counter("Alpha", 1.1, 0.1),
                Counter("Beta", 1.55, 0.5),
                Counter("Delta", 2.0, 0.1),
            ]
        );
        Assert.Equal(["Alpha", "Beta", "Delta", "Gamma"], ranking.Counters.Select(c => c.Variant));
        // Beta's interval reaches both Alpha and Delta; Alpha and Delta are apart.
        Assert.Equal(["a", "ab", "b", "c"], ranking.Counters.Select(c => c.Tier));
        Assert.Equal(6, ranking.Pairs.Count);
        Assert.All(ranking.Pairs, p => Assert.True(p.AdjustedPValue >= p.PValue));
        var headline = FindingsText.Headline(ranking, "Zero");
        Assert.Equal(
            "Micro (mix m, 64 B): tier a **Alpha** (+1.10); ab **Beta** (+1.55); b **Delta** (+2.00); "
                + "c **Gamma** (+5.00) ns/packet over Zero.",
            headline
        );
        Assert.True(headline.Length <= 300);
    }

    [Fact]
    public void Holm_correction_can_merge_tiers_an_uncorrected_interval_would_split()
    {
        // Ten counters 0.3 apart with ±0.28 each: neighbours' differences have p near 0.13
        // uncorrected, and the far ones near 0; the correction keeps neighbours together.
        var ranking = Findings.Rank(
            "live, s",
            "CPU ns/packet",
            Enumerable.Range(0, 10).Select(i => Counter($"V{i}", i * 0.3, 0.28))
        );
        var neighbours = ranking.Pairs.Where(p =>
            p.Cheaper[1..] is var a && int.Parse(p.Costlier[1..]) == int.Parse(a) + 1
        );
        Assert.All(neighbours, p => Assert.False(p.Significant));
        var ends = ranking.Pairs.Single(p => p.Cheaper == "V0" && p.Costlier == "V9");
        Assert.True(ends.Significant);
        Assert.Contains(ranking.Pairs, p => p.Difference.Excludes(0) && !p.Significant);
    }
}

/// <summary>The lab's claims and the cost fit read from a model: change a figure and the row changes.</summary>
[Trait(Category.Name, Category.Pure)]
public class ExplanationTests
{
    private static readonly LiveSetting Setting = new("default", 64, new GeneratorSource(CpuList.Of(0)), Sink.Drop);

    private static LiveFigure Live(string variant, double mpps, double? speedup, double net) =>
        new()
        {
            Variant = variant,
            Role = MeasuredRole.Counter,
            Setting = Setting,
            Mpps = SampleSummary.Of([mpps - 0.2, mpps, mpps + 0.2]),
            Speedup = speedup is { } s
                ? new Speedup(new Interval(s, s - 0.05, s + 0.05, 10, "test"), "Naive", SpeedupMethod.Paired)
                : null,
            NetCpuNsPerPacket = new Interval(net, net - 0.3, net + 0.3, 10, "test"),
            CpuPercent = SampleSummary.Of([19, 20, 21]),
        };

    private static InstructionFigure Insns(string variant, TrafficClass trafficClass, int count) =>
        new(64, new InstructionProfile(variant, trafficClass, count, 1, XdpAction.Pass));

    private static RunResult Seeded() =>
        new()
        {
            Id = "seed",
            Plan = new PlanRecord(),
            Environment = History.SyntheticRuns.Result("x", DateTimeOffset.UnixEpoch).Environment,
            Variants =
            [
                Build("Naive", BpfMapType.Hash),
                Build("Optimized", BpfMapType.PerCpuArray),
                Build("Ultra", BpfMapType.PerCpuArray),
            ],
            Live = [Live("Naive", 20.1, 1.0, 9.4), Live("Optimized", 23.7, 1.18, 1.4), Live("Ultra", 23.9, 1.19, 1.3)],
            Instructions =
            [
                Insns("Naive", TrafficClass.Ipv4Udp, 32),
                Insns("Optimized", TrafficClass.Ipv4Udp, 20),
                Insns("Ultra", TrafficClass.Ipv4Udp, 22),
                Insns("Ultra", TrafficClass.Arp, 9),
            ],
        };

    private static VariantBuild Build(string name, BpfMapType map) =>
        new(
            name,
            MeasuredRole.Counter,
            name.ToLowerInvariant(),
            new string('a', 64),
            new ProgramInfo(1, name, "0123456789abcdef", 100, 160, 30, 0, 0, [new MapInfo(1, "counts", map, 4, 8, 1)])
        );

    private static SeedClaim Row(RunResult result, string claim) =>
        SeedClaims.Of(result).Single(c => c.Claim.StartsWith(claim, StringComparison.Ordinal));

    [Fact]
    public void Every_claim_of_the_lab_has_a_row_with_this_runs_figure()
    {
        var claims = SeedClaims.Of(Seeded());
        Assert.Equal(9, claims.Count);
        Assert.Equal("23.90 ± 0.50 Mpps (default 64 B, cpu 0, drop sink)", Row(Seeded(), "Ultra: ~20 Mpps").Measured);
        Assert.Equal(ClaimVerdict.NotComparable, Row(Seeded(), "Ultra: ~20 Mpps").Verdict);
        var speedup = Row(Seeded(), "Ultra: 4.00×");
        Assert.Equal("1.19× ± 0.05", speedup.Measured);
        Assert.Equal(ClaimVerdict.DoesNotHold, speedup.Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, Row(Seeded(), "Ultra: ~15 instructions").Verdict);
        Assert.StartsWith("9 to 22 per packet by class (most: ipv4-udp)", Row(Seeded(), "Ultra: ~15").Measured);
        Assert.Equal(ClaimVerdict.Holds, Row(Seeded(), "< 50 instructions").Verdict);
        // 1.3 ± 0.3 ns at 15 Mpps is 1.95 ± 0.45% of a CPU.
        var cpu = Row(Seeded(), "< 3% CPU");
        Assert.Contains("Ultra 1.95 ± 0.45%", cpu.Measured);
        Assert.Equal(ClaimVerdict.Holds, cpu.Verdict);
        Assert.Equal(ClaimVerdict.NotComparable, Row(Seeded(), "CPU: Naive 80%").Verdict);
    }

    [Fact]
    public void A_changed_figure_in_the_model_changes_its_row()
    {
        var before = Seeded();
        var faster = before with
        {
            Live = [.. before.Live.Where(f => f.Variant != "Ultra"), Live("Ultra", 80.4, 4.02, 2.6)],
            Instructions =
            [
                .. before.Instructions.Where(f => f.Profile.Variant != "Ultra"),
                Insns("Ultra", TrafficClass.Ipv4Udp, 15),
            ],
        };
        Assert.Equal("4.02× ± 0.05", Row(faster, "Ultra: 4.00×").Measured);
        Assert.Equal(ClaimVerdict.Holds, Row(faster, "Ultra: 4.00×").Verdict);
        Assert.Equal(ClaimVerdict.Holds, Row(faster, "Ultra: ~15 instructions").Verdict);
        Assert.StartsWith("80.40 ± 0.50 Mpps", Row(faster, "Ultra: ~20 Mpps").Measured);
        // 2.6 ± 0.3 ns: 3.9 ± 0.45% of a CPU at 15 Mpps, over the claim.
        Assert.Equal(ClaimVerdict.DoesNotHold, Row(faster, "< 3% CPU").Verdict);
        var over = before with { Instructions = [.. before.Instructions, Insns("Naive", TrafficClass.Ipv4Tcp, 57)] };
        Assert.Equal(ClaimVerdict.DoesNotHold, Row(over, "< 50 instructions").Verdict);
        Assert.Contains("Naive 57", Row(over, "< 50 instructions").Measured);
    }

    [Fact]
    public void A_run_without_the_labs_designs_says_what_is_missing()
    {
        var none = Seeded() with { Live = [], Instructions = [] };
        Assert.All(SeedClaims.Of(none), c => Assert.Equal(ClaimVerdict.NotMeasured, c.Verdict));
        Assert.Equal("not in this run: Naive", Row(none, "Naive: ~5 Mpps").Reading);
    }

    // Seven counters whose net cost is 0.5 ns per instruction, plus 6 ns for the two on a shared hash.
    private static RunResult Fitted()
    {
        var counters = new (string Name, double Insns, BpfMapType Map)[]
        {
            ("A", 10, BpfMapType.PerCpuArray),
            ("B", 14, BpfMapType.PerCpuArray),
            ("C", 20, BpfMapType.PerCpuArray),
            ("D", 25, BpfMapType.PerCpuArray),
            ("E", 30, BpfMapType.PerCpuArray),
            ("F", 18, BpfMapType.Hash),
            ("G", 28, BpfMapType.Hash),
        };
        double Cost((string Name, double Insns, BpfMapType Map) c) =>
            0.5 * c.Insns + (c.Map == BpfMapType.Hash ? 6 : 0);
        var ranking = Findings.Rank(
            "micro, mix m, 64 B",
            "ns/packet",
            counters.Select(c => new RankedCounter(
                c.Name,
                new Interval(Cost(c), Cost(c) - 0.1, Cost(c) + 0.1, 40, "t")
            ))
        ) with
        {
            Mix = "m",
            FrameSize = 64,
        };
        return Seeded() with
        {
            Variants = counters.Select(c => Build(c.Name, c.Map)).ToList(),
            InstructionsPerMix = counters.Select(c => new InstructionMixFigure(c.Name, "m", 64, c.Insns, 1)).ToList(),
            Findings = new Findings("Zero", [ranking], new NoiseFloor([]), null),
            Live = [],
        };
    }

    [Fact]
    public void The_cost_fit_finds_what_a_known_model_put_in()
    {
        var cost = CostExplanation.Of(Fitted())!;
        Assert.Equal(7, cost.Points);
        Assert.Equal(
            ["executed instructions", "helper calls", "map kind (hash or array, shared or per-CPU)"],
            cost.Predictors.Select(p => p.Name)
        );
        var instructions = cost.Predictors[0];
        Assert.InRange(instructions.Alone, 0.2, 0.9); // the hash step blurs the line
        Assert.Equal(0, cost.Predictors[1].Added); // one helper call each: nothing to explain with
        Assert.NotNull(cost.Predictors[1].Note);
        Assert.Equal(1, cost.Explained, 9); // instructions and map kind give it all
        Assert.Equal(3, cost.Parameters); // intercept, instructions, one map column (hash ⇔ shared here)
        Assert.All(cost.FurthestOff, o => Assert.Contains(o.Variant, new[] { "F", "G" }));
        Assert.Equal("not supported: no PMU on this machine", cost.HardwareCounters);
        var sentence = Explanations.CostSentence(cost);
        Assert.StartsWith("Across 7 counters (micro, mix m, 64 B), executed instructions alone explain", sentence);
        Assert.Contains("rests on 7 points and 3 parameters", sentence);
    }

    [Fact]
    public void Two_counters_are_too_few_to_fit()
    {
        var two = Fitted();
        var ranking = two.Findings.Rankings[0];
        two = two with
        {
            Findings = two.Findings with { Rankings = [ranking with { Counters = ranking.Counters.Take(2).ToList() }] },
        };
        Assert.Null(CostExplanation.Of(two));
    }
}
