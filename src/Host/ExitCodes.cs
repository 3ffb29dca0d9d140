namespace PacketCounter.Host;

public static class ExitCodes
{
    public const int Success = Profiling.Analysis.RunOutcome.Success;

    /// <summary>A variant failed, counted wrong, or a plugin could not be used.</summary>
    public const int Failure = Profiling.Analysis.RunOutcome.Failure;
    public const int Usage = 2;

    /// <summary>Another bench holds the host and --no-wait was given (sysexits' EX_TEMPFAIL).</summary>
    public const int TempFail = 75;

    /// <summary>Missing capabilities (sysexits' EX_NOPERM).</summary>
    public const int Permission = 77;

    /// <summary>128 + SIGINT, as shells report an interrupted command.</summary>
    public const int Interrupted = Profiling.Analysis.RunOutcome.Interrupted;

    /// <summary>A command stopped by signal N exits 128 + N, as a shell reports it.</summary>
    public const int SignalBase = 128;

    /// <summary>The Linux number of a signal the host handles.</summary>
    public static int SignalNumber(System.Runtime.InteropServices.PosixSignal signal) =>
        signal switch
        {
            System.Runtime.InteropServices.PosixSignal.SIGHUP => 1,
            System.Runtime.InteropServices.PosixSignal.SIGINT => 2,
            System.Runtime.InteropServices.PosixSignal.SIGTERM => 15,
            _ => 2,
        };
}
