
namespace PacketCounter.Profiling.Emulation;

/// <summary>Where the emulator and the kernel disagreed, if anywhere.</summary>
public sealed record DifferentialResult(string Variant, TrafficClass Class, int Packets, XdpAction KernelVerdict, XdpAction EmulatorVerdict,
    IReadOnlyList<string> MapDifferences)
{
    public bool Agrees => KernelVerdict == EmulatorVerdict && MapDifferences.Count == 0;

    public override string ToString() => Agrees
        ? $"{Variant} {TrafficClasses.Name(Class)}: kernel and emulator agree ({KernelVerdict}, maps equal after {Packets} packets)"
        : $"{Variant} {TrafficClasses.Name(Class)}: DISAGREE: verdict kernel {KernelVerdict} vs emulator {EmulatorVerdict}; {string.Join("; ", MapDifferences)}";
}

/// <summary>
/// Runs the same frames through the kernel (BPF_PROG_TEST_RUN on a freshly loaded object)
/// and through the emulator (fresh map models), then compares the verdict and every map's
/// contents, summed over CPUs as user space reads them.
/// </summary>
public static class KernelDifferential
{
    public static DifferentialResult Check(DiscoveredVariant variant, TrafficClass trafficClass, int packets, int frameSize = 64)
    {
        var frame = FrameBuilder.Build(trafficClass, frameSize);
        using var loaded = LoadedVariant.Load(variant);
        var emulator = new BpfEmulator(loaded.Program.PreparedInstructions(), BpfEmulator.ModelMaps(loaded.Object));
        var models = emulator.MapsByFd;

        var kernel = loaded.Program.TestRun(frame, new XdpTestRun(packets));
        EmulatedRun? last = null;
        for (var i = 0; i < packets; i++)
            last = emulator.Run(frame);

        var emulated = models.ToDictionary(m => m.Key, m => m.Value);
        var fromEmulator = loaded.Object.Maps.Where(m => m.KeySize == sizeof(uint) && m.ValueSize % 8 == 0 && !m.Name.Contains('.'))
            .ToDictionary(m => m.Name, m => (IReadOnlyDictionary<ulong, ulong[]>)emulated[m.Fd].Keys.ToDictionary(k => k, k => emulated[m.Fd].SumUInt64(k)));
        var differences = Verification.MapSnapshot.Differences(Verification.MapSnapshot.Of(loaded.Object), "kernel", fromEmulator, "emulator");
        return new DifferentialResult(variant.Name, trafficClass, packets, kernel.Verdict, last!.Verdict, differences);
    }
}
