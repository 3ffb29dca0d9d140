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
///
/// The dispatcher finds a program by a binary search over the sorted addresses of the
/// programs it holds, one compare and branch per level. With a count that is not a power
/// of two some programs sit a level deeper than others, about 0.1 ns per run here, which
/// is a bias between any two programs, an A/A pair included. <see cref="Balance"/> adds
/// filler programs up to the next power of two, so every program is equally deep.
/// </remarks>
public sealed class DispatcherAnchor : IDisposable
{
    private readonly NetworkNamespace _namespace;
    private readonly List<string> _pairs = [];
    private readonly List<XdpLink> _links = [];
    private readonly Queue<string> _freeEnds = new();
    private readonly HashSet<uint> _heldIds = [];
    private readonly List<DispatcherFiller> _fillers = [];
    private static int _sequence;

    public DispatcherAnchor(NetworkNamespace ns) => _namespace = ns;

    /// <summary>Attaches <paramref name="program"/> to an idle interface until this anchor is disposed.</summary>
    public void Hold(KernelProgram program)
    {
        if (_freeEnds.Count == 0)
            AddPair();
        var end = _freeEnds.Dequeue();
        _links.Add(_namespace.Run(() => program.AttachXdp(InterfaceIndex.Of(end), XdpAttachMode.Native)));
        _heldIds.Add(program.Info().Id);
    }

    /// <summary>The kernel's XDP dispatcher holds at most this many programs; beyond it, the rest are called indirectly.</summary>
    public const int DispatcherCapacity = 48;

    /// <summary>Distinct programs held, fillers included.</summary>
    public int ProgramCount => _heldIds.Count;

    /// <summary>
    /// Holds filler programs until the count of programs held is a power of two, so that
    /// each program is found at the same depth of the dispatcher's search. Returns a note
    /// when that cannot be done. Programs other users attached natively elsewhere on the
    /// host are in the dispatcher too and are not counted here.
    /// </summary>
    public string? Balance()
    {
        var target = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, ProgramCount));
        if (target > DispatcherCapacity)
            return ProgramCount > DispatcherCapacity
                ? $"{ProgramCount} programs are held in the XDP dispatcher, which takes {DispatcherCapacity}: the rest are called indirectly, and their figures include that cost; measure fewer variants at a time"
                : $"{ProgramCount} programs are held in the XDP dispatcher; padding to {target} would exceed its {DispatcherCapacity}, so their search depths differ by a level (about 0.1 ns); measure fewer variants at a time for the finest resolution";
        while (ProgramCount < target)
        {
            var filler = DispatcherFiller.Load();
            _fillers.Add(filler);
            Hold(filler);
        }
        return null;
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
        foreach (var filler in _fillers)
            filler.Dispose();
        _fillers.Clear();
        _heldIds.Clear();
        foreach (var pair in _pairs)
            IpCommand.TryRun("-n", _namespace.Name, "link", "del", pair);
        _pairs.Clear();
        _freeEnds.Clear();
    }
}
