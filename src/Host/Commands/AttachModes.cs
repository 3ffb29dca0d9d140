using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Host.Commands;

internal static class AttachModes
{
    public static XdpAttachMode Parse(string text, string option) => text.ToLowerInvariant() switch
    {
        "native" => XdpAttachMode.Native,
        "generic" => XdpAttachMode.Generic,
        "auto" => XdpAttachMode.Auto,
        _ => throw new UsageException($"{option} '{text}' is unknown; use native, generic, or auto (native, falling back to generic)"),
    };
}
