/* The in-kernel traffic generator: run with BPF_PROG_TEST_RUN in live-frames
 * mode, every frame it sees is transmitted out of ifindex_out. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Set before load through the object's .rodata, so the verifier sees a constant. */
const volatile __u32 ifindex_out = 0;

SEC("xdp")
int trafficgen_redirect(struct xdp_md *ctx)
{
	return bpf_redirect(ifindex_out, 0);
}

/* Where the next frame's flow comes from, one cursor per sending CPU: the host sets it
 * before each test run (flow 0 first) and the program walks the flows in order. */
struct flow_cursor {
	__u32 port_offset;	/* the L4 source port's offset in the frame */
	__u32 flows;		/* 1: leave the frame as built */
	__u32 next;
	__u16 source_port;	/* flow f sends from source_port + f (mod 2^16) */
	__u16 destination_port;	/* to destination_port + f / 2^16 */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct flow_cursor);
	__uint(max_entries, 1024);
} flow_cursors SEC(".maps");

/* trafficgen_redirect plus a rewrite of both ports per frame, so N flows are sent in
 * turn. A separate program, so the plain generator pays nothing for it. The frame's
 * bytes survive the page recycling of live-frames mode, so every port is written whole. */
SEC("xdp")
int trafficgen_flows(struct xdp_md *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct flow_cursor *cursor = bpf_map_lookup_elem(&flow_cursors, &cpu);
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__be16 *ports;
	__u32 flow;

	if (!cursor || cursor->flows <= 1)
		goto send;
	ports = data + (cursor->port_offset & 0x7ff);
	if ((void *)(ports + 2) > data_end)
		goto send;
	flow = cursor->next;
	cursor->next = flow + 1 >= cursor->flows ? 0 : flow + 1;
	ports[0] = bpf_htons((__u16)(cursor->source_port + flow));
	ports[1] = bpf_htons((__u16)(cursor->destination_port + (flow >> 16)));
send:
	return bpf_redirect(ifindex_out, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
