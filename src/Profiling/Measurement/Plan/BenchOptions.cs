using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Counters;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Profiling.Measurement;

/// <summary>bench's options: the one table the command line, config files, the plan and the README come from.</summary>
public static class BenchOptions
{
    public static IReadOnlyList<BenchOption> All { get; } =
    [
        Strings(
            "--plugins",
            null,
            "plugin discovery",
            "",
            "also discover plugins in DIR (repeatable); plugins/ beside the host is always searched",
            "DIR",
            (s, v) => s with { PluginDirectories = v },
            split: false
        ),
        Strings(
            "--variants",
            "variants",
            "Variants",
            "every variant that runs by default",
            "only these variants, comma-separated or repeated (the baseline and its A/A copy always run too)",
            "A,B",
            (s, v) => s with { Variants = v }
        ),
        Strings(
            "--object",
            "objects",
            "Variants",
            "",
            "measure any XDP object's program as it is, beside the baseline and its A/A copy: no counts to verify, "
                + "each class's verdict (PASS, DROP, ...) tabled instead; repeat to compare builds",
            "FILE.o",
            (s, v) => s with { Objects = v },
            split: false
        ),
        Text(
            "--program",
            "program",
            "Variants[].ProgramName",
            "the object's only XDP program",
            "with --object: the XDP program to measure",
            "NAME",
            (s, v) => s with { Program = v }
        ),
        new BenchOption<BenchModes>
        {
            Flag = "--mode",
            ConfigKey = "modes",
            PlanField = "Cells[].Modes",
            Default = "all",
            Help = "micro | live | all",
            HelpName = "MODE",
            Parse = (where, tokens) => OptionValues.Modes(where, OptionValues.Split(tokens)),
            Set = (s, v) => s with { Modes = v },
        },
        Scalar(
            "--packets",
            "packets",
            "Live.SlicePackets",
            OptionValues.Thousands(LiveOptions.Default.SlicePackets),
            "live: packets per slice at least (suffixes k, M, G)",
            "N",
            (where, text) => OptionValues.Count(where, text, 1, 10_000_000_000),
            (s, v) => s with { Packets = v }
        ),
        Scalar(
            "--slice-ms",
            "slice_ms",
            "Live.SliceTime",
            $"{LiveOptions.Default.SliceTime.TotalMilliseconds:0}",
            "live: a slice lasts at least about this long; a calibration slice of the baseline sizes the packet count",
            "MS",
            (where, text) => TimeSpan.FromMilliseconds(OptionValues.Int(where, text, 0, 600_000)),
            (s, v) => s with { SliceTime = v }
        ),
        Scalar(
            "--warmup",
            "warmup",
            "Live.WarmupPackets",
            OptionValues.Thousands(LiveOptions.Default.WarmupPackets),
            "live: packets sent into every lane before a setting's first round",
            "N",
            (where, text) => OptionValues.Count(where, text, 0, 10_000_000_000),
            (s, v) => s with { Warmup = v }
        ),
        Scalar(
            "--rounds",
            "rounds",
            "Live.Rounds",
            $"{LiveOptions.Default.Rounds}",
            "live: rounds, each an ABBA quadruple of slices (baseline, variant, variant, baseline) per variant in a "
                + $"shuffled order; the first {LiveOptions.Default.StatsRounds} also take a run-stats slice per variant",
            "N",
            (where, text) => OptionValues.Int(where, text, 1, 10_000),
            (s, v) => s with { Rounds = v }
        ),
        Scalar(
            "--max-rounds",
            "max_rounds",
            "Live.MaxRounds",
            $"{LiveOptions.Default.MaxRounds}",
            "live: add rounds while a variant's Mpps CI is wider than "
                + $"{LiveOptions.Default.TargetRelativeHalfWidth * 100:0.#}% of its mean or its net ns/packet CI wider "
                + $"than {LiveOptions.Default.TargetNetHalfWidthNs} ns (or 5%), up to this many",
            "N",
            (where, text) => OptionValues.Int(where, text, 1, 100_000),
            (s, v) => s with { MaxRounds = v }
        ),
        List(
            "--sink",
            "sinks",
            "Sinks",
            "drop",
            "live: where frames end: drop (XDP_DROP after the variant's code, its drop twin: measures the counter) "
                + "or pass (the variant's own XDP_PASS: adds the network stack); comma-separated or repeated",
            "drop|pass",
            OptionValues.Sink,
            (s, v) => s with { Sinks = v.Distinct().ToList() }
        ),
        new BenchOption<IReadOnlyList<CpuList>>
        {
            Flag = "--gen-cpus",
            ConfigKey = "gen_cpus",
            PlanField = "Generators",
            Default = "the first CPU",
            Help =
                "live: generator CPUs, one pinned thread each; repeat to measure several settings, e.g. "
                + "--gen-cpus 0 --gen-cpus 0,1",
            HelpName = "LIST",
            Repeatable = true,
            Parse = (where, tokens) =>
                tokens.Select(t => OptionValues.Cpus(where, t, CpuAffinity.AllowedForCurrentThread())).ToList(),
            Set = (s, v) => s with { GeneratorCpus = v },
        },
        Scalar(
            "--micro-rounds",
            "micro_rounds",
            "Micro.MinRounds",
            $"{MicroOptions.Default.MinRounds}",
            "micro: rounds always measured per class, each an ABBA quadruple of "
                + $"~{MicroOptions.Default.SliceTime.TotalMilliseconds} ms slices per variant",
            "N",
            (where, text) => OptionValues.Int(where, text, 2, 100_000),
            (s, v) => s with { MicroRounds = v }
        ),
        Scalar(
            "--micro-max-rounds",
            "micro_max_rounds",
            "Micro.MaxRounds",
            $"{MicroOptions.Default.MaxRounds}",
            $"micro: add rounds while a net CI is wider than {MicroOptions.Default.TargetHalfWidthNs} ns (or "
                + $"{MicroOptions.Default.TargetRelative * 100:0.#}% of the figure), up to this many",
            "N",
            (where, text) => OptionValues.Int(where, text, 2, 1_000_000),
            (s, v) => s with { MicroMaxRounds = v }
        ),
        Scalar(
            "--budget",
            "budget",
            "Budget",
            $"{BenchPlan.DefaultBudget.TotalSeconds}",
            $"seconds the measurements may take together: micro gets {BenchPlan.MicroShare * 100:0}% when live runs "
                + "too, live the rest; extra rounds stop there (0 for no limit)",
            "S",
            (where, text) => OptionValues.Seconds(where, text, 0, 86_400 * 30),
            (s, v) => s with { Budget = v }
        ),
        List(
            "--size",
            "sizes",
            "Cells[].FrameSize",
            $"{FrameBuilder.MinimumSize}",
            "frame size in bytes, 64 to 1500 (bytes handed to the kernel; veth carries no FCS); a config file may "
                + "list several, each a cell of its own",
            "BYTES",
            OptionValues.FrameSize,
            (s, v) => s with { FrameSizes = v }
        ),
        Scalar(
            "--sizes",
            "size_mix",
            "Cells[].Sizes",
            "",
            "live: send a mix of frame sizes, 'imix' (64, 576 and 1500 B, 7:4:1) or SIZE[:WEIGHT],... (equal weights "
                + "unless given); split exactly, so byte counts verify; micro measures each size as a cell of its "
                + "own; not with --size",
            "LIST|imix",
            OptionValues.Sizes,
            (s, v) => s with { SizeMix = v }
        ),
        List(
            "--flows",
            "flows",
            "Flows",
            "1",
            "live: frames with ports walk through N flows (distinct source and destination ports), each count a "
                + "setting of its own, e.g. 1k,64k,1M",
            "N,...",
            OptionValues.Flows,
            (s, v) => s with { Flows = v.Distinct().ToList() }
        ),
        List(
            "--mix",
            "mixes",
            "Cells[].Mix",
            TrafficMix.Default.Name,
            $"{string.Join(" | ", TrafficMix.Names.Take(2))} | a class name such as ipv4-udp; a config file may list "
                + "several, each a cell of its own",
            "NAME",
            OptionValues.Mix,
            (s, v) => s with { Mixes = v }
        ),
        new BenchOption<IReadOnlyList<PerfEventSpec>>
        {
            Flag = "--events",
            ConfigKey = "events",
            PlanField = "Events",
            Default = "a standard set",
            Help =
                "live: perf events counted system-wide per CPU in every throughput window, e.g. "
                + "cycles,instructions,cycles:k ('none' for none)",
            HelpName = "LIST",
            Repeatable = true,
            Parse = (where, tokens) => Events(where, OptionValues.Split(tokens)),
            Set = (s, v) => s with { Events = v },
        },
        Scalar(
            "--insn-budget",
            "insn_budget",
            "InstructionBudget",
            $"{BenchPlan.DefaultInstructionBudget}",
            "flag variants executing more BPF instructions per packet than N",
            "N",
            (where, text) => OptionValues.Int(where, text, 1, 1_000_000),
            (s, v) => s with { InstructionBudget = v }
        ),
        Scalar(
            "--seed",
            "seed",
            "Live.Seed",
            "random, printed",
            "the seed of every order shuffle: live rounds, micro quadruples and the order micro loads programs in",
            "N",
            (where, text) => OptionValues.Int(where, text, 0, int.MaxValue),
            (s, v) => s with { Seed = v }
        ),
        Text(
            "--reference",
            "reference",
            "Reference",
            "the counter whose plugin declares itself the reference, the seed's naive design",
            "the counter the speedups are quoted against ('none' for none)",
            "NAME",
            (s, v) => s with { Reference = v }
        ),
        Text(
            "--config",
            null,
            "settings, under the command line's",
            "",
            "a YAML or JSON matrix of the options' config keys; options given on the command line win",
            "FILE",
            (s, v) => s with { ConfigFile = v }
        ),
        new BenchOption<bool>
        {
            Flag = "--json",
            PlanField = "output",
            Default = "",
            Help =
                "print the run's results.json on stdout (schemas/results.v1.schema.json), and progress, the summary "
                + "and findings on stderr",
            HelpName = "",
            IsSwitch = true,
            Parse = Switch,
            Set = (s, v) => s with { Json = v },
        },
        new BenchOption<bool>
        {
            Flag = "--no-wait",
            PlanField = "output",
            Default = "",
            Help =
                "when another bench is measuring on this host, exit 75 at once instead of waiting for it (one "
                + "measurement at a time: run stats and CPUs are the host's)",
            HelpName = "",
            IsSwitch = true,
            Parse = Switch,
            Set = (s, v) => s with { NoWait = v },
        },
        new BenchOption<bool>
        {
            Flag = "--verbose",
            PlanField = "output",
            Default = "",
            Help =
                "print every pair of counters compared, behind the tiers of the findings, in the terminal summary too",
            HelpName = "",
            IsSwitch = true,
            Parse = Switch,
            Set = (s, v) => s with { Verbose = v },
        },
        Text(
            "--out",
            null,
            "the run folder",
            "reports/<run-id>",
            "where results go",
            "DIR",
            (s, v) => s with { OutDirectory = v }
        ),
        Text(
            "--tag",
            null,
            "the history record",
            "",
            "label the run in the history store (compare --baseline TAG finds the latest run with it)",
            "NAME",
            (s, v) => s with { Tag = v }
        ),
        Text(
            "--store",
            null,
            "the history record",
            "$PACKETCOUNTER_STORE, else reports/history.db",
            "the history store: a SQLite file, a PostgreSQL connection (postgres://user@host/db or "
                + "Host=...;Database=...), or 'none'",
            "STORE",
            (s, v) => s with { Store = v }
        ),
        Text(
            "--iface",
            null,
            "Interface",
            "",
            "measure on this real interface with its external traffic instead of the testbed (pass sink only)",
            "IF",
            (s, v) => s with { Interface = v }
        ),
        Scalar(
            "--duration",
            null,
            "Interface.WindowDuration",
            "10",
            "with --iface: seconds per window",
            "S",
            (where, text) => OptionValues.Seconds(where, text, 1, 86_400),
            (s, v) => s with { Duration = v }
        ),
        Scalar(
            "--attach",
            null,
            "Interface.AttachMode",
            "native",
            "with --iface: native | generic | auto",
            "MODE",
            OptionValues.AttachMode,
            (s, v) => s with { AttachMode = v }
        ),
    ];

    /// <summary>The option a config file names by <paramref name="key"/>.</summary>
    public static BenchOption? ByConfigKey(string key) => All.FirstOrDefault(o => o.ConfigKey == key);

    /// <summary>Every key a config file may hold.</summary>
    public static IReadOnlyList<string> ConfigKeys =>
        All.Where(o => o.ConfigKey is not null).Select(o => o.ConfigKey!).ToList();

    /// <summary>
    /// The settings a config file gives, each key's values as its option reads them; an
    /// unknown key is one <see cref="OptionException"/> listing the keys.
    /// </summary>
    public static BenchSettings FromConfig(IReadOnlyDictionary<string, IReadOnlyList<string>> values, string file)
    {
        var settings = new BenchSettings();
        foreach (var (key, tokens) in values)
        {
            var option =
                ByConfigKey(key)
                ?? throw new OptionException(
                    $"--config '{file}': unknown key '{key}'; keys are {string.Join(", ", ConfigKeys)}"
                );
            settings = option.Apply(settings, tokens, $"--config '{file}' key {key}");
        }
        return settings;
    }

    // Every row's common part; the kinds below differ in how they read their tokens.
    // A switch: given alone it is on; "true" or "false" may follow it.
    private static bool Switch(string where, IReadOnlyList<string> tokens) =>
        tokens.Count == 0 || bool.TryParse(tokens[0], out var on) && on ? true
        : tokens[0] == "false" ? false
        : throw new OptionException($"{where} takes no value");

    private static BenchOption<T> Row<T>(
        string flag,
        string? key,
        string field,
        string @default,
        string help,
        string helpName,
        bool repeatable,
        Func<string, IReadOnlyList<string>, T> parse,
        Func<BenchSettings, T, BenchSettings> set
    ) =>
        new()
        {
            Flag = flag,
            ConfigKey = key,
            PlanField = field,
            Default = @default,
            Help = help,
            HelpName = helpName,
            Repeatable = repeatable,
            Parse = parse,
            Set = set,
        };

    private static BenchOption<T> Scalar<T>(
        string flag,
        string? key,
        string field,
        string @default,
        string help,
        string helpName,
        Func<string, string, T> parse,
        Func<BenchSettings, T, BenchSettings> set
    ) =>
        Row(
            flag,
            key,
            field,
            @default,
            help,
            helpName,
            repeatable: false,
            (where, tokens) =>
                tokens.Count == 1
                    ? parse(where, tokens[0])
                    : throw new OptionException($"{where} takes one value, not {tokens.Count}"),
            set
        );

    private static BenchOption<string> Text(
        string flag,
        string? key,
        string field,
        string @default,
        string help,
        string helpName,
        Func<BenchSettings, string, BenchSettings> set
    ) => Scalar(flag, key, field, @default, help, helpName, (_, text) => text, set);

    // A list: comma-separated and/or repeated on the command line, a list in a config file.
    private static BenchOption<IReadOnlyList<T>> List<T>(
        string flag,
        string? key,
        string field,
        string @default,
        string help,
        string helpName,
        Func<string, string, T> parse,
        Func<BenchSettings, IReadOnlyList<T>, BenchSettings> set
    ) =>
        Row(
            flag,
            key,
            field,
            @default,
            help,
            helpName,
            repeatable: true,
            (where, tokens) => (IReadOnlyList<T>)OptionValues.Split(tokens).Select(t => parse(where, t)).ToList(),
            set
        );

    private static BenchOption<IReadOnlyList<string>> Strings(
        string flag,
        string? key,
        string field,
        string @default,
        string help,
        string helpName,
        Func<BenchSettings, IReadOnlyList<string>, BenchSettings> set,
        bool split = true
    ) =>
        Row(
            flag,
            key,
            field,
            @default,
            help,
            helpName,
            repeatable: true,
            (_, tokens) => split ? OptionValues.Split(tokens) : tokens,
            set
        );

    private static IReadOnlyList<PerfEventSpec> Events(string where, IReadOnlyList<string> names) =>
        names is ["none"]
            ? []
            : names
                .Select(n =>
                    PerfEventSpec.TryParse(n, out var spec)
                        ? spec
                        : throw new OptionException(
                            $"{where}: unknown event '{n}'; known: {string.Join(", ", PerfEventSpec.KnownNames)} "
                                + "(add :k for kernel only, or 'none')"
                        )
                )
                .ToList();
}
