using System.Runtime.InteropServices;
using PacketCounter.Host;
using PacketCounter.Host.Commands;

const string Usage = """
usage: packetcounter <command> [options]

commands:
  list                      the discovered variants, their plugin directory and BPF object
  bench                     run every variant on the embedded veth testbed and verify its counts
  run                       attach one variant to an interface and print its counts every interval
  trace                     list one packet's executed BPF instructions, with per-line counts
  compare RUN_A RUN_B       decide faster / slower / same per matched row; exits 1 when any row regressed
  cleanup                   remove testbed interfaces and namespaces left by dead runs

options for list, bench, run and trace:
  --plugins DIR             also discover plugins in DIR (repeatable); plugins/ beside the host is always searched

bench options:
  --variants A,B            only these variants (the Null baseline always runs too)
  --mode MODE               micro | live | all (default all)
  --packets N               live: packets per window (default 1M; suffixes k, M, G)
  --repeats K               live: windows per variant, interleaved across variants (default 5)
  --max-repeats K           live: add repeats while an Mpps CI is wider than 5% of its mean, up to K (default 12)
  --warmup N                live: packets sent before each window (default 200k)
  --gen-cpus LIST           live: generator CPUs, one pinned thread each; repeat the option to
                            measure several settings, e.g. --gen-cpus 0 --gen-cpus 0,1 (default: first CPU)
  --samples N               micro: measured samples per variant and class (default 10)
  --size BYTES              frame size, 64 to 1500 (default 64)
  --mix NAME                default | uniform | a class name such as ipv4-udp (default: default)
  --events LIST             live: perf events counted system-wide per CPU in every window, e.g.
                            cycles,instructions,cycles:k,cpu-clock (default: a standard set; 'none' for none)
  --insn-budget N           flag variants executing more BPF instructions per packet than N (default 50)
  --seed N                  the seed of the live order shuffle (default: random, printed)
  --config FILE             a YAML or JSON matrix: variants, sizes, mixes, modes, gen_cpus, packets, ...
  --out DIR                 where results go (default: reports/<run-id>)
  --iface IF                measure on this real interface with its external traffic instead of the testbed
  --duration S              with --iface: seconds per window (default 10)
  --attach MODE             with --iface: native | generic | auto (default native)

run options:
  --variant NAME            the variant to attach (required)
  --iface IF                the interface (required); it must exist and be up
  --interval S              seconds between lines (default 1)
  --duration S              stop by itself after S seconds (default: until Ctrl+C)
  --mode MODE               native | generic | auto: native, falling back to generic (default native)

trace options:
  --variant NAME            the variant (required)
  --class CLASS             the traffic class, e.g. ipv4-udp (required)
  --size BYTES              frame size (default 64)

compare options:
  --threshold P             the relative change below which a row is "same" (default 5%)
""";

var commands = new Dictionary<string, IReadOnlySet<string>>
{
    ["list"] = new HashSet<string> { "plugins" },
    ["bench"] = new HashSet<string>(BenchCommand.Options),
    ["cleanup"] = new HashSet<string>(),
    ["compare"] = new HashSet<string> { "threshold" },
    ["run"] = new HashSet<string>(RunCommand.Options),
    ["trace"] = new HashSet<string>(TraceCommand.Options),
};

if (args is ["--help" or "-h" or "help"])
{
    Console.WriteLine(Usage);
    return ExitCodes.Success;
}

CommandLine commandLine;
try
{
    commandLine = CommandLine.Parse(args, commands);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"packetcounter: {e.Message}");
    Console.Error.WriteLine(Usage);
    return ExitCodes.Usage;
}

using var cancellation = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
void Interrupt(PosixSignalContext context)
{
    // Let the run stop between chunks and clean up, instead of dying mid-attach.
    context.Cancel = true;
    cancellation.Cancel();
}

if (commandLine.Command is "bench" or "run" or "cleanup" or "trace" && PacketCounter.Profiling.Machine.Privileges.Missing() is { Count: > 0 } missing)
{
    Console.Error.WriteLine($"packetcounter: missing {string.Join(", ", missing)}; run it as root: sudo ./packetcounter {commandLine.Command} ...");
    return ExitCodes.Permission;
}

try
{
    return commandLine.Command switch
    {
        "list" => ListCommand.Run(commandLine),
        "bench" => BenchCommand.Run(commandLine, cancellation.Token),
        "cleanup" => CleanupCommand.Run(commandLine),
        "compare" => CompareCommand.Run(commandLine),
        "run" => RunCommand.Run(commandLine, cancellation.Token),
        "trace" => TraceCommand.Run(commandLine),
        _ => throw new UsageException($"unknown command '{commandLine.Command}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"packetcounter: {e.Message}");
    Console.Error.WriteLine(Usage);
    return ExitCodes.Usage;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("packetcounter: interrupted; results gathered so far are kept");
    return ExitCodes.Interrupted;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"packetcounter: {e.Message}");
    return ExitCodes.Failure;
}
