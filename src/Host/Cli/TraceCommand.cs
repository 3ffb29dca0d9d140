using PacketCounter.Abstractions;
using PacketCounter.Profiling.Emulation;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Host.Cli;

/// <summary>trace --variant NAME --class CLASS: where one packet's instruction budget goes.</summary>
internal static class TraceCommand
{
    public static Command Build()
    {
        var plugins = PluginOptions.Create();
        var variant = new Option<string>("--variant") { Description = "the variant", Required = true };
        var trafficClass = new Option<string>("--class")
        {
            Description = $"the traffic class: {string.Join(", ", TrafficClasses.All.Select(TrafficClasses.Name))}",
        };
        var size = new Option<int>("--size")
        {
            Description = "frame size in bytes (default 64)",
            CustomParser = Parsers.Int(FrameBuilder.MinimumSize, FrameBuilder.MaximumSize),
            DefaultValueFactory = _ => FrameBuilder.MinimumSize,
        };
        var translated = new Option<bool>("--xlated")
        {
            Description =
                "list the program as the kernel runs it, after the verifier's rewrites (what "
                + "bpftool prog dump xlated shows); no run counts, no --class needed",
        };
        var annotate = new Option<bool>("--annotate")
        {
            Description =
                "per source line of the .bpf.c: BPF instructions executed per packet of --class (or of the default "
                + "mix without it), the verifier's and the JIT's code for the line",
        };
        var jited = new Option<bool>("--jited") { Description = "with --annotate: the x86 listing under each line" };
        var command = new Command("trace", "list one packet's executed BPF instructions, with per-line counts")
        {
            plugins,
            variant,
            trafficClass,
            size,
            translated,
            annotate,
            jited,
        };
        command.SetAction(parse =>
        {
            var catalog = PluginOptions.Discover(parse, plugins);
            if (PluginOptions.HasBadDescriptor(catalog))
                return ExitCodes.Usage;
            if (parse.GetValue(translated))
            {
                using var xlated = LoadedVariant.Load(
                    PluginOptions.Find(catalog, parse.GetValue(variant)!, "--variant")
                );
                Console.Write(ExecutionTrace.Translated(xlated, Profiling.Machine.KernelSymbols.Read()));
                return ExitCodes.Success;
            }
            if (parse.GetValue(annotate))
            {
                using var annotated = LoadedVariant.Load(
                    PluginOptions.Find(catalog, parse.GetValue(variant)!, "--variant")
                );
                var mix = parse.GetValue(trafficClass) is { } single
                    ? TrafficMix.Single(ParseClass(single))
                    : TrafficMix.Default;
                var scope =
                    mix == TrafficMix.Default
                        ? $"mix {mix.Name}, {parse.GetValue(size)}-byte frames"
                        : $"{mix.Name}, {parse.GetValue(size)}-byte frames";
                Console.Write(
                    ExecutionTrace.Annotated(
                        SourceAnnotation.Of(annotated, mix, parse.GetValue(size), scope),
                        parse.GetValue(jited)
                    )
                );
                return ExitCodes.Success;
            }
            if (parse.GetValue(jited))
                throw new UsageException("--jited lists the JIT's code under each source line: give --annotate too");
            var className =
                parse.GetValue(trafficClass)
                ?? throw new UsageException(
                    $"trace needs --class CLASS ({string.Join(", ", TrafficClasses.All.Select(TrafficClasses.Name))}), or --xlated"
                );
            var parsed = ParseClass(className);
            using var loaded = LoadedVariant.Load(PluginOptions.Find(catalog, parse.GetValue(variant)!, "--variant"));
            Console.Write(ExecutionTrace.Render(loaded, parsed, parse.GetValue(size)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static TrafficClass ParseClass(string name) =>
        TrafficClasses.TryParse(name, out var parsed)
            ? parsed
            : throw new UsageException(
                $"--class '{name}' is unknown; use one of {string.Join(", ", TrafficClasses.All.Select(TrafficClasses.Name))}"
            );
}
