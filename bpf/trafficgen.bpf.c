/* The in-kernel traffic generator: run with BPF_PROG_TEST_RUN in live-frames
 * mode, every frame it sees is transmitted out of ifindex_out. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Set before load through the object's .rodata, so the verifier sees a constant. */
const volatile __u32 ifindex_out = 0;

SEC("xdp")
int trafficgen_redirect(struct xdp_md *ctx)
{
	return bpf_redirect(ifindex_out, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
