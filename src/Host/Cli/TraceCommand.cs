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
        var command = new Command("trace", "list one packet's executed BPF instructions, with per-line counts")
        {
            plugins,
            variant,
            trafficClass,
            size,
            translated,
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
            var className =
                parse.GetValue(trafficClass)
                ?? throw new UsageException(
                    $"trace needs --class CLASS ({string.Join(", ", TrafficClasses.All.Select(TrafficClasses.Name))}), or --xlated"
                );
            if (!TrafficClasses.TryParse(className, out var parsed))
                throw new UsageException(
                    $"--class '{className}' is unknown; use one of {string.Join(", ", TrafficClasses.All.Select(TrafficClasses.Name))}"
                );
            using var loaded = LoadedVariant.Load(PluginOptions.Find(catalog, parse.GetValue(variant)!, "--variant"));
            Console.Write(ExecutionTrace.Render(loaded, parsed, parse.GetValue(size)));
            return ExitCodes.Success;
        });
        return command;
    }
}
