using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Testbed;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Tests.Kernel;

/// <summary>
/// The C# live-frames generator against the same loop in C, both sending into a
/// dropping receiver. Rates are printed, not asserted (speed belongs to benchmarks);
/// what is asserted is that both really delivered every frame to the receiver.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class GeneratorReferenceTests(ITestOutputHelper output) : KernelLeakGuard
{
    private const long Frames = 2_000_000;

    [Fact]
    public void The_csharp_generator_and_the_c_reference_both_deliver_every_frame_and_report_their_rates()
    {
        using var work = new TempFolder("pc-genref-");
        var reference = Path.Combine(work.Path, "trafficgen_reference");
        NativeTool.RunOrFail(
            "cc",
            [
                "-O2",
                Path.Combine(NativeTool.RepoRoot, "tests", "PacketCounter.Tests", "native", "trafficgen_reference.c"),
                "-o",
                reference,
                "-lbpf",
            ]
        );
        var frameFile = Path.Combine(work.Path, "frame.bin");
        var frame = FrameBuilder.Build(TrafficClass.Ipv4Udp, 64);
        File.WriteAllBytes(frameFile, frame);

        using var testbed = VethTestbed.Create();
        using var drop = BpfObject.Load(NativeTool.Fixture("drop.bpf.o"));
        var dropProgram = drop.Program("drop_all");
        using var link = testbed.DutNamespace.Run(() => dropProgram.AttachXdp(testbed.DutIfindex));
        using var generator = LiveFramesGenerator.Create(testbed.GeneratorIfindex);
        var options = GeneratorOptions.OnCpu(0);

        var ours = new List<double>();
        var theirs = new List<double>();
        using (RunStatsScope.Enable())
        {
            for (var round = 0; round < 3; round++)
            {
                var before = dropProgram.Info().RunCount;
                var run = generator.Send(
                    new Dictionary<TrafficClass, long> { [TrafficClass.Ipv4Udp] = Frames },
                    64,
                    options
                );
                Assert.Equal((ulong)Frames, dropProgram.Info().RunCount - before);
                ours.Add(run.Mpps);

                before = dropProgram.Info().RunCount;
                var fields = NativeTool
                    .RunOrFail(
                        reference,
                        [
                            LiveFramesGenerator.DefaultObjectPath,
                            testbed.GeneratorIfindex.ToString(CultureInfo.InvariantCulture),
                            "0",
                            Frames.ToString(CultureInfo.InvariantCulture),
                            options.BatchSize.ToString(CultureInfo.InvariantCulture),
                            options.ChunkFrames.ToString(CultureInfo.InvariantCulture),
                            frameFile,
                        ]
                    )
                    .Trim()
                    .Split(' ');
                Assert.Equal(Frames.ToString(CultureInfo.InvariantCulture), fields[0]);
                Assert.Equal((ulong)Frames, dropProgram.Info().RunCount - before);
                theirs.Add(double.Parse(fields[2], CultureInfo.InvariantCulture));
            }
        }
        var oursMedian = ours.Order().ElementAt(1);
        var theirsMedian = theirs.Order().ElementAt(1);
        output.WriteLine(
            $"generator into XDP_DROP, 1 thread on CPU 0, {Frames:N0} frames x 3 rounds: C# "
                + $"{oursMedian:0.00} Mpps "
                + $"({string.Join(", ", ours.Select(o => o.ToString("0.00")))}), C reference "
                + $"{theirsMedian:0.00} Mpps "
                + $"({string.Join(", ", theirs.Select(o => o.ToString("0.00")))}), ratio {oursMedian / theirsMedian:0.000}"
        );
    }

    [Fact]
    public void The_generators_wall_time_never_falls_short_of_the_time_the_kernel_spent_sending()
    {
        // Short runs on every CPU: the calling thread has no CPU of its own while the senders run,
        // so a clock it kept could start late (a bench once reported 23,529 Mpps for 40,000 frames).
        using var testbed = VethTestbed.Create();
        using var drop = BpfObject.Load(NativeTool.Fixture("drop.bpf.o"));
        var dropProgram = drop.Program("drop_all");
        using var link = testbed.DutNamespace.Run(() => dropProgram.AttachXdp(testbed.DutIfindex));
        using var generator = LiveFramesGenerator.Create(testbed.GeneratorIfindex);
        var options = new GeneratorOptions(
            Profiling.Cpu.CpuList.Of([.. Enumerable.Range(0, Environment.ProcessorCount)])
        );
        for (var run = 0; run < 40; run++)
        {
            var sent = generator.Send(
                new Dictionary<TrafficClass, long> { [TrafficClass.Ipv4Udp] = 40_000 },
                64,
                options
            );
            Assert.True(sent.LongestKernelTime > TimeSpan.Zero, "the kernel reports the time it spent");
            Assert.True(
                sent.Wall >= sent.LongestKernelTime,
                $"run {run}: wall {sent.Wall.TotalMicroseconds:0} µs is shorter than one sender's "
                    + $"{sent.LongestKernelTime.TotalMicroseconds:0} µs in the kernel"
            );
        }
    }
}
