using System.Diagnostics;

namespace PacketCounter.Tests;

/// <summary>Runs a machine tool (cc, clang, dotnet, bpftool) and hands back its output; fails the test with stderr otherwise.</summary>
internal static class NativeTool
{
    public static (int ExitCode, string Output, string Error) Run(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null
    )
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', arguments)} did not finish in time");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    public static string RunOrFail(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null
    )
    {
        var (exitCode, output, error) = Run(file, arguments, workingDirectory, timeout, environment);
        Assert.True(exitCode == 0, $"{file} {string.Join(' ', arguments)} exited {exitCode}:\n{output}\n{error}");
        return output;
    }

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "PacketCounter.sln")))
                    return dir.FullName;
            throw new InvalidOperationException("PacketCounter.sln not found above the test directory");
        }
    }

    /// <summary>The pid of a process that ran and exited: a starter that is gone.</summary>
    public static int StartedAndExited()
    {
        using var process = System.Diagnostics.Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }

    public static string Fixture(string objectName) => Path.Combine(AppContext.BaseDirectory, objectName);
}
