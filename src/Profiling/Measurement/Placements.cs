using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// The programs micro mode times, loaded afresh between epochs of rounds. Each load puts the
/// JIT's code at a random offset (the kernel randomizes it against JIT spraying), and where
/// the code falls against cache lines and the decoder's 32-byte windows moves a program's cost
/// for as long as it stays loaded: the A/A difference of two loads of Null varied from load to
/// load with a standard deviation of 0.5 ns on a 2-vCPU EPYC (a 7.5 ns program), where each
/// load's own mean was good to 0.08 ns. Measured on one load each, that offset is a bias
/// the CI cannot see, and an A/A pair shows it. The XDP dispatcher adds to it: it finds a
/// program by a compare-and-branch search over the sorted addresses of the programs it holds,
/// so where a program's address falls among the others sets how many branches lead to it.
/// Fresh loads in a shuffled order move both, epoch by epoch: the offsets become noise the
/// pairs carry, and their CI covers it. The shuffle's seed is the run's: a fixed one would
/// repeat the same orders, and so the same offsets, in every run.
/// </summary>
public sealed class Placements : IDisposable
{
    private readonly IReadOnlyList<LoadedVariant> _originals;
    private readonly DispatcherAnchor? _anchor;
    private readonly Dictionary<LoadedVariant, (LoadedVariant Copy, XdpLink Link)> _copies = [];
    private readonly Random _order;

    /// <param name="anchor">Holds each fresh load in the XDP dispatcher; null: the originals only, never renewed.</param>
    public Placements(IReadOnlyList<LoadedVariant> originals, DispatcherAnchor? anchor, int seed = 1)
    {
        _originals = originals;
        _anchor = anchor;
        _order = new Random(seed);
    }

    /// <summary>0 for the loads the run started with, then one more per renewal.</summary>
    public int Epoch { get; private set; }

    /// <summary>Time spent loading and holding fresh copies.</summary>
    public TimeSpan RenewalTime { get; private set; }

    public bool CanRenew => _anchor is not null;

    /// <summary>The program to time for <paramref name="variant"/> in this epoch.</summary>
    public KernelProgram ProgramOf(LoadedVariant variant) =>
        _copies.TryGetValue(variant, out var copy) ? copy.Copy.Program : variant.Program;

    /// <summary>
    /// Loads every program again, in a shuffled order, and holds the new loads; the previous epoch's copies are
    /// released.
    /// </summary>
    public void Renew()
    {
        if (_anchor is null)
            return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fresh = new Dictionary<LoadedVariant, (LoadedVariant Copy, XdpLink Link)>();
        try
        {
            foreach (var variant in _originals.OrderBy(_ => _order.Next()).ToList())
            {
                var copy = variant.LoadAgain();
                try
                {
                    fresh[variant] = (copy, _anchor.Hold(copy.Program));
                }
                catch
                {
                    copy.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            Release(fresh);
            throw;
        }
        Release(_copies);
        foreach (var (variant, copy) in fresh)
            _copies[variant] = copy;
        Epoch++;
        RenewalTime += clock.Elapsed;
    }

    private void Release(Dictionary<LoadedVariant, (LoadedVariant Copy, XdpLink Link)> copies)
    {
        foreach (var (copy, link) in copies.Values)
        {
            _anchor!.Release(link);
            copy.Dispose();
        }
        copies.Clear();
    }

    public void Dispose()
    {
        if (_anchor is not null)
            Release(_copies);
    }
}
