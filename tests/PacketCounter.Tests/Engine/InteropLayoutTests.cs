using System.Runtime.InteropServices;
using System.Text;

namespace PacketCounter.Tests.Engine;

/// <summary>
/// Every struct marshalled to libbpf or the kernel, checked against the C headers on
/// this machine: a C program compiled here prints sizeof and offsetof for each field
/// the C# struct declares, and the C# layout must match it exactly.
/// </summary>
[Trait(Category.Name, Category.Pure)]
public class InteropLayoutTests
{
    private static readonly (string CStruct, Type Managed)[] Structs =
    [
        ("struct bpf_object_open_opts", typeof(Interop.Libbpf.BpfObjectOpenOpts)),
        ("struct bpf_test_run_opts", typeof(Interop.Libbpf.BpfTestRunOpts)),
        ("struct xdp_md", typeof(Interop.Libbpf.XdpMd)),
        ("struct bpf_prog_info", typeof(Interop.Libbpf.BpfProgInfo)),
        ("struct bpf_map_info", typeof(Interop.Libbpf.BpfMapInfo)),
        ("struct bpf_link_create_opts", typeof(Interop.Libbpf.BpfLinkCreateOpts)),
        ("struct bpf_prog_load_opts", typeof(Interop.Libbpf.BpfProgLoadOpts)),
        ("struct perf_event_attr", typeof(Interop.Perf.PerfEventAttr)),
        ("struct stat", typeof(Interop.Libc.Stat)),
    ];

    // C# fields that stand for a C bitfield word: offsetof cannot name them, so their bits
    // are checked separately.
    private static readonly HashSet<string> BitfieldWords = ["flags"];

    private static IEnumerable<System.Reflection.FieldInfo> NamedFields(Type managed) =>
        managed
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(f => !BitfieldWords.Contains(f.Name));

    public static TheoryData<string> StructNames()
    {
        var data = new TheoryData<string>();
        foreach (var (cStruct, _) in Structs)
            data.Add(cStruct);
        return data;
    }

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Layout_matches_the_machine_headers(string cStruct)
    {
        var managed = Structs.Single(s => s.CStruct == cStruct).Managed;
        var native = NativeLayout.Value;
        var fields = NamedFields(managed).ToList();
        Assert.NotEmpty(fields);

        Assert.Equal(native[$"{cStruct} sizeof"], Marshal.SizeOf(managed));
        foreach (var field in fields)
            Assert.True(
                native[$"{cStruct}.{field.Name}"] == (int)Marshal.OffsetOf(managed, field.Name),
                $"{cStruct}.{field.Name}: C offset {native[$"{cStruct}.{field.Name}"]}, C# offset {Marshal.OffsetOf(managed, field.Name)}"
            );
    }

    [Fact]
    public void Perf_event_attr_flag_bits_match_the_header()
    {
        Assert.Equal((long)Interop.Perf.FlagDisabled, NativeLayout.Value["perf disabled bit"]);
        Assert.Equal((long)Interop.Perf.FlagExcludeUser, NativeLayout.Value["perf exclude_user bit"]);
        Assert.Equal((long)Interop.Perf.FlagExcludeHv, NativeLayout.Value["perf exclude_hv bit"]);
    }

    private static readonly Lazy<Dictionary<string, int>> NativeLayout = new(() =>
    {
        var c = new StringBuilder(
            """
            #include <stdio.h>
            #include <stddef.h>
            #include <linux/bpf.h>
            #include <bpf/libbpf.h>
            #include <bpf/bpf.h>
            #include <linux/perf_event.h>
            #include <sys/stat.h>
            #include <string.h>
            static unsigned long long flags_word(struct perf_event_attr *a) {
                unsigned long long w; memcpy(&w, (char *)a + 40, 8); return w;
            }
            int main(void) {
            struct perf_event_attr a;
            memset(&a, 0, sizeof a); a.disabled = 1; printf("perf disabled bit=%llu\n", flags_word(&a));
            memset(&a, 0, sizeof a); a.exclude_user = 1; printf("perf exclude_user bit=%llu\n", flags_word(&a));
            memset(&a, 0, sizeof a); a.exclude_hv = 1; printf("perf exclude_hv bit=%llu\n", flags_word(&a));
            """
        );
        foreach (var (cStruct, managed) in Structs)
        {
            c.AppendLine($"printf(\"%s sizeof=%zu\\n\", \"{cStruct}\", sizeof({cStruct}));");
            foreach (var field in NamedFields(managed))
                c.AppendLine(
                    $"printf(\"%s.%s=%zu\\n\", \"{cStruct}\", \"{field.Name}\", offsetof({cStruct}, {field.Name}));"
                );
        }
        c.AppendLine("return 0; }");

        using var dir = new TempFolder("pc-layout-");
        var source = Path.Combine(dir.Path, "layout.c");
        var binary = Path.Combine(dir.Path, "layout");
        File.WriteAllText(source, c.ToString());
        NativeTool.RunOrFail("cc", [source, "-o", binary]);
        return NativeTool
            .RunOrFail(binary, [])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split("="))
            .ToDictionary(p => p[0], p => int.Parse(p[1]));
    });
}
