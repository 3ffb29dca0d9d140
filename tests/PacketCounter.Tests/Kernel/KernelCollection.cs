namespace PacketCounter.Tests.Kernel;

/// <summary>
/// Tests that load programs, build testbeds or send traffic run one at a time: they
/// compare the kernel's global lists before and after, and they share two CPUs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}
