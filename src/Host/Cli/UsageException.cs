namespace PacketCounter.Host.Cli;

/// <summary>
/// A bad command line found after parsing: one line saying what was wrong. The host prints it with the usage and
/// exits 2.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
