using System.CommandLine.Invocation;

namespace PacketCounter.Host.Cli;

/// <summary>
/// The command line: System.CommandLine parses, gives help and suggests corrections for
/// typos; this class turns every way a command can fail into one line on stderr and an
/// exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class HostCli
{
    private static readonly HashSet<string> NeedPrivileges = ["bench", "run", "cleanup", "trace"];

    public static RootCommand Build(CancellationToken cancellation) =>
        new("PacketCounter: what an XDP packet-counter design costs, measured on the running kernel")
        {
            ListCommand.Build(),
            BenchCommand.Build(cancellation),
            RunCommand.Build(cancellation),
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
            return Usage(root, parse, FirstError(parse));
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
            return Usage(root, parse, e.Message);
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

    // The library lists every error and, for a typo, what was meant; one line names the
    // first error and the correction.
    private static string FirstError(ParseResult parse)
    {
        var errors = parse.Errors.Select(e => e.Message).ToList();
        var message =
            errors.FirstOrDefault(e => !e.StartsWith("Required command", StringComparison.Ordinal)) ?? errors[0];
        var typos = Typos(parse);
        return typos.Count > 0 ? $"{message} Did you mean {string.Join(" or ", typos)}?" : message;
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

    private static int Usage(RootCommand root, ParseResult parse, string message)
    {
        Console.Error.WriteLine($"packetcounter: {OneLine(message)}");
        var path = new List<string>();
        for (
            var result = parse.CommandResult;
            result.Parent is System.CommandLine.Parsing.CommandResult parent;
            result = parent
        )
            path.Insert(0, result.Command.Name);
        var help = new StringWriter();
        root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = help });
        Console.Error.Write(help.ToString());
        return ExitCodes.Usage;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
