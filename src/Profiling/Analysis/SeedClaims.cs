using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Analysis;

/// <summary>What a claim of the lab comes to in this run.</summary>
public enum ClaimVerdict
{
    /// <summary>The run's figure, with its CI, is on the claim's side.</summary>
    Holds,

    /// <summary>The run's figure, with its CI, is on the other side.</summary>
    DoesNotHold,

    /// <summary>The CI straddles the claim.</summary>
    NotResolved,

    /// <summary>The figure depends on the machine, or on a load the lab does not state.</summary>
    NotComparable,

    /// <summary>The run did not measure what the claim needs.</summary>
    NotMeasured,
}

/// <summary>One claim of the lab beside what this run measured.</summary>
/// <param name="Claim">The claim, as the lab states it.</param>
/// <param name="Measured">This run's figure, with its CI where it has one.</param>
/// <param name="Reading">What can and cannot be compared, and the rule the verdict follows.</param>
public sealed record SeedClaim(string Claim, string Measured, ClaimVerdict Verdict, string Reading);

/// <summary>
/// The lab's claims (Naive, Optimized and Ultra at 5, 15 and 20 Mpps; speedups of 3.00× and
/// 4.00×; Ultra's ~15 instructions; fewer than 50 instructions per packet; under 3% CPU; 80,
/// 30 and 25% CPU) against this run's figures. The seed's three designs are named here
/// because the claims are about them; a run without one says "not in this run".
/// </summary>
public static class SeedClaims
{
    public const string Naive = "Naive";
    public const string Optimized = "Optimized";
    public const string Ultra = "Ultra";

    /// <summary>The lab's target rate: 15 Mpps on a 10 Gbps link.</summary>
    public const double TargetMpps = 15;

    // "~15" read as at most 15 and a fifth.
    private const double AboutUltraInstructions = 15 * 1.2;

    public static IReadOnlyList<SeedClaim> Of(RunResult result)
    {
        var setting = PrimarySetting(result);
        LiveFigure? Live(string variant) =>
            setting is null ? null : result.Live.FirstOrDefault(f => f.Setting == setting && f.Variant == variant);
        var claims = new List<SeedClaim>();
        foreach (var (variant, mpps) in new[] { (Naive, 5.0), (Optimized, 15.0), (Ultra, 20.0) })
            claims.Add(RateClaim(variant, mpps, Live(variant), setting));
        foreach (var (variant, speedup) in new[] { (Optimized, 3.0), (Ultra, 4.0) })
            claims.Add(SpeedupClaim(variant, speedup, Live(variant), Live(Naive)));
        claims.Add(UltraInstructions(result));
        claims.Add(InstructionBudget(result));
        claims.Add(CpuAtTarget(Live, setting));
        claims.Add(CpuPercentages(Live, setting));
        return claims;
    }

    /// <summary>The live setting the claims are read in: the first generated one with the drop sink.</summary>
    public static LiveSetting? PrimarySetting(RunResult result) =>
        result
            .Live.Select(f => f.Setting)
            .Where(s => !s.IsExternal)
            .OrderBy(s => s.Sink == Sink.Drop ? 0 : 1)
            .FirstOrDefault();

    private static SeedClaim RateClaim(string variant, double claimed, LiveFigure? live, LiveSetting? setting)
    {
        var claim = $"{variant}: ~{claimed:0} Mpps";
        if (live?.Mpps is not { } mpps)
            return NotMeasured(claim, variant, setting);
        return new SeedClaim(
            claim,
            $"{N(mpps.Mean.Mean)} ± {N(mpps.Mean.HalfWidth)} Mpps ({setting})",
            ClaimVerdict.NotComparable,
            "an absolute rate is the machine's and the testbed's, not the design's; the speedups below compare"
        );
    }

    private static SeedClaim SpeedupClaim(string variant, double claimed, LiveFigure? live, LiveFigure? naive)
    {
        var claim = $"{variant}: {claimed:0.00}× Naive's rate";
        if (live is null || naive is null)
            return NotMeasured(claim, live is null ? variant : Naive, null);
        var speedup =
            live.Speedup is { Reference: Naive } s ? s.Value
            : live.Mpps is { } own && naive.Mpps is { } other
                ? Interval.Of(Estimate.Ratio(own.Mean, other.Mean), own.Count)
            : (Interval?)null;
        if (speedup is not { IsFinite: true } value)
            return NotMeasured(claim, variant, null);
        return new SeedClaim(
            claim,
            $"{N(value.Estimate)}× ± {N(value.HalfWidth)}",
            value.High >= claimed ? ClaimVerdict.Holds : ClaimVerdict.DoesNotHold,
            "a ratio of two rates on one machine in one run: it compares across machines; holds when its CI "
                + "covers the claim or lies above it"
        );
    }

    private static SeedClaim UltraInstructions(RunResult result)
    {
        const string claim = "Ultra: ~15 instructions";
        var classes = result.Instructions.Where(f => f.Profile.Variant == Ultra).ToList();
        if (classes.Count == 0)
            return NotMeasured(claim, Ultra, null);
        var most = classes.MaxBy(f => f.Profile.Instructions)!;
        var fewest = classes.Min(f => f.Profile.Instructions);
        return new SeedClaim(
            claim,
            $"{fewest} to {most.Profile.Instructions} per packet by class (most: "
                + $"{TrafficClasses.Name(most.Profile.Class)}){MixText(result, Ultra)}",
            most.Profile.Instructions <= AboutUltraInstructions ? ClaimVerdict.Holds : ClaimVerdict.DoesNotHold,
            "executed BPF instructions, counted exactly in the emulator: they compare across machines; \"~15\" "
                + $"is read as at most {AboutUltraInstructions:0} for every class"
        );
    }

    private static SeedClaim InstructionBudget(RunResult result)
    {
        const string claim = "< 50 instructions per packet";
        var seeds = new[] { Naive, Optimized, Ultra };
        var most = result
            .Instructions.Where(f => f.Profile.Verdict != Bpf.XdpAction.Aborted)
            .GroupBy(f => f.Profile.Variant)
            .Select(g => g.MaxBy(f => f.Profile.Instructions)!)
            .Where(f => result.Variants.Any(v => v.Name == f.Profile.Variant && v.Role == MeasuredRole.Counter))
            .OrderByDescending(f => f.Profile.Instructions)
            .ToList();
        var theirs = most.Where(f => seeds.Contains(f.Profile.Variant)).ToList();
        if (theirs.Count == 0)
            return NotMeasured(claim, string.Join(", ", seeds), null);
        var over = most.Where(f => f.Profile.Instructions >= 50).ToList();
        var measured = string.Join(", ", theirs.Select(f => $"{f.Profile.Variant} {f.Profile.Instructions}"));
        if (over.Count > 0)
            measured +=
                "; over it: "
                + string.Join(
                    ", ",
                    over.Select(f =>
                        $"{f.Profile.Variant} {f.Profile.Instructions} ({TrafficClasses.Name(f.Profile.Class)})"
                    )
                );
        return new SeedClaim(
            claim,
            $"most per packet of any class: {measured}",
            theirs.All(f => f.Profile.Instructions < 50) ? ClaimVerdict.Holds : ClaimVerdict.DoesNotHold,
            "the costliest class of each of the lab's three designs, counted exactly; other counters of the run "
                + "are named when they exceed it"
        );
    }

    private static SeedClaim CpuAtTarget(Func<string, LiveFigure?> live, LiveSetting? setting)
    {
        var claim = $"< 3% CPU at {TargetMpps:0} Mpps";
        var figures = new[] { Optimized, Ultra }
            .Select(v => (Variant: v, Net: live(v)?.NetCpuNsPerPacket))
            .Where(f => f.Net is { IsFinite: true })
            .Select(f => (f.Variant, Percent: Scale(f.Net!.Value, TargetMpps * 1e6 / 1e9 * 100)))
            .ToList();
        if (figures.Count == 0)
            return NotMeasured(claim, $"{Optimized} or {Ultra}", setting);
        var verdicts = figures.Select(f => AtMost(f.Percent, 3)).ToList();
        return new SeedClaim(
            claim,
            string.Join(", ", figures.Select(f => $"{f.Variant} {N(f.Percent.Estimate)} ± {N(f.Percent.HalfWidth)}%"))
                + " of one CPU",
            verdicts.All(v => v == ClaimVerdict.Holds) ? ClaimVerdict.Holds
                : verdicts.Any(v => v == ClaimVerdict.DoesNotHold) ? ClaimVerdict.DoesNotHold
                : ClaimVerdict.NotResolved,
            $"the live net CPU ns per packet ({setting}) times {TargetMpps:0} million packets a second: "
                + "arithmetic on the measured cost, for the lab's optimized designs; it holds when the whole CI "
                + "is under 3%"
        );
    }

    private static SeedClaim CpuPercentages(Func<string, LiveFigure?> live, LiveSetting? setting)
    {
        const string claim = "CPU: Naive 80%, Optimized 30%, Ultra 25%";
        var figures = new[] { Naive, Optimized, Ultra }
            .Select(v => (Variant: v, Cpu: live(v)?.CpuPercent))
            .Where(f => f.Cpu is not null)
            .ToList();
        if (figures.Count == 0)
            return NotMeasured(claim, $"{Naive}, {Optimized} or {Ultra} with run stats", setting);
        return new SeedClaim(
            claim,
            string.Join(", ", figures.Select(f => $"{f.Variant} {N(f.Cpu!.Mean.Mean)} ± {N(f.Cpu.Mean.HalfWidth)}%"))
                + " of one CPU",
            ClaimVerdict.NotComparable,
            "run time over wall in the run-stats slices, at whatever rate the testbed reached with stats on; the "
                + "lab states its percentages at its own rates on its own machine"
        );
    }

    // Under the bound with the whole CI, over it with the whole CI, or straddling it.
    private static ClaimVerdict AtMost(Interval value, double bound) =>
        value.High < bound ? ClaimVerdict.Holds
        : value.Low > bound ? ClaimVerdict.DoesNotHold
        : ClaimVerdict.NotResolved;

    private static Interval Scale(Interval value, double factor) =>
        value with
        {
            Estimate = value.Estimate * factor,
            Low = value.Low * factor,
            High = value.High * factor,
        };

    private static string MixText(RunResult result, string variant) =>
        result.InstructionsPerMix.FirstOrDefault(f => f.Variant == variant) is { } mix
            ? $"; {N(mix.Instructions)} per packet of mix {mix.Mix}"
            : "";

    private static SeedClaim NotMeasured(string claim, string variant, LiveSetting? setting) =>
        new(
            claim,
            "-",
            ClaimVerdict.NotMeasured,
            $"not in this run: {variant}{(setting is null ? "" : $" in {setting}")}"
        );

    private static string N(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
}
