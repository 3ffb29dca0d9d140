using System.Runtime.InteropServices;

namespace PacketCounter.Profiling.Testbed;

/// <summary>Interface names to ifindexes, in the calling thread's network namespace.</summary>
public static class InterfaceIndex
{
    public static int Of(string interfaceName)
    {
        var index = Interop.Libc.InterfaceNameToIndex(interfaceName);
        if (index == 0)
            throw new TestbedException($"no interface named '{interfaceName}': {(Interop.Libc.LastError())}");
        return (int)index;
    }
}
