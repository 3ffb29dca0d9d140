/* Flows: packets and bytes per 5-tuple in a per-CPU LRU hash, plus per-CPU totals. The
 * LRU keeps the table bounded: when more flows arrive than it holds, the least recently
 * seen go, and a frame of an evicted flow inserts it again (counted as a new flow). */
#include "packet.h"

#ifndef FLOW_CAPACITY
#define FLOW_CAPACITY 65536
#endif

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u32 protocol;	/* a full word, so the key has no padding to leave unset */
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
	__uint(max_entries, FLOW_CAPACITY);
} flows SEC(".maps");

struct flow_totals {
	__u64 packets;
	__u64 bytes;
	__u64 new_flows;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct flow_totals);
	__uint(max_entries, 1);
} flows_totals SEC(".maps");

const volatile __u32 flows_totals_key = 0;

SEC("xdp")
int flows_counter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct flow_key key = {};
	struct flow_totals *totals;
	struct flow_stats *stats;
	__u64 length = (long)data_end - (long)data;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (*(__be16 *)(data + offsetof(struct ethhdr, h_proto)) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	key.saddr = ip->saddr;
	key.daddr = ip->daddr;
	key.protocol = ip->protocol;
	if (ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP) {
		/* Both carry their ports first, behind the IPv4 header and its options. */
		__be16 *ports = (void *)ip + ip->ihl * 4;

		if ((void *)(ports + 2) <= data_end) {
			key.sport = ports[0];
			key.dport = ports[1];
		}
	}
	totals = bpf_map_lookup_elem(&flows_totals, (const void *)&flows_totals_key);
	if (!totals)
		return XDP_PASS;
	totals->packets++;
	totals->bytes += length;
	stats = bpf_map_lookup_elem(&flows, &key);
	if (stats) {
		stats->packets++;
		stats->bytes += length;
	} else {
		struct flow_stats fresh = { .packets = 1, .bytes = length };

		bpf_map_update_elem(&flows, &key, &fresh, BPF_ANY);
		totals->new_flows++;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
