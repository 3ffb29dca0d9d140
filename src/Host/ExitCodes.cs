namespace PacketCounter.Host;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A variant failed, counted wrong, or a plugin could not be used.</summary>
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>Missing capabilities (sysexits' EX_NOPERM).</summary>
    public const int Permission = 77;

    /// <summary>128 + SIGINT, as shells report an interrupted command.</summary>
    public const int Interrupted = 130;
}
