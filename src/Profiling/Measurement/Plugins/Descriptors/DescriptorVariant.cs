using PacketCounter.Abstractions;

namespace PacketCounter.Profiling.Plugins.Descriptors;

/// <summary>A variant a descriptor declares, with its object compiled or found.</summary>
/// <param name="objectPath">The object's full path: built from the descriptor's source, or its prebuilt object.</param>
public sealed class DescriptorVariant(VariantDescriptor descriptor, string objectPath) : ICounterVariant
{
    public VariantDescriptor Descriptor => descriptor;

    public string Name => descriptor.Name;

    public string Description => descriptor.Description;

    public VariantRole Role => descriptor.Role;

    public string ObjectFile => objectPath;

    public string ProgramName => descriptor.Program.Value;

    public IReadOnlyList<CountMap> CountMaps { get; } = descriptor.Maps.Select(m => m.ToCountMap()).ToList();

    public string? CountFor(TrafficClass trafficClass) => descriptor.Counts.GetValueOrDefault(trafficClass);

    public bool IsSpeedupReference => descriptor.IsSpeedupReference;

    public VariantSweep? Sweep => descriptor.Sweep;

    public bool RunsByDefault => descriptor.RunsByDefault;

    public IEnumerable<ExpectedCount> ExpectedCounts(SentTraffic sent) =>
        descriptor.Expect.SelectMany(rule => Expected(rule, sent)).ToList();

    private IEnumerable<ExpectedCount> Expected(Expectation rule, SentTraffic sent) =>
        rule switch
        {
            Expectation.Packets { SampleOneIn: null } => ExpectedCount.PacketsByClass(sent, CountFor),
            Expectation.Packets { SampleOneIn: { } oneIn, Sigmas: var sigmas } => ExpectedCount
                .PacketsByClass(sent, CountFor)
                .Select(all => ExpectedCount.Sampled(all.Count, (long)all.Value, oneIn, sigmas)),
            Expectation.Bytes { CountTemplate.Value: var template } => ExpectedCount.Sum(
                sent,
                f =>
                    CountFor(f.Class) is { } count
                        ? [(template.Replace("{count}", count, StringComparison.Ordinal), (ulong)(f.Packets * f.Size))]
                        : [],
                CountUnit.Bytes
            ),
            Expectation.Histogram => ExpectedCount.Sum(
                sent,
                f =>
                    CountFor(f.Class) is null
                        ? []
                        : [(SizeHistogram.Name(SizeHistogram.Bucket(f.Size)), (ulong)f.Packets)],
                CountUnit.Bucket
            ),
            Expectation.AtMost { Count.Value: var count, Why: var why } =>
            [
                ExpectedCount.AtMost(
                    count,
                    (ulong)sent.Frames.Where(f => CountFor(f.Class) is not null).Sum(f => f.Packets),
                    why
                ),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "an expectation this host does not know"),
        };
}
