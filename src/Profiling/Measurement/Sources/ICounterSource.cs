using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Machine;
using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Profiling.Sources;

/// <summary>Which windows a counter source may count in.</summary>
public enum WindowUse
{
    /// <summary>It costs the measured path nothing: it rides along every throughput window.</summary>
    Shared,

    /// <summary>It slows what it measures: windows of its own, one per program in the first rounds.</summary>
    OwnPerRound,

    /// <summary>It slows what it measures and takes a window per program of its own, after the rounds.</summary>
    OwnAfterRounds,
}

/// <summary>The program a window measures: the variant, and the program attached for it (the variant's own or its drop twin).</summary>
public sealed record SourceWindow(LoadedVariant Variant, KernelProgram Program);

/// <summary>What a source counted over one window.</summary>
public abstract record SourceReading;

/// <summary>
/// Something counted beside a window, in the manner of BenchmarkDotNet's diagnosers: it
/// says up front whether it can run here (or "not supported: why"), which windows it needs,
/// and counts between <see cref="Begin"/> and <see cref="End"/>. The live, interface and
/// bench paths drive a list of them; a new source is one class.
/// </summary>
public interface ICounterSource : IDisposable
{
    /// <summary>What it counts, e.g. "perf events" or "run stats".</summary>
    string Name { get; }

    /// <summary>What the probe found, one state per thing it counts (each perf event, say).</summary>
    IReadOnlyList<SourceState> States { get; }

    /// <summary>It can count here; a source that cannot is never begun.</summary>
    bool Available { get; }

    WindowUse Windows { get; }

    void Begin(SourceWindow window);

    SourceReading End(SourceWindow window);
}

/// <summary>Runs a window with a set of sources around it: each begun before, ended after, in reverse order.</summary>
public static class SourceWindows
{
    public static (T Result, IReadOnlyList<SourceReading> Readings) Measure<T>(
        IReadOnlyList<ICounterSource> sources,
        SourceWindow window,
        Func<T> work
    )
    {
        var running = new List<ICounterSource>();
        try
        {
            foreach (var source in sources.Where(s => s.Available))
            {
                source.Begin(window);
                running.Add(source);
            }
            var result = work();
            var readings = new List<SourceReading>();
            for (var i = running.Count - 1; i >= 0; i--)
                readings.Insert(0, running[i].End(window));
            running.Clear();
            return (result, readings);
        }
        finally
        {
            // A window cut short still ends what it began, so nothing is left counting.
            for (var i = running.Count - 1; i >= 0; i--)
            {
                try
                {
                    running[i].End(window);
                }
                catch (Exception e) when (e is not OutOfMemoryException) { }
            }
        }
    }
}
