using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Plugins.Descriptors;

namespace PacketCounter.Tests.Bpf;

/// <summary>
/// A descriptor's source is compiled as the BpfProgram item compiles it: the same source gives
/// the same instructions as the item's build, and the cache gives one object per set of inputs.
/// </summary>
/// <remarks>Pure: clang and libbpf's ELF reader, no kernel.</remarks>
[Trait(Category.Name, Category.Pure)]
public class BpfCompilerTests
{
    private static BpfCompiler Compiler =>
        BpfCompiler.FromTargets(Path.Combine(AppContext.BaseDirectory, VariantScaffold.SdkFolder));

    [Theory]
    [InlineData("Ultra", "ultra", "ultra_counter")]
    [InlineData("Sizes", "sizes", "sizes_counter")]
    [InlineData("Flows", "flows", "flows_counter")]
    public void A_shipped_source_compiles_to_the_instructions_the_items_build_has(
        string plugin,
        string stem,
        string program
    )
    {
        using var cache = new TempFolder("pc-cache-");
        var built = Compiler.Compile(Path.Combine(NativeTool.RepoRoot, "bpf", $"{stem}.bpf.c"), [], cache.Path);
        Assert.Equal($"{stem}.bpf.o", Path.GetFileName(built));
        using var ours = BpfObject.Open(built);
        using var items = BpfObject.Open(Path.Combine(PluginCatalog.DefaultDirectory, plugin, $"{stem}.bpf.o"));
        Assert.Equal(items.Program(program).PreparedInstructions(), ours.Program(program).PreparedInstructions());
        Assert.Equal(
            items.Maps.Select(m => (m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries)),
            ours.Maps.Select(m => (m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries))
        );
    }

    [Fact]
    public void The_cache_keeps_one_object_per_source_and_flags_and_rebuilds_when_either_changes()
    {
        using var work = new TempFolder("pc-compile-");
        var source = Path.Combine(work.Path, "probe.bpf.c");
        var fixture = Path.Combine(NativeTool.RepoRoot, "tests", "PacketCounter.Tests", "fixtures", "probe.bpf.c");
        File.Copy(fixture, source);
        var cache = Path.Combine(work.Path, "cache");

        var first = Compiler.Compile(source, [], cache);
        var written = File.GetLastWriteTimeUtc(first);
        Assert.Equal(first, Compiler.Compile(source, [], cache));
        Assert.Equal(written, File.GetLastWriteTimeUtc(first));

        var withFlag = Compiler.Compile(source, ["-DEXTRA_WORK=16"], cache);
        Assert.NotEqual(first, withFlag);
        using (var plain = BpfObject.Open(first))
        using (var extra = BpfObject.Open(withFlag))
            Assert.True(
                extra.Programs[0].PreparedInstructions().Length > plain.Programs[0].PreparedInstructions().Length,
                "EXTRA_WORK adds instructions"
            );

        File.AppendAllText(source, "\n/* an edit */\n");
        Assert.NotEqual(first, Compiler.Compile(source, [], cache));
        // Nothing half-written is left beside the objects.
        Assert.Empty(Directory.GetFiles(cache, "*.partial", SearchOption.AllDirectories));
        // Objects loaded as root are kept where only their owner may write.
        Assert.Equal("700", NativeTool.RunOrFail("stat", ["-c", "%a", Path.GetDirectoryName(first)!]).Trim());
    }

    [Fact]
    public void A_source_that_does_not_compile_is_the_compilers_first_error_line()
    {
        using var work = new TempFolder("pc-compile-");
        var source = Path.Combine(work.Path, "broken.bpf.c");
        File.WriteAllText(source, "#include \"packet.h\"\nint f(void) { return missing; }\n");
        var e = Assert.Throws<BpfCompileException>(() => Compiler.Compile(source, [], Path.Combine(work.Path, "c")));
        Assert.StartsWith($"{source}:2:22: error: use of undeclared identifier 'missing'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
