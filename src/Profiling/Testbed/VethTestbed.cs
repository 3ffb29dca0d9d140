namespace PacketCounter.Profiling.Testbed;

/// <summary>
/// The embedded testbed: a veth pair whose generator end stays in this namespace and
/// whose device-under-test end lives in a private namespace. Names carry the owner's
/// PID, so a later start can tell a dead run's leftovers from a live run's testbed.
/// </summary>
public sealed class VethTestbed : IDisposable
{
    private static int _sequence;
    private bool _disposed;

    private VethTestbed(string generatorInterface, string dutInterface, NetworkNamespace dutNamespace)
    {
        GeneratorInterface = generatorInterface;
        DutInterface = dutInterface;
        DutNamespace = dutNamespace;
    }

    /// <summary>The end frames are transmitted from (in this process's namespace).</summary>
    public string GeneratorInterface { get; }

    /// <summary>The end the variant under test is attached to.</summary>
    public string DutInterface { get; }

    /// <summary>The private namespace that holds <see cref="DutInterface"/>.</summary>
    public NetworkNamespace DutNamespace { get; }

    public int GeneratorIfindex { get; private set; }

    /// <summary>Idle interfaces in the DUT namespace that keep test-run programs in the XDP dispatcher.</summary>
    public DispatcherAnchor Anchor => _anchor ??= new DispatcherAnchor(DutNamespace);

    private DispatcherAnchor? _anchor;

    public int DutIfindex { get; private set; }

    /// <summary>Builds a fresh, quiet testbed with names unique to this process.</summary>
    public static VethTestbed Create()
    {
        var pid = Environment.ProcessId;
        var sequence = Interlocked.Increment(ref _sequence);
        var testbed = new VethTestbed(
            TestbedNames.GeneratorInterface(pid, sequence),
            TestbedNames.DutInterface(pid, sequence),
            new NetworkNamespace(TestbedNames.Namespace(pid, sequence)));
        try
        {
            testbed.Build();
            return testbed;
        }
        catch
        {
            testbed.Dispose();
            throw;
        }
    }

    private void Build()
    {
        var ns = DutNamespace.Name;
        IpCommand.Run("netns", "add", ns);
        // One queue per CPU: veth picks the peer's rx ring by the sending CPU, so
        // generator threads on different CPUs do not overflow one shared ring.
        var queues = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        IpCommand.Run("link", "add", GeneratorInterface, "numtxqueues", queues, "numrxqueues", queues,
            "type", "veth", "peer", "name", DutInterface, "numtxqueues", queues, "numrxqueues", queues, "netns", ns);
        // A new interface sends IPv6 neighbour and multicast-listener frames by itself;
        // with IPv6 off on both ends, every frame the DUT sees is one we sent.
        File.WriteAllText($"/proc/sys/net/ipv6/conf/{GeneratorInterface}/disable_ipv6", "1");
        DutNamespace.Run(() =>
        {
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{DutInterface}/disable_ipv6", "1");
            return 0;
        });
        IpCommand.Run("link", "set", GeneratorInterface, "up");
        IpCommand.Run("-n", ns, "link", "set", DutInterface, "up");
        GeneratorIfindex = InterfaceIndex.Of(GeneratorInterface);
        DutIfindex = DutNamespace.IndexOf(DutInterface);
    }

    /// <summary>The DUT interface's counters, read inside its namespace.</summary>
    public InterfaceCounters DutCounters() => DutNamespace.CountersOf(DutInterface);

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _anchor?.Dispose();
        // Deleting one end of a veth pair deletes both; deleting the namespace then
        // removes whatever is left in it.
        IpCommand.TryRun("link", "del", GeneratorInterface);
        IpCommand.TryRun("netns", "del", DutNamespace.Name);
    }
}
