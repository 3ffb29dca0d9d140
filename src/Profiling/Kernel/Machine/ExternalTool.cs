using System.Diagnostics;

namespace PacketCounter.Profiling.Machine;

/// <summary>What a tool run to its end printed, and how it exited.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    /// <summary>The last line of its error output, or of its output when it printed no error.</summary>
    public string LastLine =>
        (Error.Trim().Length > 0 ? Error : Output).Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
}

/// <summary>Runs a system tool (ip, apt-get, dpkg) with its output captured.</summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="file"/>; a tool that cannot be started is a <see cref="FileNotFoundException"/>.</summary>
    /// <param name="limit">How long it may run; past it, it is killed with its children and a
    /// <see cref="TimeoutException"/> is thrown.</param>
    /// <param name="cancellation">Kills it with its children, then throws.</param>
    public static ToolResult Run(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        TimeSpan? limit = null,
        CancellationToken cancellation = default
    )
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new FileNotFoundException($"could not start '{file}'", file);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FileNotFoundException($"could not start '{file}': {e.Message}", file, e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            if (limit is { } time)
                stop.CancelAfter(time);
            try
            {
                process.WaitForExitAsync(stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                cancellation.ThrowIfCancellationRequested();
                throw new TimeoutException(
                    $"{System.IO.Path.GetFileName(file)} ran past its limit of {limit!.Value.TotalSeconds:0.#} s and was killed"
                );
            }
            return new ToolResult(process.ExitCode, output.Result, error.Result);
        }
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
