using MathNet.Numerics.LinearAlgebra;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Analysis;

/// <summary>One thing that might explain a counter's cost, and how much of the differences it does.</summary>
/// <param name="Name">What it is: executed instructions, helper calls, the map kind, a hardware counter.</param>
/// <param name="Alone">R² of the net cost against it alone.</param>
/// <param name="Added">What it adds to R² after the predictors above it; null where it was not fitted in turn.</param>
/// <param name="Note">Why it adds nothing, or was left out of the sequence.</param>
public sealed record CostPredictor(string Name, double Alone, double? Added, string? Note = null);

/// <summary>A counter that sits off the line of cost against executed instructions.</summary>
/// <param name="Residual">Its net cost minus what the line predicts for its instructions.</param>
public sealed record OffTheLine(string Variant, double Instructions, double NetCost, double Residual);

/// <summary>
/// How much of the differences in net cost between a run's counters the program explains:
/// executed instructions first (the lab's premise is to minimize them), then helper calls,
/// then the kind of map touched (hash or array, shared or per-CPU), each fitted in turn by
/// least squares. With a handful of counters this describes the run; it is not a law, and
/// <see cref="Points"/> says how much it rests on.
/// </summary>
public sealed record CostExplanation(
    string Context,
    string Unit,
    int Points,
    IReadOnlyList<CostPredictor> Predictors,
    double Explained,
    double SlopePerInstruction,
    IReadOnlyList<OffTheLine> FurthestOff
)
{
    /// <summary>Parameters of the last fit, the intercept included.</summary>
    public int Parameters { get; init; }

    /// <summary>Hardware counters could not join, and why (no PMU); null where they did or none were asked for.</summary>
    public string? HardwareCounters { get; init; }

    // A hardware event that is not time in other units: "instructions/pkt", "cache-misses/pkt".
    private static bool IsHardwareEvent(string figure) =>
        Counters.PerfEventSpec.TryParse(figure.Split('/')[0], out var spec) && spec.IsHardware && !spec.IsCycles;

    /// <summary>The first micro ranking's counters against what their programs do; null with fewer than 3 counters.</summary>
    public static CostExplanation? Of(RunResult result)
    {
        var ranking = result.Findings.Rankings.FirstOrDefault(r => r.Mix is not null);
        if (ranking is null)
            return null;
        var points = ranking
            .Counters.Select(c =>
                (
                    c.Variant,
                    Cost: c.Net.Estimate,
                    Mix: result.InstructionsPerMix.FirstOrDefault(f =>
                        f.Variant == c.Variant && f.Mix == ranking.Mix && f.FrameSize == ranking.FrameSize
                    ),
                    Maps: result.Variants.FirstOrDefault(v => v.Name == c.Variant)?.Info.Maps
                )
            )
            .Where(p => p.Mix is not null && p.Maps is not null && double.IsFinite(p.Cost))
            .ToList();
        if (points.Count < 3)
            return null;
        var y = points.Select(p => p.Cost).ToArray();
        var steps = new List<(string Name, double[][] Columns)>
        {
            ("executed instructions", [points.Select(p => p.Mix!.Instructions).ToArray()]),
            ("helper calls", [points.Select(p => p.Mix!.HelperCalls).ToArray()]),
            (
                "map kind (hash or array, shared or per-CPU)",
                [
                    points.Select(p => Touches(p.Maps!, IsHash)).ToArray(),
                    points.Select(p => Touches(p.Maps!, IsShared)).ToArray(),
                ]
            ),
        };
        var predictors = new List<CostPredictor>();
        var fitted = new List<double[]>();
        var explained = 0.0;
        foreach (var (name, columns) in steps)
        {
            var alone = RSquared(columns, y);
            var candidate = fitted.Concat(columns).ToList();
            if (Rank(candidate) == Rank(fitted))
            {
                predictors.Add(
                    new CostPredictor(name, alone, 0, "the same for every counter, or follows from the above")
                );
                continue;
            }
            // Keep at least one residual degree of freedom: a fit through every point explains nothing.
            if (Rank(candidate) + 1 >= points.Count)
            {
                predictors.Add(
                    new CostPredictor(name, alone, null, $"not fitted in turn: {points.Count} points are too few")
                );
                continue;
            }
            var r2 = RSquared(candidate, y);
            predictors.Add(new CostPredictor(name, alone, Math.Max(0, r2 - explained)));
            explained = Math.Max(explained, r2);
            fitted = candidate;
        }
        var setting = SeedClaims.PrimarySetting(result);
        var perPacket = result.CountersPerPacket.Where(f => f.Setting == setting).ToList();
        var hardware = perPacket
            .SelectMany(f => f.PerPacket.Keys)
            .Distinct()
            .Where(IsHardwareEvent)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var figure in hardware)
        {
            var values = points
                .Select(p =>
                    perPacket
                        .FirstOrDefault(f => f.Variant == p.Variant)
                        ?.PerPacket.GetValueOrDefault(figure, double.NaN)
                    ?? double.NaN
                )
                .ToArray();
            if (values.All(double.IsFinite))
                predictors.Add(new CostPredictor($"{figure} (live, system-wide)", RSquared([values], y), null));
        }
        var instructions = points.Select(p => p.Mix!.Instructions).ToArray();
        var (intercept, slope) =
            instructions.Distinct().Count() >= 2 ? MathNet.Numerics.Fit.Line(instructions, y) : (y.Average(), 0.0);
        var off = points
            .Select(p => new OffTheLine(
                p.Variant,
                p.Mix!.Instructions,
                p.Cost,
                p.Cost - (intercept + slope * p.Mix.Instructions)
            ))
            .OrderByDescending(o => Math.Abs(o.Residual))
            .Take(2)
            .ToList();
        // The PMU itself, or its events as the perf source lists them.
        var unavailable = result
            .CounterSources.Concat(result.Environment.Sources)
            .FirstOrDefault(s =>
                !s.Available
                && (
                    s.Source == "hardware PMU"
                    || s.Source.StartsWith("perf ", StringComparison.Ordinal)
                        && IsHardwareEvent(s.Source["perf ".Length..])
                )
            );
        return new CostExplanation(ranking.Context, ranking.Unit, points.Count, predictors, explained, slope, off)
        {
            Parameters = Rank(fitted) + 1,
            HardwareCounters = hardware.Count == 0 ? unavailable?.Detail : null,
        };
    }

    /// <summary>1 where the program touches a data map of the kind (globals such as .rodata left out).</summary>
    private static double Touches(IReadOnlyList<MapInfo> maps, Func<BpfMapType, bool> kind) =>
        maps.Any(m => !m.Name.Contains('.', StringComparison.Ordinal) && kind(m.Type)) ? 1 : 0;

    private static bool IsHash(BpfMapType type) => type.ToString().Contains("Hash", StringComparison.Ordinal);

    private static bool IsShared(BpfMapType type) => !type.ToString().Contains("PerCpu", StringComparison.Ordinal);

    // R² of y on the columns with an intercept, by least squares; a column that follows
    // from those before it is dropped, so the fit is always of full rank.
    private static double RSquared(IReadOnlyList<double[]> columns, double[] y)
    {
        var independent = new List<double[]>();
        foreach (var column in columns)
            if (Rank([.. independent, column]) > Rank(independent))
                independent.Add(column);
        if (independent.Count == 0)
            return 0;
        var x = Design(independent);
        var coefficients = x.QR().Solve(Vector<double>.Build.DenseOfArray(y));
        var predicted = x * coefficients;
        var mean = y.Average();
        var total = y.Sum(v => (v - mean) * (v - mean));
        var residual = y.Select((v, i) => (v - predicted[i]) * (v - predicted[i])).Sum();
        return total > 0 ? Math.Clamp(1 - residual / total, 0, 1) : 0;
    }

    // The columns' rank beyond the intercept: a constant column adds nothing.
    private static int Rank(IReadOnlyList<double[]> columns) => columns.Count == 0 ? 0 : Design(columns).Rank() - 1;

    private static Matrix<double> Design(IReadOnlyList<double[]> columns)
    {
        var rows = columns[0].Length;
        return Matrix<double>.Build.Dense(rows, columns.Count + 1, (i, j) => j == 0 ? 1 : columns[j - 1][i]);
    }
}
