namespace PacketCounter.Tests;

/// <summary>
/// The calling thread's scheduler accounting, from /proc/thread-self/schedstat: its exec
/// runtime, and the time it waited runnable for a CPU (run delay), both in ns.
/// </summary>
internal static class ThreadSchedstat
{
    public static double ExecNs() => Field(0);

    public static double RunDelayNs() => Field(1);

    private static double Field(int index) =>
        double.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[index], CultureInfo.InvariantCulture);
}
