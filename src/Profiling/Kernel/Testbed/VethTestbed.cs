namespace PacketCounter.Profiling.Testbed;

/// <summary>
/// One veth pair of the testbed: the generator end stays in this process's namespace, the
/// device-under-test end lives in the testbed's private namespace.
/// </summary>
public sealed record TestbedLane(
    int Index,
    string GeneratorInterface,
    int GeneratorIfindex,
    string DutInterface,
    int DutIfindex
);

/// <summary>
/// The embedded testbed: veth pairs ("lanes") whose device-under-test ends share one
/// private namespace. Live mode gives every measured program a lane of its own and keeps it
/// attached there, so switching from one program to the next between slices costs nothing
/// but a different generator. Names carry the owner's PID, so a later start can tell a dead
/// run's leftovers from a live run's testbed.
/// </summary>
public sealed class VethTestbed : IDisposable
{
    private static int _sequence;
    private readonly List<TestbedLane> _lanes = [];
    private DispatcherAnchor? _anchor;
    private bool _disposed;

    private VethTestbed(NetworkNamespace dutNamespace) => DutNamespace = dutNamespace;

    /// <summary>The private namespace that holds every lane's DUT end.</summary>
    public NetworkNamespace DutNamespace { get; }

    public IReadOnlyList<TestbedLane> Lanes => _lanes;

    /// <summary>The first lane's generator end.</summary>
    public string GeneratorInterface => _lanes[0].GeneratorInterface;

    public int GeneratorIfindex => _lanes[0].GeneratorIfindex;

    /// <summary>The first lane's device-under-test end.</summary>
    public string DutInterface => _lanes[0].DutInterface;

    public int DutIfindex => _lanes[0].DutIfindex;

    /// <summary>Idle interfaces in the DUT namespace that keep test-run programs in the XDP dispatcher.</summary>
    public DispatcherAnchor Anchor => _anchor ??= new DispatcherAnchor(DutNamespace);

    /// <summary>Builds a fresh, quiet testbed with <paramref name="lanes"/> lanes and names unique to this process.</summary>
    public static VethTestbed Create(int lanes = 1)
    {
        var testbed = new VethTestbed(
            new NetworkNamespace(TestbedNames.Namespace(Environment.ProcessId, Interlocked.Increment(ref _sequence)))
        );
        try
        {
            IpCommand.Run("netns", "add", testbed.DutNamespace.Name);
            for (var i = 0; i < lanes; i++)
                testbed.AddLane();
            return testbed;
        }
        catch
        {
            testbed.Dispose();
            throw;
        }
    }

    /// <summary>Adds a lane, up and quiet.</summary>
    public TestbedLane AddLane()
    {
        var pid = Environment.ProcessId;
        var sequence = Interlocked.Increment(ref _sequence);
        var generator = TestbedNames.GeneratorInterface(pid, sequence);
        var dut = TestbedNames.DutInterface(pid, sequence);
        var ns = DutNamespace.Name;
        // One queue per CPU: veth picks the peer's rx ring by the sending CPU, so
        // generator threads on different CPUs do not overflow one shared ring.
        var queues = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        IpCommand.Run(
            "link",
            "add",
            generator,
            "numtxqueues",
            queues,
            "numrxqueues",
            queues,
            "type",
            "veth",
            "peer",
            "name",
            dut,
            "numtxqueues",
            queues,
            "numrxqueues",
            queues,
            "netns",
            ns
        );
        // A new interface sends IPv6 neighbour and multicast-listener frames by itself;
        // with IPv6 off on both ends, every frame the DUT sees is one we sent.
        File.WriteAllText($"/proc/sys/net/ipv6/conf/{generator}/disable_ipv6", "1");
        DutNamespace.Run(() =>
        {
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{dut}/disable_ipv6", "1");
            return 0;
        });
        IpCommand.Run("link", "set", generator, "up");
        IpCommand.Run("-n", ns, "link", "set", dut, "up");
        var lane = new TestbedLane(
            _lanes.Count,
            generator,
            InterfaceIndex.Of(generator),
            dut,
            DutNamespace.IndexOf(dut)
        );
        _lanes.Add(lane);
        return lane;
    }

    /// <summary>The first lane's DUT counters, read inside its namespace.</summary>
    public InterfaceCounters DutCounters() => DutNamespace.CountersOf(DutInterface);

    /// <summary>Every lane's DUT counters, in lane order, read in one call.</summary>
    public IReadOnlyList<InterfaceCounters> LaneCounters() =>
        DutNamespace.CountersOf(_lanes.Select(l => l.DutInterface).ToList());

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _anchor?.Dispose();
        // Deleting one end of a veth pair deletes both; deleting the namespace then
        // removes whatever is left in it.
        foreach (var lane in _lanes)
            IpCommand.TryRun("link", "del", lane.GeneratorInterface);
        IpCommand.TryRun("netns", "del", DutNamespace.Name);
        DutNamespace.Dispose();
    }
}
