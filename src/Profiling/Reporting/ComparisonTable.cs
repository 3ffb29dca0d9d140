using System.Globalization;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// The seed's comparison table, extended with confidence intervals, run stats and the
/// micro cost: one table per live setting (mix × size × generator CPUs). Exporters
/// render the same rows as text, Markdown or HTML.
/// </summary>
public static class ComparisonTable
{
    public static readonly string[] Columns =
        ["VARIANT", "PACKETS", "MPPS", "±CI", "SPEEDUP", "±CI", "NS/RUN", "CPU%", "NET NS/PKT", "±CI", "INSNS/PKT", "VERIFIED"];

    /// <summary>What each column means, stated once.</summary>
    public static readonly (string Column, string Meaning)[] Legend =
    [
        ("PACKETS", "packets sent over all live windows of the variant"),
        ("MPPS", "mean over windows of packets sent / generator wall time, millions per second"),
        ("±CI", "half-width of the 95% confidence interval of the figure to its left (Student t)"),
        ("SPEEDUP", "MPPS / Naive's MPPS (delta-method CI)"),
        ("NS/RUN", "Δrun_time_ns / Δrun_cnt from bpf_prog_info over the windows (run stats on)"),
        ("CPU%", "Δrun_time_ns / wall: the program's share of one CPU"),
        ("NET NS/PKT", "micro mode, BPF_PROG_TEST_RUN: ns/packet minus Null's, weighted by the mix"),
        ("INSNS/PKT", "BPF instructions executed per packet of the mix (emulated, as compiled, before the verifier's rewrites; '!' marks a variant over the budget); helper calls in brackets"),
        ("VERIFIED", "exact: every count equalled the packets sent of its classes in every window"),
    ];

    public sealed record Section(string Title, IReadOnlyList<string[]> Rows);

    public static IReadOnlyList<Section> Build(BenchResults results, IReadOnlyDictionary<string, Traffic.TrafficMix> mixes)
    {
        var sections = new List<Section>();
        var live = results.LiveFigures();
        var settings = live.Select(f => (f.Mix, f.FrameSize, f.GeneratorCpus)).Distinct().ToList();
        if (settings.Count == 0)
            settings = results.MicroSamples.Select(s => s.FrameSize).Distinct()
                .SelectMany(size => mixes.Keys.Select(mix => (mix, size, "-"))).ToList();
        foreach (var (mix, size, cpus) in settings)
        {
            var micro = mixes.TryGetValue(mix, out var m) ? results.MicroMixFigures(m).Where(f => f.FrameSize == size).ToList() : [];
            var names = live.Where(f => f.Mix == mix && f.FrameSize == size && f.GeneratorCpus == cpus).Select(f => f.Variant)
                .Concat(micro.Select(f => f.Variant)).Distinct().ToList();
            var rows = new List<string[]>();
            foreach (var name in names)
            {
                var l = live.FirstOrDefault(f => f.Variant == name && f.Mix == mix && f.FrameSize == size && f.GeneratorCpus == cpus);
                var n = micro.FirstOrDefault(f => f.Variant == name)?.NetOfNull;
                var baseline = l?.Role == VariantRole.Baseline || name == BenchResults.BaselineName;
                rows.Add([
                    baseline ? name + "*" : name,
                    l is null ? "-" : (mix == LiveSample.ExternalMix ? l.PacketsDelivered : (ulong)l.PacketsSent).ToString(CultureInfo.InvariantCulture),
                    F(l?.Mpps.Mean.Mean, "0.00"), F(l?.Mpps.Mean.HalfWidth, "0.00"),
                    l?.SpeedupVsNaive is { } s ? F(s.Mean, "0.00") + "x" : "-", F(l?.SpeedupVsNaive?.HalfWidth, "0.00"),
                    F(l?.NsPerRun.Mean.Mean, "0.0"), F(l?.CpuPercent.Mean.Mean, "0.0"),
                    baseline ? "0 (ref)" : F(n?.Mean, "0.00"), baseline ? "" : F(n?.HalfWidth, "0.00"),
                    mixes.TryGetValue(mix, out var insnMix) && results.InstructionsPerPacket(name, insnMix, size) is { } insns
                        ? $"{insns.Instructions.ToString("0.0", CultureInfo.InvariantCulture)} [{insns.HelperCalls.ToString("0.##", CultureInfo.InvariantCulture)}]{(insns.Instructions > results.InstructionBudget ? "!" : "")}"
                        : "-",
                    l is null ? "-" : baseline ? "baseline" : l.FailedWindows > 0 ? "failed" : mix == LiveSample.ExternalMix ? $"counted {l.PacketsCounted}" : l.ExactWindows == l.Windows ? "exact" : "MISMATCH",
                ]);
            }
            sections.Add(new Section(cpus == "-" ? $"mix {mix}, {size} B frames (micro mode only)" : $"mix {mix}, {size} B frames, generator on CPU {cpus}", rows));
        }
        return sections;
    }

    /// <summary>Warnings a reader must see next to the figures: spread, modes, outliers, CI targets.</summary>
    public static IReadOnlyList<string> Warnings(BenchResults results)
    {
        var warnings = new List<string>(results.Notes);
        foreach (var over in results.InstructionProfiles.Where(p => p.Profile.Instructions > results.InstructionBudget))
            warnings.Add($"{over.Profile.Variant} executes {over.Profile.Instructions} BPF instructions for a {over.FrameSize} B {TrafficClasses.Name(over.Profile.Class)} packet, over the budget of {results.InstructionBudget}");
        foreach (var f in results.MicroFigures())
        {
            var where = $"micro {f.Variant} {TrafficClasses.Name(f.Class)} {f.FrameSize} B";
            if (f.NsPerPacket.CoefficientOfVariation > 0.02)
                warnings.Add($"{where}: CoV {f.NsPerPacket.CoefficientOfVariation:P1} exceeds 2%");
            if (f.NetOfNull is { } net && net.HalfWidth > 0.2)
                warnings.Add($"{where}: net ns/packet CI half-width {net.HalfWidth:0.00} ns exceeds the 0.2 ns target");
            if (f.NsPerPacket.Outliers.Count > 0)
                warnings.Add($"{where}: {f.NsPerPacket.Outliers.Count} outlier(s) by Tukey's fences: {string.Join(", ", f.NsPerPacket.Outliers.Select(o => o.ToString("0.00", CultureInfo.InvariantCulture)))} ns (kept)");
        }
        foreach (var f in results.LiveFigures())
        {
            var where = $"live {f.Variant} {f.Mix} {f.FrameSize} B cpu {f.GeneratorCpus}";
            if (f.Mpps.CoefficientOfVariation > 0.05)
                warnings.Add($"{where}: CoV {f.Mpps.CoefficientOfVariation:P1} exceeds 5% (min {f.Mpps.Min:0.00}, median {f.Mpps.Median:0.00}, max {f.Mpps.Max:0.00} Mpps)");
            if (f.Mpps.Mean.RelativeHalfWidth > 0.05)
                warnings.Add($"{where}: Mpps CI half-width {f.Mpps.Mean.RelativeHalfWidth:P1} of the mean exceeds 5%; add --repeats");
            if (f.Mpps.LooksMultimodal)
                warnings.Add($"{where}: Mpps looks multimodal (mvalue {f.Mpps.ModalityValue:0.0}); the mean sits between modes: {string.Join(", ", results.LiveSamples.Where(s => s.Variant == f.Variant && s.Mix == f.Mix && s.FrameSize == f.FrameSize && s.GeneratorCpus == f.GeneratorCpus && s.Succeeded).Select(s => s.Mpps.ToString("0.00", CultureInfo.InvariantCulture)))}");
            if (f.Mpps.Outliers.Count > 0)
                warnings.Add($"{where}: {f.Mpps.Outliers.Count} outlier window(s) by Tukey's fences: {string.Join(", ", f.Mpps.Outliers.Select(o => o.ToString("0.00", CultureInfo.InvariantCulture)))} Mpps (kept)");
        }
        return warnings;
    }

    private static string F(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
