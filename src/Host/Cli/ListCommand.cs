using PacketCounter.Host.Terminal;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Text;

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
                ColumnTable.Of(
                    null,
                    [
                        Column.Key<DiscoveredVariant>("VARIANT", null, "", v => v.Name),
                        Column.Key<DiscoveredVariant>(
                            "ROLE",
                            null,
                            "",
                            v =>
                                EnumNames.Of(v.Variant.Role)
                                + (v.Variant.IsSpeedupReference ? ", reference" : "")
                                + (v.Variant.RunsByDefault ? "" : ", when named")
                        ),
                        Column.Key<DiscoveredVariant>("PROGRAM", null, "", v => v.Variant.ProgramName),
                        Column.Key<DiscoveredVariant>("OBJECT", null, "", v => v.ObjectPath),
                        Column.Key<DiscoveredVariant>("DESCRIPTION", null, "", v => v.Variant.Description),
                    ],
                    catalog.Variants
                )
            );
            return PluginOptions.ProblemsExit(catalog);
        });
        return command;
    }
}
