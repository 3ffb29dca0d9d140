using PacketCounter.Profiling.Measurement;
using Spectre.Console;

namespace PacketCounter.Host.Terminal;

/// <summary>
/// Where a bench says how far it is. On a terminal: one line, redrawn in place, with the
/// engine's status messages printed above it. Off a terminal: the status messages only,
/// which the engine sends at most once per round or micro class, so a log stays readable.
/// </summary>
internal static class ProgressDisplay
{
    public static T Run<T>(IAnsiConsole console, bool interactive, Func<Action<BenchProgress>, Action<string>, T> work)
    {
        if (!interactive)
            return work(_ => { }, message => console.WriteLine($"  {message}"));
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
                    message =>
                    {
                        lock (gate)
                            console.MarkupLine($"  {Markup.Escape(message)}");
                    }
                );
            });
    }
}
