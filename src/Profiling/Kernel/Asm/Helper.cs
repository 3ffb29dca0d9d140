namespace PacketCounter.Profiling.Asm;

/// <summary>BPF helpers by number (enum bpf_func_id), the ones PacketCounter names.</summary>
public enum Helper
{
    MapLookupElem = 1,
    MapUpdateElem = 2,
    MapDeleteElem = 3,
    ProbeRead = 4,
    KtimeGetNs = 5,
    TracePrintk = 6,
    GetPrandomU32 = 7,
    GetSmpProcessorId = 8,
    TailCall = 12,
    Redirect = 23,
    PerfEventOutput = 25,
    XdpAdjustHead = 44,
    RedirectMap = 51,
    XdpAdjustMeta = 54,
    PerfEventReadValue = 55,
    XdpAdjustTail = 65,
    FibLookup = 69,
    RingbufOutput = 130,
    RingbufReserve = 131,
    RingbufSubmit = 132,
    ForEachMapElem = 164,
    Loop = 181,
}

public static class Helpers
{
    /// <summary>The kernel's name of a helper, e.g. <c>bpf_map_lookup_elem</c>, or "helper #N" for one not named here.</summary>
    public static string Name(Helper helper) =>
        Enum.IsDefined(helper)
            ? "bpf_"
                + string.Concat(
                    helper
                        .ToString()
                        .Select(
                            (c, i) =>
                                char.IsUpper(c) && i > 0 && !char.IsUpper(helper.ToString()[i - 1])
                                    ? "_" + char.ToLowerInvariant(c)
                                    : char.ToLowerInvariant(c).ToString()
                        )
                )
            : $"helper #{(int)helper}";
}
