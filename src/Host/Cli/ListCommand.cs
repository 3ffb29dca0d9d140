using PacketCounter.Host.Terminal;
using PacketCounter.Profiling.Reporting;

namespace PacketCounter.Host.Cli;

internal static class ListCommand
{
    public static Command Build()
    {
        var plugins = PluginOptions.Create();
        var command = new Command("list", "the discovered variants, their plugin directory and BPF object") { plugins };
        command.SetAction(parse =>
        {
            var catalog = PluginOptions.Discover(parse, plugins);
            TerminalReport.Write(
                Consoles.Out,
                new Table(
                    null,
                    ["VARIANT", "ROLE", "PROGRAM", "OBJECT", "DESCRIPTION"],
                    catalog
                        .Variants.Select(v =>
                            (IReadOnlyList<string>)
                                [
                                    v.Name,
                                    v.Variant.Role.ToString().ToLowerInvariant()
                                        + (v.Variant.IsSpeedupReference ? ", reference" : "")
                                        + (v.Variant.RunsByDefault ? "" : ", when named"),
                                    v.Variant.ProgramName,
                                    v.ObjectPath,
                                    v.Variant.Description,
                                ]
                        )
                        .ToList()
                )
            );
            return catalog.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
