using PacketCounter.Abstractions;
using PacketCounter.Profiling.Bpf;

namespace PacketCounter.Profiling.Measurement;

/// <summary>What a program returns for one frame of a class: XDP_PASS, XDP_DROP, ... as the kernel ran it.</summary>
public sealed record ClassVerdict(string Variant, TrafficClass Class, int FrameSize, XdpAction Verdict);
