using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

internal static partial class Interop
{
    internal static partial class Libbpf
    {
        internal const uint BPF_F_TEST_XDP_LIVE_FRAMES = 1u << 1;
        internal const int BPF_STATS_RUN_TIME = 0;
        internal const int BPF_XDP = 37;
        internal const int BPF_TRACE_FENTRY = 24;
        internal const int BPF_TRACE_FEXIT = 25;
        internal const uint XDP_FLAGS_SKB_MODE = 1u << 1;
        internal const uint XDP_FLAGS_DRV_MODE = 1u << 2;
        internal const int BPF_PROG_TYPE_XDP = 6;

        // Objects. libbpf 1.x returns NULL and sets errno on failure.
        [LibraryImport(
            Libraries.Bpf,
            EntryPoint = "bpf_object__open_file",
            StringMarshalling = StringMarshalling.Utf8,
            SetLastError = true
        )]
        internal static unsafe partial SafeBpfObjectHandle ObjectOpenFile(string path, BpfObjectOpenOpts* opts);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_object__load")]
        internal static partial int ObjectLoad(SafeBpfObjectHandle obj);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_object__close")]
        internal static partial void ObjectClose(nint obj);

        [LibraryImport(
            Libraries.Bpf,
            EntryPoint = "bpf_object__find_program_by_name",
            StringMarshalling = StringMarshalling.Utf8
        )]
        internal static partial nint ObjectFindProgramByName(SafeBpfObjectHandle obj, string name);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_object__next_program")]
        internal static partial nint ObjectNextProgram(SafeBpfObjectHandle obj, nint previous);

        [LibraryImport(
            Libraries.Bpf,
            EntryPoint = "bpf_object__find_map_by_name",
            StringMarshalling = StringMarshalling.Utf8
        )]
        internal static partial nint ObjectFindMapByName(SafeBpfObjectHandle obj, string name);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_object__next_map")]
        internal static partial nint ObjectNextMap(SafeBpfObjectHandle obj, nint previous);

        // Programs (owned by their object).
        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__name")]
        internal static partial nint ProgramName(nint prog);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__fd")]
        internal static partial int ProgramFd(nint prog);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__type")]
        internal static partial int ProgramType(nint prog);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__set_log_level")]
        internal static partial int ProgramSetLogLevel(nint prog, uint level);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__set_log_buf")]
        internal static unsafe partial int ProgramSetLogBuffer(nint prog, byte* buffer, nuint size);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__set_autoload")]
        internal static partial int ProgramSetAutoload(nint prog, [MarshalAs(UnmanagedType.U1)] bool autoload);

        [LibraryImport(
            Libraries.Bpf,
            EntryPoint = "bpf_program__set_attach_target",
            StringMarshalling = StringMarshalling.Utf8
        )]
        internal static partial int ProgramSetAttachTarget(nint prog, int attachProgFd, string attachFuncName);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__insns")]
        internal static partial nint ProgramInstructions(nint prog);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__insn_cnt")]
        internal static partial nuint ProgramInstructionCount(nint prog);

        // Maps (owned by their object).
        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__name")]
        internal static partial nint MapName(nint map);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__fd")]
        internal static partial int MapFd(nint map);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__type")]
        internal static partial int MapType(nint map);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__key_size")]
        internal static partial uint MapKeySize(nint map);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__value_size")]
        internal static partial uint MapValueSize(nint map);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__max_entries")]
        internal static partial uint MapMaxEntries(nint map);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__initial_value")]
        internal static unsafe partial void* MapInitialValue(nint map, nuint* size);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__lookup_elem")]
        internal static unsafe partial int MapLookupElem(
            nint map,
            void* key,
            nuint keySize,
            void* value,
            nuint valueSize,
            ulong flags
        );

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__update_elem")]
        internal static unsafe partial int MapUpdateElem(
            nint map,
            void* key,
            nuint keySize,
            void* value,
            nuint valueSize,
            ulong flags
        );

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map__get_next_key")]
        internal static unsafe partial int MapGetNextKey(nint map, void* currentKey, void* nextKey, nuint keySize);

        // Links, test runs, info and stats (fd-based, from bpf/bpf.h).
        [LibraryImport(
            Libraries.Bpf,
            EntryPoint = "bpf_prog_load",
            StringMarshalling = StringMarshalling.Utf8,
            SetLastError = true
        )]
        internal static unsafe partial int ProgramLoad(
            int programType,
            string name,
            string license,
            ulong* instructions,
            nuint instructionCount,
            BpfProgLoadOpts* opts
        );

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_link_create", SetLastError = true)]
        internal static unsafe partial int LinkCreate(
            int progFd,
            int targetFd,
            int attachType,
            BpfLinkCreateOpts* opts
        );

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_xdp_query_id")]
        internal static unsafe partial int XdpQueryId(int ifindex, int flags, uint* progId);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_prog_test_run_opts", SetLastError = true)]
        internal static unsafe partial int ProgramTestRun(int progFd, BpfTestRunOpts* opts);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_obj_get_info_by_fd", SetLastError = true)]
        internal static unsafe partial int ObjectGetInfoByFd(int fd, void* info, uint* infoLength);

        // BTF and its line info: the object's own (.BTF, .BTF.ext) and the kernel's copy of a loaded program's.
        [LibraryImport(
            Libraries.Bpf,
            EntryPoint = "btf__parse_elf",
            StringMarshalling = StringMarshalling.Utf8,
            SetLastError = true
        )]
        internal static partial nint BtfParseElf(string path, out nint btfExt);

        [LibraryImport(Libraries.Bpf, EntryPoint = "btf_ext__get_raw_data")]
        internal static unsafe partial void* BtfExtRawData(nint btfExt, uint* size);

        [LibraryImport(Libraries.Bpf, EntryPoint = "btf__name_by_offset")]
        internal static partial nint BtfNameByOffset(nint btf, uint offset);

        [LibraryImport(Libraries.Bpf, EntryPoint = "btf__load_from_kernel_by_id", SetLastError = true)]
        internal static partial nint BtfLoadFromKernelById(uint id);

        [LibraryImport(Libraries.Bpf, EntryPoint = "btf__free")]
        internal static partial void BtfFree(nint btf);

        [LibraryImport(Libraries.Bpf, EntryPoint = "btf_ext__free")]
        internal static partial void BtfExtFree(nint btfExt);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_program__section_name")]
        internal static partial nint ProgramSectionName(nint prog);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_map_get_fd_by_id", SetLastError = true)]
        internal static partial int MapGetFdById(uint id);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_prog_get_next_id")]
        internal static unsafe partial int ProgramGetNextId(uint startId, uint* nextId);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_link_get_next_id")]
        internal static unsafe partial int LinkGetNextId(uint startId, uint* nextId);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_prog_get_fd_by_id", SetLastError = true)]
        internal static partial int ProgramGetFdById(uint id);

        [LibraryImport(Libraries.Bpf, EntryPoint = "bpf_enable_stats", SetLastError = true)]
        internal static partial int EnableStats(int type);

        [LibraryImport(Libraries.Bpf, EntryPoint = "libbpf_num_possible_cpus")]
        internal static partial int NumPossibleCpus();

        [LibraryImport(Libraries.Bpf, EntryPoint = "libbpf_major_version")]
        internal static partial uint MajorVersion();

        [LibraryImport(Libraries.Bpf, EntryPoint = "libbpf_minor_version")]
        internal static partial uint MinorVersion();

        [LibraryImport(Libraries.Bpf, EntryPoint = "libbpf_set_print")]
        internal static unsafe partial nint SetPrint(delegate* unmanaged<int, byte*, nint, int> print);
    }
}
