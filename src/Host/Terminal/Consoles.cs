using Spectre.Console;

namespace PacketCounter.Host.Terminal;

/// <summary>
/// The consoles the host writes to. Off a terminal (a log, a pipe, a test) output is plain
/// text, wide enough that no table wraps; on a terminal Spectre uses what it finds.
/// </summary>
internal static class Consoles
{
    private const int RedirectedWidth = 400;

    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    public static bool ErrorIsTerminal => !Console.IsErrorRedirected;

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            }
        );
        if (redirected)
            console.Profile.Width = RedirectedWidth;
        return console;
    }
}
