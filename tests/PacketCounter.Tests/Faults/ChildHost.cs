using System.Diagnostics;
using System.Runtime.InteropServices;
using PacketCounter.Tests.Cli;

namespace PacketCounter.Tests.Faults;

/// <summary>A packetcounter host running as a real child process, to be signalled.</summary>
internal sealed partial class ChildHost : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stdout = new();
    private readonly System.Text.StringBuilder _stderr = new();

    public ChildHost(params string[] arguments)
        : this(new Dictionary<string, string?>(), arguments) { }

    /// <param name="environment">Variables to set for the child; a null value removes one.</param>
    public ChildHost(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        // A shell without job control starts a background job with SIGINT and SIGQUIT ignored,
        // and a child inherits that: a suite started that way saw its bench ignore SIGINT,
        // as a bench started with nohup rightly does. env gives the child default dispositions.
        var start = new ProcessStartInfo(
            "env",
            ["--default-signal=HUP,INT,QUIT,TERM", "dotnet", HostProcess.HostDll, .. arguments]
        )
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
            Environment = { [Profiling.History.HistoryStore.EnvironmentVariable] = HostProcess.Store },
        };
        foreach (var (name, value) in environment)
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>What the child has printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    /// <summary>What the child has printed on stderr so far.</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    private static void Append(System.Text.StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.Append(line).Append('\n');
    }

    public bool HasExited => _process.HasExited;

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    public (int ExitCode, string Output, string Error) WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            string printed;
            lock (_stderr)
                printed = _stderr.ToString();
            var tail = string.Join("\n", (Output + printed).Split('\n').TakeLast(15));
            throw new TimeoutException(
                $"the child host did not exit within {timeout.TotalSeconds:0} s; it last printed:\n{tail}"
            );
        }
        _process.WaitForExit(); // drains the redirected streams
        string error;
        lock (_stderr)
            error = _stderr.ToString();
        return (_process.ExitCode, Output, error);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails after the timeout.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            Thread.Sleep(50);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
