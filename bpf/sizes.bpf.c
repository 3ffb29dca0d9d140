/* Sizes: size tracking on Ultra's design (one per-CPU value at a constant key), its
 * fields picked by the protocol byte as Lean does: each frame adds to its protocol's
 * packets and bytes and to a log2 size histogram, so the price of size tracking is
 * Sizes' net cost over Ultra and Lean. */
#include "packet.h"

#define SIZE_BUCKETS 16	/* bucket k: 2^k to 2^(k+1) - 1 bytes */

struct protocol_totals {
	__u64 packets;
	__u64 bytes;
};

struct size_counts {
	struct protocol_totals by_protocol[256];
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
 * headers, so it is never shorter than 34 bytes, and an XDP frame without fragments
 * fits in one 4 KiB page. */
static const __u8 log2_of_32ths[128] = {
	[0 ... 1] = 5, [2 ... 3] = 6, [4 ... 7] = 7, [8 ... 15] = 8,
	[16 ... 31] = 9, [32 ... 63] = 10, [64 ... 127] = 11,
};

#define HEADERS (sizeof(struct ethhdr) + sizeof(struct iphdr))

SEC("xdp")
int sizes_counter(struct xdp_md *ctx)
{
	void *headers_end = (void *)(long)ctx->data + HEADERS;
	void *data_end = (void *)(long)ctx->data_end;
	struct size_counts *counts;
	struct protocol_totals *totals;
	__u64 length;
	__u32 protocol;

	/* As in Lean: both headers are read at negative offsets from the bounds-checked pointer. */
	barrier_var(headers_end);
	if (headers_end > data_end)
		return XDP_PASS;
	if (*(__be16 *)(headers_end - HEADERS + offsetof(struct ethhdr, h_proto)) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	protocol = *(__u8 *)(headers_end - sizeof(struct iphdr) + offsetof(struct iphdr, protocol));
	/* The frame's length from the two pointers already in registers. */
	length = data_end - headers_end + HEADERS;
	counts = bpf_map_lookup_elem(&sizes_counts, (const void *)&sizes_key);
	if (!counts)
		return XDP_PASS;
	totals = &counts->by_protocol[protocol];
	totals->packets++;
	totals->bytes += length;
	/* The mask only tells the verifier the bucket is in range: every entry is below 16. */
	counts->by_size[log2_of_32ths[(length >> 5) & 127] & (SIZE_BUCKETS - 1)]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
