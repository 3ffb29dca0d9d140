/* Sizes: size tracking on Ultra's design (one per-CPU value at a constant key), its
 * fields picked by the protocol byte as Lean does: each frame adds to its protocol's
 * packets and bytes and to its 32-byte size band, so the price of size tracking is
 * Sizes' net cost over Ultra and Lean.
 *
 * The log2 histogram is folded from the bands when the counts are read: every log2
 * bucket from 32 bytes up is a whole number of bands, so the program does no log2 at
 * all, only a shift. */
#include "packet.h"

#define SIZE_BANDS 128	/* band b: 32 b to 32 b + 31 bytes; an XDP frame without fragments fits in 4 KiB */

struct protocol_totals {
	__u64 packets;
	__u64 bytes;
};

struct size_counts {
	struct protocol_totals by_protocol[256];
	__u64 by_band[SIZE_BANDS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct size_counts);
	__uint(max_entries, 1);
} sizes_counts SEC(".maps");

const volatile __u32 sizes_key = 0;

SEC("xdp")
int sizes_counter(struct xdp_md *ctx)
{
	struct size_counts *counts;
	struct protocol_totals *totals;
	void *headers_end;
	int protocol = ipv4_protocol_from_end(ctx, &headers_end);
	__u64 length;

	if (protocol == NOT_IPV4)
		return XDP_PASS;
	/* The frame's length from the pointer the parse left in a register. */
	length = (void *)(long)ctx->data_end - headers_end + ETH_IPV4_HEADERS;
	counts = bpf_map_lookup_elem(&sizes_counts, (const void *)&sizes_key);
	if (!counts)
		return XDP_PASS;
	totals = &counts->by_protocol[protocol];
	totals->packets++;
	totals->bytes += length;
	/* The mask only tells the verifier the band is in range. */
	counts->by_band[(length >> 5) & (SIZE_BANDS - 1)]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
