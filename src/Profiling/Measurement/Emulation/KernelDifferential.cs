using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Emulation;

/// <summary>Where the emulator and the kernel disagreed, if anywhere.</summary>
public sealed record DifferentialResult(
    string Variant,
    TrafficClass Class,
    int Packets,
    XdpAction KernelVerdict,
    XdpAction EmulatorVerdict,
    IReadOnlyList<string> MapDifferences
)
{
    public bool Agrees => KernelVerdict == EmulatorVerdict && MapDifferences.Count == 0;

    /// <summary>What was compared besides the verdict.</summary>
    public string Basis { get; init; } = "maps equal";

    public override string ToString() =>
        Agrees
            ? $"{Variant} {TrafficClasses.Name(Class)}: kernel and emulator agree ({KernelVerdict}, {Basis} after {Packets} packets)"
            : $"{Variant} {TrafficClasses.Name(Class)}: DISAGREE: verdict kernel "
                + $"{KernelVerdict} vs emulator {EmulatorVerdict}; {string.Join("; ", MapDifferences)}";
}

/// <summary>
/// Runs the same frames through the kernel (BPF_PROG_TEST_RUN on a freshly loaded object)
/// and through the emulator (fresh map models), then compares the verdict and every map's
/// contents, summed over CPUs as user space reads them.
/// </summary>
public static class KernelDifferential
{
    public static DifferentialResult Check(
        DiscoveredVariant variant,
        TrafficClass trafficClass,
        int packets,
        int frameSize = 64
    )
    {
        var frame = FrameBuilder.Build(trafficClass, frameSize);
        using var loaded = LoadedVariant.Load(variant);
        var emulator = new BpfEmulator(loaded.Program.PreparedInstructions(), BpfEmulator.ModelMaps(loaded.Object));
        var models = emulator.MapsByFd;

        var kernel = loaded.Program.TestRun(frame, new XdpTestRun(packets));
        EmulatedRun? last = null;
        var draws = 0;
        for (var i = 0; i < packets; i++)
        {
            last = emulator.Run(frame);
            draws += last.CallsPerHelper.GetValueOrDefault(Asm.Helper.GetPrandomU32);
        }

        var emulated = models.ToDictionary(m => m.Key, m => m.Value);
        if (draws > 0)
        {
            // Random draws differ between the two by design: each side's counts must instead
            // fall within what the variant declares for the frames sent.
            var sent = new SentTraffic([new SentFrames(trafficClass, frame.Length, 0, packets)]);
            var expected = Verification.CountVerification.Expected(variant.Variant, sent);
            var kernelCounts = Verification.CountVerification.Compare(
                expected,
                Verification.CountReader.Read(loaded.Object, variant.Variant)
            );
            var emulatorCounts = Verification.CountVerification.Compare(
                expected,
                Verification.CountReader.Read(
                    variant.Variant,
                    name => emulated.Values.FirstOrDefault(m => m.Name == name)
                )
            );
            // The emulator's draws are seeded, so its counts are the same every time and must hold;
            // the kernel's sample is judged as bench judges one: a lone 3σ miss is chance.
            return new DifferentialResult(
                variant.Name,
                trafficClass,
                packets,
                kernel.Verdict,
                last!.Verdict,
                [
                    .. (
                        VerificationStatuses.Hold([kernelCounts])
                            ? []
                            : kernelCounts
                                .Rows.Where(r => !r.Matches)
                                .Select(r => $"kernel count {r.Count} {r.Counted} outside {r.Expected} {r.Rule}")
                    ),
                    .. emulatorCounts
                        .Rows.Where(r => !r.Matches)
                        .Select(r => $"emulator count {r.Count} {r.Counted} outside {r.Expected} {r.Rule}"),
                ]
            )
            {
                Basis = "counts within the variant's declared bounds (the program draws random numbers)",
            };
        }
        var fromEmulator = loaded
            .Object.Maps.Where(m => m.KeySize == sizeof(uint) && m.ValueSize % 8 == 0 && !m.Name.Contains('.'))
            .ToDictionary(
                m => m.Name,
                m =>
                    (IReadOnlyDictionary<ulong, ulong[]>)
                        emulated[m.Fd].Keys.ToDictionary(k => k, k => emulated[m.Fd].SumUInt64(k))
            );
        var differences = Verification.MapSnapshot.Differences(
            Verification.MapSnapshot.Of(loaded.Object),
            "kernel",
            fromEmulator,
            "emulator"
        );
        return new DifferentialResult(variant.Name, trafficClass, packets, kernel.Verdict, last!.Verdict, differences);
    }
}
