using System.Globalization;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;

namespace PacketCounter.Profiling.Reporting;

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
    public const double MicroCovLimit = 0.02;
    public const double MicroNetHalfWidthTarget = 0.2;
    public const double LiveCovLimit = 0.05;

    public static IReadOnlyList<Warning> Of(BenchFigures figures, double liveTarget = 0.03)
    {
        var warnings = new List<Warning>();
        var results = figures.Results;
        foreach (var over in results.InstructionProfiles.Where(p => p.Profile.Instructions > results.InstructionBudget))
            warnings.Add(new Warning($"over the instruction budget of {results.InstructionBudget}", $"{over.Profile.Variant} {TrafficClasses.Name(over.Profile.Class)} {over.FrameSize} B",
                over.Profile.Instructions, $"{over.Profile.Instructions} instructions per packet"));
        foreach (var f in figures.Micro)
        {
            var cell = $"{f.Variant} {TrafficClasses.Name(f.Class)} {f.FrameSize} B";
            if (f.NsPerPacket.CoefficientOfVariation > MicroCovLimit)
                warnings.Add(new Warning($"micro CoV over {MicroCovLimit:P0}", cell, f.NsPerPacket.CoefficientOfVariation, $"CoV {f.NsPerPacket.CoefficientOfVariation:P1}"));
            if (f.NetOfBaseline is { } net && net.HalfWidth > MicroNetHalfWidthTarget)
                warnings.Add(new Warning($"micro net CI half-width over {MicroNetHalfWidthTarget} ns", cell, net.HalfWidth, $"± {net.HalfWidth.ToString("0.00", CultureInfo.InvariantCulture)} ns"));
            if (f.NsPerPacket.Outliers.Count > 0)
                warnings.Add(new Warning("micro outliers by Tukey's fences (kept)", cell, f.NsPerPacket.Outliers.Count,
                    string.Join(", ", f.NsPerPacket.Outliers.Select(o => o.ToString("0.00", CultureInfo.InvariantCulture))) + " ns"));
        }
        foreach (var f in figures.Live.Where(f => f.Mpps is not null))
        {
            var cell = $"{f.Variant} {f.Setting}";
            var mpps = f.Mpps!;
            if (mpps.CoefficientOfVariation > LiveCovLimit)
                warnings.Add(new Warning($"live Mpps CoV over {LiveCovLimit:P0}", cell, mpps.CoefficientOfVariation,
                    $"CoV {mpps.CoefficientOfVariation:P1} (min {mpps.Min:0.00}, median {mpps.Median:0.00}, max {mpps.Max:0.00})"));
            if (mpps.Mean.RelativeHalfWidth > liveTarget)
                warnings.Add(new Warning($"live Mpps CI half-width over {liveTarget:P0} of the mean", cell, mpps.Mean.RelativeHalfWidth, $"{mpps.Mean.RelativeHalfWidth:P1}"));
            if (mpps.LooksMultimodal)
                warnings.Add(new Warning("live Mpps looks multimodal (the mean sits between modes)", cell, mpps.ModalityValue,
                    $"mvalue {mpps.ModalityValue:0.0}: {string.Join(", ", results.LiveSamples.Where(s => s.Variant == f.Variant && s.Setting == f.Setting && s.Mpps is not null).Select(s => s.Mpps!.Value.ToString("0.00", CultureInfo.InvariantCulture)))}"));
            if (mpps.Outliers.Count > 0)
                warnings.Add(new Warning("live outlier windows by Tukey's fences (kept)", cell, mpps.Outliers.Count,
                    string.Join(", ", mpps.Outliers.Select(o => o.ToString("0.00", CultureInfo.InvariantCulture))) + " Mpps"));
        }
        return warnings;
    }

    /// <summary>One line per kind: how many cells, and the worst three.</summary>
    public static IReadOnlyList<string> Summarise(IReadOnlyList<Warning> warnings) =>
        warnings.GroupBy(w => w.Kind).Select(g =>
        {
            var worst = g.OrderByDescending(w => w.Severity).Take(3).Select(w => $"{w.Cell} ({w.Detail})");
            return $"{g.Key}: {g.Count()} cell{(g.Count() == 1 ? "" : "s")}; {(g.Count() > 3 ? "worst " : "")}{string.Join("; ", worst)}";
        }).ToList();
}
