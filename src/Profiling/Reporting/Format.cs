namespace PacketCounter.Profiling.Reporting;

/// <summary>Numbers as every report prints them: invariant culture, and "-" for a figure that does not exist.</summary>
internal static class Format
{
    public static string Number(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>A figure in a sentence: two decimals below 10, one from there.</summary>
    public static string Figure(double value) => Number(value, Math.Abs(value) >= 10 ? "0.0" : "0.00");

    /// <summary>A figure with its sign: "+0.71", "-3.88".</summary>
    public static string Signed(double value) => (value >= 0 ? "+" : "") + Figure(value);

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Count(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"1.23 ± 0.04", or "1.23" where no CI exists.</summary>
    public static string WithCi(Statistics.Interval? interval, string format) =>
        interval is not { } i ? "-"
        : double.IsFinite(i.HalfWidth) ? $"{Number(i.Estimate, format)} ± {Number(i.HalfWidth, format)}"
        : Number(i.Estimate, format);
}
