using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Counters;

/// <summary>What one attribution window found: the event's count per run of the measured program.</summary>
public sealed record AttributionReading(
    string Variant,
    string Event,
    ulong Runs,
    double Total,
    string Mix = "",
    int FrameSize = 0
)
{
    public double PerRun => Runs == 0 ? double.NaN : Total / Runs;
}

/// <summary>
/// Per-program counter attribution: fentry/fexit programs around the measured XDP program
/// read a per-CPU perf counter before and after each run. The trampoline adds cost of its
/// own, so throughput is never measured while this is attached, and every figure is
/// reported net of the same measurement on the Null program.
/// </summary>
public sealed class ProgramAttribution : IDisposable
{
    public const string ObjectFileName = "attribution.bpf.o";

    private readonly BpfObject _object;
    private readonly List<PerfCounter> _counters;
    private readonly List<SafeFileDescriptor> _links;

    private ProgramAttribution(
        BpfObject obj,
        List<PerfCounter> counters,
        List<SafeFileDescriptor> links,
        PerfEventSpec spec
    )
    {
        _object = obj;
        _counters = counters;
        _links = links;
        Spec = spec;
    }

    public PerfEventSpec Spec { get; }

    /// <summary>Loads the tracing pair against <paramref name="target"/>, wires one counter per CPU, and attaches.</summary>
    public static ProgramAttribution Attach(BpfProgram target, PerfEventSpec spec, IReadOnlyList<int> cpus)
    {
        var obj = BpfObject.Open(Path.Combine(AppContext.BaseDirectory, ObjectFileName));
        var counters = new List<PerfCounter>();
        var links = new List<SafeFileDescriptor>();
        try
        {
            var entry = obj.Program("attribution_entry");
            var exit = obj.Program("attribution_exit");
            entry.SetAttachTarget(target);
            exit.SetAttachTarget(target);
            obj.Load();
            var array = obj.Map("attribution_counters");
            foreach (var cpu in cpus)
            {
                var counter = PerfCounter.Open(spec, pid: -1, cpu);
                counters.Add(counter);
                array.UpdateUInt32((uint)cpu, (uint)counter.Fd);
            }
            links.Add(entry.AttachTrace(exit: false));
            links.Add(exit.AttachTrace(exit: true));
            return new ProgramAttribution(obj, counters, links, spec);
        }
        catch
        {
            foreach (var link in links)
                link.Dispose();
            foreach (var counter in counters)
                counter.Dispose();
            obj.Dispose();
            throw;
        }
    }

    /// <summary>Totals since attach, summed over CPUs, scaled for multiplexing.</summary>
    public AttributionReading Read(string variant)
    {
        var totals = _object.Map("attribution_totals").LookupUInt64Sum(0) ?? new ulong[4];
        var (counter, enabled, running, runs) = (totals[0], totals[1], totals[2], totals[3]);
        var scaled = running == 0 ? 0 : counter * ((double)enabled / running);
        return new AttributionReading(variant, Spec.Name, runs, scaled);
    }

    /// <summary>
    /// Whether fentry attribution can run here: tries the whole path on a loaded XDP
    /// program with a software event, which exists everywhere.
    /// </summary>
    public static SourceState Probe(BpfProgram anyXdpProgram)
    {
        try
        {
            using var attribution = Attach(anyXdpProgram, PerfEventSpec.Parse("cpu-clock"), [0]);
            return new SourceState("fentry attribution", true, "fentry/fexit load and attach");
        }
        catch (BpfException e) when (e.Errno is Native.Errno.EPERM or Native.Errno.EACCES)
        {
            return new SourceState(
                "fentry attribution",
                false,
                "not supported: loading fentry/fexit programs was refused "
                    + $"({(e.Errno == Native.Errno.EPERM ? "EPERM" : "EACCES")}; lockdown is {Lockdown()})"
            );
        }
        catch (Exception e) when (e is BpfException or PerfEventException)
        {
            return new SourceState("fentry attribution", false, $"not supported: {e.Message}");
        }
    }

    private static string Lockdown()
    {
        const string path = "/sys/kernel/security/lockdown";
        if (!File.Exists(path))
            return "unknown";
        var text = File.ReadAllText(path);
        var start = text.IndexOf('[');
        var end = text.IndexOf(']');
        return start >= 0 && end > start ? text[(start + 1)..end] : text.Trim();
    }

    public void Dispose()
    {
        foreach (var link in _links)
            link.Dispose();
        foreach (var counter in _counters)
            counter.Dispose();
        _object.Dispose();
    }
}
