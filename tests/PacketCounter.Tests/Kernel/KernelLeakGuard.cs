using System.Text.RegularExpressions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Tests.Kernel;

/// <summary>
/// Base for kernel tests: on dispose it asserts that the test left no BPF program, link,
/// testbed interface or namespace behind, checked against the kernel's own lists.
/// </summary>
public abstract class KernelLeakGuard : IDisposable
{
    private readonly HashSet<uint> _programsBefore = [.. KernelObjects.ProgramIds()];
    private readonly HashSet<uint> _linksBefore = [.. KernelObjects.LinkIds()];
    private readonly HashSet<string> _interfacesBefore = [.. OurInterfaces()];
    private readonly HashSet<string> _namespacesBefore = [.. OurNamespaces()];

    public virtual void Dispose()
    {
        // Program and link teardown is synchronous on close, but the kernel frees a
        // program's id through RCU; give it a moment before calling anything a leak.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        List<uint> programs, links;
        do
        {
            programs = KernelObjects.ProgramIds().Where(id => !_programsBefore.Contains(id)).ToList();
            links = KernelObjects.LinkIds().Where(id => !_linksBefore.Contains(id)).ToList();
            if (programs.Count == 0 && links.Count == 0)
                break;
            Thread.Sleep(50);
        } while (DateTime.UtcNow < deadline);

        Assert.True(programs.Count == 0, $"BPF programs left loaded: {string.Join(", ", programs.Select(Describe))}");
        Assert.True(links.Count == 0, $"BPF links left: {string.Join(", ", links)}");
        var interfaces = OurInterfaces().Where(i => !_interfacesBefore.Contains(i)).ToList();
        var namespaces = OurNamespaces().Where(n => !_namespacesBefore.Contains(n)).ToList();
        Assert.True(interfaces.Count == 0, $"testbed interfaces left: {string.Join(", ", interfaces)}");
        Assert.True(namespaces.Count == 0, $"testbed namespaces left: {string.Join(", ", namespaces)}");
        GC.SuppressFinalize(this);
    }

    private static string Describe(uint id) => KernelObjects.ProgramById(id) is { } info ? $"{id} ({info.Name})" : id.ToString();

    internal static IEnumerable<string> OurInterfaces() =>
        File.ReadAllLines("/proc/net/dev").Skip(2)
            .Select(l => l.Split(':')[0].Trim())
            .Where(n => TestbedNames.OwnerOfInterface(n) is not null);

    internal static IEnumerable<string> OurNamespaces() =>
        Directory.Exists("/run/netns")
            ? Directory.EnumerateFiles("/run/netns").Select(f => Path.GetFileName(f)).Where(n => TestbedNames.OwnerOfNamespace(n) is not null)
            : [];
}
