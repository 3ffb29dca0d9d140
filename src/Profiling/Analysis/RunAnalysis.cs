using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Analysis;

/// <summary>
/// Turns a run's samples into its <see cref="RunResult"/>, once: the figures from the
/// samples, then what is read off the figures (budgets, sweeps, findings, warnings), then
/// the verdict and how the run ends.
/// </summary>
public static class RunAnalysis
{
    /// <param name="id">The run's id, its folder's name.</param>
    /// <param name="discoveryProblems">Plugins that could not be used: they make the run a failure.</param>
    public static RunResult Of(
        string id,
        BenchPlan plan,
        BenchResults samples,
        MachineFacts environment,
        IReadOnlyList<string>? discoveryProblems = null
    )
    {
        var planRecord = PlanRecord.Of(plan, discoveryProblems);
        var micro = MicroFigures.Of(samples);
        var live = LiveFigures.Of(samples);
        var windows = LiveWindowFigure.Of(samples);
        var instructions = samples
            .InstructionProfiles.Select(p => new InstructionFigure(p.FrameSize, p.Profile))
            .ToList();
        var negligible = Analysis.NegligibleFigures.Of(windows);
        var noiseFloor = NoiseFloor.Of(micro, live);
        var verdict = Verdicts.Of(samples, noiseFloor);
        var result = new RunResult
        {
            Id = id,
            Plan = planRecord,
            Environment = environment,
            Variants = samples.Facts.ToList(),
            LoadFailures = samples
                .LoadFailures.Select(f => new LoadFailure(f.Variant, f.Message, f.VerifierLog))
                .ToList(),
            Micro = micro,
            MicroMix = planRecord.Mixes.SelectMany(m => MicroFigures.OfMix(micro, m)).ToList(),
            Live = live,
            LiveWindows = windows,
            Pairs = PairSeries.Of(samples),
            Instructions = instructions,
            Verdicts = samples.Verdicts.ToList(),
            InstructionsPerMix = InstructionMixFigure.Of(instructions, planRecord.Mixes),
            HotLines = samples.HotLines.ToList(),
            CountersPerPacket = CountersFigure.Of(windows),
            Correlations = Correlations.Of(samples).Where(c => !negligible.Contains(c.Figure)).ToList(),
            NegligibleFigures = negligible,
            Attribution = AttributionFigure.Of(samples),
            NoiseFloor = noiseFloor,
            Verification = Verdicts.VerificationOf(samples),
            Miscounts = Verdicts.MiscountsOf(samples, verdict),
            Verdict = verdict,
            Outcome = Verdicts.OutcomeOf(samples, verdict, planRecord.DiscoveryProblems.Count),
            Notes = samples.Notes.Distinct().ToList(),
            Failures = samples.Failures.Distinct().ToList(),
            CounterSources = samples.CounterSources.ToList(),
            Incomplete = samples.Incomplete,
        };
        // What is read off the figures comes after them, from the result itself.
        result = result with
        {
            Budgets = Budgets.Of(result),
            Scaling = Budgets.ScalingOf(result),
            Sweeps = SweepFigures.Of(result),
            Findings = Findings.Of(result),
        };
        return result with { Warnings = Analysis.Warnings.Of(result) };
    }
}
