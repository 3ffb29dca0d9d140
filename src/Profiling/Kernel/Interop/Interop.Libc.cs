using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int CLONE_NEWNET = 0x40000000;

        [LibraryImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);

        [LibraryImport(Libraries.Libc, EntryPoint = "setns", SetLastError = true)]
        internal static partial int SetNamespace(int fd, int nstype);

        [LibraryImport(
            Libraries.Libc,
            EntryPoint = "if_nametoindex",
            StringMarshalling = StringMarshalling.Utf8,
            SetLastError = true
        )]
        internal static partial uint InterfaceNameToIndex(string name);

        /// <summary>struct stat (x86-64 glibc), the fields trust checks read.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 144)]
        internal struct Stat
        {
            [FieldOffset(24)]
            public uint st_mode;

            [FieldOffset(28)]
            public uint st_uid;

            [FieldOffset(32)]
            public uint st_gid;
        }

        // lstat: a symlink is judged as itself, not as what it points to.
        [LibraryImport(
            Libraries.Libc,
            EntryPoint = "lstat",
            StringMarshalling = StringMarshalling.Utf8,
            SetLastError = true
        )]
        internal static unsafe partial int LStat(string path, Stat* buffer);

        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int O_CLOEXEC = 0x80000;
        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;

        [LibraryImport(
            Libraries.Libc,
            EntryPoint = "open",
            StringMarshalling = StringMarshalling.Utf8,
            SetLastError = true
        )]
        internal static partial int Open(string path, int flags, uint mode);

        // flock(2): the lock belongs to the open file, and the kernel drops it when the last
        // descriptor of that file closes, which a process's death does.
        [LibraryImport(Libraries.Libc, EntryPoint = "flock", SetLastError = true)]
        internal static partial int Flock(int fd, int operation);

        [LibraryImport(Libraries.Libc, EntryPoint = "gettid")]
        internal static partial int GetThreadId();

        // pid 0 is the calling thread: affinity is per thread on Linux, which is what
        // pinning one measuring OS thread needs.
        [LibraryImport(Libraries.Libc, EntryPoint = "sched_setaffinity", SetLastError = true)]
        internal static unsafe partial int SchedSetAffinity(int pid, nuint cpusetsize, ulong* mask);

        [LibraryImport(Libraries.Libc, EntryPoint = "sched_getaffinity", SetLastError = true)]
        internal static unsafe partial int SchedGetAffinity(int pid, nuint cpusetsize, ulong* mask);

        // va_list travels as a pointer on x86-64 (an array type) and on arm64 (a
        // large struct passed by reference), so nint carries it unchanged.
        [LibraryImport(Libraries.Libc, EntryPoint = "vsnprintf")]
        internal static unsafe partial int VsnPrintf(byte* buffer, nuint size, byte* format, nint args);
    }
}
