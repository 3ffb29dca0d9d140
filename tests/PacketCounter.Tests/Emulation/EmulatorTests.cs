using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Emulation;
using PacketCounter.Profiling.Plugins;
using PacketCounter.Profiling.Traffic;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests.Emulation;

/// <summary>Tiny programs assembled here, with instruction counts worked out by hand.</summary>
[Trait(Category.Name, Category.Pure)]
public class EmulatorTests
{
    // struct bpf_insn: opcode, dst | src << 4, off (le16), imm (le32).
    private static ulong I(byte opcode, int dst = 0, int src = 0, short off = 0, int imm = 0) =>
        opcode | (ulong)(dst | (src << 4)) << 8 | (ulong)(ushort)off << 16 | (ulong)(uint)imm << 32;

    private static readonly byte[] Frame = FrameBuilder.Build(TrafficClass.Ipv4Udp, 64);

    private static EmulatedRun Run(ulong[] program, Dictionary<int, EmulatedMap>? maps = null, byte[]? frame = null) =>
        new BpfEmulator(program, maps ?? []).Run(frame ?? Frame);

    [Fact]
    public void Mov_and_exit_is_two_instructions()
    {
        var run = Run([I(0xb7, dst: 0, imm: 2), I(0x95)]); // r0 = 2; exit
        Assert.Equal(2, run.Executed);
        Assert.Equal(XdpAction.Pass, run.Verdict);
        Assert.Equal(0, run.HelperCalls);
    }

    [Fact]
    public void A_taken_branch_skips_what_it_jumps_over()
    {
        // r0 = 1; if r0 == 1 goto +2; r0 = 0; r0 = 0; exit  -> 3 executed, verdict DROP (1)
        var run = Run([
            I(0xb7, 0, imm: 1),
            I(0x15, 0, off: 2, imm: 1),
            I(0xb7, 0, imm: 0),
            I(0xb7, 0, imm: 0),
            I(0x95),
        ]);
        Assert.Equal(3, run.Executed);
        Assert.Equal(XdpAction.Drop, run.Verdict);
        Assert.Equal([1, 1, 0, 0, 1], run.ExecutionsPerInstruction);
    }

    [Fact]
    public void A_bounded_loop_counts_every_iteration()
    {
        // r1 = 5; r0 = 0; loop: r0 += 2; r1 -= 1; if r1 != 0 goto loop; exit
        // 2 + 5 * 3 + 1 = 18 executed, r0 = 10.
        var run = Run([
            I(0xb7, 1, imm: 5),
            I(0xb7, 0, imm: 0),
            I(0x07, 0, imm: 2),
            I(0x17, 1, imm: 1),
            I(0x55, 1, off: -3, imm: 0),
            I(0x95),
        ]);
        Assert.Equal(18, run.Executed);
        Assert.Equal(10u, (uint)run.Verdict);
    }

    [Fact]
    public void Packet_access_with_a_bounds_check_reads_the_frame_and_a_byte_swap_works()
    {
        // r2 = data_end; r1 = data; r3 = r1; r3 += 14; if r3 > r2 goto +3;
        // r0 = *(u16 *)(r1 + 12); r0 = be16 r0; exit; r0 = 0; exit
        var run = Run([
            I(0x61, 2, 1, 4),
            I(0x61, 1, 1, 0),
            I(0xbf, 3, 1),
            I(0x07, 3, imm: 14),
            I(0x2d, 3, 2, 3),
            I(0x69, 0, 1, 12),
            I(0xdc, 0, imm: 16),
            I(0x95),
            I(0xb7, 0, imm: 0),
            I(0x95),
        ]);
        Assert.Equal(0x0800u, (uint)run.Verdict); // the IPv4 EtherType, in host order
        Assert.Equal(8, run.Executed);
    }

    // *(u32 *)(r10 -4) = 3; r2 = r10; r2 += -4; r1 = map fd 7; call bpf_map_lookup_elem.
    private static readonly ulong[] LookupKey3InMap7 =
    [
        I(0x62, 10, off: -4, imm: 3),
        I(0xbf, 2, 10),
        I(0x07, 2, imm: -4),
        I(0x18, 1, 1, imm: 7),
        I(0),
        I(0x85, imm: 1),
    ];

    [Fact]
    public void Map_lookup_and_update_follow_array_semantics_and_count_as_helper_calls()
    {
        var map = new EmulatedMap("counts", BpfMapType.PerCpuArray, 4, 8, 4, cpus: 2);
        // the lookup; if r0 == 0 goto +3; r1 = 1; lock *(u64 *)(r0 +0) += r1; r0 = 2; exit
        ulong[] program =
        [
            .. LookupKey3InMap7,
            I(0x15, 0, off: 3, imm: 0),
            I(0xb7, 1, imm: 1),
            I(0xdb, 0, 1, 0, 0x00),
            I(0xb7, 0, imm: 2),
            I(0x95),
        ];
        var emulator = new BpfEmulator(program, new Dictionary<int, EmulatedMap> { [7] = map }) { Cpu = 1 };
        var first = emulator.Run(Frame);
        emulator.Run(Frame);
        Assert.Equal(10, first.Executed); // 11 slots, ld_imm64 counts once
        Assert.Equal(1, first.HelperCalls);
        Assert.Equal(1, first.CallsPerHelper[Profiling.Asm.Helper.MapLookupElem]);
        Assert.Equal([2UL], map.SumUInt64(3));
        Assert.Equal(2UL, BitConverter.ToUInt64(map.Lookup(3, cpu: 1)!));
        Assert.Equal(0UL, BitConverter.ToUInt64(map.Lookup(3, cpu: 0)!));
        Assert.Equal(-Profiling.Native.Errno.EEXIST, map.Update(0, new byte[8], flags: 1, cpu: 0)); // BPF_NOEXIST on an array
        Assert.Equal(-Profiling.Native.Errno.EINVAL, map.Delete(0));
    }

    [Fact]
    public void Hash_maps_insert_on_update_and_refuse_when_full()
    {
        var map = new EmulatedMap("h", BpfMapType.Hash, 4, 8, 2, cpus: 2);
        Assert.Null(map.Lookup(1, 0));
        Assert.Equal(0, map.Update(1, new byte[8], 1, 0));
        Assert.Equal(-Profiling.Native.Errno.EEXIST, map.Update(1, new byte[8], 1, 0));
        Assert.Equal(-Profiling.Native.Errno.ENOENT, map.Update(9, new byte[8], 2, 0));
        Assert.Equal(0, map.Update(2, new byte[8], 0, 0));
        Assert.Equal(-Profiling.Native.Errno.E2BIG, map.Update(3, new byte[8], 0, 0));
        var lru = new EmulatedMap("l", BpfMapType.LruHash, 4, 8, 2, cpus: 1);
        lru.Update(1, new byte[8], 0, 0);
        lru.Update(2, new byte[8], 0, 0);
        lru.Lookup(1, 0);
        Assert.Equal(0, lru.Update(3, new byte[8], 0, 0));
        Assert.Null(lru.Lookup(2, 0)); // the least recently used key went
        Assert.NotNull(lru.Lookup(1, 0));
    }

    [Fact]
    public void An_unsupported_opcode_stops_with_its_name()
    {
        var failure = Assert.Throws<EmulationException>(() => Run([I(0x20, 0, imm: 0), I(0x95)])); // legacy LD_ABS
        Assert.Contains("insn 0: unsupported opcode 0x20", failure.Message);
    }

    [Fact]
    public void An_unsupported_helper_stops_with_its_name()
    {
        var failure = Assert.Throws<EmulationException>(() => Run([I(0x85, imm: 44), I(0x95)]));
        Assert.Equal("insn 0: unsupported helper #44 (bpf_xdp_adjust_head)", failure.Message);
    }

    [Fact]
    public void Out_of_bounds_packet_access_is_caught_as_the_verifier_would()
    {
        // r1 = data; r0 = *(u8 *)(r1 + 100) with no bounds check, on a 64-byte frame.
        var failure = Assert.Throws<EmulationException>(() => Run([I(0x61, 1, 1, 0), I(0x71, 0, 1, 100), I(0x95)]));
        Assert.Contains("out-of-bounds packet read at offset 100, size 1, in a 64-byte packet", failure.Message);
        Assert.Contains("verifier would have rejected", failure.Message);
    }

    [Fact]
    public void Eight_byte_context_loads_are_refused_like_the_seed_listing()
    {
        var failure = Assert.Throws<EmulationException>(() => Run([I(0x79, 2, 1, 0), I(0x95)]));
        Assert.Contains("invalid bpf_context access off=0 size=8", failure.Message);
    }

    [Fact]
    public void Dereferencing_a_failed_lookup_is_refused()
    {
        var map = new EmulatedMap("h", BpfMapType.Hash, 4, 8, 4, cpus: 1);
        ulong[] program = [.. LookupKey3InMap7, I(0x79, 1, 0, 0), I(0x95)];
        var failure = Assert.Throws<EmulationException>(() =>
            new BpfEmulator(program, new Dictionary<int, EmulatedMap> { [7] = map }).Run(Frame)
        );
        Assert.Contains("null pointer", failure.Message);
    }
}

/// <summary>Every shipped variant, every class: the kernel and the emulator must agree exactly.</summary>
[Collection(KernelCollection.Name)]
[Trait(Category.Name, Category.Kernel)]
public class KernelDifferentialTests : KernelLeakGuard
{
    public static TheoryData<string, TrafficClass> Cases()
    {
        var data = new TheoryData<string, TrafficClass>();
        foreach (var variant in Variants.All)
        foreach (var trafficClass in TrafficClasses.All)
            data.Add(variant.Name, trafficClass);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kernel_and_emulator_agree_on_verdict_and_maps(string variant, TrafficClass trafficClass)
    {
        var result = KernelDifferential.Check(Variants.Named(variant), trafficClass, packets: 37);
        Assert.True(result.Agrees, result.ToString());
    }

    [Fact]
    public void A_difference_is_reported_loudly()
    {
        var differing = new DifferentialResult(
            "X",
            TrafficClass.Ipv4Udp,
            5,
            XdpAction.Pass,
            XdpAction.Drop,
            ["map m key 0: kernel [5] vs emulator [4]"]
        );
        Assert.False(differing.Agrees);
        Assert.Equal(
            "X ipv4-udp: DISAGREE: verdict kernel Pass vs emulator Drop; map m key 0: kernel [5] vs emulator [4]",
            differing.ToString()
        );
    }

    [Fact]
    public void The_emulator_counts_into_the_field_the_kernel_would()
    {
        using var loaded = LoadedVariant.Load(Variants.Named("Ultra"));
        var emulator = new BpfEmulator(loaded.Program.PreparedInstructions(), BpfEmulator.ModelMaps(loaded.Object));
        emulator.Run(FrameBuilder.Build(TrafficClass.Ipv4Udp, 64));
        var map = emulator.MapsByFd.Values.Single(m => m.Name == "ultra_counts");
        Assert.Equal([0UL, 1UL, 0UL, 0UL], map.SumUInt64(0));
    }

    [Fact]
    public void Shipped_variants_meet_their_instruction_budgets_for_ipv4_udp()
    {
        var budgets = new Dictionary<string, int>
        {
            ["Naive"] = 49,
            ["Optimized"] = 20,
            ["Ultra"] = 22,
            ["Lean"] = 18,
            ["Sizes"] = 30,
        };
        foreach (var (name, budget) in budgets)
        {
            using var loaded = LoadedVariant.Load(Variants.Named(name));
            var udp = InstructionProfiler.Profile(loaded, [TrafficClass.Ipv4Udp], 64).Single();
            Assert.True(
                udp.Instructions <= budget,
                $"{name}: {udp.Instructions} instructions for ipv4-udp, budget {budget}"
            );
            Assert.Equal(1, udp.HelperCalls);
        }
    }
}
