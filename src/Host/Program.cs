using System.Runtime.InteropServices;
using PacketCounter.Host;
using PacketCounter.Host.Cli;

using var cancellation = new CancellationTokenSource();

// INT from a terminal, TERM from systemd, Kubernetes and CI runners, HUP when the terminal
// goes away: each stops the run the same way, and the exit code names the signal.
var received = 0;
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);
var exit = HostCli.Run(args, cancellation.Token);
return exit == ExitCodes.Interrupted && received != 0 ? ExitCodes.SignalBase + received : exit;

void Interrupt(PosixSignalContext context)
{
    // Let the run stop between chunks and clean up, instead of dying mid-attach.
    context.Cancel = true;
    Interlocked.CompareExchange(ref received, ExitCodes.SignalNumber(context.Signal), 0);
    cancellation.Cancel();
}
