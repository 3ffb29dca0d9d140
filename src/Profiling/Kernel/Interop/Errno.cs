namespace PacketCounter.Profiling.Native;

/// <summary>The errno values PacketCounter tells apart, as the kernel returns them (negated from helpers).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;

    /// <summary>Also EWOULDBLOCK: a non-blocking call that would have to wait.</summary>
    public const int EAGAIN = 11;
    public const int E2BIG = 7;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EOPNOTSUPP = 95;
}
