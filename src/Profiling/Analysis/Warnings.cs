using PacketCounter.Abstractions;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Analysis;

/// <summary>One thing a reader must see next to the figures, with how bad it is so the worst can be named first.</summary>
public sealed record Warning(string Kind, string Cell, double Severity, string Detail)
{
    public override string ToString() => $"{Kind}: {Cell}: {Detail}";
}

/// <summary>
/// Warnings about spread, modes, outliers and CI targets. The terminal gets one line per
/// kind naming the worst cells; the report keeps every one.
/// </summary>
public static class Warnings
{
    public static IReadOnlyList<Warning> Of(RunResult figures)
    {
        var warnings = new List<Warning>();
        var plan = figures.Plan;
        var liveTarget = plan.Live.TargetRelativeHalfWidth;
        foreach (var over in figures.Instructions.Where(p => p.Profile.Instructions > plan.InstructionBudget))
            warnings.Add(
                new Warning(
                    $"over the instruction budget of {plan.InstructionBudget}",
                    $"{over.Profile.Variant} {TrafficClasses.Name(over.Profile.Class)} {over.FrameSize} B",
                    over.Profile.Instructions,
                    $"{over.Profile.Instructions} instructions per packet"
                )
            );
        foreach (var aborted in figures.Verdicts.Where(v => v.Verdict == Bpf.XdpAction.Aborted))
            warnings.Add(
                new Warning(
                    "XDP_ABORTED: the program failed on frames of this class (their figures are of a failing path)",
                    $"{aborted.Variant} {TrafficClasses.Name(aborted.Class)} {aborted.FrameSize} B",
                    1,
                    "XDP_ABORTED"
                )
            );
        foreach (var f in figures.Micro.Where(f => f.NetOfBaseline is { } net && !plan.Micro.NarrowEnough(net)))
        {
            var net = f.NetOfBaseline!.Value;
            warnings.Add(
                new Warning(
                    $"micro net CI wider than its target ({plan.Micro.TargetHalfWidthNs} ns or "
                        + $"{plan.Micro.TargetRelative:P1} of the figure)",
                    $"{f.Variant} {TrafficClasses.Name(f.Class)} {f.FrameSize} B",
                    net.HalfWidth,
                    $"± {net.HalfWidth.ToString("0.00", CultureInfo.InvariantCulture)} ns over {f.Pairs} pairs"
                )
            );
        }
        foreach (var cell in figures.NoiseFloor.Excluding)
            warnings.Add(
                new Warning(
                    "A/A control's CI excludes 0 (expected by chance in 1 cell in 20)",
                    cell.Cell,
                    Math.Abs(cell.Net.Estimate),
                    $"{cell.Net.Estimate.ToString("0.00", CultureInfo.InvariantCulture)} "
                        + $"[{cell.Net.Low.ToString("0.00", CultureInfo.InvariantCulture)}, "
                        + $"{cell.Net.High.ToString("0.00", CultureInfo.InvariantCulture)}] ns"
                )
            );
        foreach (var f in figures.Live.Where(f => f.Mpps is not null))
        {
            var cell = $"{f.Variant} {f.Setting}";
            var mpps = f.Mpps!;
            if (mpps.Mean.RelativeHalfWidth > liveTarget)
                warnings.Add(
                    new Warning(
                        $"live Mpps CI half-width over {liveTarget:P0} of the mean",
                        cell,
                        mpps.Mean.RelativeHalfWidth,
                        $"{mpps.Mean.RelativeHalfWidth:P1}"
                    )
                );
            if (mpps.LooksMultimodal)
                warnings.Add(
                    new Warning(
                        "live Mpps looks multimodal (the mean sits between modes)",
                        cell,
                        mpps.ModalityValue,
                        $"mvalue {mpps.ModalityValue:0.0} over {mpps.Count} rounds (min {mpps.Min:0.00}, "
                            + $"median {mpps.Median:0.00}, max {mpps.Max:0.00} Mpps)"
                    )
                );
            if (mpps.Outliers.Count > 0)
                warnings.Add(
                    new Warning(
                        "live outlier rounds by Tukey's fences (kept)",
                        cell,
                        mpps.Outliers.Count,
                        string.Join(", ", mpps.Outliers.Select(o => o.ToString("0.00", CultureInfo.InvariantCulture)))
                            + " Mpps"
                    )
                );
        }
        return warnings;
    }
}
