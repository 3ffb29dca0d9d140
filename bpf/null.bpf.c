/* The floor for every measurement: an XDP program that does nothing but pass. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int null_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
