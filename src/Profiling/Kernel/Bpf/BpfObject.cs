using System.Runtime.InteropServices;
using System.Text;
using PacketCounter.Profiling.Native;

namespace PacketCounter.Profiling.Bpf;

/// <summary>
/// A BPF object file opened through libbpf. It owns its programs and maps: they are
/// valid while the object is, and disposing the object unloads them all.
/// </summary>
public sealed unsafe class BpfObject : IDisposable
{
    // The verifier log of a small program is a few KiB; a refused one with a long
    // path can be far longer, and a truncated log loses the line that matters.
    private const int VerifierLogSize = 4 << 20;

    private readonly SafeBpfObjectHandle _handle;
    private byte* _verifierLog;
    private bool _loaded;

    private BpfObject(string path, SafeBpfObjectHandle handle, byte* verifierLog)
    {
        Path = path;
        _handle = handle;
        _verifierLog = verifierLog;
    }

    /// <summary>The object file this came from.</summary>
    public string Path { get; }

    /// <summary>The file name, for messages.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Opens an object without loading it, so that its configuration can still be set.</summary>
    public static BpfObject Open(string path)
    {
        LibbpfLog.Install();
        if (!File.Exists(path))
            throw new BpfException($"open BPF object {path}", Native.Errno.ENOENT);

        var log = (byte*)NativeMemory.AllocZeroed(VerifierLogSize);
        var opts = new Interop.Libbpf.BpfObjectOpenOpts
        {
            sz = (nuint)sizeof(Interop.Libbpf.BpfObjectOpenOpts),
            kernel_log_buf = log,
            kernel_log_size = VerifierLogSize,
            // Level 0 with a buffer: libbpf loads quietly and, only when a load fails,
            // retries at level 1 into this buffer.
            kernel_log_level = 0,
        };
        var handle = Interop.Libbpf.ObjectOpenFile(path, &opts);
        if (handle.IsInvalid)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            NativeMemory.Free(log);
            throw new BpfException(
                $"open BPF object {path}",
                errno == 0 ? Native.Errno.EINVAL : errno,
                LastLibbpfMessage()
            );
        }
        return new BpfObject(path, handle, log);
    }

    /// <summary>
    /// The name of the object's one XDP program; an object with none, or with several, is a
    /// <see cref="BpfException"/> that names what it has.
    /// </summary>
    public static string OnlyXdpProgram(string path)
    {
        using var obj = Open(path);
        var xdp = obj.Programs.Where(p => p.IsXdp).Select(p => p.Name).ToList();
        return xdp.Count switch
        {
            1 => xdp[0],
            0 => throw new InvalidDataException(
                $"{obj.FileName} has no XDP program (its programs: "
                    + $"{string.Join(", ", obj.Programs.Select(p => p.Name).DefaultIfEmpty("none"))})"
            ),
            _ => throw new InvalidDataException(
                $"{obj.FileName} has several XDP programs ({string.Join(", ", xdp)}); name one with --program"
            ),
        };
    }

    /// <summary>Opens and loads an object in one step.</summary>
    public static BpfObject Load(string path)
    {
        var obj = Open(path);
        try
        {
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>Loads every program and creates every map. A refused program raises <see cref="BpfVerifierException"/>.</summary>
    public void Load()
    {
        if (_loaded)
            throw new InvalidOperationException($"{FileName} is already loaded");
        LibbpfLog.Clear();
        var result = Interop.Libbpf.ObjectLoad(_handle);
        if (result < 0)
        {
            var log = Marshal.PtrToStringUTF8((nint)_verifierLog) ?? string.Empty;
            var operation = $"load BPF object {FileName}";
            if (log.Length > 0)
                throw new BpfVerifierException(operation, -result, log);
            throw new BpfException(operation, -result, LastLibbpfMessage());
        }
        _loaded = true;
    }

    /// <summary>The program with this function name.</summary>
    public BpfProgram Program(string name) =>
        new(this, Find(Interop.Libbpf.ObjectFindProgramByName, name, "program", Programs.Select(p => p.Name)));

    /// <summary>Every program in the object, in section order.</summary>
    public IReadOnlyList<BpfProgram> Programs =>
        Enumerate(Interop.Libbpf.ObjectNextProgram, p => new BpfProgram(this, p));

    /// <summary>The map with this name.</summary>
    public BpfMap Map(string name) =>
        new(this, Find(Interop.Libbpf.ObjectFindMapByName, name, "map", Maps.Select(m => m.Name)));

    // A lookup by name; a miss names what the object does have.
    private nint Find(
        Func<SafeBpfObjectHandle, string, nint> find,
        string name,
        string kind,
        IEnumerable<string> present
    )
    {
        var found = find(_handle, name);
        if (found != 0)
            return found;
        var names = string.Join(", ", present);
        throw new BpfException(
            $"find {kind} '{name}' in {FileName}",
            Native.Errno.ENOENT,
            $"the object has {(names.Length == 0 ? $"no {kind}s" : names)}"
        );
    }

    /// <summary>Every map in the object, internal ones (.rodata, .bss) included.</summary>
    public IReadOnlyList<BpfMap> Maps => Enumerate(Interop.Libbpf.ObjectNextMap, m => new BpfMap(this, m));

    // libbpf's iterators: next(obj, NULL) is the first, next(obj, last) is NULL.
    private List<T> Enumerate<T>(Func<SafeBpfObjectHandle, nint, nint> next, Func<nint, T> wrap)
    {
        var items = new List<T>();
        for (var item = next(_handle, 0); item != 0; item = next(_handle, item))
            items.Add(wrap(item));
        return items;
    }

    /// <summary>
    /// Sets a <c>const volatile</c> global before load. libbpf names the section map
    /// "&lt;object prefix&gt;.rodata"; the variable sits at <paramref name="offset"/> in it.
    /// </summary>
    public void SetReadOnlyGlobal(int offset, uint value)
    {
        if (_loaded)
            throw new InvalidOperationException($"{FileName}: read-only globals are fixed once loaded");
        var rodata =
            Maps.FirstOrDefault(m => m.Name.EndsWith(".rodata", StringComparison.Ordinal))
            ?? throw new BpfException(
                $"set a read-only global in {FileName}",
                Native.Errno.ENOENT,
                "the object has no .rodata"
            );
        nuint size;
        var data = (byte*)Interop.Libbpf.MapInitialValue(rodata.Pointer, &size);
        if (data == null || (nuint)(offset + sizeof(uint)) > size)
            throw new BpfException(
                $"set a read-only global in {FileName}",
                Native.Errno.E2BIG,
                $".rodata is {size} bytes"
            );
        *(uint*)(data + offset) = value;
    }

    internal SafeBpfObjectHandle Handle => _handle;

    /// <summary>Keeps the object alive across a native call on one of its children.</summary>
    internal ObjectLease Lease()
    {
        var added = false;
        _handle.DangerousAddRef(ref added);
        return new ObjectLease(_handle, added);
    }

    private static string? LastLibbpfMessage()
    {
        var messages = LibbpfLog.RecentMessages;
        return messages.Count == 0 ? null : messages[^1];
    }

    public void Dispose()
    {
        _handle.Dispose();
        if (_verifierLog != null && _handle.IsClosed)
        {
            NativeMemory.Free(_verifierLog);
            _verifierLog = null;
        }
    }

    internal sealed class ObjectLease(SafeBpfObjectHandle handle, bool added) : IDisposable
    {
        public void Dispose()
        {
            if (added)
                handle.DangerousRelease();
        }
    }
}
