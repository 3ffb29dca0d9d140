using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Tests.Kernel;

[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class VerifierTests : KernelLeakGuard
{
    [Fact]
    public void The_seed_literal_Optimized_listing_is_refused_with_the_verifiers_message()
    {
        var refusal = Assert.Throws<BpfVerifierException>(() =>
            BpfObject.Load(NativeTool.Fixture("seed_optimized_literal.bpf.o"))
        );
        Assert.Equal(Profiling.Native.Errno.EACCES, refusal.Errno);
        Assert.Contains("invalid bpf_context access off=0 size=8", refusal.FinalMessage);
        Assert.Contains("invalid bpf_context access", refusal.Message);
        Assert.Contains("processed", refusal.VerifierLog);
    }

    [Fact]
    public void A_variable_key_lookup_without_a_null_check_is_refused_with_the_verifiers_message()
    {
        var refusal = Assert.Throws<BpfVerifierException>(() =>
            BpfObject.Load(NativeTool.Fixture("seed_optimized_no_null_check.bpf.o"))
        );
        Assert.Contains("invalid mem access 'map_value_or_null'", refusal.FinalMessage);
    }

    [Fact]
    public void A_missing_object_names_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-object.bpf.o");
        var failure = Assert.Throws<BpfException>(() => BpfObject.Open(missing));
        Assert.Equal(Profiling.Native.Errno.ENOENT, failure.Errno);
        Assert.Contains(missing, failure.Message);
    }

    [Fact]
    public void A_wrong_program_name_lists_the_programs_the_object_has()
    {
        using var obj = BpfObject.Open(
            Path.Combine(Profiling.Plugins.PluginCatalog.DefaultDirectory, "Ultra", "ultra.bpf.o")
        );
        var failure = Assert.Throws<BpfException>(() => obj.Program("no_such_program"));
        Assert.Contains("ultra_counter", failure.Message);
    }
}
