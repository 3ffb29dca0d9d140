using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Reporting.Columns;

/// <summary>Columns of a variant on a mix that more than one table carries: micro net cost, executed instructions, the build.</summary>
public static class MixColumns
{
    public static InstructionMixFigure? InstructionsOf(RunResult result, string variant, string mix, int frameSize) =>
        result.InstructionsPerMix.FirstOrDefault(f => f.Variant == variant && f.Mix == mix && f.FrameSize == frameSize);

    /// <summary>The micro net cost on the mix and its ±CI; the baseline is the reference, 0 by definition.</summary>
    public static IReadOnlyList<Column<TRow>> MicroNet<TRow>(
        Func<TRow, MeasuredRole> role,
        Func<TRow, MicroMixFigure?> micro
    ) =>
        [
            Column.Number<TRow>(
                "MICRO NET NS/PKT",
                "micro_net_ns_per_packet",
                "BPF_PROG_TEST_RUN ns/packet minus the baseline's, paired within quadruples of slices "
                    + "(Hodges-Lehmann, Wilcoxon CI per class), weighted by the mix",
                r => micro(r)?.NetOfBaseline?.Estimate,
                "0.00",
                "ns"
            ) with
            {
                Text = r =>
                    role(r) == MeasuredRole.Baseline
                        ? "0 (ref)"
                        : Format.Number(micro(r)?.NetOfBaseline?.Estimate, "0.00"),
            },
            Column.Ci<TRow>(r => micro(r)?.NetOfBaseline?.HalfWidth, "0.00") with
            {
                Text = r =>
                    role(r) == MeasuredRole.Baseline ? "" : Format.Number(micro(r)?.NetOfBaseline?.HalfWidth, "0.00"),
            },
        ];

    /// <summary>Executed BPF instructions per packet of the mix, helper calls in brackets, marked over the budget.</summary>
    public static Column<TRow> Instructions<TRow>(Func<TRow, InstructionMixFigure?> figure, int budget) =>
        new()
        {
            Header = "INSNS/PKT",
            Legend =
                "BPF instructions executed per packet of the mix (emulated, as compiled, before the verifier's "
                + "rewrites; '!' marks a variant over the budget); helper calls in brackets",
            Value = r => figure(r)?.Instructions,
            Text = r =>
                figure(r) is { } i
                    ? $"{Format.Number(i.Instructions, "0.0")} [{Format.Number(i.HelperCalls, "0.##")}]"
                        + (i.Instructions > budget ? "!" : "")
                    : "-",
        };

    /// <summary>What bpf_prog_info says of the program: CSV only, the static facts table shows them.</summary>
    public static IReadOnlyList<Column<TRow>> Build<TRow>(Func<TRow, VariantBuild?> build) =>
        [
            Column.Csv<TRow>(
                "xlated_insns",
                "BPF instructions after the verifier's rewrites (bpf_prog_info xlated_prog_len / 8)",
                r => build(r)?.Info.XlatedInstructions
            ),
            Column.Csv<TRow>("jited_bytes", "the JIT image's size", r => build(r)?.Info.JitedBytes, "bytes"),
            Column.Csv<TRow>(
                "verified_insns",
                "instructions the verifier processed (bpf_prog_info verified_insns)",
                r => build(r)?.Info.VerifiedInstructions
            ),
        ];

    /// <summary>
    /// What the verifier did to accept the program (its stats log, a load of its own), named as
    /// veristat names it; the static facts table shows them, results.csv carries them.
    /// </summary>
    public static IReadOnlyList<Column<TRow>> Verifier<TRow>(Func<TRow, VariantBuild?> build) =>
        [
            Figure<TRow>("STATES", "states", "verifier states explored in all", build, v => v.States),
            Figure<TRow>(
                "PEAK STATES",
                "peak_states",
                "the most verifier states held at once",
                build,
                v => v.PeakStates
            ),
            Figure<TRow>(
                "MAX STATES/INSN",
                "max_states_per_insn",
                "the most states the verifier kept at one instruction",
                build,
                v => v.MaxStatesPerInsn
            ),
            Figure<TRow>("MARK READ", "mark_read", "the verifier's mark_read count", build, v => v.MarkRead),
            Figure<TRow>(
                "VERIFY US",
                "verification_us",
                "the verifier's own time, microseconds (a time: it varies from load to load)",
                build,
                v => v.DurationUs
            ),
            Figure<TRow>(
                "STACK",
                "stack_depth",
                "stack bytes the program uses, summed over its subprograms",
                build,
                v => v.StackDepth
            ),
        ];

    private static Column<TRow> Figure<TRow>(
        string header,
        string csvName,
        string legend,
        Func<TRow, VariantBuild?> build,
        Func<VerifierStats, long?> value
    ) =>
        new()
        {
            Header = header,
            CsvName = csvName,
            Legend = legend,
            Value = r => build(r)?.Verifier is { } v ? value(v) : null,
        };

    /// <summary>
    /// How much machine code the program carries per instruction a packet executes: the JIT
    /// image's bytes over the BPF instructions executed per packet of the mix.
    /// </summary>
    public static Column<TRow> JitBytesPerInstruction<TRow>(
        Func<TRow, VariantBuild?> build,
        Func<TRow, InstructionMixFigure?> figure
    ) =>
        Column.Number<TRow>(
            "JIT B/INSN",
            "jited_bytes_per_insn",
            "the JIT image's bytes over the BPF instructions executed per packet of the mix: machine code the "
                + "program carries per instruction a packet runs (a design that branches per class carries code "
                + "each packet skips)",
            r =>
                build(r)?.Info.JitedBytes is { } bytes && figure(r)?.Instructions is > 0 and var executed
                    ? bytes / executed
                    : null,
            "0.0",
            "bytes"
        );
}
