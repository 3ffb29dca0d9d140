using System.Buffers.Binary;
using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Traffic;

/// <summary>
/// Builds one well-formed frame per traffic class. Sizes count the bytes handed to the
/// kernel (veth carries no FCS). Two classes are short by nature and keep their own
/// length whatever size is asked for: an Ethernet header alone (14 bytes) and a
/// truncated IPv4 header (24 bytes).
/// </summary>
public static class FrameBuilder
{
    public const int MinimumSize = 64;
    public const int MaximumSize = 1500;

    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeArp = 0x0806;
    private const ushort EtherTypeVlan = 0x8100;
    private const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypeLocalExperimental = 0x88B5;
    private const int EthernetHeader = 14;

    private static readonly byte[] DestinationMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
    private static readonly byte[] SourceMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
    private static readonly byte[] SourceIpv4 = [10, 0, 0, 1];
    private static readonly byte[] DestinationIpv4 = [10, 0, 0, 2];

    /// <summary>The frame length a class gets when <paramref name="size"/> is asked for.</summary>
    public static int LengthOf(TrafficClass trafficClass, int size) =>
        trafficClass switch
        {
            TrafficClass.EthernetOnly => EthernetHeader,
            TrafficClass.TruncatedIpv4 => EthernetHeader + 10,
            _ => size,
        };

    /// <summary>
    /// Where a class's L4 source port sits, followed by the destination port, and the ports
    /// as built; null for a class without ports (ICMP, GRE, ARP and the short classes).
    /// </summary>
    public static (int Offset, ushort SourcePort, ushort DestinationPort)? Ports(TrafficClass trafficClass) =>
        trafficClass switch
        {
            TrafficClass.Ipv4Tcp => (EthernetHeader + 20, TcpSourcePort, TcpDestinationPort),
            TrafficClass.Ipv4Udp => (EthernetHeader + 20, UdpSourcePort, UdpDestinationPort),
            TrafficClass.Ipv4Options => (EthernetHeader + 28, UdpSourcePort, UdpDestinationPort),
            TrafficClass.VlanIpv4 => (EthernetHeader + 4 + 20, UdpSourcePort, UdpDestinationPort),
            TrafficClass.Ipv6 => (EthernetHeader + 40, UdpSourcePort, UdpDestinationPort),
            _ => null,
        };

    private const ushort TcpSourcePort = 40000;
    private const ushort TcpDestinationPort = 80;
    private const ushort UdpSourcePort = 40000;
    private const ushort UdpDestinationPort = 9; // discard

    public static byte[] Build(TrafficClass trafficClass, int size)
    {
        if (size is < MinimumSize or > MaximumSize)
            throw new ArgumentOutOfRangeException(
                nameof(size),
                size,
                $"frame size must be {MinimumSize} to {MaximumSize} bytes"
            );
        var frame = new byte[LengthOf(trafficClass, size)];
        switch (trafficClass)
        {
            case TrafficClass.Ipv4Tcp:
                WriteIpv4(frame, Ethernet(frame, EtherTypeIpv4), IpProtocols.Tcp, optionWords: 0, WriteTcp);
                break;
            case TrafficClass.Ipv4Udp:
                WriteIpv4(frame, Ethernet(frame, EtherTypeIpv4), IpProtocols.Udp, optionWords: 0, WriteUdp);
                break;
            case TrafficClass.Ipv4Icmp:
                WriteIpv4(frame, Ethernet(frame, EtherTypeIpv4), IpProtocols.Icmp, optionWords: 0, WriteIcmpEcho);
                break;
            case TrafficClass.Ipv4Other:
                WriteIpv4(frame, Ethernet(frame, EtherTypeIpv4), IpProtocols.Gre, optionWords: 0, WriteGre);
                break;
            case TrafficClass.Ipv4Options:
                WriteIpv4(frame, Ethernet(frame, EtherTypeIpv4), IpProtocols.Udp, optionWords: 2, WriteUdp);
                break;
            case TrafficClass.Ipv6:
                WriteIpv6Udp(frame, Ethernet(frame, EtherTypeIpv6));
                break;
            case TrafficClass.Arp:
                WriteArpRequest(frame, Ethernet(frame, EtherTypeArp));
                break;
            case TrafficClass.VlanIpv4:
                var tagged = Ethernet(frame, EtherTypeVlan);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(tagged), 100); // PCP 0, VID 100
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(tagged + 2), EtherTypeIpv4);
                WriteIpv4(frame, tagged + 4, IpProtocols.Udp, optionWords: 0, WriteUdp);
                break;
            case TrafficClass.EthernetOnly:
                Ethernet(frame, EtherTypeLocalExperimental);
                break;
            case TrafficClass.TruncatedIpv4:
                var ip = Ethernet(frame, EtherTypeIpv4);
                frame[ip] = 0x45;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(ip + 2), 20);
                frame[ip + 8] = 64;
                frame[ip + 9] = IpProtocols.Udp;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(trafficClass));
        }
        return frame;
    }

    private static int Ethernet(byte[] frame, ushort etherType)
    {
        DestinationMac.CopyTo(frame, 0);
        SourceMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        return EthernetHeader;
    }

    private static void WriteIpv4(
        byte[] frame,
        int offset,
        byte protocol,
        int optionWords,
        Action<byte[], int, int> payload
    )
    {
        var headerLength = 20 + optionWords * 4;
        var header = frame.AsSpan(offset, headerLength);
        header[0] = (byte)(0x40 | (5 + optionWords));
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(frame.Length - offset));
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], 0x4000); // don't fragment
        header[8] = 64;
        header[9] = protocol;
        SourceIpv4.CopyTo(header[12..]);
        DestinationIpv4.CopyTo(header[16..]);
        // Options are NOPs closed by end-of-list: valid, and skipped by any parser that honours IHL.
        for (var i = 20; i < headerLength - 1; i++)
            header[i] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], InternetChecksum(header));
        payload(frame, offset + headerLength, frame.Length - offset - headerLength);
    }

    private static void WriteTcp(byte[] frame, int offset, int length)
    {
        var tcp = frame.AsSpan(offset, length);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, TcpSourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], TcpDestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], 1);
        tcp[12] = 5 << 4;
        tcp[13] = 0x02; // SYN
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 64240);
    }

    private static void WriteUdp(byte[] frame, int offset, int length)
    {
        var udp = frame.AsSpan(offset, length);
        BinaryPrimitives.WriteUInt16BigEndian(udp, UdpSourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], UdpDestinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)length);
        // Checksum 0: "not computed", valid for UDP over IPv4.
    }

    private static void WriteIcmpEcho(byte[] frame, int offset, int length)
    {
        var icmp = frame.AsSpan(offset, length);
        icmp[0] = 8; // echo request
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], 0x0001);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], 0x0001);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum(icmp));
    }

    private static void WriteGre(byte[] frame, int offset, int length)
    {
        // A bare GRE header announcing an IPv4 payload.
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset + 2, 2), EtherTypeIpv4);
    }

    private static void WriteIpv6Udp(byte[] frame, int offset)
    {
        var header = frame.AsSpan(offset, 40);
        header[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)(frame.Length - offset - 40));
        header[6] = IpProtocols.Udp;
        header[7] = 64;
        // 2001:db8::1 -> 2001:db8::2 (documentation prefix)
        header[8] = 0x20;
        header[9] = 0x01;
        header[10] = 0x0d;
        header[11] = 0xb8;
        header[23] = 1;
        header[24] = 0x20;
        header[25] = 0x01;
        header[26] = 0x0d;
        header[27] = 0xb8;
        header[39] = 2;
        WriteUdp(frame, offset + 40, frame.Length - offset - 40);
    }

    private static void WriteArpRequest(byte[] frame, int offset)
    {
        var arp = frame.AsSpan(offset, 28);
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1); // Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], EtherTypeIpv4);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], 1); // request
        SourceMac.CopyTo(arp[8..]);
        SourceIpv4.CopyTo(arp[14..]);
        DestinationIpv4.CopyTo(arp[24..]);
    }

    internal static ushort InternetChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if ((data.Length & 1) != 0)
            sum += (uint)data[^1] << 8;
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
