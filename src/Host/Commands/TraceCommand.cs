using PacketCounter.Abstractions;
using PacketCounter.Profiling.Emulation;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;

namespace PacketCounter.Host.Commands;

/// <summary>trace --variant NAME --class CLASS: where one packet's instruction budget goes.</summary>
internal static class TraceCommand
{
    public static readonly string[] Options = ["plugins", "variant", "class", "size"];

    public static int Run(CommandLine commandLine)
    {
        commandLine.RequireNoPositional();
        var name = commandLine.Single("variant") ?? throw new UsageException("trace needs --variant NAME");
        var className = commandLine.Single("class") ?? throw new UsageException($"trace needs --class CLASS ({string.Join(", ", TrafficClasses.All.Select(TrafficClasses.Name))})");
        if (!TrafficClasses.TryParse(className, out var trafficClass))
            throw new UsageException($"--class '{className}' is unknown; use one of {string.Join(", ", TrafficClasses.All.Select(TrafficClasses.Name))}");
        var size = commandLine.Int("size", FrameBuilder.MinimumSize, FrameBuilder.MinimumSize, FrameBuilder.MaximumSize);
        var catalog = PluginOptions.Discover(commandLine);
        var variant = PluginOptions.Find(catalog, name, "--variant");
        using var loaded = LoadedVariant.Load(variant);
        Console.Write(ExecutionTrace.Render(loaded, trafficClass, size));
        return ExitCodes.Success;
    }
}
