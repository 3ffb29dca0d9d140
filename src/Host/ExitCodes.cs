namespace PacketCounter.Host;

public static class ExitCodes
{
    public const int Success = Profiling.Analysis.RunOutcome.Success;

    /// <summary>A variant failed, counted wrong, or a plugin could not be used.</summary>
    public const int Failure = Profiling.Analysis.RunOutcome.Failure;
    public const int Usage = 2;

    /// <summary>Missing capabilities (sysexits' EX_NOPERM).</summary>
    public const int Permission = 77;

    /// <summary>128 + SIGINT, as shells report an interrupted command.</summary>
    public const int Interrupted = Profiling.Analysis.RunOutcome.Interrupted;
}
