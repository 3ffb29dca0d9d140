using System.Buffers.Binary;
using System.Diagnostics;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Cpu;

namespace PacketCounter.Profiling.Traffic;

/// <summary>How the generator sends.</summary>
/// <param name="Cpus">One sending thread per CPU listed, each pinned there.</param>
/// <param name="BatchSize">Frames per live-frames batch (the kernel allows up to 256).</param>
/// <param name="ChunkFrames">
/// Frames of one class per test-run call; classes take turns chunk by chunk, and a chunk
/// is the granularity at which a run can be interrupted. With the generator held in the
/// XDP dispatcher (<see cref="Testbed.DispatcherAnchor"/>) a call costs microseconds, so
/// the chunk size does not change the rate (measured here: 18.4 Mpps into a drop sink with
/// 6 M, 600 k and 64 Ki frames per call alike); without the anchor every call rebuilds the
/// dispatcher, about 20 ms, and 64 Ki-frame calls fall to 2.5 Mpps.
/// </param>
/// <remarks>
/// A batch above 64 overflows veth's 256-entry rx ring here and frames are lost at the
/// transmit side, which count verification then reports.
/// </remarks>
public sealed record GeneratorOptions(Cpu.CpuList Cpus, int BatchSize = 64, int ChunkFrames = 2 << 20)
{
    public static GeneratorOptions OnCpu(int cpu) => new(Cpu.CpuList.Of(cpu));
}

/// <summary>What one generator run sent, per kind of frame, and how long it took.</summary>
public sealed record GeneratorRun(IReadOnlyDictionary<FrameKind, long> SentByKind, TimeSpan Wall)
{
    /// <summary>What was sent, as the plugin contract describes it to a variant.</summary>
    /// <remarks>With several flows, frames of classes with ports are listed as spread over all of them.</remarks>
    public SentTraffic Traffic =>
        new(
            SentByKind.Select(k => new SentFrames(
                k.Key.Class,
                k.Key.Length,
                Flows > 1 && FrameBuilder.Ports(k.Key.Class) is not null ? SentFrames.AllFlows : 0,
                k.Value
            )),
            Flows
        );

    public long TotalSent => SentByKind.Values.Sum();

    /// <summary>How many flows frames with ports were spread over.</summary>
    public int Flows { get; init; } = 1;

    /// <summary>
    /// The longest time one sender spent in the kernel by the kernel's own account (each test
    /// run's per-frame duration, rounded down, times its frames): a floor for <see cref="Wall"/>,
    /// which spans every sender from its first frame to the last one's end.
    /// </summary>
    public TimeSpan LongestKernelTime { get; init; }

    /// <summary>Million packets per second over the generator's own wall time.</summary>
    public double Mpps => Wall.TotalSeconds > 0 ? TotalSent / Wall.TotalSeconds / 1e6 : 0;
}

/// <summary>
/// The in-kernel traffic generator, the mechanism xdp-trafficgen uses: an XDP program
/// that redirects every frame out of one interface, run through BPF_PROG_TEST_RUN with
/// BPF_F_TEST_XDP_LIVE_FRAMES. Each test-run repetition transmits one frame, so the
/// number sent per class is exactly the repeat counts handed to the kernel.
/// </summary>
public sealed class LiveFramesGenerator : IDisposable
{
    public const string ObjectFileName = "trafficgen.bpf.o";
    private const string ProgramName = "trafficgen_redirect";

    private const string FlowsProgramName = "trafficgen_flows";
    private const int CursorSize = 16; // struct flow_cursor

    private readonly BpfObject _object;
    private readonly BpfProgram _program;
    private readonly BpfProgram _flowsProgram;
    private readonly BpfMap _cursors;

    private LiveFramesGenerator(BpfObject obj, BpfProgram program, int ifindexOut)
    {
        _object = obj;
        _program = program;
        _flowsProgram = obj.Program(FlowsProgramName);
        _cursors = obj.Map("flow_cursors");
        IfindexOut = ifindexOut;
    }

    /// <summary>
    /// The generator that rewrites ports frame by frame to send several flows, e.g. to hold it in the XDP dispatcher
    /// too.
    /// </summary>
    public BpfProgram FlowsProgram => _flowsProgram;

    public int IfindexOut { get; }

    /// <summary>The generator object shipped beside the engine.</summary>
    public static string DefaultObjectPath => Path.Combine(AppContext.BaseDirectory, ObjectFileName);

    /// <summary>The generator program, e.g. to hold it in the XDP dispatcher.</summary>
    public BpfProgram Program => _program;

    /// <summary>Loads the generator with its output interface fixed in .rodata.</summary>
    public static LiveFramesGenerator Create(int ifindexOut, string? objectPath = null)
    {
        objectPath ??= DefaultObjectPath;
        var obj = BpfObject.Open(objectPath);
        try
        {
            obj.SetReadOnlyGlobal(offset: 0, (uint)ifindexOut);
            obj.Load();
            return new LiveFramesGenerator(obj, obj.Program(ProgramName), ifindexOut);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends exactly <paramref name="counts"/> frames per class. Threads split every
    /// class evenly. On cancellation or failure it stops between chunks and reports
    /// what was really sent, then rethrows the first failure.
    /// </summary>
    public GeneratorRun Send(
        IReadOnlyDictionary<TrafficClass, long> counts,
        int frameSize,
        GeneratorOptions options,
        CancellationToken cancellation = default
    ) => Send(FrameSizes.Fixed(frameSize).Split(counts), options, cancellation);

    /// <summary>
    /// Sends exactly <paramref name="counts"/> frames of each kind, as <see
    /// cref="Send(IReadOnlyDictionary{TrafficClass, long}, int, GeneratorOptions, CancellationToken)"/> does per
    /// class.
    /// With <paramref name="flows"/> above 1, frames of classes with ports walk through that many
    /// flows in turn, each test run starting at flow 0: flow f sends from the built source port + f
    /// (mod 2^16) to the built destination port + f / 2^16.
    /// </summary>
    public GeneratorRun Send(
        IReadOnlyDictionary<FrameKind, long> counts,
        GeneratorOptions options,
        CancellationToken cancellation = default,
        int flows = 1
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flows, 1);
        var frames = counts.Keys.ToDictionary(k => k, k => FrameBuilder.Build(k.Class, k.Size));
        var threads = options.Cpus.Count;
        var sentPerThread = new Dictionary<FrameKind, long>[threads];
        var failures = new Exception?[threads];
        // Each sender stamps its own start and end: the calling thread has no CPU of its own while
        // the senders are pinned to every CPU, so a clock it started after the barrier could
        // begin when the senders are nearly done and report an impossible rate.
        var began = new long[threads];
        var ended = new long[threads];
        var kernelNs = new long[threads];
        using var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var index = t;
            var share = counts.ToDictionary(c => c.Key, c => c.Value / threads + (index < c.Value % threads ? 1 : 0));
            sentPerThread[index] = counts.Keys.ToDictionary(c => c, _ => 0L);
            workers[t] = new Thread(() =>
            {
                try
                {
                    CpuAffinity.PinCurrentThread(options.Cpus.Cpus[index]);
                }
                catch (Exception e)
                {
                    failures[index] = e;
                }
                start.SignalAndWait();
                began[index] = Stopwatch.GetTimestamp();
                if (failures[index] is null)
                    failures[index] = SendShare(
                        share,
                        frames,
                        options,
                        options.Cpus.Cpus[index],
                        flows,
                        sentPerThread[index],
                        ref kernelNs[index],
                        cancellation
                    );
                ended[index] = Stopwatch.GetTimestamp();
            })
            {
                IsBackground = true,
                Name = $"generator cpu{options.Cpus.Cpus[index]}",
            };
            workers[t].Start();
        }
        start.SignalAndWait();
        foreach (var worker in workers)
            worker.Join();

        var sent = counts.Keys.ToDictionary(c => c, c => sentPerThread.Sum(s => s[c]));
        var wall = Stopwatch.GetElapsedTime(began.Min(), ended.Max());
        var run = new GeneratorRun(sent, wall)
        {
            Flows = flows,
            LongestKernelTime = TimeSpan.FromTicks(kernelNs.Max() / TimeSpan.NanosecondsPerTick),
        };
        var failure = failures.FirstOrDefault(f => f is not null);
        if (failure is not null)
            throw new GeneratorInterruptedException(run, failure);
        cancellation.ThrowIfCancellationRequested();
        return run;
    }

    private Exception? SendShare(
        Dictionary<FrameKind, long> share,
        Dictionary<FrameKind, byte[]> frames,
        GeneratorOptions options,
        int cpu,
        int flows,
        Dictionary<FrameKind, long> sent,
        ref long kernelNs,
        CancellationToken cancellation
    )
    {
        try
        {
            var remaining = new Dictionary<FrameKind, long>(share);
            while (remaining.Values.Any(r => r > 0))
            {
                foreach (var kind in remaining.Keys.ToArray())
                {
                    var chunk = (int)Math.Min(options.ChunkFrames, remaining[kind]);
                    if (chunk == 0)
                        continue;
                    if (cancellation.IsCancellationRequested)
                        return null;
                    var program = _program;
                    if (flows > 1 && FrameBuilder.Ports(kind.Class) is { } ports)
                    {
                        SetCursor(cpu, ports.Offset, flows, ports.SourcePort, ports.DestinationPort);
                        program = _flowsProgram;
                    }
                    var result = program.TestRun(
                        frames[kind],
                        new XdpTestRun(
                            chunk,
                            LiveFrames: true,
                            BatchSize: options.BatchSize,
                            IngressIfindex: IfindexOut
                        )
                    );
                    remaining[kind] -= chunk;
                    sent[kind] += chunk;
                    kernelNs += (long)result.KernelDurationNs * chunk;
                }
            }
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    // The test run executes on the calling thread's CPU, so each pinned thread owns the cursor at its CPU.
    private void SetCursor(int cpu, int portOffset, int flows, ushort sourcePort, ushort destinationPort)
    {
        Span<byte> cursor = stackalloc byte[CursorSize];
        BinaryPrimitives.WriteUInt32LittleEndian(cursor, (uint)portOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(cursor[4..], (uint)flows);
        BinaryPrimitives.WriteUInt32LittleEndian(cursor[8..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(cursor[12..], sourcePort);
        BinaryPrimitives.WriteUInt16LittleEndian(cursor[14..], destinationPort);
        _cursors.Update((uint)cpu, cursor);
    }

    public void Dispose() => _object.Dispose();
}

/// <summary>The generator stopped early; <see cref="Partial"/> says what had been sent.</summary>
public sealed class GeneratorInterruptedException(GeneratorRun partial, Exception cause)
    : Exception($"traffic generation stopped after {partial.TotalSent} frames: {cause.Message}", cause)
{
    public GeneratorRun Partial { get; } = partial;
}
