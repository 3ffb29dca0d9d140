using PacketCounter.Host.Terminal;
using PacketCounter.Profiling.Analysis.Matrix;
using PacketCounter.Profiling.Guest;
using PacketCounter.Profiling.History;
using PacketCounter.Profiling.Matrix;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Reporting;
using PacketCounter.Profiling.Results;
using Spectre.Console;

namespace PacketCounter.Host.Cli;

/// <summary>
/// matrix: every variant on every kernel given, the running one natively and the others booted
/// under QEMU, with what each verifier and JIT make of it and the counts checked per class.
/// </summary>
internal static class MatrixCommand
{
    // The bench's own options for what to run and where results go, with their meaning unchanged.
    private static readonly string[] SharedFlags =
    [
        "--plugins",
        "--variants",
        "--object",
        "--program",
        "--out",
        "--tag",
        "--store",
        "--json",
    ];

    public static Command Build(CancellationToken cancellation)
    {
        var shared = BenchOptions
            .All.Where(row => SharedFlags.Contains(row.Flag))
            .Select(row => (Row: row, Option: BenchCommand.CliOption(row)))
            .ToList();
        var kernels = new Option<string[]>("--kernel")
        {
            Description =
                $"a kernel to run on (repeatable): {MatrixPlan.Host} (the running kernel), {DebianKernel.Name} "
                + $"(Debian 12's cloud kernel, fetched through apt and cached), or the path of a bzImage; default "
                + $"{string.Join(" and ", MatrixPlan.DefaultKernels)}",
            HelpName = "KERNEL",
            AllowMultipleArgumentsPerToken = false,
        };
        var limit = new Option<double>("--time-limit")
        {
            Description =
                $"seconds one guest may take to boot and run every variant before it is stopped (default "
                + $"{MatrixPlan.DefaultBootLimit.TotalSeconds:0})",
            CustomParser = Parsers.Seconds(1, 3600),
            DefaultValueFactory = _ => MatrixPlan.DefaultBootLimit.TotalSeconds,
        };
        var accel = new Option<string>("--accel")
        {
            Description = "auto (KVM when a probe boot works, else TCG), kvm or tcg",
            DefaultValueFactory = _ => "auto",
        };
        accel.AcceptOnlyFromAmong("auto", "kvm", "tcg");
        var cache = new Option<string>("--cache")
        {
            Description = $"where fetched kernels are kept (default {DebianKernel.DefaultCache})",
            HelpName = "DIR",
        };
        var command = new Command(
            "matrix",
            "run every variant on several kernels (the running one, and others under QEMU): loads, verifier "
                + "figures, JIT size, verdicts and exact counts per class"
        )
        {
            kernels,
            limit,
            accel,
            cache,
        };
        foreach (var (_, option) in shared)
            command.Add(option);
        command.SetAction(parse =>
        {
            var settings = new BenchSettings();
            foreach (var (row, option) in shared)
                if (parse.GetResult(option) is { Implicit: false } given)
                    settings = row.Apply(settings, given.Tokens.Select(t => t.Value).ToList(), row.Flag);
            var catalog = PluginOptions.Discover(settings.PluginDirectories);
            if (PluginOptions.HasBadDescriptor(catalog))
                return ExitCodes.Usage;
            var plan = new MatrixPlan(
                BenchPlanBuilder.Variants(settings, catalog.Variants),
                parse.GetValue(kernels) is { Length: > 0 } named ? named : MatrixPlan.DefaultKernels,
                TimeSpan.FromSeconds(parse.GetValue(limit)),
                parse.GetValue(cache) ?? DebianKernel.DefaultCache,
                parse.GetValue(accel) switch
                {
                    "kvm" => GuestAccel.Kvm,
                    "tcg" => GuestAccel.Tcg,
                    _ => null,
                }
            );
            var history = HistoryStore.Choose(settings.Store);
            var outDirectory = RunDirectory.Create(settings.OutDirectory);
            var console = settings.Json == true ? Consoles.Error : Consoles.Out;
            console.WriteLine(
                $"matrix: {string.Join(", ", plan.Variants.Select(v => v.Name))} on {string.Join(", ", plan.Kernels)}"
            );
            console.WriteLine($"results: {outDirectory}");
            var started = DateTimeOffset.UtcNow;
            var runs = MatrixRunner.Run(plan, line => console.WriteLine(line), cancellation);
            var result = MatrixAnalysis.Of(
                RunFolder.IdOf(outDirectory),
                plan.Variants.Select(v => v.Name).ToList(),
                runs,
                Profiling.Machine.MachineFacts.Read(PluginOptions.CommandLineText, started),
                catalog.Problems.Select(p => p.ToString()).ToList(),
                cancellation.IsCancellationRequested
            );
            using (var artifacts = new RunArtifacts(outDirectory, samples: false))
                artifacts.Finish(result);
            return BenchCommand.Finish(
                result,
                settings,
                outDirectory,
                history,
                console,
                verbose: false,
                keptWhenInterrupted: null
            );
        });
        return command;
    }
}
