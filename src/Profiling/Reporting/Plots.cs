using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;
using ScottPlot;

namespace PacketCounter.Profiling.Reporting;

/// <summary>A plot written as PNG and SVG, with a caption saying what it shows.</summary>
public sealed record PlotFile(string Name, string Caption, string PngPath, string SvgPath);

/// <summary>
/// The run's plots, drawn from the same results every exporter reads. Axis labels carry
/// units; error bars are 95% confidence intervals.
/// </summary>
public static class Plots
{
    private const int Width = 900;
    private const int Height = 520;

    static Plots()
    {
        // ScottPlot picks the first font family it finds otherwise, which may have no Latin glyphs.
        Fonts.Default = "DejaVu Sans";
    }

    public static IReadOnlyList<PlotFile> Write(BenchResults results, string directory)
    {
        var files = new List<PlotFile>();
        var live = results.LiveFigures();
        foreach (var setting in live.GroupBy(f => (f.Mix, f.FrameSize, f.GeneratorCpus)))
        {
            var suffix = $"{setting.Key.Mix}-{setting.Key.FrameSize}-cpu{setting.Key.GeneratorCpus.Replace(',', '_')}";
            files.Add(LiveMpps(setting.ToList(), directory, $"live-mpps-{suffix}",
                $"Live Mpps per variant (mix {setting.Key.Mix}, {setting.Key.FrameSize} B, generator CPU {setting.Key.GeneratorCpus}); bars are means, whiskers 95% CI, dashed line the Null baseline."));
            files.Add(MppsSeries(results.LiveSamples.Where(s => s.Mix == setting.Key.Mix && s.FrameSize == setting.Key.FrameSize
                && s.GeneratorCpus == setting.Key.GeneratorCpus && s.Succeeded).ToList(), directory, $"live-series-{suffix}",
                $"Mpps of every live window in the order repeats ran (mix {setting.Key.Mix}, {setting.Key.FrameSize} B, CPU {setting.Key.GeneratorCpus}): stability and modes."));
            var windows = results.LiveSamples.Where(s => s.Mix == setting.Key.Mix && s.FrameSize == setting.Key.FrameSize
                && s.GeneratorCpus == setting.Key.GeneratorCpus && s.Succeeded).ToList();
            foreach (var figure in windows.SelectMany(w => w.CountersPerPacket.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                var counterPoints = windows.Where(w => w.CountersPerPacket.ContainsKey(figure))
                    .Select(w => (w.Variant, w.CountersPerPacket[figure], w.Mpps)).ToList();
                if (counterPoints.Count >= 3)
                    files.Add(Correlation(counterPoints, figure, directory, $"mpps-vs-{Safe(figure)}-{suffix}",
                        $"Throughput against {figure} (perf, system-wide), one point per live window, with a least-squares line.", labelPoints: false));
            }
            var points = setting.Where(f => double.IsFinite(f.NsPerRun.Mean.Mean)).ToList();
            if (points.Count >= 2)
                files.Add(Correlation(points.Select(f => (f.Variant, f.NsPerRun.Mean.Mean, f.Mpps.Mean.Mean)).ToList(), "ns per run (run stats)",
                    directory, $"mpps-vs-ns-per-run-{suffix}", "Throughput against the program's ns per run, one point per variant, with a least-squares line."));
            var insns = setting.Select(f => (f.Variant, X: (double?)results.Facts.FirstOrDefault(x => x.Variant == f.Variant)?.Program.XlatedInstructions, Y: f.Mpps.Mean.Mean))
                .Where(p => p.X is not null).Select(p => (p.Variant, p.X!.Value, p.Y)).ToList();
            if (insns.Count >= 2)
                files.Add(Correlation(insns, "xlated instructions (static)", directory, $"mpps-vs-insns-{suffix}",
                    "Throughput against the program's static size in BPF instructions after verification, with a least-squares line."));
        }
        var micro = results.MicroFigures().Where(f => f.NetOfNull is not null && f.Variant != BenchResults.BaselineName).ToList();
        foreach (var size in micro.GroupBy(f => f.FrameSize))
            files.Add(MicroNet(size.ToList(), directory, $"micro-net-{size.Key}",
                $"Micro cost net of Null per variant and traffic class ({size.Key} B), ns/packet; whiskers are 95% CI."));
        return files;
    }

    private static PlotFile LiveMpps(IReadOnlyList<LiveFigure> figures, string directory, string name, string caption)
    {
        var plot = new Plot();
        var ordered = figures.OrderBy(f => f.Role == VariantRole.Baseline ? 0 : 1).ThenBy(f => f.Variant).ToList();
        var bars = ordered.Select((f, i) => new Bar
        {
            Position = i,
            Value = f.Mpps.Mean.Mean,
            Error = Finite(f.Mpps.Mean.HalfWidth),
            FillColor = f.Role == VariantRole.Baseline ? Colors.Gray : Colors.SteelBlue,
        }).ToArray();
        plot.Add.Bars(bars);
        if (ordered.FirstOrDefault(f => f.Role == VariantRole.Baseline) is { } baseline)
        {
            var line = plot.Add.HorizontalLine(baseline.Mpps.Mean.Mean);
            line.LinePattern = LinePattern.Dashed;
            line.LineColor = Colors.DarkGray;
            line.LegendText = $"Null {baseline.Mpps.Mean.Mean:0.00} Mpps";
            plot.ShowLegend();
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            ordered.Select((_, i) => (double)i).ToArray(), ordered.Select(f => f.Variant).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("throughput (Mpps)");
        plot.Title("Live throughput, mean with 95% CI");
        return Save(plot, directory, name, caption);
    }

    private static PlotFile MppsSeries(IReadOnlyList<LiveSample> samples, string directory, string name, string caption)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var variant in samples.GroupBy(s => s.Variant))
        {
            var points = variant.OrderBy(s => s.Repeat).ToList();
            var scatter = plot.Add.Scatter(points.Select(s => (double)s.Repeat + 1).ToArray(), points.Select(s => s.Mpps).ToArray());
            scatter.LegendText = variant.Key;
            scatter.Color = palette.GetColor(index++);
            scatter.MarkerSize = 7;
        }
        plot.ShowLegend();
        plot.XLabel("repeat");
        plot.YLabel("throughput (Mpps)");
        plot.Title("Live throughput per window");
        return Save(plot, directory, name, caption);
    }

    private static string Safe(string text) => new(text.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    private static PlotFile Correlation(IReadOnlyList<(string Variant, double X, double Y)> points, string xLabel, string directory, string name, string caption,
        bool labelPoints = true)
    {
        var plot = new Plot();
        var xs = points.Select(p => p.X).ToArray();
        var ys = points.Select(p => p.Y).ToArray();
        var scatter = plot.Add.ScatterPoints(xs, ys);
        scatter.MarkerSize = 9;
        foreach (var p in labelPoints ? points : [])
        {
            var label = plot.Add.Text(p.Variant, p.X, p.Y);
            label.LabelFontSize = 13;
        }
        var rSquared = double.NaN;
        if (xs.Distinct().Count() >= 2)
        {
            var fit = new ScottPlot.Statistics.LinearRegression(xs, ys);
            rSquared = fit.Rsquared;
            var line = plot.Add.Line(xs.Min(), fit.GetValue(xs.Min()), xs.Max(), fit.GetValue(xs.Max()));
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = $"fit: {fit.Slope:0.####}·x + {fit.Offset:0.###}, R² = {fit.Rsquared:0.000}";
            plot.ShowLegend();
        }
        plot.XLabel(xLabel);
        plot.YLabel("throughput (Mpps)");
        plot.Title($"Throughput vs {xLabel}");
        return Save(plot, directory, name, $"{caption} R² = {rSquared:0.000}.");
    }

    private static PlotFile MicroNet(IReadOnlyList<MicroFigure> figures, string directory, string name, string caption)
    {
        var plot = new Plot();
        var classes = figures.Select(f => f.Class).Distinct().Order().ToList();
        var variants = figures.Select(f => f.Variant).Distinct().ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var groupWidth = variants.Count + 1.0;
        for (var v = 0; v < variants.Count; v++)
        {
            var bars = classes.Select((c, i) => figures.FirstOrDefault(f => f.Variant == variants[v] && f.Class == c) is { } f
                ? new Bar { Position = i * groupWidth + v, Value = f.NetOfNull!.Value.Mean, Error = Finite(f.NetOfNull.Value.HalfWidth), FillColor = palette.GetColor(v) }
                : null).Where(b => b is not null).Select(b => b!).ToArray();
            var series = plot.Add.Bars(bars);
            series.LegendText = variants[v];
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            classes.Select((_, i) => i * groupWidth + (variants.Count - 1) / 2.0).ToArray(), classes.Select(TrafficClasses.Name).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperLeft;
        plot.Axes.Bottom.MinimumSize = 110; // room for the rotated class names
        plot.ShowLegend(Alignment.UpperRight); // the costly classes come first, so the right is free
        plot.YLabel("net cost (ns/packet, minus Null)");
        plot.Title("Micro cost per traffic class, net of Null, 95% CI");
        return Save(plot, directory, name, caption);
    }

    private static PlotFile Save(Plot plot, string directory, string name, string caption)
    {
        plot.Axes.Title.Label.FontSize = 18;
        var png = Path.Combine(directory, name + ".png");
        var svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        return new PlotFile(name, caption, png, svg);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
