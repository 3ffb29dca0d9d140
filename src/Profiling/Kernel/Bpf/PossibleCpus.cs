namespace PacketCounter.Profiling.Bpf;

/// <summary>
/// The kernel's possible-CPU count, which sizes every per-CPU map value. It can exceed
/// the online count, and a sum over online CPUs only would lose counts.
/// </summary>
public static class PossibleCpus
{
    private static readonly Lazy<int> CountLazy = new(() =>
    {
        var count = Interop.Libbpf.NumPossibleCpus();
        if (count <= 0)
            throw new Native.BpfException("read the possible-CPU count", -count);
        return count;
    });

    public static int Count => CountLazy.Value;
}
