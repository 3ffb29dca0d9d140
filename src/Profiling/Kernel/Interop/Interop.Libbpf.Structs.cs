using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libbpf
    {
        // Layouts below are libbpf 1.1.2 / uapi as found on x86-64 and are checked
        // field by field against the machine's headers by InteropLayoutTests.

        /// <summary>struct bpf_object_open_opts</summary>
        [StructLayout(LayoutKind.Explicit, Size = 80)]
        internal unsafe struct BpfObjectOpenOpts
        {
            [FieldOffset(0)]
            public nuint sz;

            [FieldOffset(8)]
            public byte* object_name;

            [FieldOffset(16)]
            public byte relaxed_maps;

            [FieldOffset(24)]
            public byte* pin_root_path;

            [FieldOffset(40)]
            public byte* kconfig;

            [FieldOffset(48)]
            public byte* btf_custom_path;

            [FieldOffset(56)]
            public byte* kernel_log_buf;

            [FieldOffset(64)]
            public nuint kernel_log_size;

            [FieldOffset(72)]
            public uint kernel_log_level;
        }

        /// <summary>struct bpf_test_run_opts</summary>
        [StructLayout(LayoutKind.Explicit, Size = 80)]
        internal unsafe struct BpfTestRunOpts
        {
            [FieldOffset(0)]
            public nuint sz;

            [FieldOffset(8)]
            public void* data_in;

            [FieldOffset(16)]
            public void* data_out;

            [FieldOffset(24)]
            public uint data_size_in;

            [FieldOffset(28)]
            public uint data_size_out;

            [FieldOffset(32)]
            public void* ctx_in;

            [FieldOffset(40)]
            public void* ctx_out;

            [FieldOffset(48)]
            public uint ctx_size_in;

            [FieldOffset(52)]
            public uint ctx_size_out;

            [FieldOffset(56)]
            public uint retval;

            [FieldOffset(60)]
            public int repeat;

            [FieldOffset(64)]
            public uint duration;

            [FieldOffset(68)]
            public uint flags;

            [FieldOffset(72)]
            public uint cpu;

            [FieldOffset(76)]
            public uint batch_size;
        }

        /// <summary>struct xdp_md, the context BPF_PROG_TEST_RUN takes for XDP.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct XdpMd
        {
            public uint data;
            public uint data_end;
            public uint data_meta;
            public uint ingress_ifindex;
            public uint rx_queue_index;
            public uint egress_ifindex;
        }

        /// <summary>struct bpf_prog_info (the fields PacketCounter reads).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 232)]
        internal unsafe struct BpfProgInfo
        {
            [FieldOffset(0)]
            public uint type;

            [FieldOffset(4)]
            public uint id;

            [FieldOffset(8)]
            public fixed byte tag[8];

            [FieldOffset(16)]
            public uint jited_prog_len;

            [FieldOffset(20)]
            public uint xlated_prog_len;

            [FieldOffset(24)]
            public ulong jited_prog_insns;

            [FieldOffset(32)]
            public ulong xlated_prog_insns;

            [FieldOffset(40)]
            public ulong load_time;

            [FieldOffset(48)]
            public uint created_by_uid;

            [FieldOffset(52)]
            public uint nr_map_ids;

            [FieldOffset(56)]
            public ulong map_ids;

            [FieldOffset(64)]
            public fixed byte name[16];

            [FieldOffset(104)]
            public uint nr_jited_ksyms;

            [FieldOffset(112)]
            public ulong jited_ksyms;

            [FieldOffset(128)]
            public uint btf_id;

            [FieldOffset(148)]
            public uint nr_line_info;

            [FieldOffset(152)]
            public ulong line_info;

            [FieldOffset(160)]
            public ulong jited_line_info;

            [FieldOffset(168)]
            public uint nr_jited_line_info;

            [FieldOffset(172)]
            public uint line_info_rec_size;

            [FieldOffset(176)]
            public uint jited_line_info_rec_size;

            [FieldOffset(192)]
            public ulong run_time_ns;

            [FieldOffset(200)]
            public ulong run_cnt;

            [FieldOffset(208)]
            public ulong recursion_misses;

            [FieldOffset(216)]
            public uint verified_insns;
        }

        /// <summary>struct bpf_map_info (the fields PacketCounter reads).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 88)]
        internal unsafe struct BpfMapInfo
        {
            [FieldOffset(0)]
            public uint type;

            [FieldOffset(4)]
            public uint id;

            [FieldOffset(8)]
            public uint key_size;

            [FieldOffset(12)]
            public uint value_size;

            [FieldOffset(16)]
            public uint max_entries;

            [FieldOffset(20)]
            public uint map_flags;

            [FieldOffset(24)]
            public fixed byte name[16];
        }

        /// <summary>struct bpf_prog_load_opts (libbpf 1.1.2): a program loaded from instructions, with its verifier log.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 104)]
        internal unsafe struct BpfProgLoadOpts
        {
            [FieldOffset(0)]
            public nuint sz;

            [FieldOffset(8)]
            public int attempts;

            [FieldOffset(12)]
            public uint expected_attach_type;

            [FieldOffset(16)]
            public uint prog_btf_fd;

            [FieldOffset(20)]
            public uint prog_flags;

            [FieldOffset(24)]
            public uint prog_ifindex;

            [FieldOffset(48)]
            public int* fd_array;

            [FieldOffset(88)]
            public uint log_level;

            [FieldOffset(92)]
            public uint log_size;

            [FieldOffset(96)]
            public byte* log_buf;
        }

        /// <summary>struct bpf_link_create_opts (the fields used for XDP links).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 64)]
        internal struct BpfLinkCreateOpts
        {
            [FieldOffset(0)]
            public nuint sz;

            [FieldOffset(8)]
            public uint flags;
        }
    }
}
