using PacketCounter.Profiling.Plugins;

namespace PacketCounter.Host.Cli;

/// <summary>new: scaffold an out-of-tree variant that builds against this host and verifies as generated.</summary>
internal static class NewCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME")
        {
            Description = "the variant's name: a letter, then letters or digits (e.g. MyCounter)",
        };
        var dir = new Option<string>("--dir")
        {
            Description = "where the variant's folder NAME/ is made (default: the current directory)",
            HelpName = "D",
        };
        var format = new Option<string>("--format")
        {
            Description =
                "yaml: a descriptor (NAME.variant.yaml) and a .bpf.c, no C#; project: a C# project, its class and a .bpf.c",
            HelpName = "yaml|project",
            DefaultValueFactory = _ => "project",
        };
        format.AcceptOnlyFromAmong("project", "yaml");
        var command = new Command(
            "new",
            "scaffold an out-of-tree variant (a descriptor or a project, and its .bpf.c) that counts exactly as generated"
        )
        {
            name,
            dir,
            format,
        };
        command.SetAction(parse =>
        {
            var variant = parse.GetValue(name)!;
            var yaml = parse.GetValue(format) == "yaml";
            IReadOnlyList<string> files;
            try
            {
                files = VariantScaffold.Write(
                    variant,
                    parse.GetValue(dir) ?? Directory.GetCurrentDirectory(),
                    AppContext.BaseDirectory,
                    yaml ? ScaffoldFormat.Yaml : ScaffoldFormat.Project
                );
            }
            catch (ScaffoldException e)
            {
                throw new UsageException(e.Message);
            }
            var folder = Path.GetDirectoryName(files[0])!;
            foreach (var file in files)
                Console.WriteLine($"wrote {file}");
            if (yaml)
            {
                Console.WriteLine($"bench it:  ./packetcounter bench --plugins {folder} --variants {variant}");
                return ExitCodes.Success;
            }
            Console.WriteLine($"build it:  cd {folder} && dotnet build -c Release");
            Console.WriteLine(
                $"bench it:  ./packetcounter bench --plugins {Path.Combine(folder, "bin", "Release", "net10.0")} --variants {variant}"
            );
            return ExitCodes.Success;
        });
        return command;
    }
}
