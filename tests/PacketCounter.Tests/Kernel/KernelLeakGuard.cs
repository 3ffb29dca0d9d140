using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Tests.Kernel;

/// <summary>
/// Base for kernel tests: on dispose it asserts that the test left nothing of its own behind:
/// no BPF program or link held by this process that it did not hold before (every program
/// and link PacketCounter makes is held by an fd, an XDP attachment by a link), and no
/// testbed interface or namespace named for this process. Other BPF users on the machine
/// are none of its business.
/// </summary>
public abstract partial class KernelLeakGuard : IDisposable
{
    private readonly HashSet<uint> _programsBefore = [.. Held("prog_id")];
    private readonly HashSet<uint> _linksBefore = [.. Held("link_id")];
    private readonly HashSet<string> _interfacesBefore = [.. OurInterfaces()];
    private readonly HashSet<string> _namespacesBefore = [.. OurNamespaces()];

    public virtual void Dispose()
    {
        // A finalizer can still be about to close an fd; give the runtime a moment before calling anything a leak.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        List<uint> programs,
            links;
        do
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            programs = Held("prog_id").Where(id => !_programsBefore.Contains(id)).ToList();
            links = Held("link_id").Where(id => !_linksBefore.Contains(id)).ToList();
            if (programs.Count == 0 && links.Count == 0)
                break;
            Thread.Sleep(50);
        } while (DateTime.UtcNow < deadline);

        Assert.True(
            programs.Count == 0,
            $"BPF programs this process still holds: {string.Join(", ", programs.Select(Describe))}"
        );
        Assert.True(links.Count == 0, $"BPF links this process still holds: {string.Join(", ", links)}");
        var interfaces = OurInterfaces().Where(i => !_interfacesBefore.Contains(i)).ToList();
        var namespaces = OurNamespaces().Where(n => !_namespacesBefore.Contains(n)).ToList();
        Assert.True(interfaces.Count == 0, $"testbed interfaces left: {string.Join(", ", interfaces)}");
        Assert.True(namespaces.Count == 0, $"testbed namespaces left: {string.Join(", ", namespaces)}");
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The ids of the BPF objects of one kind ("prog_id", "link_id") that this process's fds hold, from
    /// /proc/self/fdinfo.
    /// </summary>
    internal static IReadOnlyList<uint> Held(string kind)
    {
        var ids = new List<uint>();
        foreach (var fd in Directory.EnumerateFiles("/proc/self/fdinfo"))
        {
            string text;
            try
            {
                text = File.ReadAllText(fd);
            }
            catch (IOException)
            {
                continue; // closed between the listing and the read
            }
            var match = Regex.Match(text, $@"^{kind}:\s*(\d+)$", RegexOptions.Multiline);
            if (match.Success)
                ids.Add(uint.Parse(match.Groups[1].Value));
        }
        return ids.Distinct().ToList();
    }

    private static string Describe(uint id) =>
        KernelObjects.ProgramById(id) is { } info ? $"{id} ({info.Name})" : id.ToString();

    /// <summary>Testbed interfaces of any owner, in this namespace.</summary>
    internal static IEnumerable<string> TestbedInterfaces() =>
        File.ReadAllLines("/proc/net/dev")
            .Skip(2)
            .Select(l => l.Split(':')[0].Trim())
            .Where(n => TestbedNames.OwnerOfInterface(n) is not null);

    /// <summary>Testbed namespaces of any owner.</summary>
    internal static IEnumerable<string> TestbedNamespaces() =>
        Directory.Exists("/run/netns")
            ? Directory
                .EnumerateFiles("/run/netns")
                .Select(f => Path.GetFileName(f))
                .Where(n => TestbedNames.OwnerOfNamespace(n) is not null)
            : [];

    private static IEnumerable<string> OurInterfaces() =>
        TestbedInterfaces().Where(n => TestbedNames.OwnerOfInterface(n) == Environment.ProcessId);

    private static IEnumerable<string> OurNamespaces() =>
        TestbedNamespaces().Where(n => TestbedNames.OwnerOfNamespace(n) == Environment.ProcessId);
}
