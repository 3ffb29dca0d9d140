using System.Text.Json;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting;

namespace PacketCounter.Profiling.History;

/// <summary>
/// One run as the history keeps it: who and where (fingerprint, variant builds, environment),
/// its figures (summary.csv) and the paired samples behind them (pairs.csv). Built from a run
/// folder, so a fresh run and an imported one take the same path into the store.
/// </summary>
public sealed record RunRecord(
    string Id,
    DateTimeOffset StartedUtc,
    string Command,
    string? Tag,
    MachineFingerprint Machine,
    IReadOnlyList<VariantIdentity> Variants,
    bool Incomplete,
    string EnvironmentJson,
    IReadOnlyList<SummaryRow> Figures,
    IReadOnlyList<PairRow> Pairs,
    string? Directory
)
{
    /// <summary>
    /// Reads a folder written by bench. A folder without pairs.csv (written before pairs were kept) gives figures but
    /// no samples.
    /// </summary>
    public static RunRecord FromDirectory(string directory, string? tag = null)
    {
        var summaryPath = Path.Combine(directory, RunArtifacts.SummaryFile);
        var environmentPath = Path.Combine(directory, RunArtifacts.EnvironmentFile);
        if (!File.Exists(summaryPath) || !File.Exists(environmentPath))
            throw new HistoryException(
                $"'{directory}' is not a finished run folder: it needs {RunArtifacts.SummaryFile} "
                    + $"and {RunArtifacts.EnvironmentFile}, which bench writes when a run ends"
            );
        var environmentJson = File.ReadAllText(environmentPath);
        MachineFacts facts;
        try
        {
            facts =
                JsonSerializer.Deserialize(environmentJson, MachineFactsJson.Default.MachineFacts)
                ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new HistoryException($"'{environmentPath}' cannot be read as a run's environment: {e.Message}");
        }
        IReadOnlyList<SummaryRow> figures;
        IReadOnlyList<PairRow> pairs;
        try
        {
            figures = CsvAppender<SummaryRow>.Read(summaryPath);
            var pairsPath = Path.Combine(directory, PairRow.FileName);
            pairs = File.Exists(pairsPath) ? CsvAppender<PairRow>.Read(pairsPath) : [];
        }
        catch (Exception e) when (e is CsvHelper.CsvHelperException or FormatException)
        {
            throw new HistoryException($"'{directory}' has a CSV file that cannot be read: {e.Message.Split('\n')[0]}");
        }
        return new RunRecord(
            Id: Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')),
            StartedUtc: facts.StartedUtc,
            Command: facts.CommandLine,
            Tag: tag,
            Machine: new MachineFingerprint(
                facts.CpuModel,
                facts.Kernel,
                facts.JitState,
                facts.OnlineCpus,
                BaselineNs(figures)
            ),
            Variants: facts.Variants ?? [],
            Incomplete: File.Exists(Path.Combine(directory, RunArtifacts.IncompleteFile)),
            EnvironmentJson: environmentJson,
            Figures: figures,
            Pairs: pairs,
            Directory: Path.GetFullPath(directory)
        );
    }

    /// <summary>The median over classes of the baseline's micro ns/packet.</summary>
    public static double? BaselineNs(IEnumerable<SummaryRow> figures)
    {
        var costs = figures
            .Where(f =>
                f.Role == RunRow.RoleName(MeasuredRole.Baseline)
                && f.Mode == RunRow.MicroMode
                && f.Metric == Metrics.Name(Metric.NsPerPacket)
            )
            .Select(f => f.Mean)
            .Order()
            .ToList();
        return costs.Count == 0 ? null
            : costs.Count % 2 == 1 ? costs[costs.Count / 2]
            : (costs[costs.Count / 2 - 1] + costs[costs.Count / 2]) / 2;
    }
}

/// <summary>A history store, or a run folder, that cannot be used; the message is one line saying what and what to do.</summary>
public sealed class HistoryException(string message, Exception? inner = null) : Exception(message, inner);
