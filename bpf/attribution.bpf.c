/* Per-program hardware-counter attribution, the way `bpftool prog profile` does it:
 * fentry reads a per-CPU perf counter as the measured XDP program starts, fexit reads it
 * as it returns, and the difference is added up per CPU with the number of runs. The
 * attach target (the measured program) is set from user space before load. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct run_totals {
	__u64 counter;
	__u64 enabled;
	__u64 running;
	__u64 runs;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(int));
} attribution_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct bpf_perf_event_value);
	__uint(max_entries, 1);
} attribution_entry_reading SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct run_totals);
	__uint(max_entries, 1);
} attribution_totals SEC(".maps");

SEC("fentry/measured_program")
int attribution_entry(void *ctx)
{
	__u32 zero = 0;
	struct bpf_perf_event_value *start = bpf_map_lookup_elem(&attribution_entry_reading, &zero);

	if (start)
		bpf_perf_event_read_value(&attribution_counters, BPF_F_CURRENT_CPU, start, sizeof(*start));
	return 0;
}

SEC("fexit/measured_program")
int attribution_exit(void *ctx)
{
	__u32 zero = 0;
	struct bpf_perf_event_value now;
	struct bpf_perf_event_value *start = bpf_map_lookup_elem(&attribution_entry_reading, &zero);
	struct run_totals *totals = bpf_map_lookup_elem(&attribution_totals, &zero);

	if (!start || !totals)
		return 0;
	if (bpf_perf_event_read_value(&attribution_counters, BPF_F_CURRENT_CPU, &now, sizeof(now)))
		return 0;
	totals->counter += now.counter - start->counter;
	totals->enabled += now.enabled - start->enabled;
	totals->running += now.running - start->running;
	totals->runs++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
