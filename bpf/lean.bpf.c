/* Lean: Ultra's idea (one per-CPU value at a constant key) with the field picked by
 * arithmetic instead of compares: the value holds a counter for every IP protocol
 * number, so the protocol byte, times eight, is the offset. 18 instructions for an
 * IPv4 UDP frame where Ultra executes 22, and a count for every protocol on top. */
#include "packet.h"

struct protocol_counts {
	__u64 by_protocol[256];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct protocol_counts);
	__uint(max_entries, 1);
} lean_counts SEC(".maps");

const volatile __u32 lean_key = 0;

SEC("xdp")
int lean_counter(struct xdp_md *ctx)
{
	struct protocol_counts *counts;
	void *headers_end;
	int protocol = ipv4_protocol_from_end(ctx, &headers_end);

	if (protocol == NOT_IPV4)
		return XDP_PASS;
	counts = bpf_map_lookup_elem(&lean_counts, (const void *)&lean_key);
	/* This kernel still wants the check a constant in-bounds key makes needless. */
	if (!counts)
		return XDP_PASS;
	/* A byte: the verifier knows it is below 256, so the index needs no check. */
	counts->by_protocol[protocol]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
