/* Sampled: counts one IPv4 frame in SAMPLE_ONE_IN, chosen with bpf_get_prandom_u32(),
 * so most frames pay for a random number instead of a map update. The estimate of the
 * frames seen is SAMPLE_ONE_IN times the count. */
#include "packet.h"

#ifndef SAMPLE_ONE_IN
#define SAMPLE_ONE_IN 64
#endif

/* A frame is kept when the random number falls below this: with a power of two
 * the chance is exactly 1 in SAMPLE_ONE_IN. */
#define KEEP_BELOW ((__u32)((1ULL << 32) / SAMPLE_ONE_IN))

struct sampled_counts {
	__u64 ipv4;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct sampled_counts);
	__uint(max_entries, 1);
} sampled_counts SEC(".maps");

const volatile __u32 sampled_key = 0;

SEC("xdp")
int sampled_counter(struct xdp_md *ctx)
{
	struct sampled_counts *counts;

	if (ipv4_protocol(ctx) == NOT_IPV4)
		return XDP_PASS;
	if (bpf_get_prandom_u32() >= KEEP_BELOW)
		return XDP_PASS;
	counts = bpf_map_lookup_elem(&sampled_counts, (const void *)&sampled_key);
	if (!counts)
		return XDP_PASS;
	counts->ipv4++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
