using System.Text.RegularExpressions;

namespace PacketCounter.Profiling.Testbed;

/// <summary>
/// The names testbeds use, and how to read the owner's PID back out of them. Interface
/// names must fit IFNAMSIZ (15 characters): "pc" + PID (up to 7 digits) + role + sequence.
/// </summary>
public static partial class TestbedNames
{
    public static string GeneratorInterface(int pid, int sequence) => $"pc{pid}g{sequence}";

    public static string DutInterface(int pid, int sequence) => $"pc{pid}d{sequence}";

    /// <summary>An idle interface that only holds a program in the XDP dispatcher (end 'a' or 'b').</summary>
    public static string AnchorInterface(int pid, int sequence, char end) => $"pc{pid}{end}{sequence}";

    public static string Namespace(int pid, int sequence) => $"pc-{pid}-{sequence}";

    /// <summary>The owner PID of a testbed interface name, or null when the name is not ours.</summary>
    public static int? OwnerOfInterface(string name)
    {
        var match = InterfacePattern().Match(name);
        return match.Success ? int.Parse(match.Groups[1].Value) : null;
    }

    /// <summary>The owner PID of a testbed namespace name, or null when the name is not ours.</summary>
    public static int? OwnerOfNamespace(string name)
    {
        var match = NamespacePattern().Match(name);
        return match.Success ? int.Parse(match.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"^pc(\d{1,7})[gdab]\d+$")]
    private static partial Regex InterfacePattern();

    [GeneratedRegex(@"^pc-(\d{1,7})-\d+$")]
    private static partial Regex NamespacePattern();
}
