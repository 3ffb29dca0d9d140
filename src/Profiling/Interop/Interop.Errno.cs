using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int EINTR = 4;
        internal const int E2BIG = 7;
        internal const int EACCES = 13;
        internal const int EBUSY = 16;
        internal const int EEXIST = 17;
        internal const int ENODEV = 19;
        internal const int EINVAL = 22;
        internal const int ENOSPC = 28;
        internal const int EOPNOTSUPP = 95;
    }

    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "strerror")]
        private static partial nint StrError(int errnum);

        internal static string Describe(int errno) => Marshal.PtrToStringUTF8(StrError(errno)) ?? $"errno {errno}";

        /// <summary>strerror of the errno the last P/Invoke with SetLastError left.</summary>
        internal static string LastError() => Describe(Marshal.GetLastPInvokeError());
    }
}
