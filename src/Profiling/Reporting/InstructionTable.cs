using System.Globalization;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Reporting;

/// <summary>Executed BPF instructions per packet (and helper calls) for every variant and class, per frame size.</summary>
public static class InstructionTable
{
    public static IReadOnlyList<(string Title, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows)> Build(BenchResults results) =>
        results.InstructionProfiles.GroupBy(p => p.FrameSize).Select(size =>
        {
            var classes = size.Select(p => p.Profile.Class).Distinct().Order().ToList();
            var rows = size.GroupBy(p => p.Profile.Variant).Select(v => (string[])[v.Key, .. classes.Select(c =>
                v.FirstOrDefault(p => p.Profile.Class == c).Profile is { } p
                    ? $"{p.Instructions.ToString(CultureInfo.InvariantCulture)} [{p.HelperCalls.ToString(CultureInfo.InvariantCulture)}]{(p.Instructions > results.InstructionBudget ? "!" : "")}"
                    : "-")]).ToList();
            return ($"{size.Key} B frames: instructions [helper calls] per steady-state packet; budget {results.InstructionBudget}",
                (IReadOnlyList<string>)["VARIANT", .. classes.Select(TrafficClasses.Name)], (IReadOnlyList<string[]>)rows);
        }).ToList();
}
