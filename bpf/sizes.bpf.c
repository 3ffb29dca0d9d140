/* Sizes: Ultra's design (one per-CPU struct at a constant key) that also adds each
 * frame's bytes to its protocol and counts the frame in a log2 size histogram, so the
 * price of size tracking is Sizes' net cost over Ultra. */
#include "packet.h"

#define PROTOCOLS 4	/* tcp, udp, icmp, other */
#define SIZE_BUCKETS 16	/* bucket k: 2^k to 2^(k+1) - 1 bytes */

struct size_counts {
	__u64 packets[PROTOCOLS];
	__u64 bytes[PROTOCOLS];
	__u64 by_size[SIZE_BUCKETS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct size_counts);
	__uint(max_entries, 1);
} sizes_counts SEC(".maps");

const volatile __u32 sizes_key = 0;

/* log2 of every length from 32 to 4095 bytes, indexed by length / 32: one load where
 * a binary search would take four compares. A counted frame holds Ethernet and IPv4
 * headers, so it is never shorter than 34 bytes (entry 0 is never read for one), and an
 * XDP frame without fragments fits in one 4 KiB page. */
static const __u8 log2_of_32ths[128] = {
	[0 ... 1] = 5,
	[2 ... 3] = 6,
	[4 ... 7] = 7,
	[8 ... 15] = 8,
	[16 ... 31] = 9,
	[32 ... 63] = 10,
	[64 ... 127] = 11,
};

SEC("xdp")
int sizes_counter(struct xdp_md *ctx)
{
	int protocol = ipv4_protocol(ctx);
	/* Both as 64-bit pointers: the difference then needs no zero extension. */
	__u64 length = (long)ctx->data_end - (long)ctx->data;
	struct size_counts *counts;
	__u32 field;

	if (protocol == NOT_IPV4)
		return XDP_PASS;
	counts = bpf_map_lookup_elem(&sizes_counts, (const void *)&sizes_key);
	if (!counts)
		return XDP_PASS;
	switch (protocol) {
	case IPPROTO_TCP:
		field = 0;
		break;
	case IPPROTO_UDP:
		field = 1;
		break;
	case IPPROTO_ICMP:
		field = 2;
		break;
	default:
		field = 3;
		break;
	}
	counts->packets[field]++;
	counts->bytes[field] += length;
	/* The mask only tells the verifier the bucket is in range: every entry is below 16. */
	counts->by_size[log2_of_32ths[(length >> 5) & 127] & (SIZE_BUCKETS - 1)]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
