using System.Diagnostics;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>How micro mode samples.</summary>
/// <param name="TargetSample">Each measured sample lasts at least about this long; the repeat count adapts.</param>
/// <param name="WarmupSamples">Samples taken and discarded before measuring.</param>
/// <param name="Samples">Measured samples per variant and class (at least 10 by default).</param>
/// <param name="Cpu">The CPU the measuring thread is pinned to.</param>
public sealed record MicroOptions(TimeSpan TargetSample, int WarmupSamples, int Samples, int Cpu)
{
    public static MicroOptions Default { get; } = new(TimeSpan.FromMilliseconds(100), 2, 10, 0);
}

/// <summary>One measured micro sample: our wall time per packet and the kernel's integer figure beside it.</summary>
public sealed record MicroSample(string Variant, MeasuredRole Role, TrafficClass Class, int FrameSize, int Index, int Repeat, double NsPerPacket, uint KernelDurationNs);

/// <summary>
/// Isolated program cost: BPF_PROG_TEST_RUN (not live) of one frame, on a pinned OS thread.
/// The kernel's own duration is whole nanoseconds, too coarse for 1–2 ns differences,
/// so ns/packet is our wall time around the call over the repeat count. Stages are
/// separate: a pilot sizes the repeat count, warm-up samples are discarded, then the
/// measured samples. Variants take turns sample by sample, so drift on a shared machine
/// reaches all of them alike, and every variant is later reported net of Null.
/// </summary>
public sealed class MicroBenchmark
{
    private const int FirstPilotRepeat = 1_000;
    private const int MaxWarmupRounds = 10;

    /// <summary>
    /// Measures every loaded variant on every class. Run stats must be off: they add a
    /// clock read to every run (22 ns → 108 ns for a trivial program here).
    /// </summary>
    public void Run(IReadOnlyList<LoadedVariant> variants, IReadOnlyList<TrafficClass> classes, int frameSize, MicroOptions options,
        Action<MicroSample> onSample, Action<string>? status = null, CancellationToken cancellation = default)
    {
        if (RunStatsState.EnabledBySysctl())
            status?.Invoke("warning: kernel.bpf_stats_enabled is 1; micro figures include the stats clock reads");
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(options.Cpu);
                foreach (var trafficClass in classes)
                    MeasureClass(variants, trafficClass, frameSize, options, onSample, status, cancellation);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "micro benchmark" };
        thread.Start();
        thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private static void MeasureClass(IReadOnlyList<LoadedVariant> variants, TrafficClass trafficClass, int frameSize, MicroOptions options,
        Action<MicroSample> onSample, Action<string>? status, CancellationToken cancellation)
    {
        var frame = FrameBuilder.Build(trafficClass, frameSize);
        var repeats = variants.ToDictionary(v => v, v => PilotRepeat(v.Program, frame, options.TargetSample));
        status?.Invoke($"micro {TrafficClasses.Name(trafficClass)}: repeat {string.Join(", ", repeats.Select(r => $"{r.Key.Name}={r.Value:N0}"))}");
        // Warm-up samples run at full length, which also makes them the better estimate of
        // the repeat count a full sample needs. Like BenchmarkDotNet's warm-up stage, it
        // goes on until the machine is steady: every variant's last two warm-up samples
        // within 2% of each other (at least WarmupSamples rounds, at most MaxWarmupRounds).
        var previous = new Dictionary<LoadedVariant, double>();
        for (var round = 0; round < MaxWarmupRounds; round++)
        {
            var steady = round >= options.WarmupSamples;
            foreach (var variant in variants)
            {
                cancellation.ThrowIfCancellationRequested();
                var (ns, _) = TimeOnce(variant.Program, frame, repeats[variant]);
                repeats[variant] = RepeatFor(options.TargetSample, ns);
                steady &= previous.TryGetValue(variant, out var last) && Math.Abs(ns - last) <= 0.02 * last;
                previous[variant] = ns;
            }
            if (steady)
                break;
        }
        for (var index = 0; index < options.Samples; index++)
        {
            foreach (var variant in variants)
            {
                cancellation.ThrowIfCancellationRequested();
                var (ns, kernel) = TimeOnce(variant.Program, frame, repeats[variant]);
                onSample(new MicroSample(variant.Name, variant.Role, trafficClass, frameSize, index, repeats[variant], ns, kernel));
            }
        }
    }

    // Doubles the repeat count until a run takes a quarter of the target, then scales to
    // the target.
    private static int PilotRepeat(BpfProgram program, byte[] frame, TimeSpan target)
    {
        var repeat = FirstPilotRepeat;
        while (true)
        {
            var (ns, _) = TimeOnce(program, frame, repeat);
            if (ns * repeat >= target.TotalNanoseconds / 4 || repeat >= int.MaxValue / 4)
                return RepeatFor(target, ns);
            repeat *= 2;
        }
    }

    // 20% to spare, so that a sample stays at or above the target when the machine
    // speeds up a little after the estimate.
    private static int RepeatFor(TimeSpan target, double nsPerPacket) =>
        (int)Math.Clamp(Math.Ceiling(1.2 * target.TotalNanoseconds / nsPerPacket), 1, int.MaxValue / 2);

    private static (double NsPerPacket, uint KernelDurationNs) TimeOnce(BpfProgram program, byte[] frame, int repeat)
    {
        var start = Stopwatch.GetTimestamp();
        var result = program.TestRun(frame, new XdpTestRun(repeat));
        var elapsed = Stopwatch.GetElapsedTime(start);
        return (elapsed.TotalNanoseconds / repeat, result.KernelDurationNs);
    }
}
