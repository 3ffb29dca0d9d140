using System.Security.Cryptography;
using System.Text;

namespace PacketCounter.Profiling.Results;

/// <summary>
/// What says whether two runs' absolute figures can be compared: the CPU model, kernel, JIT
/// and CPU count, and the baseline's own micro cost. Machines of one kind can share a CPU
/// model string and still differ by 3× in speed (the baseline read 21 ns on one and 7.8 ns on
/// another), so the baseline's cost is part of the print; runs whose baseline cost differs
/// by more than <see cref="SameSpeedFactor"/> do not compare in absolute figures, whether
/// they ran on two machines or one machine in two contention regimes.
/// </summary>
/// <param name="BaselineNs">The median over classes of the baseline's micro ns/packet; null when the run had no micro cells.</param>
public sealed record MachineFingerprint(string CpuModel, string Kernel, string Jit, int Cpus, double? BaselineNs)
{
    public const double SameSpeedFactor = 1.5;

    public static MachineFingerprint Of(RunResult result) =>
        new(
            result.Environment.CpuModel,
            result.Environment.Kernel,
            result.Environment.JitState,
            result.Environment.OnlineCpus,
            result.BaselineNs
        );

    /// <summary>A short hash of the descriptive parts (not the baseline cost), for tables and grouping.</summary>
    public string Key =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{CpuModel}\n{Kernel}\n{Jit}\n{Cpus}")))[..12];

    /// <summary>What differs between the two machines, one phrase each; empty when they count as the same.</summary>
    public IReadOnlyList<string> Differences(MachineFingerprint other) =>
        [.. IdentityDifferences(other), .. SpeedDifference(other) is { } speed ? [speed] : Array.Empty<string>()];

    /// <summary>What the two machines say they are that differs: CPU model, kernel, JIT, CPU count.</summary>
    public IReadOnlyList<string> IdentityDifferences(MachineFingerprint other)
    {
        var differences = new List<string>();
        if (CpuModel != other.CpuModel)
            differences.Add($"CPU '{CpuModel}' vs '{other.CpuModel}'");
        if (Kernel != other.Kernel)
            differences.Add($"kernel {Kernel} vs {other.Kernel}");
        if (Jit != other.Jit)
            differences.Add($"JIT {Jit} vs {other.Jit}");
        if (Cpus != other.Cpus)
            differences.Add($"{Cpus} vs {other.Cpus} CPUs");
        return differences;
    }

    /// <summary>The baseline's costs, when they differ by more than <see cref="SameSpeedFactor"/>; else null.</summary>
    public string? SpeedDifference(MachineFingerprint other) =>
        BaselineNs is { } mine
        && other.BaselineNs is { } theirs
        && Math.Max(mine, theirs) > SameSpeedFactor * Math.Min(mine, theirs)
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"the baseline's micro cost {mine:0.0} vs {theirs:0.0} ns "
                    + $"(×{Math.Max(mine, theirs) / Math.Min(mine, theirs):0.0}, beyond ×{SameSpeedFactor})"
            )
            : null;

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{CpuModel}, kernel {Kernel}, {Cpus} CPUs, JIT {Jit}{(BaselineNs is { } ns ? $", baseline {ns:0.0} ns" : "")}"
        );
}
