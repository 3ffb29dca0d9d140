using PacketCounter.Abstractions;
using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;
using PacketCounter.Profiling.Text;
using ScottPlot;

namespace PacketCounter.Profiling.Reporting;

/// <summary>A plot written as PNG and SVG, with a caption saying what it shows.</summary>
public sealed record PlotFile(string Name, string Caption, string PngPath, string SvgPath);

/// <summary>
/// The run's plots, drawn from the same figures every exporter reads. Axis labels carry
/// units; error bars are 95% confidence intervals; every variant keeps one colour and one
/// place in the order across all plots, and the baseline's reference line is labelled.
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

    /// <summary>The figure the report opens with, after the findings.</summary>
    public const string HeadlineName = "net-cost";

    public static IReadOnlyList<PlotFile> Write(RunResult figures, string directory)
    {
        var files = new List<PlotFile>();
        var style = new VariantStyle(figures);
        if (Headline(figures) is { } headline)
            files.Add(
                Save(
                    headline,
                    directory,
                    HeadlineName,
                    "Each counter's net cost per packet over the baseline, micro (BPF_PROG_TEST_RUN) and live (CPU "
                        + "ns, drop sink) side by side, cheapest first; whiskers are 95% CIs, and the letters over "
                        + "the bars are the tiers of the findings: counters sharing a letter could not be told apart.",
                    HeadlineWidth,
                    HeadlineHeight
                )
            );
        foreach (var setting in figures.Live.Where(f => f.Mpps is not null).GroupBy(f => f.Setting))
        {
            var suffix = Safe(setting.Key.ToString());
            var live = style.Ordered(setting.ToList(), f => f.Variant);
            Add(
                Bars(
                    live.Select(f => (f.Variant, f.Mpps!.Mean.Mean, f.Mpps.Mean.HalfWidth)).ToList(),
                    style,
                    "throughput (Mpps)",
                    "Live throughput, mean with 95% CI",
                    BaselineLine(live, f => f.Mpps!.Mean.Mean, "Mpps")
                ),
                $"live-mpps-{suffix}",
                $"Live Mpps per variant ({setting.Key}); bars are means over rounds of the "
                    + "throughput slices (run stats off), whiskers 95% CI, the dashed line the baseline."
            );
            var net = live.Where(f => f.NetCpuNsPerPacket is not null).ToList();
            if (net.Count > 0)
                Add(
                    Bars(
                        net.Select(f =>
                                (f.Variant, f.NetCpuNsPerPacket!.Value.Estimate, f.NetCpuNsPerPacket.Value.HalfWidth)
                            )
                            .ToList(),
                        style,
                        "net cost (CPU ns/packet, minus the baseline)",
                        "Live net cost per packet, paired within quadruples, 95% CI",
                        (0, $"{figures.Baseline ?? "the baseline"} (baseline): 0 by definition")
                    ),
                    $"live-net-{suffix}",
                    "Live CPU ns per packet net of the baseline, paired within quadruples of slices "
                        + $"({setting.Key}); whiskers 95% CI. A bar at 0 costs nothing the testbed can see."
                );
            var windows = figures.LiveWindows.Where(w => w.Setting == setting.Key && w.Mpps is not null).ToList();
            Add(
                Series(live, style),
                $"live-series-{suffix}",
                $"Mpps of each variant in each round, in the order the rounds ran ({setting.Key}): stability and modes."
            );
            foreach (
                var figure in windows
                    .SelectMany(w => w.CountersPerPacket.Keys)
                    .Distinct()
                    .Except(figures.NegligibleFigures)
                    .Order(StringComparer.Ordinal)
            )
            {
                var points = windows
                    .Where(w => w.CountersPerPacket.ContainsKey(figure))
                    .Select(w => (w.Variant, X: w.CountersPerPacket[figure], Y: w.Mpps!.Value))
                    .ToList();
                if (points.Count >= 3)
                    Add(
                        Scatter(points, style, figure),
                        $"mpps-vs-{Safe(figure)}-{suffix}",
                        $"Throughput against {figure} (perf, system-wide), one point per throughput slice, with a "
                            + $"least-squares line.{Fit(points)}"
                    );
            }
            var nsPerRun = live.Where(f => f.NsPerRun is not null)
                .Select(f => (f.Variant, X: f.NsPerRun!.Mean.Mean, Y: f.Mpps!.Mean.Mean))
                .ToList();
            if (nsPerRun.Count >= 2)
                Add(
                    Scatter(nsPerRun, style, "ns per run (stats slices)"),
                    $"mpps-vs-ns-per-run-{suffix}",
                    "Throughput (stats off) against the program's ns per run (from the stats slices), one point per "
                        + $"variant, with a least-squares line.{Fit(nsPerRun)}"
                );
            var insns = live.Select(f =>
                    (
                        f.Variant,
                        X: (double?)figures.Variants.FirstOrDefault(x => x.Name == f.Variant)?.Info.XlatedInstructions,
                        Y: f.Mpps!.Mean.Mean
                    )
                )
                .Where(p => p.X is not null)
                .Select(p => (p.Variant, X: p.X!.Value, p.Y))
                .ToList();
            if (insns.Count >= 2)
                Add(
                    Scatter(insns, style, "xlated instructions (static)"),
                    $"mpps-vs-insns-{suffix}",
                    "Throughput against the program's static size in BPF instructions after verification, with a "
                        + $"least-squares line.{Fit(insns)}"
                );
        }
        foreach (
            var sweep in figures
                .Live.Where(f => f.NetCpuNsPerPacket is { IsFinite: true } && MeasuredRoles.IsMeasured(f.Role))
                .GroupBy(f => f.Setting with { Flows = 1 })
                .Where(g => g.Select(f => f.Setting.Flows).Distinct().Count() >= 2)
        )
            Add(
                FlowSweep(sweep.ToList(), style),
                Safe($"live-net-vs-flows-{sweep.Key}"),
                $"Live net cost per packet against the number of flows ({sweep.Key}); whiskers 95% CI. A "
                    + "table that stops fitting shows as a step up."
            );
        foreach (var sweep in figures.Sweeps)
            Add(
                Sweep(sweep, style),
                Safe($"sweep-{sweep.Family}-{sweep.Context}"),
                $"{sweep.Family}: net cost per packet against {sweep.Parameter} "
                    + $"({sweep.Context}), micro and live drop sink; whiskers 95% CI."
            );
        foreach (var size in figures.Micro.Where(f => f.NetOfBaseline is not null).GroupBy(f => f.FrameSize))
            Add(
                MicroNet(size.ToList(), style),
                $"micro-net-{size.Key}",
                $"Micro cost net of the baseline per variant and traffic class ({size.Key} B), ns/packet; whiskers are 95% CI."
            );
        return files;

        void Add(Plot plot, string name, string caption) => files.Add(Save(plot, directory, name, caption));
    }

    private const int HeadlineWidth = 1100;
    private const int HeadlineHeight = 320;

    // The first micro and live rankings, one pair of bars per counter, tier letters over them.
    private static Plot? Headline(RunResult result)
    {
        var micro = result.Findings.Rankings.FirstOrDefault(r => r.Mix is not null);
        var live = result.Findings.Rankings.FirstOrDefault(r => r.Setting is not null);
        var order = (micro ?? live)?.Counters.Select(c => c.Variant).ToList();
        if (order is null || order.Count == 0)
            return null;
        var plot = new Plot();
        var modes = new[]
        {
            (Ranking: micro, Label: "micro, ns/packet", Colour: Colors.SteelBlue, Offset: 0.0),
            (Ranking: live, Label: "live, CPU ns/packet", Colour: Colors.DarkOrange, Offset: 1.0),
        };
        foreach (var mode in modes.Where(m => m.Ranking is not null))
        {
            var bars = order
                .Select((variant, i) => (i, Counter: mode.Ranking!.Counters.FirstOrDefault(c => c.Variant == variant)))
                .Where(b => b.Counter is not null)
                .Select(b =>
                    (
                        b.Counter,
                        Bar: new Bar
                        {
                            Position = b.i * 3 + mode.Offset,
                            Value = b.Counter!.Net.Estimate,
                            Error = Finite(b.Counter.Net.HalfWidth),
                            FillColor = mode.Colour,
                        }
                    )
                )
                .ToList();
            var series = plot.Add.Bars(bars.Select(b => b.Bar).ToArray());
            var context = mode.Ranking!.Context;
            series.LegendText = $"{mode.Label} ({context[(context.IndexOf(", ", StringComparison.Ordinal) + 2)..]})";
            // The tier over the whisker's top, where no bar or whisker hides it.
            foreach (var (counter, bar) in bars)
            {
                var tier = plot.Add.Text(counter!.Tier, bar.Position, Math.Max(bar.Value + bar.Error, bar.Value));
                tier.LabelAlignment = Alignment.LowerCenter;
                tier.LabelFontSize = 15;
                tier.LabelBold = true;
                tier.LabelFontColor = mode.Colour.Darken(0.4);
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            order.Select((_, i) => i * 3 + 0.5).ToArray(),
            order.ToArray()
        );
        plot.Axes.Bottom.TickLabelStyle.FontSize = 15;
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.YLabel($"net cost over {result.Baseline ?? "the baseline"} (ns/packet)");
        plot.Title("Net cost per packet, cheapest first; letters are tiers");
        return plot;
    }

    private static (double Value, string Label)? BaselineLine(
        IReadOnlyList<LiveFigure> figures,
        Func<LiveFigure, double> value,
        string unit
    ) =>
        figures.FirstOrDefault(f => f.Role == MeasuredRole.Baseline) is { } baseline
            ? (value(baseline), $"{baseline.Variant} (baseline) {value(baseline):0.00} {unit}")
            : null;

    private static Plot Bars(
        IReadOnlyList<(string Variant, double Value, double HalfWidth)> bars,
        VariantStyle style,
        string yLabel,
        string title,
        (double Value, string Label)? reference
    )
    {
        var plot = new Plot();
        plot.Add.Bars(
            bars.Select(
                    (b, i) =>
                        new Bar
                        {
                            Position = i,
                            Value = b.Value,
                            Error = Finite(b.HalfWidth),
                            FillColor = style.Colour(b.Variant),
                        }
                )
                .ToArray()
        );
        if (reference is { } line)
        {
            var rule = plot.Add.HorizontalLine(line.Value);
            rule.LinePattern = LinePattern.Dashed;
            rule.LineColor = Colors.DarkGray;
            rule.LegendText = line.Label;
            plot.ShowLegend(Alignment.LowerRight);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            bars.Select((_, i) => (double)i).ToArray(),
            bars.Select(b => b.Variant).ToArray()
        );
        plot.Axes.Margins(bottom: 0);
        plot.YLabel(yLabel);
        plot.Title(title);
        return plot;
    }

    private static Plot Series(IReadOnlyList<LiveFigure> figures, VariantStyle style)
    {
        var plot = new Plot();
        foreach (var variant in figures.Where(f => f.Rounds.Count > 0))
        {
            var scatter = plot.Add.Scatter(
                variant.Rounds.Select(r => (double)r.Round + 1).ToArray(),
                variant.Rounds.Select(r => r.Mpps).ToArray()
            );
            scatter.LegendText = variant.Variant;
            scatter.Color = style.Colour(variant.Variant);
            scatter.MarkerSize = 7;
        }
        plot.ShowLegend();
        // Rounds are counted: no tick between two of them.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("round");
        plot.YLabel("throughput (Mpps)");
        plot.Title("Live throughput per round");
        return plot;
    }

    // A file name from a rendering: letters and digits kept, every run of anything else one dash.
    private static string Safe(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "[^A-Za-z0-9]+", "-").Trim('-');

    private static Plot Scatter(
        IReadOnlyList<(string Variant, double X, double Y)> points,
        VariantStyle style,
        string xLabel
    )
    {
        var plot = new Plot();
        foreach (var variant in style.Ordered(points.GroupBy(p => p.Variant).ToList(), g => g.Key))
        {
            var scatter = plot.Add.ScatterPoints(
                variant.Select(p => p.X).ToArray(),
                variant.Select(p => p.Y).ToArray()
            );
            scatter.MarkerSize = 9;
            scatter.Color = style.Colour(variant.Key);
            scatter.LegendText = variant.Key;
        }
        var xs = points.Select(p => p.X).ToArray();
        var ys = points.Select(p => p.Y).ToArray();
        if (xs.Distinct().Count() >= 2)
        {
            var fit = new ScottPlot.Statistics.LinearRegression(xs, ys);
            var line = plot.Add.Line(xs.Min(), fit.GetValue(xs.Min()), xs.Max(), fit.GetValue(xs.Max()));
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.DarkGray;
            line.LegendText = $"fit: {fit.Slope:0.####}·x + {fit.Offset:0.###}, R² = {fit.Rsquared:0.000}";
        }
        plot.ShowLegend();
        plot.XLabel(xLabel);
        plot.YLabel("throughput (Mpps)");
        plot.Title($"Throughput vs {xLabel}");
        return plot;
    }

    // The caption's account of the scatter's least-squares line.
    private static string Fit(IReadOnlyList<(string Variant, double X, double Y)> points)
    {
        if (points.Select(p => p.X).Distinct().Count() < 2)
            return " R² = NaN.";
        var fit = new ScottPlot.Statistics.LinearRegression([.. points.Select(p => p.X)], [.. points.Select(p => p.Y)]);
        return string.Create(CultureInfo.InvariantCulture, $" R² = {fit.Rsquared:0.000}.");
    }

    private static Plot FlowSweep(IReadOnlyList<LiveFigure> figures, VariantStyle style)
    {
        var plot = new Plot();
        // Flow counts span decades: the axis is log10 of the count, labelled with the counts themselves.
        foreach (var variant in style.Ordered(figures.GroupBy(f => f.Variant).ToList(), g => g.Key))
        {
            var points = variant.OrderBy(f => f.Setting.Flows).ToList();
            SeriesWithCi(
                plot,
                points.Select(f => Math.Log10(f.Setting.Flows)).ToArray(),
                points.Select(f => f.NetCpuNsPerPacket!.Value).ToList(),
                variant.Key,
                style.Colour(variant.Key)
            );
        }
        var counts = figures.Select(f => f.Setting.Flows).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            counts.Select(c => Math.Log10(c)).ToArray(),
            counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)).ToArray()
        );
        plot.ShowLegend(Alignment.UpperLeft);
        BaselineZero(plot);
        plot.XLabel("flows (log scale)");
        plot.YLabel("net cost (CPU ns/packet, minus the baseline)");
        plot.Title("Live net cost against the number of flows, 95% CI");
        return plot;
    }

    private static Plot Sweep(SweepFigure sweep, VariantStyle style)
    {
        var plot = new Plot();
        // Sweeps of rates and sizes span powers of two: log2 of the number on the axis, labelled with the numbers.
        foreach (
            var (mode, pick, colour) in new (string, Func<SweepPoint, Interval?>, Color)[]
            {
                ("micro", p => p.MicroNet, style.Colour(sweep.Points[0].Variant)),
                ("live, drop sink", p => p.LiveNet, Colors.DarkGray),
            }
        )
        {
            var points = sweep.Points.Where(p => pick(p) is { IsFinite: true }).ToList();
            if (points.Count < 2)
                continue;
            SeriesWithCi(
                plot,
                points.Select(p => Math.Log2(p.Value)).ToArray(),
                points.Select(p => pick(p)!.Value).ToList(),
                mode,
                colour
            );
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            sweep.Points.Select(p => Math.Log2(p.Value)).ToArray(),
            sweep.Points.Select(p => Format.Number(p.Value, "0.##")).ToArray()
        );
        plot.ShowLegend(Alignment.UpperRight);
        BaselineZero(plot);
        plot.XLabel($"{sweep.Parameter} (log scale)");
        plot.YLabel("net cost (ns/packet, minus the baseline)");
        plot.Title($"{sweep.Family}: net cost against {sweep.Parameter}, 95% CI");
        return plot;
    }

    /// <summary>Points joined by a line, each with its 95% CI as a whisker.</summary>
    private static void SeriesWithCi(
        Plot plot,
        double[] xs,
        IReadOnlyList<Interval> values,
        string label,
        Color colour
    ) =>
        SeriesWithCi(
            plot,
            xs,
            values.Select(v => v.Estimate).ToArray(),
            values.Select(v => Finite(v.HalfWidth)).ToArray(),
            label,
            colour
        );

    private static void SeriesWithCi(
        Plot plot,
        double[] xs,
        double[] ys,
        double[] halfWidths,
        string label,
        Color colour
    )
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.Color = colour;
        line.MarkerSize = 7;
        var errors = plot.Add.ErrorBar(xs, ys, halfWidths);
        errors.Color = colour;
    }

    /// <summary>The dashed line at 0 every net-cost plot carries, labelled.</summary>
    private static void BaselineZero(Plot plot)
    {
        var zero = plot.Add.HorizontalLine(0);
        zero.LineColor = Colors.DarkGray;
        zero.LinePattern = LinePattern.Dashed;
        zero.LegendText = "the baseline (0 by definition)";
    }

    private static Plot MicroNet(IReadOnlyList<MicroFigure> figures, VariantStyle style)
    {
        var plot = new Plot();
        var classes = figures.Select(f => f.Class).Distinct().Order().ToList();
        var variants = style.Ordered(figures.Select(f => f.Variant).Distinct().ToList(), v => v);
        var groupWidth = variants.Count + 1.0;
        for (var v = 0; v < variants.Count; v++)
        {
            var bars = classes
                .Select(
                    (c, i) =>
                        figures.FirstOrDefault(f => f.Variant == variants[v] && f.Class == c) is { } f
                            ? new Bar
                            {
                                Position = i * groupWidth + v,
                                Value = f.NetOfBaseline!.Value.Estimate,
                                Error = Finite(f.NetOfBaseline.Value.HalfWidth),
                                FillColor = style.Colour(variants[v]),
                            }
                            : null
                )
                .OfType<Bar>()
                .ToArray();
            var series = plot.Add.Bars(bars);
            series.LegendText = variants[v];
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            classes.Select((_, i) => i * groupWidth + (variants.Count - 1) / 2.0).ToArray(),
            classes.Select(TrafficClasses.Name).ToArray()
        );
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperLeft;
        plot.Axes.Bottom.MinimumSize = 110; // room for the rotated class names
        plot.ShowLegend(Alignment.UpperRight); // the costly classes come first, so the right is free
        BaselineZero(plot);
        plot.YLabel("net cost (ns/packet, minus the baseline)");
        plot.Title("Micro cost per traffic class, net of the baseline, 95% CI");
        return plot;
    }

    /// <summary>
    /// A trend over recorded runs: each counter's net cost (the baseline's own cost where it
    /// has no net) with its 95% CI, runs in order on the x axis, and a labelled line where the
    /// machine changed.
    /// </summary>
    public static PlotFile Trend(History.Trend trend, string directory)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var netVariants = trend
            .Variants.Where(v => trend.Points.Any(p => p.Key.Variant == v && p.Value.IsNet))
            .ToList();
        var shown = netVariants.Count > 0 ? netVariants : trend.Variants.ToList();
        for (var v = 0; v < shown.Count; v++)
        {
            var points = trend
                .Runs.Select((run, i) => (i, Point: trend.Points.GetValueOrDefault((run.Id, shown[v]))))
                .Where(p => p.Point is not null)
                .ToList();
            SeriesWithCi(
                plot,
                points.Select(p => (double)p.i).ToArray(),
                points.Select(p => p.Point!.Value).ToArray(),
                points
                    .Select(p =>
                        p.Point!.Low is { } low
                        && p.Point.High is { } high
                        && double.IsFinite(low)
                        && double.IsFinite(high)
                            ? (high - low) / 2
                            : 0
                    )
                    .ToArray(),
                shown[v],
                palette.GetColor(trend.Variants.ToList().IndexOf(shown[v]))
            );
        }
        foreach (var change in trend.MachineChanges)
        {
            var mark = plot.Add.VerticalLine(change - 0.5);
            mark.LinePattern = LinePattern.Dashed;
            mark.LineColor = Colors.DarkGray;
            mark.LabelText = "machine changed";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            trend.Runs.Select((_, i) => (double)i).ToArray(),
            trend.Runs.Select(r => r.Tag ?? r.Id).ToArray()
        );
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperLeft;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.ShowLegend(Alignment.UpperLeft);
        plot.XLabel("run (oldest first)");
        plot.YLabel(
            netVariants.Count > 0 ? "net cost (ns/packet over the run's baseline)" : Text.EnumNames.Of(trend.Metric)
        );
        plot.Title($"Trend: {trend.Cell}");
        return Save(
            plot,
            directory,
            Safe($"history-{trend.Cell}-{Text.EnumNames.Of(trend.Metric)}"),
            $"{trend.Cell}: "
                + $"{(netVariants.Count > 0 ? "net cost of each counter over its run's own baseline" : Text.EnumNames.Of(trend.Metric))} "
                + "per recorded run, 95% CI; dashed lines mark a change of machine."
        );
    }

    private static PlotFile Save(
        Plot plot,
        string directory,
        string name,
        string caption,
        int width = Width,
        int height = Height
    )
    {
        plot.Axes.Title.Label.FontSize = 18;
        var png = Path.Combine(directory, name + ".png");
        var svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, width, height);
        plot.SaveSvg(svg, width, height);
        return new PlotFile(name, caption, png, svg);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    /// <summary>One colour and one position per variant for the whole run: the baseline, its A/A copy, then counters as they ran.</summary>
    private sealed class VariantStyle
    {
        private readonly Dictionary<string, int> _index;
        private readonly ScottPlot.Palettes.Category10 _palette = new();

        public VariantStyle(RunResult result)
        {
            var names = result
                .Variants.Select(f => (Variant: f.Name, f.Role))
                .Concat(result.Live.Select(f => (f.Variant, f.Role)))
                .Concat(result.Micro.Select(f => (f.Variant, f.Role)))
                .Distinct()
                .ToList();
            _index = Tables
                .InRoleOrder(names, n => n.Role)
                .Select((n, i) => (n.Variant, i))
                .DistinctBy(n => n.Variant)
                .ToDictionary(n => n.Variant, n => n.i);
        }

        public Color Colour(string variant) => _palette.GetColor(_index.GetValueOrDefault(variant, _index.Count));

        public List<T> Ordered<T>(IReadOnlyList<T> items, Func<T, string> variant) =>
            items.OrderBy(i => _index.GetValueOrDefault(variant(i), int.MaxValue)).ToList();
    }
}
