using Microsoft.Win32.SafeHandles;

namespace PacketCounter.Profiling.Native;

/// <summary>A struct bpf_object*. Closing it unloads its programs and frees its maps.</summary>
internal sealed class SafeBpfObjectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeBpfObjectHandle()
        : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        Interop.Libbpf.ObjectClose(handle);
        return true;
    }
}
