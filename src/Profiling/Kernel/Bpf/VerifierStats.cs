using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PacketCounter.Profiling.Bpf;

/// <summary>
/// What the verifier did to accept a program, as its stats log (BPF_LOG_STATS) says, named
/// as veristat names it: processed instructions, states, peak states, the most states at one
/// instruction, mark_read, verification time and stack depth; beside them the instructions it
/// emitted and the JIT's bytes. All exact: the same program on the same kernel gives the same.
/// </summary>
/// <param name="Insns">Instructions the verifier processed (equal to bpf_prog_info.verified_insns).</param>
/// <param name="DurationUs">The verifier's own time; null where the kernel's clock is not real time (an emulated guest).</param>
/// <param name="StackDepth">The stack the program uses, summed over its subprograms.</param>
/// <param name="StackDepths">Each subprogram's stack depth, as the log lists them.</param>
public sealed partial record VerifierStats(
    int Insns,
    int States,
    int PeakStates,
    int MaxStatesPerInsn,
    int MarkRead,
    long? DurationUs,
    int StackDepth,
    IReadOnlyList<int> StackDepths,
    int XlatedInsns,
    int JitedBytes
)
{
    /// <summary>BPF_LOG_STATS: the verifier logs only its totals.</summary>
    public const uint StatsLogLevel = 4;

    private const int LogSize = 64 << 10;

    /// <summary>
    /// Loads <paramref name="program"/> of the object at <paramref name="objectPath"/> on its own, with
    /// the stats log, and reads the figures: a load of its own, so the loads that are measured keep
    /// their flags. A program the verifier refuses is a <see cref="Native.BpfVerifierException"/>.
    /// </summary>
    public static unsafe (VerifierStats Stats, string Log) Measure(string objectPath, string program)
    {
        using var obj = BpfObject.Open(objectPath);
        var log = (byte*)NativeMemory.AllocZeroed(LogSize);
        try
        {
            foreach (var other in obj.Programs.Where(p => p.Name != program))
                other.SetAutoload(false);
            var target = obj.Program(program);
            target.SetVerifierLog(log, LogSize, StatsLogLevel);
            obj.Load();
            var text = Marshal.PtrToStringUTF8((nint)log) ?? "";
            var info = target.Info();
            return (Parse(text, info.XlatedInstructions, info.JitedBytes), text);
        }
        finally
        {
            NativeMemory.Free(log);
        }
    }

    /// <summary>The figures of a stats log; a log without them is a <see cref="FormatException"/> quoting it.</summary>
    public static VerifierStats Parse(string log, int xlatedInsns, int jitedBytes)
    {
        var processed = Processed().Match(log);
        var time = Time().Match(log);
        var stack = Stack().Match(log);
        if (!processed.Success || !time.Success || !stack.Success)
            throw new FormatException($"the verifier's stats log lacks its totals: '{log.Trim()}'");
        int Field(string name) => int.Parse(processed.Groups[name].Value, CultureInfo.InvariantCulture);
        var depths = stack
            .Groups["depths"]
            .Value.Split('+')
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture))
            .ToList();
        return new VerifierStats(
            Field("insns"),
            Field("states"),
            Field("peak"),
            Field("max"),
            Field("mark"),
            long.Parse(time.Groups["us"].Value, CultureInfo.InvariantCulture),
            depths.Sum(),
            depths,
            xlatedInsns,
            jitedBytes
        );
    }

    [GeneratedRegex(
        @"processed (?<insns>\d+) insns \(limit \d+\) max_states_per_insn (?<max>\d+) total_states (?<states>\d+) "
            + @"peak_states (?<peak>\d+) mark_read (?<mark>\d+)"
    )]
    private static partial Regex Processed();

    [GeneratedRegex(@"verification time (?<us>\d+) usec")]
    private static partial Regex Time();

    [GeneratedRegex(@"stack depth (?<depths>\d+(?:\+\d+)*)")]
    private static partial Regex Stack();
}
