internal static partial class Interop
{
    internal static class Libraries
    {
        // Debian's runtime package (libbpf1) ships only the versioned name; the bare
        // libbpf.so exists only where libbpf-dev is installed.
        internal const string Bpf = "libbpf.so.1";
        internal const string Libc = "libc";
    }
}
