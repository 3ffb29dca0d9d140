using PacketCounter.Profiling.Testbed;

namespace PacketCounter.Host.Cli;

internal static class CleanupCommand
{
    public static Command Build()
    {
        var command = new Command(
            "cleanup",
            "remove testbed interfaces and namespaces, and stop QEMU guests, left by dead runs"
        );
        command.SetAction(_ =>
        {
            var guests = Profiling.Guest.GuestProcesses.Sweep();
            foreach (var pid in guests)
                Console.WriteLine($"stopped QEMU guest {pid}");
            var removed = LeftoverSweep.Run();
            foreach (var name in removed.Interfaces)
                Console.WriteLine($"removed interface {name}");
            foreach (var name in removed.Namespaces)
                Console.WriteLine($"removed namespace {name}");
            if (removed.Interfaces.Count + removed.Namespaces.Count + guests.Count == 0)
                Console.WriteLine("nothing left behind by dead runs");
            return ExitCodes.Success;
        });
        return command;
    }
}
