using PacketCounter.Profiling.Machine;

namespace PacketCounter.Tests.Kernel;

/// <summary>
/// Tests that load programs, build testbeds or send traffic run one at a time: they
/// compare the kernel's global lists before and after, and they share two CPUs. They hold
/// the host's measurement lock while they run, as a bench does, so a developer's bench and
/// a test run never spoil each other's figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection : ICollectionFixture<HostLockFixture>
{
    public const string Name = "kernel";
}

/// <summary>The measurement lock for the kernel tests, handed down to the benches they start.</summary>
public sealed class HostLockFixture : IDisposable
{
    private readonly MeasurementLock _lock;

    public HostLockFixture()
    {
        _lock = MeasurementLock.Acquire(
            "packetcounter tests (kernel collection)",
            holder =>
            {
                Console.Error.WriteLine($"tests: waiting for {holder?.ToString() ?? "another bench"} to finish");
                return true;
            },
            CancellationToken.None
        )!;
        // A bench the tests start is a child of this process: it measures under this lock.
        Environment.SetEnvironmentVariable(
            MeasurementLock.HolderVariable,
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
        );
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(MeasurementLock.HolderVariable, null);
        _lock.Dispose();
    }
}
