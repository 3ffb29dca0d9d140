using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Guest;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Matrix;

/// <summary>How a variant's counts came out on a kernel, checked by the host after every frame.</summary>
public enum CountsCheck
{
    /// <summary>Every count equal to what the frames sent so far must give, after every frame.</summary>
    Exact,

    /// <summary>
    /// Exact counts exact and hard bounds held after every frame, and a sampled count at most one
    /// per frame sent: its statistical bound means nothing over a handful of frames.
    /// </summary>
    WithinBounds,

    /// <summary>A count differed: <see cref="KernelVariant.CountProblem"/> says where first.</summary>
    Mismatch,

    /// <summary>Nothing to check: a baseline, a bare object, or a program that did not load.</summary>
    None,
}

/// <summary>One frame's verdict on one kernel.</summary>
public sealed record ClassOutcome(TrafficClass Class, XdpAction Verdict);

/// <summary>
/// One variant on one kernel: loaded or refused (with the verifier's final message), the
/// verifier's figures as the bench reports them, each class's verdict, and its counts.
/// </summary>
public sealed record KernelVariant(string Name, MeasuredRole Role, string Program, string ObjectSha256, bool Loaded)
{
    /// <summary>Why the kernel refused it: the verifier's final message, or libbpf's where the verifier never ran.</summary>
    public string? Refusal { get; init; }

    /// <summary>The whole verifier log of a refused program.</summary>
    public string? VerifierLog { get; init; }

    /// <summary>The same keys as a bench's variants[].verifier; null where the program did not load.</summary>
    public VerifierStats? Verifier { get; init; }

    /// <summary>
    /// Calls into the kernel left in the program as the kernel runs it (helpers, or what an
    /// inlined helper calls); null where the kernel withholds the translated program.
    /// </summary>
    public int? KernelCalls { get; init; }

    /// <summary>
    /// The types of the object's maps as results.json names them (per_cpu_array, or type-N for
    /// one it does not know), to say which lookup a kernel inlines.
    /// </summary>
    public IReadOnlyList<string> MapTypes { get; init; } = [];

    public CountsCheck Counts { get; init; } = CountsCheck.None;

    /// <summary>For a mismatch, the first frame after which a count was off, and how.</summary>
    public string? CountProblem { get; init; }

    public IReadOnlyList<ClassOutcome> Verdicts { get; init; } = [];
}

/// <summary>
/// One kernel of a matrix: as given to --kernel, the guest's uname -r, how it ran, and every
/// variant on it; or the one line saying why it gave nothing.
/// </summary>
public sealed record KernelRun(string Name, GuestAccel Accel)
{
    /// <summary>The kernel's uname -r as the agent read it; null when the guest never got that far.</summary>
    public string? Release { get; init; }

    /// <summary>Where the image came from: a path, or the package fetched and its version.</summary>
    public string? Source { get; init; }

    /// <summary>Why there is no time, or what a time would mean, in one phrase.</summary>
    public string? Timing { get; init; }

    /// <summary>Seconds from start to the agent's last line (boot included for a guest).</summary>
    public double Seconds { get; init; }

    /// <summary>Why the kernel gave no results, in one line naming it; null when it did.</summary>
    public string? Failure { get; init; }

    public IReadOnlyList<KernelVariant> Variants { get; init; } = [];

    /// <summary>The running kernel is the matrix's reference for verdicts.</summary>
    public bool IsHost => Accel == GuestAccel.Native;
}
