namespace PacketCounter.Profiling.Testbed;

/// <summary>An interface's packet counters, as the kernel reports them in net/dev.</summary>
public readonly record struct InterfaceCounters(ulong RxPackets, ulong RxDropped, ulong TxPackets, ulong TxDropped)
{
    /// <summary>
    /// Reads net/dev of the calling thread's namespace: /proc/thread-self follows the
    /// thread, where /proc/net follows the process's main thread.
    /// </summary>
    public static InterfaceCounters ReadCurrentThread(string interfaceName) =>
        Parse(File.ReadAllLines("/proc/thread-self/net/dev"), interfaceName);

    internal static InterfaceCounters Parse(IEnumerable<string> netDev, string interfaceName)
    {
        foreach (var line in netDev)
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != interfaceName)
                continue;
            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // rx: bytes packets errs drop fifo frame compressed multicast | tx: bytes packets errs drop ...
            ulong Field(int i) => ulong.Parse(fields[i], CultureInfo.InvariantCulture);
            return new InterfaceCounters(Field(1), Field(3), Field(9), Field(11));
        }
        throw new TestbedException($"interface '{interfaceName}' is not in net/dev");
    }

    public static InterfaceCounters operator -(InterfaceCounters after, InterfaceCounters before) =>
        new(
            after.RxPackets - before.RxPackets,
            after.RxDropped - before.RxDropped,
            after.TxPackets - before.TxPackets,
            after.TxDropped - before.TxDropped
        );
}
