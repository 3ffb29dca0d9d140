using PacketCounter.Profiling.Measurement;
using Spectre.Console;

namespace PacketCounter.Host.Terminal;

/// <summary>
/// Where a bench says how far it is. On a terminal: one line, redrawn in place, with the
/// engine's status lines printed above it. Off a terminal: the status lines only, which the
/// engine sends at most once per round or micro class, so a log stays readable. Samples go
/// on to <c>samples</c> (the run folder's journal).
/// </summary>
internal static class ProgressDisplay
{
    public static T Run<T>(IAnsiConsole console, bool interactive, IBenchObserver samples, Func<IBenchObserver, T> work)
    {
        if (!interactive)
            return work(new Display(samples, _ => { }, line => console.WriteLine($"  {line}")));
        return console
            .Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new TaskDescriptionColumn { Alignment = Justify.Left }
            )
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: 1);
                var gate = new object();
                return work(
                    new Display(
                        samples,
                        progress =>
                        {
                            lock (gate)
                            {
                                // Extra rounds can run past the planned total: the bar stays full rather than overflow.
                                task.MaxValue = Math.Max(progress.Total, progress.Done);
                                task.Value = progress.Done;
                                task.Description = Markup.Escape(progress.Current);
                            }
                        },
                        line =>
                        {
                            lock (gate)
                                console.MarkupLine($"  {Markup.Escape(line)}");
                        }
                    )
                );
            });
    }

    private sealed class Display(IBenchObserver samples, Action<BenchProgress> progress, Action<string> say)
        : IBenchObserver
    {
        public void Took(MicroSample sample) => samples.Took(sample);

        public void Took(LiveSample sample) => samples.Took(sample);

        public void Progressed(BenchProgress value) => progress(value);

        public void Said(string line) => say(line);
    }
}
