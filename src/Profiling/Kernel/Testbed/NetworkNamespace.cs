using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace PacketCounter.Profiling.Testbed;

/// <summary>
/// A named network namespace (as <c>ip netns</c> makes them). Code that must see the
/// namespace's interfaces runs on one dedicated thread that entered it once: setns changes
/// only the calling thread, and that thread is never returned to a pool. Keeping the
/// thread makes a call cost microseconds, so counters can be read between live slices.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private readonly BlockingCollection<(Func<object?> Work, TaskCompletionSource<object?> Done)> _work = new();
    private readonly Lazy<Thread> _thread;

    public NetworkNamespace(string name)
    {
        Name = name;
        _thread = new Lazy<Thread>(() =>
        {
            var thread = new Thread(Serve) { IsBackground = true, Name = $"netns {Name}" };
            thread.Start();
            return thread;
        });
    }

    public string Name { get; }

    public string HandlePath => $"/run/netns/{Name}";

    /// <summary>Runs <paramref name="work"/> inside the namespace and returns its result.</summary>
    public T Run<T>(Func<T> work)
    {
        ObjectDisposedException.ThrowIf(_work.IsAddingCompleted, this);
        _ = _thread.Value;
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add((() => work(), done));
        try
        {
            return (T)done.Task.GetAwaiter().GetResult()!;
        }
        catch (Exception e)
        {
            ExceptionDispatchInfo.Capture(e).Throw();
            throw;
        }
    }

    private void Serve()
    {
        Exception? cannotEnter = null;
        try
        {
            using var handle = File.OpenHandle(HandlePath);
            if (Interop.Libc.SetNamespace((int)handle.DangerousGetHandle(), Interop.Libc.CLONE_NEWNET) != 0)
                cannotEnter = new TestbedException($"enter network namespace {Name}: {(Interop.Libc.LastError())}");
        }
        catch (Exception e)
        {
            cannotEnter = e;
        }
        foreach (var (work, done) in _work.GetConsumingEnumerable())
        {
            // A thread that could not enter the namespace must not run anything in the wrong one.
            if (cannotEnter is not null)
            {
                done.SetException(cannotEnter);
                continue;
            }
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }

    /// <summary>The ifindex of an interface inside the namespace.</summary>
    public int IndexOf(string interfaceName) => Run(() => InterfaceIndex.Of(interfaceName));

    /// <summary>The rx/tx counters of interfaces inside the namespace, read in one call.</summary>
    public IReadOnlyList<InterfaceCounters> CountersOf(IReadOnlyList<string> interfaceNames) =>
        Run(() =>
        {
            var netDev = File.ReadAllLines("/proc/thread-self/net/dev");
            return (IReadOnlyList<InterfaceCounters>)
                interfaceNames.Select(name => InterfaceCounters.Parse(netDev, name)).ToList();
        });

    public InterfaceCounters CountersOf(string interfaceName) => CountersOf([interfaceName])[0];

    public void Dispose()
    {
        _work.CompleteAdding();
        if (_thread.IsValueCreated)
            _thread.Value.Join();
        _work.Dispose();
    }
}
