using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "strerror")]
        private static partial nint StrError(int errnum);

        internal static string Describe(int errno) => Marshal.PtrToStringUTF8(StrError(errno)) ?? $"errno {errno}";

        /// <summary>strerror of the errno the last P/Invoke with SetLastError left.</summary>
        internal static string LastError() => Describe(Marshal.GetLastPInvokeError());
    }
}
