using System.Runtime.InteropServices;

namespace PacketCounter.Profiling.Testbed;

/// <summary>
/// A named network namespace (as <c>ip netns</c> makes them). Code that must see the
/// namespace's interfaces runs on a dedicated thread that enters it: setns changes
/// only the calling thread, and that thread is never returned to a pool.
/// </summary>
public sealed class NetworkNamespace
{
    public NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public string HandlePath => $"/run/netns/{Name}";

    /// <summary>Runs <paramref name="work"/> inside the namespace and returns its result.</summary>
    public T Run<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(HandlePath);
                if (global::Interop.Libc.SetNamespace((int)handle.DangerousGetHandle(), global::Interop.Libc.CLONE_NEWNET) != 0)
                    throw new TestbedException($"enter network namespace {Name}: {(global::Interop.Libc.LastError())}");
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = $"netns {Name}",
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result;
    }

    /// <summary>The ifindex of an interface inside the namespace.</summary>
    public int IndexOf(string interfaceName) => Run(() => InterfaceIndex.Of(interfaceName));

    /// <summary>The rx/tx counters of an interface inside the namespace.</summary>
    public InterfaceCounters CountersOf(string interfaceName) => Run(() => InterfaceCounters.ReadCurrentThread(interfaceName));
}
