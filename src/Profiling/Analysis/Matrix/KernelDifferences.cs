using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Matrix;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Analysis.Matrix;

/// <summary>One way a variant differs between the reference kernel and another, in one sentence.</summary>
/// <param name="Kernel">The other kernel, as named on the command line.</param>
public sealed record KernelDifference(string Variant, string Kernel, string Text);

/// <summary>
/// What differs between kernels, variant by variant: whether it loads, what the verifier
/// processed and emitted, what the JIT made of it, each class's verdict, and the counts. The
/// reference is the running kernel when the matrix has it, else its first kernel with results.
/// </summary>
public static class KernelDifferences
{
    public static KernelRun? Reference(IReadOnlyList<KernelRun> kernels) =>
        kernels.FirstOrDefault(k => k.IsHost && k.Failure is null) ?? kernels.FirstOrDefault(k => k.Failure is null);

    public static IReadOnlyList<KernelDifference> Of(RunResult result)
    {
        var reference = Reference(result.Kernels);
        if (reference is null)
            return [];
        var differences = new List<KernelDifference>();
        foreach (var other in result.Kernels.Where(k => k != reference && k.Failure is null))
        foreach (var theirs in other.Variants)
            if (reference.Variants.FirstOrDefault(v => v.Name == theirs.Name) is { } ours)
                differences.AddRange(
                    Between(ours, reference.Name, theirs, other.Name)
                        .Select(text => new KernelDifference(theirs.Name, other.Name, text))
                );
        return differences;
    }

    /// <summary>"debian-12 (6.1.0-57-cloud-amd64)", or the name alone when it is the release.</summary>
    public static string Label(KernelRun kernel) =>
        kernel.Release is null || kernel.Release == kernel.Name ? kernel.Name : $"{kernel.Name} ({kernel.Release})";

    private static IEnumerable<string> Between(KernelVariant ours, string us, KernelVariant theirs, string them)
    {
        if (ours.Loaded != theirs.Loaded)
        {
            var (loads, refused) = ours.Loaded ? (us, theirs) : (them, ours);
            var where = ours.Loaded ? them : us;
            yield return $"loads on {loads}, refused on {where}: {refused.Refusal}";
            yield break;
        }
        if (ours.Verifier is not { } a || theirs.Verifier is not { } b)
            yield break;
        if (a.XlatedInsns != b.XlatedInsns || a.JitedBytes != b.JitedBytes)
            yield return $"xlated {a.XlatedInsns} → {b.XlatedInsns}, JIT bytes {a.JitedBytes} → {b.JitedBytes} "
                + $"on {them}{Why(ours, us, theirs, them)}";
        if (a.Insns != b.Insns || a.States != b.States || a.PeakStates != b.PeakStates)
            yield return $"the verifier processed {a.Insns} → {b.Insns} insns, {a.States} → {b.States} states, "
                + $"peak {a.PeakStates} → {b.PeakStates} on {them}";
        var verdicts = ours
            .Verdicts.Join(
                theirs.Verdicts,
                o => o.Class,
                t => t.Class,
                (o, t) => (o.Class, Ours: o.Verdict, Theirs: t.Verdict)
            )
            .Where(v => v.Ours != v.Theirs)
            .Select(v => $"{TrafficClasses.Name(v.Class)} {Name(v.Ours)} on {us}, {Name(v.Theirs)} on {them}")
            .ToList();
        if (verdicts.Count > 0)
            yield return $"verdicts differ: {string.Join("; ", verdicts)}";
        if (ours.Counts != theirs.Counts)
            yield return $"counts {Text.EnumNames.Of(ours.Counts)} on {us}, {Text.EnumNames.Of(theirs.Counts)} on {them}"
                + ((theirs.CountProblem ?? ours.CountProblem) is { } problem ? $": {problem}" : "");
    }

    // Fewer calls left where more instructions were emitted: the verifier inlined a helper.
    private static string Why(KernelVariant ours, string us, KernelVariant theirs, string them)
    {
        if (ours.KernelCalls is not { } a || theirs.KernelCalls is not { } b || a == b)
            return "";
        var (inlined, called) = a < b ? (us, them) : (them, us);
        var lookup =
            ours.MapTypes.Contains(Text.EnumNames.Of(BpfMapType.PerCpuArray)) ? "the per-CPU array lookup"
            : ours.MapTypes.Contains(Text.EnumNames.Of(BpfMapType.Array)) ? "the array lookup"
            : "a helper";
        return $": {lookup} is inlined on {inlined}, a call on {called} ({a} → {b} calls into the kernel)";
    }

    private static string Name(XdpAction action) => Text.EnumNames.Of(action).ToUpperInvariant();
}
