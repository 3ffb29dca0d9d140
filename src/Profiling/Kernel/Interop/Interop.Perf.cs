using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Perf
    {
        // x86-64; perf_event_open has no libc wrapper.
        internal const long SYS_perf_event_open = 298;

        internal const ulong PERF_FORMAT_TOTAL_TIME_ENABLED = 1 << 0;
        internal const ulong PERF_FORMAT_TOTAL_TIME_RUNNING = 1 << 1;
        internal const ulong PERF_FORMAT_GROUP = 1 << 3;

        // The first bits of the attr flags word.
        internal const ulong FlagDisabled = 1UL << 0;
        internal const ulong FlagExcludeUser = 1UL << 4;
        internal const ulong FlagExcludeHv = 1UL << 6;

        internal const ulong PERF_EVENT_IOC_ENABLE = 0x2400;
        internal const ulong PERF_EVENT_IOC_DISABLE = 0x2401;
        internal const ulong PERF_EVENT_IOC_RESET = 0x2403;
        internal const ulong PERF_IOC_FLAG_GROUP = 1;

        /// <summary>struct perf_event_attr (PERF_ATTR_SIZE_VER8, 128 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 128)]
        internal struct PerfEventAttr
        {
            [FieldOffset(0)]
            public uint type;

            [FieldOffset(4)]
            public uint size;

            [FieldOffset(8)]
            public ulong config;

            [FieldOffset(16)]
            public ulong sample_period;

            [FieldOffset(24)]
            public ulong sample_type;

            [FieldOffset(32)]
            public ulong read_format;

            /// <summary>The bitfield word that starts with disabled, inherit, pinned, exclusive, exclude_user.</summary>
            [FieldOffset(40)]
            public ulong flags;

            [FieldOffset(48)]
            public uint wakeup_events;

            [FieldOffset(52)]
            public uint bp_type;

            [FieldOffset(56)]
            public ulong config1;

            [FieldOffset(64)]
            public ulong config2;

            [FieldOffset(72)]
            public ulong branch_sample_type;

            [FieldOffset(80)]
            public ulong sample_regs_user;

            [FieldOffset(88)]
            public uint sample_stack_user;

            [FieldOffset(92)]
            public int clockid;

            [FieldOffset(96)]
            public ulong sample_regs_intr;

            [FieldOffset(104)]
            public uint aux_watermark;

            [FieldOffset(108)]
            public ushort sample_max_stack;

            [FieldOffset(112)]
            public uint aux_sample_size;

            [FieldOffset(120)]
            public ulong sig_data;
        }

        [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
        internal static unsafe partial long Syscall(
            long number,
            PerfEventAttr* attr,
            int pid,
            int cpu,
            int groupFd,
            ulong flags
        );

        [LibraryImport(Libraries.Libc, EntryPoint = "ioctl", SetLastError = true)]
        internal static partial int Ioctl(int fd, ulong request, ulong argument);

        [LibraryImport(Libraries.Libc, EntryPoint = "read", SetLastError = true)]
        internal static unsafe partial nint Read(int fd, void* buffer, nuint count);
    }
}
