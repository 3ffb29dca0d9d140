/* Ultra: one per-CPU struct holding the four counters the report needs, found
 * with a constant key, and an unrolled switch choosing the field. */
#include "packet.h"

struct protocol_counts {
	__u64 tcp;
	__u64 udp;
	__u64 icmp;
	__u64 other;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct protocol_counts);
	__uint(max_entries, 1);
} ultra_counts SEC(".maps");

SEC("xdp")
int ultra_counter(struct xdp_md *ctx)
{
	int protocol = ipv4_protocol(ctx);
	__u32 key = 0;
	struct protocol_counts *counts;

	if (protocol == NOT_IPV4)
		return XDP_PASS;
	counts = bpf_map_lookup_elem(&ultra_counts, &key);
	/* 6.18 proves a constant in-bounds key non-null and drops this branch;
	 * older kernels reject the program without it. */
	if (!counts)
		return XDP_PASS;
	switch (protocol) {
	case IPPROTO_TCP:
		counts->tcp++;
		break;
	case IPPROTO_UDP:
		counts->udp++;
		break;
	case IPPROTO_ICMP:
		counts->icmp++;
		break;
	default:
		counts->other++;
		break;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
