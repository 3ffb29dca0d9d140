using PacketCounter.Profiling.Machine;

namespace PacketCounter.Profiling.Guest;

/// <summary>A kernel image fetched for the matrix: the bzImage, and what package it came from.</summary>
public sealed record FetchedKernel(string Image, string Package, string Version, bool FromCache);

/// <summary>
/// Debian 12's own cloud kernel, fetched with apt (the package the linux-image-cloud-amd64
/// metapackage points at today) and unpacked with dpkg into a cache folder, once.
/// </summary>
public static class DebianKernel
{
    public const string Name = "debian-12";

    private const string Metapackage = "linux-image-cloud-amd64";

    /// <summary>$XDG_CACHE_HOME/packetcounter/kernels, else reports/cache/kernels.</summary>
    public static string DefaultCache =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache
            ? Path.Combine(cache, "packetcounter", "kernels")
            : Path.Combine("reports", "cache", "kernels");

    /// <summary>The image, from the cache or fetched now; one that cannot be had is a <see cref="GuestException"/>.</summary>
    public static FetchedKernel Fetch(string cache)
    {
        var package = CurrentPackage();
        var folder = Path.GetFullPath(Path.Combine(cache, package));
        if (Unpacked(folder) is { } cached)
            return new FetchedKernel(cached, package, File.ReadAllText(Path.Combine(folder, "version")).Trim(), true);
        Directory.CreateDirectory(folder);
        var download = Apt("apt-get", ["download", package], folder);
        if (download.ExitCode != 0)
        {
            // A machine whose package lists were never fetched knows the name but not the file.
            Apt("apt-get", ["update", "-qq"], folder);
            download = Apt("apt-get", ["download", package], folder);
        }
        var deb = Directory.GetFiles(folder, "*.deb").FirstOrDefault();
        if (download.ExitCode != 0 || deb is null)
            throw new GuestException($"apt-get download {package} failed: {download.LastLine}");
        var unpack = Apt("dpkg", ["-x", deb, folder], folder);
        if (unpack.ExitCode != 0)
            throw new GuestException($"dpkg -x {Path.GetFileName(deb)} failed: {unpack.LastLine}");
        // linux-image-6.1.0-57-cloud-amd64_6.1.192-3_amd64.deb
        var version = Path.GetFileNameWithoutExtension(deb).Split('_') is [_, var v, ..] ? v : "unknown";
        File.WriteAllText(Path.Combine(folder, "version"), version + "\n");
        File.Delete(deb);
        return new FetchedKernel(
            Unpacked(folder) ?? throw new GuestException($"{package} holds no boot/vmlinuz-*"),
            package,
            version,
            false
        );
    }

    // "linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-57-cloud-amd64"
    private static string CurrentPackage()
    {
        var depends = Apt("apt-cache", ["depends", Metapackage], null);
        return depends
                .Output.Split('\n')
                .Select(l => l.Trim())
                .FirstOrDefault(l => l.StartsWith("Depends: linux-image-", StringComparison.Ordinal))
                ?["Depends: ".Length..]
            ?? throw new GuestException(
                $"apt knows no {Metapackage} ({depends.LastLine}); the {Name} kernel is fetched from "
                    + "Debian 12's archive: on another system pass the bzImage as --kernel PATH"
            );
    }

    private static string? Unpacked(string folder) =>
        Directory.Exists(Path.Combine(folder, "boot")) && File.Exists(Path.Combine(folder, "version"))
            ? Directory.GetFiles(Path.Combine(folder, "boot"), "vmlinuz-*").FirstOrDefault()
            : null;

    private static ToolResult Apt(string tool, string[] arguments, string? folder)
    {
        try
        {
            return ExternalTool.Run(tool, arguments, folder);
        }
        catch (FileNotFoundException)
        {
            throw new GuestException(
                $"{tool} is not here; the {Name} kernel is fetched with apt: pass a bzImage as --kernel PATH"
            );
        }
    }
}
