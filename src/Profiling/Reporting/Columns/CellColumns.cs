using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Text;

namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>The columns that name a variant's cell, which every CSV file of a run opens with.</summary>
public static class CellColumns
{
    public const string ClassLegend =
        "the traffic class for micro; for live the mix, followed by `@SIZES` when a size mix was sent, "
        + "e.g. `default@imix`, and by `/N-flows` when frames walked N flows, e.g. `ipv4-udp/65536-flows`";

    public static Column<TRow> Variant<TRow>()
        where TRow : ICellRow =>
        Column.Key<TRow>(
            "VARIANT",
            "variant",
            "the variant; the baseline's A/A copy is the baseline's name followed by \" A/A\"",
            r => r.Variant
        );

    public static Column<TRow> Role<TRow>()
        where TRow : ICellRow =>
        Column.Csv<TRow>("role", "`baseline`, `control` (the A/A copy) or `counter`", r => EnumNames.Of(r.Role));

    /// <summary>Frame size, generator CPUs, interface and sink: where the cell's frames came from and went.</summary>
    public static IReadOnlyList<Column<TRow>> Where<TRow>()
        where TRow : ICellRow =>
        [
            Column.Csv<TRow>(
                "frame_size",
                "the frame size; a live size mix is filed under its mean size",
                r => r.Cell.FrameSize,
                "bytes"
            ),
            Column.Csv<TRow>("gen_cpus", "live: the generator CPUs, e.g. `0,1`", r => r.Cell.GeneratorCpus?.ToString()),
            Column.Csv<TRow>("iface", "bench --iface: the interface measured", r => r.Cell.Interface),
            Column.Csv<TRow>(
                "sink",
                "live: where frames ended, `drop` or `pass`",
                r => r.Cell.Sink is { } sink ? EnumNames.Of(sink) : null
            ),
        ];

    /// <summary>variant, role, mode, class, frame_size, gen_cpus, iface, sink.</summary>
    public static IReadOnlyList<Column<TRow>> Of<TRow>()
        where TRow : ICellRow =>
        [
            Variant<TRow>(),
            Role<TRow>(),
            Column.Csv<TRow>("mode", "`micro` or `live`", r => EnumNames.Of(r.Cell.Mode)),
            Column.Csv<TRow>("class", ClassLegend, r => r.Cell.Class),
            .. Where<TRow>(),
        ];
}
