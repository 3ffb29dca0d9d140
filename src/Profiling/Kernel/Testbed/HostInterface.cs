namespace PacketCounter.Profiling.Testbed;

/// <summary>
/// An interface of the host named by the user (run, bench --iface): checked to exist and
/// be up before anything is attached, and its counters read from sysfs.
/// </summary>
public sealed class HostInterface
{
    private const int IffUp = 0x1;

    private HostInterface(string name, int ifindex)
    {
        Name = name;
        Ifindex = ifindex;
    }

    public string Name { get; }
    public int Ifindex { get; }

    public static HostInterface Resolve(string name)
    {
        if (name.Length == 0 || name.Contains('/') || !Directory.Exists($"/sys/class/net/{name}"))
            throw new TestbedException($"no interface named '{name}'; list them with: ip link show");
        var flags = Convert.ToInt32(File.ReadAllText($"/sys/class/net/{name}/flags").Trim(), 16);
        if ((flags & IffUp) == 0)
            throw new TestbedException($"interface '{name}' is down; bring it up with: ip link set {name} up");
        return new HostInterface(name, InterfaceIndex.Of(name));
    }

    public ulong RxPackets() =>
        ulong.Parse(
            File.ReadAllText($"/sys/class/net/{Name}/statistics/rx_packets").Trim(),
            CultureInfo.InvariantCulture
        );
}
