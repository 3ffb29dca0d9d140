using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Verification;

namespace PacketCounter.Profiling.Plugins;

/// <summary>A variant's BPF object loaded into the kernel, checked against what its plugin declares.</summary>
public sealed class LoadedVariant : IDisposable
{
    /// <summary>How the separately loaded copy of the baseline is named: "&lt;baseline&gt; A/A".</summary>
    public const string ControlSuffix = " A/A";

    private DropTwin? _dropTwin;
    private VariantLoadException? _dropRefusal;

    private LoadedVariant() { }

    public DiscoveredVariant Source { get; private init; } = null!;
    public BpfObject Object { get; private init; } = null!;
    public BpfProgram Program { get; private init; } = null!;

    /// <summary>
    /// The name its figures carry: the plugin's, or the baseline's with <see cref="ControlSuffix"/> for the control
    /// copy.
    /// </summary>
    public string Name { get; private init; } = "";

    public MeasuredRole Role { get; private init; }

    /// <summary>Whether its counts are verified against the traffic sent (the baseline and its copy count nothing).</summary>
    public bool Counts => Role == MeasuredRole.Counter;

    /// <summary>
    /// Loads the object, finds the program and checks the declared maps. Any failure
    /// becomes a <see cref="VariantLoadException"/> naming the variant.
    /// </summary>
    public static LoadedVariant Load(DiscoveredVariant source) =>
        Load(
            source,
            source.Name,
            source.IsBaseline ? MeasuredRole.Baseline
                : source.Variant is ObjectVariant ? MeasuredRole.Program
                : MeasuredRole.Counter
        );

    /// <summary>A second copy of the baseline, loaded on its own (its own program, its own maps), for the A/A control.</summary>
    public static LoadedVariant LoadControl(DiscoveredVariant baseline)
    {
        if (!baseline.IsBaseline)
            throw new ArgumentException(
                $"{baseline.Name} is not a baseline; only the baseline has an A/A copy",
                nameof(baseline)
            );
        return Load(baseline, baseline.Name + ControlSuffix, MeasuredRole.Control);
    }

    private static LoadedVariant Load(DiscoveredVariant source, string name, MeasuredRole role)
    {
        BpfObject? obj = null;
        try
        {
            if (File.Exists(source.ObjectPath) && PluginTrust.WhyUnsafe(source.ObjectPath) is { } unsafeObject)
                throw new UnauthorizedAccessException($"refusing to load: {unsafeObject}");
            obj = BpfObject.Open(source.ObjectPath);
            // Only the variant's own program: a plugin object may hold others (tests, helpers).
            foreach (var other in obj.Programs.Where(p => p.Name != source.Variant.ProgramName))
                other.SetAutoload(false);
            var program = obj.Program(source.Variant.ProgramName);
            obj.Load();
            CountReader.Validate(obj, source.Variant);
            return new LoadedVariant
            {
                Source = source,
                Object = obj,
                Program = program,
                Name = name,
                Role = role,
            };
        }
        catch (Exception e)
        {
            obj?.Dispose();
            throw new VariantLoadException(name, e);
        }
    }

    /// <summary>
    /// The program a window attaches for <paramref name="sink"/>: the variant's own for the
    /// pass sink, its drop twin (loaded on first use, against the same maps) for the drop sink.
    /// </summary>
    public KernelProgram ProgramFor(Sink sink)
    {
        if (sink == Sink.Pass)
            return Program;
        if (_dropRefusal is not null)
            throw _dropRefusal;
        try
        {
            return _dropTwin ??= DropTwin.Load(Program);
        }
        catch (Native.BpfException e)
        {
            throw _dropRefusal = new VariantLoadException(Name, e);
        }
    }

    /// <summary>
    /// Loads the drop twin and checks that it drops every one of <paramref name="frames"/>
    /// (a program that hands frames on, e.g. by tail call, would escape the rewrite). A
    /// twin that does not is refused here and on every later use, in one line.
    /// </summary>
    public DropTwin PrepareDropTwin(IReadOnlyDictionary<string, byte[]> frames)
    {
        var twin = (DropTwin)ProgramFor(Sink.Drop);
        foreach (var (name, frame) in frames)
        {
            var verdict = twin.TestRun(frame, new XdpTestRun(1)).Verdict;
            if (verdict != XdpAction.Drop)
                throw _dropRefusal = new VariantLoadException(
                    Name,
                    new InvalidOperationException(
                        $"its drop twin returned XDP_{verdict.ToString().ToUpperInvariant()} for a {name} "
                            + "frame, not XDP_DROP, so it cannot be measured with the drop sink"
                    )
                );
        }
        return twin;
    }

    /// <summary>Another load of the same program, as this one was loaded (the control as a control): new maps, new JIT placement.</summary>
    public LoadedVariant LoadAgain() => Role == MeasuredRole.Control ? LoadControl(Source) : Load(Source);

    public IReadOnlyDictionary<string, ulong> ReadCounts() => CountReader.Read(Object, Source.Variant);

    public void Dispose()
    {
        _dropTwin?.Dispose();
        Object.Dispose();
    }
}

/// <summary>A variant could not be loaded. The message is one line naming the variant and the cause.</summary>
public sealed class VariantLoadException(string variant, Exception cause)
    : Exception($"variant {variant}: {cause.Message}", cause)
{
    public string Variant { get; } = variant;

    /// <summary>The verifier's full log when the kernel refused the program.</summary>
    public string? VerifierLog => (InnerException as Native.BpfVerifierException)?.VerifierLog;
}
