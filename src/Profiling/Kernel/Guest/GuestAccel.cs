namespace PacketCounter.Profiling.Guest;

/// <summary>Where a kernel of the matrix ran: on the host itself, or in a QEMU guest with or without KVM.</summary>
public enum GuestAccel
{
    /// <summary>The running kernel, with the agent as a host process.</summary>
    Native,

    /// <summary>A guest on hardware virtualization: its timing is a guest's, but real.</summary>
    Kvm,

    /// <summary>A guest in QEMU's emulator: every decision of the kernel is exact, no time is.</summary>
    Tcg,
}
