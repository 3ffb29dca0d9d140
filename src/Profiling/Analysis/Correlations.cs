using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Analysis;

/// <summary>Mpps against one per-packet figure over every throughput window of a setting.</summary>
public sealed record Correlation(
    LiveSetting Setting,
    string Figure,
    int Points,
    double PearsonR,
    double Slope,
    double Intercept,
    double RSquared
);

/// <summary>
/// Throughput against per-packet figures measured independently of it, across variants and
/// rounds: Pearson r and a least-squares line with R². A figure computed from the rate
/// itself is never here: CPU% (run time over wall) and time events counted system-wide
/// (CPUs × wall / packets) would correlate with Mpps by arithmetic, not by finding.
/// </summary>
public static class Correlations
{
    public static IReadOnlyList<Correlation> Of(BenchResults results)
    {
        var correlations = new List<Correlation>();
        foreach (
            var setting in results.LiveSamples.Where(s => s.Mpps is not null && s.Delivered > 0).GroupBy(s => s.Setting)
        )
        {
            var samples = setting.ToList();
            // ns/run comes from the stats window of the same variant and round.
            var nsPerRun = results
                .LiveSamples.Where(s =>
                    s.Setting == setting.Key
                    && s.Kind == LiveWindowKind.RunStats
                    && s.Succeeded
                    && s.RunStats is { RunCount: > 0 }
                )
                .GroupBy(s => (s.Variant, s.Round))
                .ToDictionary(g => g.Key, g => g.First().RunStats!.Value.NsPerRun);
            var figures = samples
                .SelectMany(s => s.CountersPerPacket.Keys)
                .Distinct()
                .Select(k =>
                    (
                        Name: k,
                        Of: (Func<LiveSample, double?>)(s => s.CountersPerPacket.TryGetValue(k, out var v) ? v : null)
                    )
                )
                .Append(
                    (
                        "ns/run (stats window of the round)",
                        s => nsPerRun.TryGetValue((s.Variant, s.Round), out var v) ? v : null
                    )
                );
            foreach (var (name, of) in figures)
            {
                var points = samples
                    .Select(s => (X: of(s), Y: s.Mpps!.Value))
                    .Where(p => p.X is { } x && double.IsFinite(x))
                    .Select(p => (X: p.X!.Value, p.Y))
                    .ToList();
                if (points.Count < 3 || points.Select(p => p.X).Distinct().Count() < 2)
                    continue;
                var xs = points.Select(p => p.X).ToArray();
                var ys = points.Select(p => p.Y).ToArray();
                var (intercept, slope) = MathNet.Numerics.Fit.Line(xs, ys);
                var r = MathNet.Numerics.Statistics.Correlation.Pearson(xs, ys);
                correlations.Add(
                    new Correlation(
                        setting.Key,
                        name,
                        points.Count,
                        r,
                        slope,
                        intercept,
                        MathNet.Numerics.GoodnessOfFit.RSquared(xs.Select(x => intercept + slope * x), ys)
                    )
                );
            }
        }
        return correlations;
    }
}
