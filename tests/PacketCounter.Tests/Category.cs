namespace PacketCounter.Tests;

/// <summary>
/// What a test needs, as xunit traits, so a person runs what fits the machine at hand:
/// <c>./run-tests --filter Category=Pure</c> needs neither root nor a kernel nor a server.
/// Every test class carries Pure, or one or more of Kernel and Server; Slow is added to
/// those that take ten seconds or more. A test in the kernel collection is never Pure.
/// </summary>
internal static class Category
{
    public const string Name = "Category";

    /// <summary>No kernel, no root, no servers: statistics, emulator, parsers, reports and store logic.</summary>
    public const string Pure = "Pure";

    /// <summary>Loads programs, builds testbeds or sends traffic: root and the real kernel.</summary>
    public const string Kernel = "Kernel";

    /// <summary>Starts a PostgreSQL or Prometheus server of its own.</summary>
    public const string Server = "Server";

    /// <summary>Ten seconds or more.</summary>
    public const string Slow = "Slow";
}
