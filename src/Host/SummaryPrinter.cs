using System.Globalization;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Host;

/// <summary>The terminal summary: comparison tables, micro costs per class, static facts, failures and warnings.</summary>
internal static class SummaryPrinter
{
    public static void Print(BenchResults results, IReadOnlyDictionary<string, TrafficMix> mixes, string outDirectory)
    {
        Console.WriteLine();
        Console.WriteLine("=== Performance Comparison ===");
        foreach (var section in ComparisonTable.Build(results, mixes))
        {
            Console.WriteLine(section.Title);
            PrintAligned(ComparisonTable.Columns, section.Rows);
            Console.WriteLine();
        }
        Console.WriteLine("* baseline: the Null program (XDP_PASS only), the floor every counter is measured against");
        foreach (var (column, meaning) in ComparisonTable.Legend)
            Console.WriteLine($"  {column}: {meaning}");

        var micro = results.MicroFigures();
        if (micro.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("=== Micro: ns/packet net of Null (± 95% CI), BPF_PROG_TEST_RUN per class ===");
            var classes = micro.Select(f => f.Class).Distinct().Order().ToList();
            foreach (var size in micro.Select(f => f.FrameSize).Distinct())
            {
                var rows = micro.Where(f => f.FrameSize == size).GroupBy(f => f.Variant).Select(g =>
                    (string[])[g.Key, .. classes.Select(c => g.FirstOrDefault(f => f.Class == c) is { } f
                        ? g.Key == BenchResults.BaselineName
                            ? f.NsPerPacket.Mean.Mean.ToString("0.00", CultureInfo.InvariantCulture) + " abs"
                            : f.NetOfNull is { } n ? $"{n.Mean.ToString("0.00", CultureInfo.InvariantCulture)}±{n.HalfWidth.ToString("0.00", CultureInfo.InvariantCulture)}" : "-"
                        : "-")]).ToList();
                Console.WriteLine($"{size} B frames (Null shows its absolute ns/packet)");
                PrintAligned(["VARIANT", .. classes.Select(TrafficClasses.Name)], rows);
            }
        }

        foreach (var (title, header, rows) in InstructionTable.Build(results))
        {
            Console.WriteLine();
            Console.WriteLine($"=== Executed BPF instructions (emulated): {title} ===");
            PrintAligned(header, rows);
        }

        if (results.Facts.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("=== Static facts (bpf_prog_info) ===");
            PrintAligned(["VARIANT", "XLATED INSNS", "JITED BYTES", "VERIFIED INSNS", "MAPS"],
                results.Facts.Select(f => new[]
                {
                    f.Variant,
                    f.Program.XlatedInstructions.ToString(CultureInfo.InvariantCulture),
                    f.Program.JitedBytes.ToString(CultureInfo.InvariantCulture),
                    f.Program.VerifiedInstructions.ToString(CultureInfo.InvariantCulture),
                    f.Program.Maps.Count == 0 ? "-" : string.Join("; ", f.Program.Maps.Select(m => $"{m.Name} {m.Type} {m.KeySize}/{m.ValueSize} B x{m.MaxEntries}")),
                }).ToList());
        }

        if (results.CounterSources.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("=== Counter sources ===");
            foreach (var source in results.CounterSources)
                Console.WriteLine($"  {source.Source}: {(source.Available ? "available" : source.Detail)}");
        }
        var perPacket = CounterTable.Build(results);
        if (perPacket.Rows.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("=== Counters per packet (live windows, mean) ===");
            PrintAligned(perPacket.Header, perPacket.Rows);
        }
        var correlations = results.Correlations();
        if (correlations.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("=== Throughput vs per-packet figures (all variants x repeats) ===");
            PrintAligned(["SETTING", "FIGURE", "N", "PEARSON R", "SLOPE (Mpps/unit)", "R²"], correlations.Select(c => new[]
            {
                $"{c.Mix} {c.FrameSize} B cpu {c.GeneratorCpus}", c.Figure, c.Points.ToString(CultureInfo.InvariantCulture),
                c.PearsonR.ToString("0.000", CultureInfo.InvariantCulture), c.Slope.ToString("0.####", CultureInfo.InvariantCulture),
                c.RSquared.ToString("0.000", CultureInfo.InvariantCulture),
            }).ToList());
        }
        foreach (var (reading, net) in results.AttributionsNetOfNull())
            Console.WriteLine($"  attribution {reading.Variant} {reading.Event}: {reading.PerRun:0.0} per run, {net:0.0} net of Null ({reading.Runs} runs)");

        var warnings = ComparisonTable.Warnings(results);
        if (warnings.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("=== Warnings ===");
            foreach (var warning in warnings)
                Console.WriteLine($"  {warning}");
        }
        foreach (var mismatch in results.LiveSamples.Where(s => s.Verification is { IsExact: false }))
            Console.Error.WriteLine($"packetcounter: variant {mismatch.Variant} MISCOUNTED in repeat {mismatch.Repeat + 1} (cpu {mismatch.GeneratorCpus}):\n{mismatch.Verification!.Table()}");
        foreach (var failure in results.Failures.Distinct())
            Console.Error.WriteLine($"packetcounter: {failure}");
        Console.WriteLine();
        Console.WriteLine($"results: {outDirectory}");
    }

    public static void PrintAligned(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        Console.WriteLine(Line(header));
        Console.WriteLine(new string('=', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var row in rows)
            Console.WriteLine(Line(row));
    }
}
