namespace PacketCounter.Profiling.Emulation;

/// <summary>Names of BPF helpers by number (enum bpf_func_id), for listings and errors.</summary>
public static class HelperNames
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "bpf_map_lookup_elem", [2] = "bpf_map_update_elem", [3] = "bpf_map_delete_elem", [4] = "bpf_probe_read",
        [5] = "bpf_ktime_get_ns", [6] = "bpf_trace_printk", [7] = "bpf_get_prandom_u32", [8] = "bpf_get_smp_processor_id",
        [12] = "bpf_tail_call", [23] = "bpf_redirect", [25] = "bpf_perf_event_output", [44] = "bpf_xdp_adjust_head",
        [51] = "bpf_redirect_map", [54] = "bpf_xdp_adjust_meta", [55] = "bpf_perf_event_read_value", [65] = "bpf_xdp_adjust_tail",
        [69] = "bpf_fib_lookup", [130] = "bpf_ringbuf_output", [131] = "bpf_ringbuf_reserve", [132] = "bpf_ringbuf_submit",
        [164] = "bpf_for_each_map_elem", [181] = "bpf_loop",
    };

    public static string Of(int helper) => Names.TryGetValue(helper, out var name) ? name : $"helper #{helper}";
}
