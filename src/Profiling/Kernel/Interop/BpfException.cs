namespace PacketCounter.Profiling.Native;

/// <summary>A libbpf or bpf(2) call failed. Says which call, on what, and why.</summary>
public class BpfException : Exception
{
    public BpfException(string operation, int errno, string? detail = null)
        : base(Compose(operation, errno, detail))
    {
        Operation = operation;
        Errno = errno;
    }

    /// <summary>What was being done, e.g. "load bpf object naive.bpf.o".</summary>
    public string Operation { get; }

    /// <summary>The positive errno the kernel or libbpf reported.</summary>
    public int Errno { get; }

    private static string Compose(string operation, int errno, string? detail)
    {
        var reason = Interop.Libc.Describe(errno);
        return detail is null ? $"{operation}: {reason}" : $"{operation}: {reason}: {detail}";
    }

    /// <summary>Throws when a libbpf call returned a negative errno.</summary>
    internal static int ThrowIfNegative(int result, string operation)
    {
        if (result < 0)
            throw new BpfException(operation, -result);
        return result;
    }
}

/// <summary>
/// The kernel refused a program. Carries the verifier's log, and its final message,
/// which is the line that usually says what is wrong.
/// </summary>
public sealed class BpfVerifierException : BpfException
{
    public BpfVerifierException(string operation, int errno, string verifierLog)
        : base(operation, errno, FinalMessageOf(verifierLog))
    {
        VerifierLog = verifierLog;
        FinalMessage = FinalMessageOf(verifierLog);
    }

    public string VerifierLog { get; }

    public string FinalMessage { get; }

    // The verifier ends with bookkeeping ("processed N insns ...", "verification
    // time ..."); the reason is the last line before it.
    public static string FinalMessageOf(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i];
            if (
                line.StartsWith("processed ", StringComparison.Ordinal)
                || line.StartsWith("verification time", StringComparison.Ordinal)
                || line.StartsWith("stack depth", StringComparison.Ordinal)
                || line.StartsWith("-- END PROG LOAD LOG --", StringComparison.Ordinal)
            )
                continue;
            return line;
        }
        return "(the verifier left no log)";
    }
}
