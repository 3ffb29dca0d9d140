using PacketCounter.Profiling.Comparison;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The recorded kernel matrices side by side: each variant on each kernel, run by run, as the
/// instructions the verifier emitted and the JIT's bytes, or REFUSED, so a change of code or
/// of kernel shows where it began.
/// </summary>
public static class MatrixHistory
{
    /// <summary>The newest runs a table shows, oldest first.</summary>
    public const int Runs = 8;

    private const string Reading = "xlated instructions / JIT bytes, REFUSED, or - where the run had no such cell";

    public static Table Of(IReadOnlyList<StoredRun> matrices, string? variant)
    {
        var shown = matrices.OrderBy(r => r.StartedUtc).TakeLast(Runs).ToList();
        var cellsOf = shown.ToDictionary(
            r => r.Id,
            r => MatrixCells.Cells(r.Result).DistinctBy(c => c.Name).ToDictionary(c => c.Name, c => c.Variant)
        );
        var cells = cellsOf
            .Values.SelectMany(c => c.Keys)
            .Distinct()
            .Where(name => variant is null || name.StartsWith($"{variant} on ", StringComparison.OrdinalIgnoreCase))
            .ToList();
        IReadOnlyList<Column<string>> columns =
        [
            Column.Key<string>("VARIANT ON KERNEL", null, "the variant on the kernel as named to --kernel", c => c),
            .. shown.Select(run =>
                Column.Of<string>(
                    run.Id,
                    $"run {run.Id}: {Reading}",
                    cell =>
                        cellsOf[run.Id].GetValueOrDefault(cell) is not { } v ? null
                        : !v.Loaded ? "REFUSED"
                        : v.Verifier is { } stats ? $"{stats.XlatedInsns} / {stats.JitedBytes}"
                        : "loads"
                )
            ),
        ];
        return ColumnTable.Of("xlated instructions / JIT bytes per run", columns, cells) with
        {
            Legend = [("RUN ID", Reading)],
        };
    }
}
