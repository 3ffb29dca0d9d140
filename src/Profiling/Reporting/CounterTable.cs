using System.Globalization;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Reporting;

/// <summary>
/// Every available counter per packet beside throughput, one row per variant and live
/// setting. Counters that could not run are absent here and listed with their reason
/// among the counter sources; an unavailable counter is never shown as 0.
/// </summary>
public static class CounterTable
{
    public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows);

    public static Table Build(BenchResults results)
    {
        var live = results.LiveSamples.Where(s => s.Succeeded && s.CountersPerPacket.Count > 0).ToList();
        var figures = live.SelectMany(s => s.CountersPerPacket.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = live.GroupBy(s => (s.Variant, s.Mix, s.FrameSize, s.GeneratorCpus)).Select(g => (string[])
        [
            g.Key.Variant, $"{g.Key.Mix} {g.Key.FrameSize} B cpu {g.Key.GeneratorCpus}",
            g.Average(s => s.Mpps).ToString("0.00", CultureInfo.InvariantCulture),
            .. figures.Select(f => g.Where(s => s.CountersPerPacket.ContainsKey(f)).Select(s => s.CountersPerPacket[f]).DefaultIfEmpty(double.NaN).Average() is var v && double.IsFinite(v)
                ? v.ToString(v < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) : "-"),
        ]).ToList();
        return new Table(["VARIANT", "SETTING", "MPPS", .. figures], rows);
    }
}
