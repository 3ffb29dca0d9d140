using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>
/// Turns what a bench was asked for into its plan: the variants by name, the cells (every
/// size × mix, a size mix split into micro cells per size and one live cell), the generator
/// settings, the micro CPU, the reference counter, and the plan for a real interface. The
/// CLI, tools and tests build plans here alike; a value that cannot be used is an
/// <see cref="OptionException"/>.
/// </summary>
public static class BenchPlanBuilder
{
    public static BenchPlan Build(BenchSettings settings, IReadOnlyList<DiscoveredVariant> available)
    {
        var modes = settings.Modes ?? BenchModes.All;
        var mixes = settings.Mixes is { Count: > 0 } m ? m : [TrafficMix.Default];
        var generators = (settings.GeneratorCpus is { Count: > 0 } g ? g : [FirstAllowedCpu()])
            .Select(cpus => new GeneratorOptions(cpus))
            .ToList();
        var rounds = settings.Rounds ?? LiveOptions.Default.Rounds;
        var microRounds = settings.MicroRounds ?? MicroOptions.Default.MinRounds;
        // One seed per run, drawn afresh unless given: with a fixed one every run would load the
        // programs in the same orders, and the placement offsets those orders set would be the
        // same draw run after run, a bias no run's interval can see.
        var seed = settings.Seed ?? Random.Shared.Next(1, 1_000_000);
        var objects = Objects(settings);
        available = [.. available, .. objects];
        var chosen = Select(available, [.. settings.Variants ?? [], .. objects.Select(o => o.Name)]);

        var plan = new BenchPlan
        {
            Variants = chosen,
            Cells = Cells(settings, modes, mixes),
            Live = LiveOptions.Default with
            {
                SlicePackets = settings.Packets ?? LiveOptions.Default.SlicePackets,
                WarmupPackets = settings.Warmup ?? LiveOptions.Default.WarmupPackets,
                Rounds = rounds,
                MaxRounds = Math.Max(rounds, settings.MaxRounds ?? LiveOptions.Default.MaxRounds),
                SliceTime = settings.SliceTime ?? LiveOptions.Default.SliceTime,
                Seed = seed,
                StatsRounds = settings.StatsRounds ?? LiveOptions.Default.StatsRounds,
            },
            Generators = generators,
            Sinks = settings.Sinks is { Count: > 0 } sinks ? sinks : [Sink.Drop],
            Flows = settings.Flows is { Count: > 0 } flows ? flows : [1],
            Micro = MicroOptions.Default with
            {
                MinRounds = microRounds,
                MaxRounds = Math.Max(microRounds, settings.MicroMaxRounds ?? MicroOptions.Default.MaxRounds),
                WarmupRounds = settings.MicroWarmupRounds ?? MicroOptions.Default.WarmupRounds,
                Budget = settings.MicroCellBudget ?? MicroOptions.Default.Budget,
                // The micro thread shares the first generator CPU: live and micro never run at once.
                Cpu = generators[0].Cpus.Cpus[0],
                PlacementTime = settings.MicroPlacementTime ?? MicroOptions.Default.PlacementTime,
                Seed = seed,
            },
            Budget = (settings.Budget ?? BenchPlan.DefaultBudget.TotalSeconds) is > 0 and var seconds
                ? TimeSpan.FromSeconds(seconds)
                : null,
            Events = settings.Events ?? [.. Counters.PerfEventSpec.DefaultNames.Select(Counters.PerfEventSpec.Parse)],
            InstructionBudget = settings.InstructionBudget ?? BenchPlan.DefaultInstructionBudget,
            Reference = Reference(available, chosen, settings.Reference),
            Control = settings.Control ?? true,
        };
        return settings.Interface is { } iface ? OnInterface(plan, settings, iface) : plan;
    }

    // Every size × mix in the modes asked; a size mix is one live cell, and each of its sizes a micro cell.
    private static IReadOnlyList<BenchCell> Cells(
        BenchSettings settings,
        BenchModes modes,
        IReadOnlyList<TrafficMix> mixes
    )
    {
        if (settings.SizeMix is not { } sizeMix)
            return (settings.FrameSizes is { Count: > 0 } s ? s : [FrameBuilder.MinimumSize])
                .SelectMany(size => mixes.Select(mix => new BenchCell(size, mix, modes)))
                .ToList();
        if (settings.FrameSizes is { Count: > 0 })
            throw new OptionException("--size and --sizes cannot be used together; give the one size as --sizes N");
        if (sizeMix.IsFixed)
            return mixes.Select(mix => new BenchCell(sizeMix.MeanSize, mix, modes)).ToList();
        return
        [
            .. modes.HasFlag(BenchModes.Micro)
                ? sizeMix
                    .Weights.Keys.Order()
                    .SelectMany(size => mixes.Select(mix => new BenchCell(size, mix, BenchModes.Micro)))
                : [],
            .. modes.HasFlag(BenchModes.Live) ? mixes.Select(mix => BenchCell.LiveMix(sizeMix, mix)) : [],
        ];
    }

    // bench --iface: the interface's own traffic, the pass sink only, no testbed cells and no A/A copy.
    private static BenchPlan OnInterface(BenchPlan plan, BenchSettings settings, string iface)
    {
        if (settings.Sinks?.Contains(Sink.Drop) == true)
            throw new OptionException(
                "--sink drop cannot be used with --iface: it would drop that interface's real traffic; a real "
                    + "interface is measured with the pass sink"
            );
        return plan with
        {
            Sinks = [Sink.Pass],
            Cells = [],
            Control = false,
            Interface = new InterfaceTarget(
                iface,
                settings.AttachMode ?? Bpf.XdpAttachMode.Native,
                TimeSpan.FromSeconds(settings.Duration ?? 10)
            ),
        };
    }

    /// <summary>
    /// The variants <paramref name="settings"/> name (--variants, --object), the baseline first, or
    /// every variant that runs by default: what a bench or a matrix runs.
    /// </summary>
    public static IReadOnlyList<DiscoveredVariant> Variants(
        BenchSettings settings,
        IReadOnlyList<DiscoveredVariant> available
    )
    {
        var objects = Objects(settings);
        return Select([.. available, .. objects], [.. settings.Variants ?? [], .. objects.Select(o => o.Name)]);
    }

    // Each --object as a variant of its own; a file that is not one names itself in one line.
    private static IReadOnlyList<DiscoveredVariant> Objects(BenchSettings settings)
    {
        if (settings.Objects is not { Count: > 0 } paths)
            return settings.Program is null
                ? []
                : throw new OptionException("--program names a program of an --object; give the object too");
        foreach (var path in paths.Where(p => !File.Exists(p)))
            throw new OptionException($"--object {path}: no such file; give a compiled BPF object (.o)");
        try
        {
            return ObjectVariant.Of(paths, settings.Program);
        }
        catch (Exception e) when (e is Native.BpfException or InvalidDataException)
        {
            throw new OptionException($"--object: {e.Message}");
        }
    }

    /// <summary>The variant named <paramref name="name"/> (any case), or an error listing what there is.</summary>
    public static DiscoveredVariant Find(IReadOnlyList<DiscoveredVariant> available, string name, string option) =>
        available.FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new OptionException(
            $"{option}: no variant named '{name}'; discovered: {string.Join(", ", available.Select(v => v.Name))}"
        );

    private static IReadOnlyList<DiscoveredVariant> Select(
        IReadOnlyList<DiscoveredVariant> available,
        IReadOnlyList<string> names
    )
    {
        var chosen = names.Select(n => Find(available, n, "--variants")).Distinct().ToList();
        if (chosen.Count == 0)
            chosen.AddRange(available.Where(v => v.Variant.RunsByDefault));
        // The baseline always runs, first, so every counter is measured beside it.
        var ordered = available
            .Where(v => v.IsBaseline)
            .Take(1)
            .Concat(chosen.Where(v => !v.IsBaseline))
            .Distinct()
            .ToList();
        return ordered.Count > 0
            ? ordered
            : throw new OptionException("no variants were discovered; build the plugins or pass --plugins DIR");
    }

    private static string? Reference(
        IReadOnlyList<DiscoveredVariant> available,
        IReadOnlyList<DiscoveredVariant> chosen,
        string? named
    )
    {
        if (string.Equals(named, "none", StringComparison.OrdinalIgnoreCase))
            return null;
        if (named is null)
            return chosen.FirstOrDefault(v => !v.IsBaseline && v.Variant.IsSpeedupReference)?.Name;
        var variant = Find(available, named, "--reference");
        if (variant.IsBaseline)
            throw new OptionException(
                $"--reference: {variant.Name} is the baseline; every figure is already relative to it; name a counter"
            );
        return chosen.Contains(variant)
            ? variant.Name
            : throw new OptionException(
                $"--reference: {variant.Name} is not among the variants of this run; add it to --variants"
            );
    }

    private static CpuList FirstAllowedCpu() => CpuList.Of(CpuAffinity.AllowedForCurrentThread()[0]);
}
