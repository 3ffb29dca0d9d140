using CsvHelper.Configuration.Attributes;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting;

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

    public static IEnumerable<PairRow> Of(Results.RunResult result) =>
        result.Pairs.SelectMany(series =>
            series.Values.Select(
                (value, quad) =>
                    new PairRow
                    {
                        Variant = series.Variant,
                        Role = EnumNames.Of(series.Role),
                        Mode = EnumNames.Of(series.Cell.Mode),
                        Class = series.Cell.Class,
                        FrameSize = series.Cell.FrameSize,
                        GenCpus = series.Cell.GeneratorCpus?.ToString() ?? "",
                        Sink = series.Cell.Sink is { } sink ? EnumNames.Of(sink) : "",
                        Figure = EnumNames.Of(series.Figure),
                        Quad = quad,
                        Value = value,
                    }
            )
        );
}
