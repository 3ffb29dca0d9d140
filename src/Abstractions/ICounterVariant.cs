namespace PacketCounter.Abstractions;

/// <summary>
/// A counter design to profile. A variant only describes itself: its BPF object,
/// its program, how its maps read out as named counts, and where each traffic class
/// must be counted. Loading, traffic, timing and reports belong to the host.
/// </summary>
/// <remarks>
/// The host creates one instance per discovered type through its public
/// parameterless constructor.
/// </remarks>
public partial interface ICounterVariant
{
    /// <summary>Short unique name, used on the command line and in reports.</summary>
    string Name { get; }

    /// <summary>One line on the design and what it is meant to show.</summary>
    string Description { get; }

    /// <summary>Whether this is a counter or the reference floor other variants are measured against.</summary>
    VariantRole Role { get; }

    /// <summary>The compiled BPF object, relative to the plugin assembly's directory.</summary>
    string ObjectFile { get; }

    /// <summary>The XDP program's function name inside <see cref="ObjectFile"/>.</summary>
    string ProgramName { get; }

    /// <summary>How the variant's maps read out as named counts. Empty for a baseline.</summary>
    IReadOnlyList<CountMap> CountMaps { get; }

    /// <summary>
    /// The count a packet of <paramref name="trafficClass"/> must land in, or
    /// <see langword="null"/> when the variant must not count it at all.
    /// </summary>
    string? CountFor(TrafficClass trafficClass);

    /// <summary>
    /// Whether this is the design other counters' speedups are quoted against when the user
    /// names none (bench --reference). The first counter that says so is used.
    /// </summary>
    /// <remarks>Added in contract 1.1; a plugin built against 1.0 gets <see langword="false"/>.</remarks>
    bool IsSpeedupReference => false;
}

/// <summary>What a variant is for.</summary>
public enum VariantRole
{
    /// <summary>A packet counter whose counts are verified against the packets sent.</summary>
    Counter,

    /// <summary>A reference program measured for its cost only; it counts nothing.</summary>
    Baseline,
}
