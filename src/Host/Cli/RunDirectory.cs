namespace PacketCounter.Host.Cli;

/// <summary>reports/&lt;run-id&gt;/, where the run id is the UTC start time.</summary>
internal static class RunDirectory
{
    public static string Create(string? requested)
    {
        var path = requested ?? NewRunPath();
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{path}' cannot be created: {e.Message}");
        }
        return Path.GetFullPath(path);
    }

    private static string NewRunPath()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine("reports", stamp);
        for (var n = 2; Directory.Exists(path); n++)
            path = Path.Combine("reports", $"{stamp}-{n}");
        return path;
    }
}
