namespace PacketCounter.Profiling.Machine;

/// <summary>
/// Kernel symbols by address, from /proc/kallsyms (readable with addresses by root): what
/// names a call in a program the verifier translated. Such a call's immediate is its target's
/// offset from <c>__bpf_call_base</c>.
/// </summary>
public sealed class KernelSymbols
{
    private readonly Dictionary<ulong, string> _byAddress;

    private KernelSymbols(Dictionary<ulong, string> byAddress, ulong? callBase)
    {
        _byAddress = byAddress;
        CallBase = callBase;
    }

    /// <summary>The address of <c>__bpf_call_base</c>, or null when kallsyms hides addresses (kptr_restrict) or lacks it.</summary>
    public ulong? CallBase { get; }

    public static KernelSymbols Read(string path = "/proc/kallsyms")
    {
        var byAddress = new Dictionary<ulong, string>();
        ulong? callBase = null;
        foreach (var line in File.ReadLines(path))
        {
            // "ffffffff81234560 T name [module]"
            var fields = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            if (
                fields.Length < 3
                || !ulong.TryParse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var address)
                || address == 0
            )
                continue;
            byAddress.TryAdd(address, fields[2]);
            if (fields[2] == "__bpf_call_base")
                callBase = address;
        }
        return new KernelSymbols(byAddress, callBase);
    }

    /// <summary>The name of what a translated call instruction calls, as bpftool prints it: the symbol, or the address in hex.</summary>
    public string CallTarget(int imm)
    {
        if (CallBase is not { } callBase)
            return $"0x{imm:x}";
        var address = unchecked(callBase + (ulong)(long)imm);
        return _byAddress.TryGetValue(address, out var name) ? name : $"0x{address:x}";
    }
}
