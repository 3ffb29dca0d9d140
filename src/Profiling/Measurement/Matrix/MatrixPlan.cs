using PacketCounter.Profiling.Guest;
using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Profiling.Matrix;

/// <summary>What a matrix runs: the variants, the kernels as named on the command line, and its limits.</summary>
/// <param name="Kernels">"host", "debian-12", or a bzImage path, in order.</param>
/// <param name="BootLimit">How long one guest may take from start to the agent's last line.</param>
/// <param name="Accel">KVM or TCG forced; null: KVM when a probe boot works, TCG otherwise.</param>
public sealed record MatrixPlan(
    IReadOnlyList<DiscoveredVariant> Variants,
    IReadOnlyList<string> Kernels,
    TimeSpan BootLimit,
    string Cache,
    GuestAccel? Accel = null
)
{
    public const string Host = "host";

    public static IReadOnlyList<string> DefaultKernels { get; } = [Host, DebianKernel.Name];

    public static TimeSpan DefaultBootLimit { get; } = TimeSpan.FromSeconds(120);

    /// <summary>Each class's frame at the smallest size, the frames every kernel runs.</summary>
    public const int FrameSize = Traffic.FrameBuilder.MinimumSize;
}
