using System.Runtime.InteropServices;
using PacketCounter.Host.Cli;

using var cancellation = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
return HostCli.Run(args, cancellation.Token);

void Interrupt(PosixSignalContext context)
{
    // Let the run stop between chunks and clean up, instead of dying mid-attach.
    context.Cancel = true;
    cancellation.Cancel();
}
