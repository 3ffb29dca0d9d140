using System.Globalization;
using PacketCounter.Profiling.Reporting;

namespace PacketCounter.Host.Commands;

internal static class CompareCommand
{
    public static int Run(CommandLine commandLine)
    {
        if (commandLine.Positional.Count != 2)
            throw new UsageException("compare takes two run folders: packetcounter compare <runA> <runB>");
        var threshold = ParseThreshold(commandLine.Single("threshold") ?? "5%");
        var (runA, runB) = (commandLine.Positional[0], commandLine.Positional[1]);
        foreach (var run in new[] { runA, runB })
            if (!File.Exists(Path.Combine(run, RunArtifacts.RunsFile)))
                throw new UsageException($"'{run}' is not a run folder (no {RunArtifacts.RunsFile}); pass two folders written by bench");

        IReadOnlyList<ComparisonRow> rows;
        try
        {
            rows = RunComparison.Compare(runA, runB, threshold);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"packetcounter: {e.Message}");
            return ExitCodes.Failure;
        }
        SummaryPrinter.PrintAligned(["VARIANT", "MODE", "CLASS", "SIZE", "CPUS", "METRIC", "A", "B", "CHANGE", "P", "VERDICT"],
            rows.Select(r => new[]
            {
                r.Variant, r.Mode, r.Class, r.FrameSize.ToString(CultureInfo.InvariantCulture), r.GenCpus, r.Metric,
                r.MeanA.ToString("0.###", CultureInfo.InvariantCulture), r.MeanB.ToString("0.###", CultureInfo.InvariantCulture),
                r.RelativeChange.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture), r.PValue.ToString("0.####", CultureInfo.InvariantCulture),
                r.Verdict.ToString().ToLowerInvariant(),
            }).ToList());
        var report = Path.Combine(runB, RunComparison.ReportFile);
        File.WriteAllText(report, RunComparison.Markdown(runA, runB, threshold, rows));
        Console.WriteLine($"written: {report}");
        var slower = rows.Count(r => r.Verdict == Verdict.Slower);
        if (slower > 0)
            Console.Error.WriteLine($"packetcounter: {slower} row(s) regressed beyond {threshold:P0}");
        return slower == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static double ParseThreshold(string text)
    {
        var number = text.TrimEnd('%');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || value >= 100)
            throw new UsageException($"--threshold '{text}' must be a percentage such as 5%");
        return value / 100;
    }
}
