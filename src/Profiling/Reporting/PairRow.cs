using CsvHelper.Configuration.Attributes;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Reporting;

/// <summary>A paired figure pairs.csv carries: one value per ABBA quadruple of a variant and the baseline.</summary>
public enum PairedFigure
{
    /// <summary>The variant's ns/packet minus the baseline's (micro), or its CPU ns/packet minus the baseline's (live).</summary>
    NetNs,

    /// <summary>The variant's cost over the baseline's: ns/packet (micro), or CPU ns/packet, the inverse Mpps ratio (live).</summary>
    CostRatio,
}

public static class PairedFigures
{
    public static string Name(PairedFigure figure) => figure == PairedFigure.NetNs ? "net_ns" : "cost_ratio";

    public static bool TryParse(string name, out PairedFigure figure)
    {
        foreach (var candidate in Enum.GetValues<PairedFigure>())
        {
            if (Name(candidate) == name)
            {
                figure = candidate;
                return true;
            }
        }
        figure = default;
        return false;
    }
}

/// <summary>
/// One row of pairs.csv: the paired samples every net figure of the run is computed from,
/// kept so that another run can be compared with this one sample by sample.
/// </summary>
public sealed record PairRow
{
    public const string FileName = "pairs.csv";

    [Name("variant")]
    public string Variant { get; init; } = "";

    [Name("role")]
    public string Role { get; init; } = "";

    [Name("mode")]
    public string Mode { get; init; } = "";

    [Name("class")]
    public string Class { get; init; } = "";

    [Name("frame_size")]
    public int FrameSize { get; init; }

    [Name("gen_cpus")]
    public string GenCpus { get; init; } = "";

    [Name("sink")]
    public string Sink { get; init; } = "";

    [Name("figure")]
    public string Figure { get; init; } = "";

    [Name("quad")]
    public int Quad { get; init; }

    [Name("value")]
    public double Value { get; init; }

    public static IEnumerable<PairRow> Of(BenchResults results)
    {
        if (results.Baseline is not { } baseline)
            yield break;
        foreach (var cell in results.MicroSamples.GroupBy(s => (s.Class, s.FrameSize)))
        {
            var quads = cell.GroupBy(s => s.Quad).ToList();
            foreach (var variant in cell.Where(s => s.Variant != baseline).GroupBy(s => s.Variant))
            {
                var key = new PairRow
                {
                    Variant = variant.Key,
                    Role = RunRow.RoleName(variant.First().Role),
                    Mode = RunRow.MicroMode,
                    Class = TrafficClasses.Name(cell.Key.Class),
                    FrameSize = cell.Key.FrameSize,
                };
                foreach (
                    var row in Rows(key, PairedFigure.NetNs, MicroFigures.QuadDifferences(quads, variant.Key, baseline))
                )
                    yield return row;
                foreach (
                    var row in Rows(key, PairedFigure.CostRatio, MicroFigures.QuadRatios(quads, variant.Key, baseline))
                )
                    yield return row;
            }
        }
        foreach (
            var setting in results.LiveSamples.Where(s => s.Round >= 0 && !s.Setting.IsExternal).GroupBy(s => s.Setting)
        )
        {
            foreach (var variant in setting.Where(s => s.Variant != baseline).GroupBy(s => s.Variant))
            {
                var key = new PairRow
                {
                    Variant = variant.Key,
                    Role = RunRow.RoleName(variant.First().Role),
                    Mode = RunRow.LiveMode,
                    Class = setting.Key.TrafficLabel,
                    FrameSize = setting.Key.FrameSize,
                    GenCpus = setting.Key.GeneratorCpus?.ToString() ?? "",
                    Sink = Sinks.Name(setting.Key.Sink),
                };
                foreach (
                    var row in Rows(
                        key,
                        PairedFigure.NetNs,
                        LiveFigures.QuadDifferences(setting, variant.Key, baseline)
                    )
                )
                    yield return row;
                foreach (
                    var row in Rows(
                        key,
                        PairedFigure.CostRatio,
                        LiveFigures.QuadRatios(setting, variant.Key, baseline).Select(r => 1 / r).ToList()
                    )
                )
                    yield return row;
            }
        }
    }

    private static IEnumerable<PairRow> Rows(PairRow key, PairedFigure figure, IReadOnlyList<double> values) =>
        values.Select((value, quad) => key with { Figure = PairedFigures.Name(figure), Quad = quad, Value = value });
}
