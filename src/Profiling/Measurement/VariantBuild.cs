using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Profiling.Measurement;

/// <summary>Which build of a variant ran, and what the kernel made of it.</summary>
/// <param name="Name">The variant's name (the A/A copy's: the baseline's and " A/A").</param>
/// <param name="Program">The XDP program's function name in its object.</param>
/// <param name="ObjectSha256">SHA-256 of the BPF object file the program was loaded from.</param>
/// <param name="Info">What bpf_prog_info says of the loaded program.</param>
public sealed record VariantBuild(string Name, MeasuredRole Role, string Program, string ObjectSha256, ProgramInfo Info)
{
    /// <summary>What the verifier did to accept it, from a load of its own with the stats log; null where that load failed.</summary>
    public VerifierStats? Verifier { get; init; }

    /// <summary>The variant's place in a family of builds differing in one number, if its plugin declares one.</summary>
    public VariantSweep? Sweep { get; init; }

    /// <summary>Which build ran, as environment.json and the history record it.</summary>
    public Machine.VariantIdentity Identity => new(Name, Text.EnumNames.Of(Role), Info.Tag, ObjectSha256);
}
