namespace PacketCounter.Abstractions;

/// <summary>The kinds of frame the host generates. Every count is verified per class.</summary>
public enum TrafficClass
{
    /// <summary>Untagged Ethernet, IPv4 without options, TCP.</summary>
    Ipv4Tcp,

    /// <summary>Untagged Ethernet, IPv4 without options, UDP.</summary>
    Ipv4Udp,

    /// <summary>Untagged Ethernet, IPv4 without options, ICMP echo request.</summary>
    Ipv4Icmp,

    /// <summary>Untagged Ethernet, IPv4 without options, GRE (protocol 47).</summary>
    Ipv4Other,

    /// <summary>Untagged Ethernet, IPv4 with 8 bytes of options (IHL 7), UDP.</summary>
    Ipv4Options,

    /// <summary>Untagged Ethernet, IPv6, UDP.</summary>
    Ipv6,

    /// <summary>Untagged Ethernet, ARP request.</summary>
    Arp,

    /// <summary>802.1Q-tagged Ethernet carrying IPv4 UDP.</summary>
    VlanIpv4,

    /// <summary>An Ethernet header alone (14 bytes, local experimental EtherType 0x88B5).</summary>
    EthernetOnly,

    /// <summary>EtherType IPv4 with only the first 10 bytes of the IPv4 header (24-byte frame).</summary>
    TruncatedIpv4,
}

/// <summary>Facts about the traffic classes that the frames and every variant's expectations share.</summary>
public static class TrafficClasses
{
    /// <summary>Every class, in a stable order.</summary>
    public static IReadOnlyList<TrafficClass> All { get; } = Enum.GetValues<TrafficClass>();

    /// <summary>
    /// The protocol number of the complete IPv4 header a counter finds right behind an
    /// untagged Ethernet header, or <see langword="null"/> when there is none.
    /// </summary>
    public static byte? Ipv4Protocol(TrafficClass trafficClass) =>
        trafficClass switch
        {
            TrafficClass.Ipv4Tcp => IpProtocols.Tcp,
            TrafficClass.Ipv4Udp => IpProtocols.Udp,
            TrafficClass.Ipv4Icmp => IpProtocols.Icmp,
            TrafficClass.Ipv4Other => IpProtocols.Gre,
            TrafficClass.Ipv4Options => IpProtocols.Udp,
            _ => null,
        };

    /// <summary>
    /// The count a per-protocol counter uses for the class (<see cref="IpProtocols.Name"/>
    /// of its IPv4 protocol), or <see langword="null"/> when the class carries no countable IPv4 header.
    /// </summary>
    public static string? ProtocolCount(TrafficClass trafficClass) =>
        Ipv4Protocol(trafficClass) is byte protocol ? IpProtocols.Name(protocol) : null;

    /// <summary>The class's name on the command line and in reports, e.g. <c>ipv4-tcp</c>.</summary>
    public static string Name(TrafficClass trafficClass) =>
        trafficClass switch
        {
            TrafficClass.Ipv4Tcp => "ipv4-tcp",
            TrafficClass.Ipv4Udp => "ipv4-udp",
            TrafficClass.Ipv4Icmp => "ipv4-icmp",
            TrafficClass.Ipv4Other => "ipv4-gre",
            TrafficClass.Ipv4Options => "ipv4-options",
            TrafficClass.Ipv6 => "ipv6",
            TrafficClass.Arp => "arp",
            TrafficClass.VlanIpv4 => "vlan-ipv4",
            TrafficClass.EthernetOnly => "ethernet-only",
            TrafficClass.TruncatedIpv4 => "truncated-ipv4",
            _ => throw new ArgumentOutOfRangeException(nameof(trafficClass)),
        };

    /// <summary>The class named <paramref name="name"/>, as <see cref="Name"/> spells it.</summary>
    public static bool TryParse(string name, out TrafficClass trafficClass)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                trafficClass = candidate;
                return true;
            }
        }
        trafficClass = default;
        return false;
    }
}

/// <summary>IP protocol numbers the shipped variants name.</summary>
public static class IpProtocols
{
    /// <summary>ICMP.</summary>
    public const byte Icmp = 1;

    /// <summary>TCP.</summary>
    public const byte Tcp = 6;

    /// <summary>UDP.</summary>
    public const byte Udp = 17;

    /// <summary>GRE.</summary>
    public const byte Gre = 47;

    /// <summary>A count name for a protocol: <c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>gre</c>, else <c>proto-N</c>.</summary>
    public static string Name(uint protocol) =>
        protocol switch
        {
            Icmp => "icmp",
            Tcp => "tcp",
            Udp => "udp",
            Gre => "gre",
            _ => $"proto-{protocol}",
        };
}
