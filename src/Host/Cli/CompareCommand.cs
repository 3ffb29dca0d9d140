using PacketCounter.Profiling.Reporting;

namespace PacketCounter.Host.Cli;

internal static class CompareCommand
{
    public static Command Build()
    {
        var runA = new Argument<string>("RUN_A") { Description = "the earlier run folder" };
        var runB = new Argument<string>("RUN_B") { Description = "the later run folder; compare.md is written into it" };
        var threshold = new Option<double>("--threshold") { Description = "the relative change below which a row is the same (default 5%)", CustomParser = Parsers.Percentage, DefaultValueFactory = _ => 0.05 };
        var command = new Command("compare", "decide faster / slower / same per matched row; exits 1 when any row regressed") { runA, runB, threshold };
        command.SetAction(parse =>
        {
            var (a, b) = (parse.GetValue(runA)!, parse.GetValue(runB)!);
            foreach (var run in new[] { a, b })
                if (!File.Exists(Path.Combine(run, RunArtifacts.RunsFile)))
                    throw new UsageException($"'{run}' is not a run folder (no {RunArtifacts.RunsFile}); pass two folders written by bench");
            var limit = parse.GetValue(threshold);
            IReadOnlyList<ComparisonRow> rows;
            try
            {
                rows = RunComparison.Compare(a, b, limit);
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"packetcounter: {e.Message}");
                return ExitCodes.Failure;
            }
            TerminalReport.Write(Consoles.Out, new Table(null, ["VARIANT", "MODE", "CLASS", "SIZE", "SETTING", "METRIC", "A", "B", "CHANGE", "P", "VERDICT"],
                rows.Select(r => (IReadOnlyList<string>)
                [
                    r.Variant, r.Mode, r.Class, r.FrameSize.ToString(CultureInfo.InvariantCulture), r.GenCpus, r.Metric,
                    r.MeanA.ToString("0.###", CultureInfo.InvariantCulture), r.MeanB.ToString("0.###", CultureInfo.InvariantCulture),
                    r.RelativeChange.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture), r.PValue.ToString("0.####", CultureInfo.InvariantCulture),
                    r.Verdict.ToString().ToLowerInvariant(),
                ]).ToList()));
            var report = Path.Combine(b, RunComparison.ReportFile);
            File.WriteAllText(report, RunComparison.Markdown(a, b, limit, rows));
            Console.WriteLine($"written: {report}");
            var slower = rows.Count(r => r.Verdict == Verdict.Slower);
            if (slower > 0)
                Console.Error.WriteLine($"packetcounter: {slower} row(s) regressed beyond {limit:P0}");
            return slower == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
