using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Host;

/// <summary>
/// A one-line progress bar on stderr when it is a terminal; status lines otherwise, so
/// logs of unattended runs still say what happened.
/// </summary>
internal sealed class ProgressLine
{
    private const int Width = 30;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly object _gate = new();

    public void Report(BenchProgress progress)
    {
        if (!_interactive)
            return;
        var filled = progress.Total == 0 ? Width : Width * progress.Done / progress.Total;
        lock (_gate)
            Console.Error.Write($"\r[{new string('#', filled)}{new string('-', Width - filled)}] {progress.Done}/{progress.Total} {progress.Current,-50}");
    }

    public void Status(string message)
    {
        lock (_gate)
        {
            if (_interactive)
                Console.Error.Write("\r" + new string(' ', Width + 70) + "\r");
            Console.Error.WriteLine($"  {message}");
        }
    }

    public void Clear()
    {
        if (_interactive)
            lock (_gate)
                Console.Error.Write("\r" + new string(' ', Width + 70) + "\r");
    }
}
