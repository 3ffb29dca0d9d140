using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Profiling.Testbed;

/// <summary>
/// Keeps programs attached in native mode to idle veth ends that carry no traffic, so
/// that BPF_PROG_TEST_RUN does not rebuild the kernel's XDP dispatcher on every call.
/// </summary>
/// <remarks>
/// Test-running an XDP program that is not attached anywhere natively adds it to the
/// XDP dispatcher and removes it again around every call, and each change waits for the
/// kernel to patch and synchronise: about 15 ms per call here, which made a 100 ms micro
/// sample of a 40 ns program read 2,500 ns/packet, and cost the live-frames generator
/// 40% of its rate. A program already in the dispatcher only has its use count bumped.
/// The idle pairs live in the testbed's private namespace, down and with IPv6 off.
/// </remarks>
public sealed class DispatcherAnchor : IDisposable
{
    private readonly NetworkNamespace _namespace;
    private readonly List<string> _pairs = [];
    private readonly List<XdpLink> _links = [];
    private readonly Queue<string> _freeEnds = new();
    private readonly Dictionary<XdpLink, string> _ends = [];
    private static int _sequence;

    public DispatcherAnchor(NetworkNamespace ns) => _namespace = ns;

    /// <summary>
    /// The programs the kernel's XDP dispatcher calls directly (BPF_DISPATCHER_MAX). Beyond
    /// them a program is called indirectly, through a retpoline where mitigations are on, so
    /// programs past the limit would be measured with a cost the others do not pay.
    /// </summary>
    public const int KernelDispatcherSlots = 48;

    /// <summary>
    /// The most programs this anchor held at once: a floor for the dispatcher's load, since programs attached
    /// elsewhere on the host count too.
    /// </summary>
    public int PeakHeld { get; private set; }

    /// <summary>
    /// Attaches <paramref name="program"/> to an idle interface until <see cref="Release"/> or until this anchor is
    /// disposed.
    /// </summary>
    public XdpLink Hold(KernelProgram program)
    {
        if (_freeEnds.Count == 0)
            AddPair();
        var end = _freeEnds.Dequeue();
        var link = _namespace.Run(() => program.AttachXdp(InterfaceIndex.Of(end), XdpAttachMode.Native));
        _links.Add(link);
        _ends[link] = end;
        PeakHeld = Math.Max(PeakHeld, _links.Count);
        return link;
    }

    /// <summary>Detaches a held program; its interface end takes the next one.</summary>
    public void Release(XdpLink link)
    {
        if (!_links.Remove(link))
            return;
        link.Dispose();
        _freeEnds.Enqueue(_ends[link]);
        _ends.Remove(link);
    }

    private void AddPair()
    {
        var pid = Environment.ProcessId;
        var sequence = Interlocked.Increment(ref _sequence);
        var first = TestbedNames.AnchorInterface(pid, sequence, 'a');
        var second = TestbedNames.AnchorInterface(pid, sequence, 'b');
        IpCommand.Run("-n", _namespace.Name, "link", "add", first, "type", "veth", "peer", "name", second);
        _pairs.Add(first);
        _freeEnds.Enqueue(first);
        _freeEnds.Enqueue(second);
    }

    public void Dispose()
    {
        foreach (var link in _links)
            link.Dispose();
        _links.Clear();
        _ends.Clear();
        foreach (var pair in _pairs)
            IpCommand.TryRun("-n", _namespace.Name, "link", "del", pair);
        _pairs.Clear();
        _freeEnds.Clear();
    }
}
