namespace PacketCounter.Profiling.Measurement;

/// <summary>What a measured program is for within one run.</summary>
public enum MeasuredRole
{
    /// <summary>
    /// The reference floor (the plugin declares <see cref="Abstractions.VariantRole.Baseline"/>): every net figure is
    /// relative to it.
    /// </summary>
    Baseline,

    /// <summary>
    /// A second, separately loaded copy of the baseline, measured exactly like a variant: its
    /// net figure should be zero, so what it shows is the run's noise floor.
    /// </summary>
    Control,

    /// <summary>A packet counter, verified against the traffic sent.</summary>
    Counter,

    /// <summary>Any XDP program measured as it is (bench --object): it counts nothing, so nothing is verified.</summary>
    Program,
}

public static class MeasuredRoles
{
    /// <summary>What the run measures the cost of against the baseline: counters and programs, not the baseline or its copy.</summary>
    public static bool IsMeasured(MeasuredRole role) => role is MeasuredRole.Counter or MeasuredRole.Program;
}
