using System.CommandLine.Parsing;
using PacketCounter.Profiling.Bpf;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Host.Cli;

/// <summary>
/// System.CommandLine parsers for the options of the commands other than bench, reading
/// values as <see cref="OptionValues"/> reads them everywhere: a bad value is a parse error
/// in one line naming the option.
/// </summary>
internal static class Parsers
{
    public static Func<ArgumentResult, int> Int(int min, int max) =>
        result => Read(result, (name, text) => OptionValues.Int(name, text, min, max));

    public static Func<ArgumentResult, double> Seconds(double min, double max) =>
        result => Read(result, (name, text) => OptionValues.Seconds(name, text, min, max));

    /// <summary>"5%" or "5" as a fraction (0.05).</summary>
    public static double Percentage(ArgumentResult result) => Read(result, OptionValues.Percentage);

    public static XdpAttachMode AttachMode(ArgumentResult result) => Read(result, OptionValues.AttachMode);

    private static T Read<T>(ArgumentResult result, Func<string, string, T> parse)
    {
        var name = (result.Parent as OptionResult)?.Option.Name ?? "value";
        try
        {
            return parse(name, result.Tokens.Count > 0 ? result.Tokens[0].Value : "");
        }
        catch (OptionException e)
        {
            result.AddError(e.Message);
            return default!;
        }
    }
}
