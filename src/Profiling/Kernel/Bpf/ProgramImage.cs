using System.Buffers.Binary;
using System.Runtime.InteropServices;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>A line record of the loaded program, with where the JIT put the line's code.</summary>
/// <param name="JitOffset">The line's first byte in <see cref="ProgramImage.Jited"/>; null without the JIT's line info.</param>
public sealed record LoadedLine(LineRecord Record, int? JitOffset);

/// <summary>
/// What the kernel made of a loaded program: the instructions after the verifier's rewrites,
/// the JIT's machine code, and the line info of both (bpf_prog_info's line_info and
/// jited_line_info). The kernel withholds the raw image and addresses where it does not
/// show kernel addresses (kernel.kptr_restrict), and there is no image with the JIT off:
/// <see cref="JitUnavailable"/> then says why, and the BPF side stands alone.
/// </summary>
public sealed record ProgramImage(
    ulong[] Xlated,
    byte[]? Jited,
    ulong JitBase,
    IReadOnlyList<LoadedLine> Lines,
    string? JitUnavailable
)
{
    public static unsafe ProgramImage Read(int progFd)
    {
        var info = new Interop.Libbpf.BpfProgInfo();
        var length = (uint)sizeof(Interop.Libbpf.BpfProgInfo);
        if (Interop.Libbpf.ObjectGetInfoByFd(progFd, &info, &length) != 0)
            throw new BpfException($"read info of program fd {progFd}", Marshal.GetLastPInvokeError());
        var xlated = new ulong[info.xlated_prog_len / 8];
        var jited = new byte[info.jited_prog_len];
        var lineSize = (int)info.line_info_rec_size;
        var lines = new byte[info.nr_line_info * lineSize];
        var jitLines = new ulong[info.nr_jited_line_info];
        var symbols = new ulong[info.nr_jited_ksyms];
        fixed (ulong* xlatedBuffer = xlated)
        fixed (byte* jitedBuffer = jited)
        fixed (byte* lineBuffer = lines)
        fixed (ulong* jitLineBuffer = jitLines)
        fixed (ulong* symbolBuffer = symbols)
        {
            // The second call names buffers for what the first counted; only those are filled.
            var second = new Interop.Libbpf.BpfProgInfo
            {
                xlated_prog_len = info.xlated_prog_len,
                xlated_prog_insns = (ulong)xlatedBuffer,
                jited_prog_len = info.jited_prog_len,
                jited_prog_insns = (ulong)jitedBuffer,
                nr_line_info = info.nr_line_info,
                line_info_rec_size = info.line_info_rec_size,
                line_info = (ulong)lineBuffer,
                nr_jited_line_info = info.nr_jited_line_info,
                jited_line_info_rec_size = sizeof(ulong),
                jited_line_info = (ulong)jitLineBuffer,
                nr_jited_ksyms = info.nr_jited_ksyms,
                jited_ksyms = (ulong)symbolBuffer,
            };
            length = (uint)sizeof(Interop.Libbpf.BpfProgInfo);
            if (Interop.Libbpf.ObjectGetInfoByFd(progFd, &second, &length) != 0)
                throw new BpfException($"read the image of program fd {progFd}", Marshal.GetLastPInvokeError());
            // Withheld raw data comes back as a null pointer where a buffer was given.
            var why =
                info.jited_prog_len == 0 ? "the JIT is off (net.core.bpf_jit_enable), so there is no machine code"
                : second.jited_prog_insns == 0 || second.jited_line_info == 0 || second.jited_ksyms == 0
                    ? "the kernel withholds the JIT image and its addresses from this process "
                        + $"(kernel.kptr_restrict is {Sysctl("kernel/kptr_restrict")})"
                : info.nr_jited_line_info == 0 ? "the program has no line info (built without -g)"
                : null;
            var records = ReadKernelLines(lines, lineSize, info.btf_id);
            var jitBase = why is null && symbols.Length > 0 ? symbols[0] : 0;
            return new ProgramImage(
                second.xlated_prog_insns == 0 ? [] : xlated,
                why is null ? jited : null,
                jitBase,
                records
                    .Select(
                        (r, i) =>
                            new LoadedLine(r, why is null && i < jitLines.Length ? (int)(jitLines[i] - jitBase) : null)
                    )
                    .ToList(),
                why
            );
        }
    }

    private static List<LineRecord> ReadKernelLines(byte[] lines, int recordSize, uint btfId)
    {
        if (lines.Length == 0 || btfId == 0)
            return [];
        var btf = Interop.Libbpf.BtfLoadFromKernelById(btfId);
        if (btf == 0)
            throw new BpfException($"read the kernel's BTF {btfId}", Marshal.GetLastPInvokeError());
        try
        {
            var records = new List<LineRecord>();
            for (var at = 0; at + recordSize <= lines.Length; at += recordSize)
                records.Add(SourceLines.Record(lines.AsSpan(at), btf, instructionUnit: 1));
            return records;
        }
        finally
        {
            Interop.Libbpf.BtfFree(btf);
        }
    }

    private static string Sysctl(string name)
    {
        try
        {
            return File.ReadAllText($"/proc/sys/{name}").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>
    /// Xlated instructions from slot <paramref name="from"/> up to <paramref name="to"/>, a 16-byte
    /// ld_imm64 counted once.
    /// </summary>
    public int XlatedInstructions(int from, int to) =>
        Asm.Instruction.Starts(Asm.Instruction.Decode(Xlated)).Count(slot => slot >= from && slot < to);
}
