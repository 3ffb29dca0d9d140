using System.Diagnostics;
using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Guest;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Matrix;

/// <summary>
/// Runs every variant on every kernel of a plan: the running kernel through the agent as a
/// host process, the others through the same agent as /init of a QEMU guest. The agent only
/// reports; the verifier's figures, the verdicts and the counts are read and checked here,
/// by the code the bench uses. A kernel that gives nothing ends in one line, and the others run.
/// </summary>
public static class MatrixRunner
{
    /// <summary>The agent beside the assembly, where the build puts it.</summary>
    public static string AgentPath => Path.Combine(AppContext.BaseDirectory, "packetcounter-agent");

    private static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(20);

    public static IReadOnlyList<KernelRun> Run(MatrixPlan plan, Action<string> say, CancellationToken cancellation)
    {
        foreach (var pid in GuestProcesses.Sweep())
            say($"killed QEMU {pid}, left running by a matrix that died");
        var frames = TrafficClasses.All.Select(c => (c, FrameBuilder.Build(c, MatrixPlan.FrameSize))).ToList();
        // One image serves every guest: the agent, the objects and the frames are the same.
        var initramfs = new Lazy<byte[]>(() => Initramfs(frames, plan.Variants));
        GuestAccel? accel = plan.Accel;
        string? accelReason = plan.Accel is null ? null : "asked for with --accel";
        var runs = new List<KernelRun>();
        foreach (var name in plan.Kernels)
        {
            if (cancellation.IsCancellationRequested)
                break;
            KernelRun run;
            try
            {
                if (name == MatrixPlan.Host)
                    run = Native(plan, frames, cancellation);
                else
                {
                    var (image, source) = Image(name, plan.Cache, say);
                    if (accel is null)
                        (accel, accelReason) = ChooseAccel(image, say);
                    run = Guest(name, image, source, accel.Value, accelReason!, plan, initramfs.Value, cancellation);
                }
            }
            catch (GuestException e)
            {
                run = new KernelRun(name, name == MatrixPlan.Host ? GuestAccel.Native : accel ?? GuestAccel.Tcg)
                {
                    Failure = $"kernel {name}: {e.Message}",
                };
            }
            // A kernel that failed is said once, in its one line at the end.
            if (run.Failure is null)
                say($"kernel {name}: {run.Release}, {Text.EnumNames.Of(run.Accel)}, {run.Seconds:0.0} s");
            runs.Add(run);
        }
        return runs;
    }

    private static KernelRun Native(
        MatrixPlan plan,
        IReadOnlyList<(TrafficClass, byte[])> frames,
        CancellationToken cancellation
    )
    {
        if (!File.Exists(AgentPath))
            throw new GuestException($"the agent {AgentPath} is missing; rebuild the project (dotnet build)");
        var manifest = Path.GetTempFileName();
        try
        {
            File.WriteAllText(
                manifest,
                AgentProtocol.Manifest(
                    frames,
                    plan.Variants.Select(v => new AgentVariantEntry(v.Name, v.ObjectPath, v.Variant.ProgramName))
                )
            );
            var clock = Stopwatch.StartNew();
            // Under the same limit as a guest, and gone with the command even after kill -9.
            var result = Machine.ExternalTool.Run(
                "setpriv",
                ["--pdeathsig", "KILL", "--", AgentPath, manifest],
                limit: plan.BootLimit,
                cancellation: cancellation
            );
            var report = AgentProtocol.Parse(result.Output);
            if (!report.Ended)
                throw new GuestException(
                    $"the agent stopped before its end (exit {result.ExitCode}): {result.LastLine}"
                );
            return FromReport(
                new KernelRun(MatrixPlan.Host, GuestAccel.Native)
                {
                    Source = "the running kernel",
                    Timing = "natively: the bench measures time here",
                    Seconds = clock.Elapsed.TotalSeconds,
                },
                report,
                plan.Variants
            );
        }
        catch (TimeoutException)
        {
            throw new GuestException(
                $"the agent did not finish within the time limit of {plan.BootLimit.TotalSeconds:0.#} s "
                    + "(--time-limit) and was killed"
            );
        }
        catch (OperationCanceledException)
        {
            throw new GuestException("interrupted");
        }
        finally
        {
            File.Delete(manifest);
        }
    }

    private static (string Image, string Source) Image(string name, string cache, Action<string> say)
    {
        if (name == DebianKernel.Name)
        {
            var fetched = DebianKernel.Fetch(cache);
            var how = fetched.FromCache ? "from the cache" : "fetched through apt into";
            say(
                $"kernel {name}: {fetched.Package} {fetched.Version}, {how} {Path.GetDirectoryName(Path.GetDirectoryName(fetched.Image))}"
            );
            return (fetched.Image, $"{fetched.Package} {fetched.Version} (Debian 12, apt)");
        }
        if (!File.Exists(name))
            throw new GuestException(
                $"no such kernel image; --kernel takes {MatrixPlan.Host}, {DebianKernel.Name} or the path of a bzImage"
            );
        return (Path.GetFullPath(name), Path.GetFullPath(name));
    }

    // KVM only when a guest really boots on it: a device that exists but hangs (nested
    // virtualization without the CPU flags) would cost every kernel its time limit.
    private static (GuestAccel, string) ChooseAccel(string image, Action<string> say)
    {
        if (!File.Exists("/dev/kvm"))
            return (GuestAccel.Tcg, "no /dev/kvm on this machine");
        var probe = QemuGuest.Boot(image, Initramfs([], []), GuestAccel.Kvm, ProbeLimit, AgentProtocol.IsComplete);
        if (AgentProtocol.IsComplete(probe.Agent))
            return (GuestAccel.Kvm, $"a KVM probe boot reached the agent in {probe.Elapsed.TotalSeconds:0.0} s");
        var reason =
            $"a KVM probe boot did not reach the agent in {ProbeLimit.TotalSeconds:0} s "
            + $"(last console line: {probe.LastConsoleLine})";
        say($"accel: TCG, since {reason}");
        return (GuestAccel.Tcg, reason);
    }

    private static KernelRun Guest(
        string name,
        string image,
        string source,
        GuestAccel accel,
        string accelReason,
        MatrixPlan plan,
        byte[] initramfs,
        CancellationToken cancellation
    )
    {
        var output = QemuGuest.Boot(image, initramfs, accel, plan.BootLimit, AgentProtocol.IsComplete, cancellation);
        var report = AgentProtocol.Parse(output.Agent);
        var timing =
            accel == GuestAccel.Tcg
                ? $"no timing under TCG ({accelReason})"
                : "a KVM guest: no timing taken (guest timing is not part of the matrix yet)";
        var run = new KernelRun(name, accel)
        {
            Release = report.Release,
            Source = source,
            Timing = timing,
            Seconds = output.Elapsed.TotalSeconds,
        };
        if (!report.Ended)
            return run with
            {
                Failure = cancellation.IsCancellationRequested
                    ? $"kernel {name}: interrupted"
                    : (
                        output.Finished
                            ? $"kernel {name}: the guest stopped (a reset, a panic or a power-off) before the agent finished"
                            : $"kernel {name}: the agent did not finish within the time limit of "
                                + $"{plan.BootLimit.TotalSeconds:0.#} s, so the guest was stopped"
                    ) + $"; the console's last line: {output.LastConsoleLine}",
            };
        return FromReport(run, report, plan.Variants);
    }

    private static byte[] Initramfs(
        IReadOnlyList<(TrafficClass, byte[])> frames,
        IReadOnlyList<DiscoveredVariant> variants
    )
    {
        var image = new Initramfs()
            .AddDirectory("dev")
            .AddDirectory("proc")
            .AddDirectory("sys")
            .AddDirectory("objects")
            .AddCharacterDevice("dev/console", 5, 1)
            .AddCharacterDevice("dev/ttyS1", 4, 65)
            .AddFile("init", File.ReadAllBytes(AgentPath), executable: true);
        var entries = new List<AgentVariantEntry>();
        foreach (var (variant, index) in variants.Select((v, i) => (v, i)))
        {
            var inGuest = $"/objects/{index}-{Path.GetFileName(variant.ObjectPath)}";
            image.AddFile(inGuest, File.ReadAllBytes(variant.ObjectPath));
            entries.Add(new AgentVariantEntry(variant.Name, inGuest, variant.Variant.ProgramName));
        }
        image.AddFile("manifest", System.Text.Encoding.UTF8.GetBytes(AgentProtocol.Manifest(frames, entries)));
        return image.ToArray();
    }

    /// <summary>The kernel's row from what the agent said: figures read, counts checked, here.</summary>
    internal static KernelRun FromReport(
        KernelRun run,
        AgentReport report,
        IReadOnlyList<DiscoveredVariant> variants
    ) =>
        run with
        {
            Release = report.Release,
            Variants = variants
                .Select(v =>
                    report.Variants.FirstOrDefault(r => r.Name == v.Name) is { } said
                        ? VariantOf(v, said, run.Accel != GuestAccel.Tcg)
                        : new KernelVariant(v.Name, RoleOf(v), v.Variant.ProgramName, v.ObjectSha256(), false)
                        {
                            Refusal = "the agent did not report it",
                        }
                )
                .ToList(),
        };

    private static MeasuredRole RoleOf(DiscoveredVariant variant) =>
        variant.IsBaseline ? MeasuredRole.Baseline : MeasuredRole.Counter;

    private static KernelVariant VariantOf(DiscoveredVariant variant, AgentVariantReport said, bool timed)
    {
        var row = new KernelVariant(
            variant.Name,
            RoleOf(variant),
            variant.Variant.ProgramName,
            variant.ObjectSha256(),
            said.Load is not null
        );
        if (said.Load is not { } load)
        {
            var log = said.LogText;
            return row with
            {
                Refusal =
                    log.Trim().Length > 0 ? Profiling.Native.BpfVerifierException.FinalMessageOf(log)
                    : said.Refusal is { } refusal
                        ? $"{refusal.Libbpf.Replace("libbpf: ", "", StringComparison.Ordinal)} (errno {refusal.Errno})"
                    : "the agent reported no load",
                VerifierLog = log.Trim().Length > 0 ? log : null,
            };
        }
        VerifierStats? stats;
        try
        {
            stats = VerifierStats.Parse(said.LogText, load.XlatedInsns, load.JitedBytes);
            // An emulated guest's clock runs at the emulator's pace: its verification time is no time.
            if (!timed)
                stats = stats with { DurationUs = null };
        }
        catch (FormatException)
        {
            stats = null;
        }
        var (counts, problem) = Check(variant, said.Runs);
        return row with
        {
            Verifier = stats,
            KernelCalls = load.KernelCalls,
            MapTypes = said
                .Maps.Select(m => Enum.IsDefined(m.Type) ? Text.EnumNames.Of(m.Type) : $"type-{(int)m.Type}")
                .ToList(),
            Verdicts = said.Runs.Select(r => new ClassOutcome(r.Class, r.Verdict)).ToList(),
            Counts = counts,
            CountProblem = problem,
        };
    }

    // After each frame, the maps must hold what the frames sent so far give.
    private static (CountsCheck, string?) Check(DiscoveredVariant variant, IReadOnlyList<AgentRun> runs)
    {
        if (variant.IsBaseline || variant.Variant.CountMaps.Count == 0)
            return (CountsCheck.None, null);
        var sent = new List<SentFrames>();
        var exact = true;
        foreach (var run in runs)
        {
            if (run.Error != 0)
                return (
                    CountsCheck.Mismatch,
                    $"the test run of {TrafficClasses.Name(run.Class)} failed (errno {-run.Error})"
                );
            sent.Add(new SentFrames(run.Class, FrameBuilder.LengthOf(run.Class, MatrixPlan.FrameSize), 0, 1));
            CountVerification verification;
            try
            {
                verification = CountVerification.Compare(
                    CountVerification.Expected(variant.Variant, new SentTraffic(sent)),
                    CountReader.Read(variant.Variant, run.Maps)
                );
            }
            catch (VariantMismatchException e)
            {
                return (CountsCheck.Mismatch, e.Message);
            }
            // A sampled count's bound is a normal approximation, which says nothing over a handful
            // of frames: there it may hold anything from none to every frame sent, and exact
            // counts and hard bounds must hold after every frame.
            var wrong = verification.Rows.FirstOrDefault(r =>
                r.IsStatistical ? r.Expectation.Unit == CountUnit.Packets && r.Counted > (ulong)sent.Count : !r.Matches
            );
            if (wrong is not null)
                return (
                    CountsCheck.Mismatch,
                    $"after the {TrafficClasses.Name(run.Class)} frame, {wrong.Count} is {wrong.Counted} where "
                        + (
                            wrong.IsStatistical
                                ? $"at most {sent.Count} frame(s) were sent"
                                : $"{wrong.Expected} was due ({wrong.Rule})"
                        )
                );
            exact &= verification.IsExact;
        }
        return (exact ? CountsCheck.Exact : CountsCheck.WithinBounds, null);
    }
}
