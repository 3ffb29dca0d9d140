using Microsoft.Win32.SafeHandles;

namespace PacketCounter.Profiling.Native;

/// <summary>
/// A kernel file descriptor PacketCounter owns: a BPF link, a stats-enable token, a
/// perf event. Closing the last descriptor is what detaches or disables.
/// </summary>
public sealed class SafeFileDescriptor : SafeHandleMinusOneIsInvalid
{
    public SafeFileDescriptor()
        : base(ownsHandle: true) { }

    internal SafeFileDescriptor(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    /// <summary>The raw descriptor number, for calls that take it.</summary>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Interop.Libc.Close((int)handle) == 0;
}
