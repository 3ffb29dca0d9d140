using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Traffic;

/// <summary>
/// A named blend of traffic classes by integer weight. Splitting a packet total over a
/// mix is exact: the per-class counts add up to the total, so every count is known.
/// </summary>
public sealed class TrafficMix
{
    public TrafficMix(string name, IReadOnlyDictionary<TrafficClass, int> weights)
    {
        if (weights.Count == 0 || weights.Values.Any(w => w <= 0))
            throw new ArgumentException($"mix '{name}' needs at least one class, each with a positive weight");
        Name = name;
        Weights = weights;
    }

    public string Name { get; }

    public IReadOnlyDictionary<TrafficClass, int> Weights { get; }

    /// <summary>
    /// The default mix: mostly counted IPv4 (TCP-heavy, as on most links), plus every
    /// class a counter must ignore, so a variant that miscounts any of them is caught.
    /// </summary>
    public static TrafficMix Default { get; } =
        new(
            "default",
            new Dictionary<TrafficClass, int>
            {
                [TrafficClass.Ipv4Tcp] = 40,
                [TrafficClass.Ipv4Udp] = 25,
                [TrafficClass.Ipv4Icmp] = 5,
                [TrafficClass.Ipv4Other] = 5,
                [TrafficClass.Ipv4Options] = 5,
                [TrafficClass.Ipv6] = 10,
                [TrafficClass.Arp] = 3,
                [TrafficClass.VlanIpv4] = 3,
                [TrafficClass.EthernetOnly] = 2,
                [TrafficClass.TruncatedIpv4] = 2,
            }
        );

    /// <summary>Every class with the same weight.</summary>
    public static TrafficMix Uniform { get; } = new("uniform", TrafficClasses.All.ToDictionary(c => c, _ => 1));

    /// <summary>A mix of one class only, named after it.</summary>
    public static TrafficMix Single(TrafficClass trafficClass) =>
        new(TrafficClasses.Name(trafficClass), new Dictionary<TrafficClass, int> { [trafficClass] = 1 });

    /// <summary>"default", "uniform", or a class name such as "ipv4-udp".</summary>
    public static bool TryParse(string name, out TrafficMix mix)
    {
        if (string.Equals(name, Default.Name, StringComparison.OrdinalIgnoreCase))
            mix = Default;
        else if (string.Equals(name, Uniform.Name, StringComparison.OrdinalIgnoreCase))
            mix = Uniform;
        else if (TrafficClasses.TryParse(name, out var single))
            mix = Single(single);
        else
        {
            mix = Default;
            return false;
        }
        return true;
    }

    public static IReadOnlyList<string> Names =>
        [Default.Name, Uniform.Name, .. TrafficClasses.All.Select(TrafficClasses.Name)];

    /// <summary>Splits <paramref name="total"/> packets by weight (largest remainder), summing exactly to the total.</summary>
    public IReadOnlyDictionary<TrafficClass, long> Split(long total) => Apportion.Split(total, Weights);
}
