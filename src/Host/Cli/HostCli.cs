using System.CommandLine.Invocation;

namespace PacketCounter.Host.Cli;

/// <summary>
/// The command line: System.CommandLine parses, gives help and suggests corrections for
/// typos; this class turns every way a command can fail into one line on stderr and an
/// exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class HostCli
{
    private static readonly HashSet<string> NeedPrivileges = ["bench", "run", "cleanup", "trace", "matrix"];

    public static RootCommand Build(CancellationToken cancellation) =>
        new("PacketCounter: what an XDP packet-counter design costs, measured on the running kernel")
        {
            ListCommand.Build(),
            BenchCommand.Build(cancellation),
            RunCommand.Build(cancellation),
            MatrixCommand.Build(cancellation),
            TraceCommand.Build(),
            CompareCommand.Build(),
            HistoryCommand.Build(),
            CleanupCommand.Build(),
            NewCommand.Build(),
        };

    public static int Run(string[] args, CancellationToken cancellation)
    {
        var root = Build(cancellation);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var (message, suggestion) = FirstError(parse);
            return Usage(parse, message, suggestion);
        }
        var command = parse.CommandResult.Command;
        if (
            NeedPrivileges.Contains(command.Name)
            && !IsHelp(args)
            && Profiling.Machine.Privileges.Missing() is { Count: > 0 } missing
        )
        {
            Console.Error.WriteLine(
                $"packetcounter: missing {string.Join(", ", missing)}; run it as root: sudo ./packetcounter {command.Name} ..."
            );
            return ExitCodes.Permission;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UsageException or Profiling.Measurement.OptionException)
        {
            return Usage(parse, e.Message);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("packetcounter: interrupted; results gathered so far are kept");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"packetcounter: {OneLine(e.Message)}");
            return ExitCodes.Failure;
        }
    }

    private static bool IsHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    // The library lists every error and, for a typo, what was meant: the first error, and the correction.
    private static (string Message, string? Suggestion) FirstError(ParseResult parse)
    {
        var errors = parse.Errors.Select(e => e.Message).ToList();
        var message =
            errors.FirstOrDefault(e => !e.StartsWith("Required command", StringComparison.Ordinal)) ?? errors[0];
        var typos = Typos(parse);
        return (message, typos.Count > 0 ? $"did you mean {string.Join(" or ", typos)}?" : null);
    }

    // The library's own error action knows the corrections; it prints them, so its output is read back.
    private static List<string> Typos(ParseResult parse)
    {
        var output = new StringWriter();
        parse.Invoke(new InvocationConfiguration { Output = output, Error = output });
        var text = output.ToString().Split('\n').Select(l => l.Trim()).ToList();
        var start = text.FindIndex(l => l.EndsWith("Did you mean one of the following?", StringComparison.Ordinal));
        return start < 0 ? [] : text.Skip(start + 1).TakeWhile(l => l.Length > 0).ToList();
    }

    // At most three lines, so the error stays on screen: what was wrong, what was meant, where the help is.
    private static int Usage(ParseResult parse, string message, string? suggestion = null)
    {
        Console.Error.WriteLine($"packetcounter: {OneLine(message)}");
        if (suggestion is not null)
            Console.Error.WriteLine($"packetcounter: {suggestion}");
        var path = new List<string>();
        for (
            var result = parse.CommandResult;
            result.Parent is System.CommandLine.Parsing.CommandResult parent;
            result = parent
        )
            path.Insert(0, result.Command.Name);
        Console.Error.WriteLine($"see `packetcounter {string.Join(' ', [.. path, "--help"])}`");
        return ExitCodes.Usage;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
