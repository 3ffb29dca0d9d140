
namespace PacketCounter.Profiling.Verification;

/// <summary>What count verification says about a window or a set of windows.</summary>
public enum VerificationStatus
{
    /// <summary>Every count equalled the packets sent of its classes.</summary>
    Exact,
    /// <summary>Every exact count equalled what was sent, and every sampled count fell within its declared bound.</summary>
    WithinBound,
    /// <summary>At least one count differed, or fell outside its bound.</summary>
    Mismatch,
    /// <summary>The baseline or its A/A copy: it counts nothing.</summary>
    NotACounter,
    /// <summary>External traffic: nothing here knows what was sent.</summary>
    External,
    /// <summary>A window failed before it could be verified.</summary>
    Failed,
}

public static class VerificationStatuses
{
    /// <summary>The word every table, CSV and report prints.</summary>
    public static string Name(VerificationStatus status) => status switch
    {
        VerificationStatus.Exact => "exact",
        VerificationStatus.WithinBound => "within bound",
        VerificationStatus.Mismatch => "MISMATCH",
        VerificationStatus.NotACounter => "baseline",
        VerificationStatus.External => "external",
        _ => "failed",
    };

    public static VerificationStatus Of(LiveSample sample) => sample switch
    {
        { Failure: not null } => VerificationStatus.Failed,
        { Setting.IsExternal: true } => VerificationStatus.External,
        { Role: not MeasuredRole.Counter } => VerificationStatus.NotACounter,
        { Verification.IsExact: true } => VerificationStatus.Exact,
        { Verification.Verifies: true } => VerificationStatus.WithinBound,
        _ => VerificationStatus.Mismatch,
    };

    /// <summary>Over several windows: a failure or a mismatch in any of them decides.</summary>
    public static VerificationStatus Of(IEnumerable<LiveSample> samples)
    {
        var statuses = samples.Select(Of).ToList();
        if (statuses.Count == 0)
            return VerificationStatus.Failed;
        if (statuses.Contains(VerificationStatus.Failed))
            return VerificationStatus.Failed;
        if (statuses.Contains(VerificationStatus.Mismatch))
            return VerificationStatus.Mismatch;
        if (statuses.Contains(VerificationStatus.WithinBound))
            return VerificationStatus.WithinBound;
        return statuses[0];
    }
}
