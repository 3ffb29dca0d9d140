/* Shared packet parsing for every PacketCounter variant.
 *
 * xdp_md.data and data_end are __u32 fields: the verifier rejects 8-byte loads
 * of them, so they are always read through the (long) casts below. */
#ifndef PACKETCOUNTER_PACKET_H
#define PACKETCOUNTER_PACKET_H

#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define NOT_IPV4 (-1)

/* The IPv4 protocol number of an untagged Ethernet + IPv4 frame, or NOT_IPV4.
 *
 * One bounds check covers both headers (34 bytes), and the EtherType is compared
 * against a constant already in network order, so no byte swap is executed:
 * this is the lean path that Optimized and Ultra are built on. */
static __always_inline int ipv4_protocol(const struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);

	if ((void *)(ip + 1) > data_end)
		return NOT_IPV4;
	/* struct ethhdr is packed, so reading h_proto through it costs two byte
	 * loads and a shift; the field sits at an even offset, so one 16-bit load
	 * is safe. */
	if (*(__be16 *)(data + offsetof(struct ethhdr, h_proto)) != bpf_htons(ETH_P_IP))
		return NOT_IPV4;
	return ip->protocol;
}

/* The same answer reached the long way, as a first design usually does:
 * Ethernet and IPv4 headers bounds-checked separately, the EtherType swapped to
 * host order, and the IPv4 version and header length validated. It accepts
 * exactly the frames ipv4_protocol() accepts for well-formed IPv4. */
static __always_inline int ipv4_protocol_fully_parsed(const struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end)
		return NOT_IPV4;
	if (bpf_ntohs(eth->h_proto) != ETH_P_IP)
		return NOT_IPV4;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return NOT_IPV4;
	if (ip->version != 4 || ip->ihl < 5)
		return NOT_IPV4;
	return ip->protocol;
}

#define ETH_IPV4_HEADERS (sizeof(struct ethhdr) + sizeof(struct iphdr))

/* ipv4_protocol() with one instruction less: the bounds check needs data + 34 in a
 * register anyway, and reading both headers through that pointer, at negative offsets,
 * saves the copy clang would keep of data. The barrier stops clang from folding it back.
 * *headers_end is left pointing just past the IPv4 header, e.g. for the frame's length. */
static __always_inline int ipv4_protocol_from_end(const struct xdp_md *ctx, void **headers_end)
{
	void *end = (void *)(long)ctx->data + ETH_IPV4_HEADERS;

	barrier_var(end);
	if (end > (void *)(long)ctx->data_end)
		return NOT_IPV4;
	if (*(__be16 *)(end - ETH_IPV4_HEADERS + offsetof(struct ethhdr, h_proto)) != bpf_htons(ETH_P_IP))
		return NOT_IPV4;
	*headers_end = end;
	return *(__u8 *)(end - sizeof(struct iphdr) + offsetof(struct iphdr, protocol));
}

#endif
