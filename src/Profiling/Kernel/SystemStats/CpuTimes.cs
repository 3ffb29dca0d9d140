namespace PacketCounter.Profiling.SystemStats;

/// <summary>One CPU's time split from /proc/stat, in USER_HZ ticks.</summary>
public readonly record struct CpuTimes(
    int Cpu,
    ulong User,
    ulong Nice,
    ulong System,
    ulong Idle,
    ulong IoWait,
    ulong Irq,
    ulong SoftIrq,
    ulong Steal
)
{
    public ulong Total => User + Nice + System + Idle + IoWait + Irq + SoftIrq + Steal;

    /// <summary>Per-CPU lines of /proc/stat ("cpu0 ...", not the "cpu" sum).</summary>
    public static IReadOnlyList<CpuTimes> Read() => Parse(File.ReadLines("/proc/stat"));

    internal static IReadOnlyList<CpuTimes> Parse(IEnumerable<string> lines)
    {
        var cpus = new List<CpuTimes>();
        foreach (var line in lines)
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsDigit(line[3]))
                continue;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ulong F(int i) => i < f.Length ? ulong.Parse(f[i], CultureInfo.InvariantCulture) : 0;
            cpus.Add(
                new CpuTimes(
                    int.Parse(f[0].AsSpan(3), CultureInfo.InvariantCulture),
                    F(1),
                    F(2),
                    F(3),
                    F(4),
                    F(5),
                    F(6),
                    F(7),
                    F(8)
                )
            );
        }
        return cpus;
    }
}

/// <summary>How busy each CPU was over a window, as percentages of that CPU's time.</summary>
public sealed record CpuBusy(
    int Cpu,
    double SoftIrqPercent,
    double SystemPercent,
    double UserPercent,
    double IdlePercent
)
{
    public static IReadOnlyList<CpuBusy> Between(IReadOnlyList<CpuTimes> before, IReadOnlyList<CpuTimes> after)
    {
        var busy = new List<CpuBusy>();
        foreach (var end in after)
        {
            var start = before.FirstOrDefault(b => b.Cpu == end.Cpu);
            double total = end.Total - start.Total;
            if (total <= 0)
                continue;
            double Pct(ulong a, ulong b) => 100.0 * (a - b) / total;
            busy.Add(
                new CpuBusy(
                    end.Cpu,
                    Pct(end.SoftIrq, start.SoftIrq),
                    Pct(end.System, start.System),
                    Pct(end.User + end.Nice, start.User + start.Nice),
                    Pct(end.Idle + end.IoWait, start.Idle + start.IoWait)
                )
            );
        }
        return busy;
    }
}
