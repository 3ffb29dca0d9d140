using System.Text.Json;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Tests.Kernel;

/// <summary>What the anchor attaches, read back from the kernel with bpftool in the testbed's namespace.</summary>
[Collection(KernelCollection.Name)]
public class DispatcherAnchorTests : KernelLeakGuard
{
    // Programs attached in XDP driver mode to interfaces of the namespace.
    private static List<(string Interface, uint Id)> NativeXdp(string ns)
    {
        using var json = JsonDocument.Parse(NativeTool.RunOrFail("ip", ["netns", "exec", ns, "bpftool", "-j", "net", "show"]));
        return json.RootElement.EnumerateArray()
            .SelectMany(section => section.TryGetProperty("xdp", out var xdp) ? xdp.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Where(e => e.GetProperty("mode").GetString() == "driver")
            .Select(e => (e.GetProperty("devname").GetString()!, e.GetProperty("id").GetUInt32()))
            .ToList();
    }

    private static string ProgramName(uint id)
    {
        using var json = JsonDocument.Parse(NativeTool.RunOrFail("bpftool", ["-j", "prog", "show", "id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        return json.RootElement.GetProperty("name").GetString()!;
    }

    [Fact]
    public void Balance_pads_the_held_programs_to_a_power_of_two_with_fillers_and_removes_them_on_dispose()
    {
        using var testbed = VethTestbed.Create(lanes: 0);
        using var baseline = LoadedVariant.Load(Variants.Baseline);
        using var ultra = LoadedVariant.Load(Variants.Named("Ultra"));
        using var naive = LoadedVariant.Load(Variants.Named("Naive"));
        testbed.Anchor.Hold(baseline.Program);
        testbed.Anchor.Hold(ultra.Program);
        testbed.Anchor.Hold(naive.Program);
        testbed.Anchor.Hold(naive.Program); // the same program twice is one program to the dispatcher
        Assert.Equal(3, testbed.Anchor.ProgramCount);

        Assert.Null(testbed.Anchor.Balance());

        Assert.Equal(4, testbed.Anchor.ProgramCount);
        var attached = NativeXdp(testbed.DutNamespace.Name);
        Assert.Equal(4, attached.Select(a => a.Id).Distinct().Count());
        var ours = new[] { baseline.Program.Info().Id, ultra.Program.Info().Id, naive.Program.Info().Id };
        var filler = Assert.Single(attached, a => !ours.Contains(a.Id));
        Assert.Equal("pc_filler", ProgramName(filler.Id));

        testbed.Anchor.Dispose();
        Assert.Empty(NativeXdp(testbed.DutNamespace.Name));
    }

    [Fact]
    public void Balance_adds_nothing_at_a_power_of_two_and_refuses_to_pass_the_dispatchers_capacity()
    {
        using var testbed = VethTestbed.Create(lanes: 0);
        var held = new List<DispatcherFiller>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                held.Add(DispatcherFiller.Load());
                testbed.Anchor.Hold(held[^1]);
            }
            Assert.Null(testbed.Anchor.Balance());
            Assert.Equal(2, testbed.Anchor.ProgramCount);

            // 33 programs would need 64 for equal depth, more than the dispatcher's 48.
            while (testbed.Anchor.ProgramCount < 33)
            {
                held.Add(DispatcherFiller.Load());
                testbed.Anchor.Hold(held[^1]);
            }
            var note = testbed.Anchor.Balance();
            Assert.NotNull(note);
            Assert.Contains("33 programs", note);
            Assert.Equal(33, testbed.Anchor.ProgramCount);
            Assert.Equal(33, NativeXdp(testbed.DutNamespace.Name).Count);
        }
        finally
        {
            testbed.Anchor.Dispose();
            foreach (var program in held)
                program.Dispose();
        }
    }
}
