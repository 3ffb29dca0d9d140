/* Naive: a hash map keyed by IP protocol, one lookup (and on a miss one insert)
 * per packet, after parsing every header field on the way. */
#include "packet.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 256);
} naive_counts SEC(".maps");

SEC("xdp")
int naive_counter(struct xdp_md *ctx)
{
	int protocol = ipv4_protocol_fully_parsed(ctx);
	__u32 key;
	__u64 *count;
	__u64 first = 1;

	if (protocol == NOT_IPV4)
		return XDP_PASS;
	key = protocol;

	/* Look up first: an update, even with BPF_NOEXIST, takes the bucket lock. */
	count = bpf_map_lookup_elem(&naive_counts, &key);
	if (count) {
		/* The hash value is shared by all CPUs, so a plain += would lose counts. */
		__sync_fetch_and_add(count, 1);
		return XDP_PASS;
	}
	/* Another CPU may insert the key between our miss and our insert; then our
	 * insert fails with EEXIST and the packet is added to the winner's entry. */
	if (bpf_map_update_elem(&naive_counts, &key, &first, BPF_NOEXIST) != 0) {
		count = bpf_map_lookup_elem(&naive_counts, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
