namespace PacketCounter.Host.Commands;

internal static class ListCommand
{
    public static int Run(CommandLine commandLine)
    {
        commandLine.RequireNoPositional();
        var catalog = PluginOptions.Discover(commandLine);
        Console.WriteLine($"{"VARIANT",-12} {"ROLE",-9} {"PROGRAM",-20} {"OBJECT",-40} DESCRIPTION");
        foreach (var variant in catalog.Variants)
        {
            Console.WriteLine($"{variant.Name,-12} {variant.Variant.Role.ToString().ToLowerInvariant(),-9} {variant.Variant.ProgramName,-20} {variant.ObjectPath,-40} {variant.Variant.Description}");
        }
        return catalog.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
