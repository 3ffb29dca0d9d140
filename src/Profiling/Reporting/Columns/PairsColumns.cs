using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>pairs.csv: the paired samples every net figure comes from, one row per quadruple.</summary>
public static class PairsColumns
{
    public static IReadOnlyList<Column<PairPoint>> All { get; } =
    [
        .. CellColumns.Of<PairPoint>(),
        Column.Csv<PairPoint>(
            "figure",
            "`net_ns`: the variant's ns/packet minus the baseline's (micro), or CPU ns/packet minus the baseline's "
                + "(live); `cost_ratio`: the variant's cost over the baseline's",
            p => EnumNames.Of(p.Series.Figure)
        ),
        Column.Csv<PairPoint>("quad", "the quadruple, counted from 0 in the cell", p => p.Quad),
        Column.Csv<PairPoint>("value", "the figure in that quadruple", p => p.Value),
    ];
}
