namespace PacketCounter.Profiling.Plugins.Descriptors;

/// <summary>
/// A variant descriptor that cannot be used, pointing where an editor jumps to:
/// <c>FILE:LINE:COLUMN: what is wrong; what was expected</c>.
/// </summary>
public sealed class DescriptorException(string file, int line, int column, string problem)
    : Exception($"{file}:{line}:{column}: {problem}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Problem { get; } = problem;

    /// <summary>A problem at a place recorded while reading the descriptor.</summary>
    public static DescriptorException At(Located place, string problem) =>
        new(place.File, place.Line, place.Column, problem);
}

/// <summary>Where a value sits in a descriptor, for messages about it found later (e.g. in the object).</summary>
public readonly record struct Located(string File, int Line, int Column);

/// <summary>A value read from a descriptor, with where it was written.</summary>
public readonly record struct Located<T>(T Value, Located At);
