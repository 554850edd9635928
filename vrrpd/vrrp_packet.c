// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP advertisement codec: builds and validates VRRPv2/v3 messages in byte buffers.
 *
 * Pure code: no sockets, no logging, no libfrr calls. Every read is bounded by the length the
 * caller passes in, and all multi-byte fields are assembled byte by byte, so unaligned or
 * hostile buffers are safe.
 */
#include <zebra.h>

#include <stdio.h>
#include <string.h>

#include "vrrp_packet.h"

/* One's-complement arithmetic (RFC 1071) over big-endian 16-bit words. */

static uint32_t cksum_add(uint32_t acc, const uint8_t *p, size_t n)
{
	while (n > 1) {
		acc += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		n -= 2;
	}
	/* An odd trailing byte is padded with a zero byte on the right. */
	if (n)
		acc += (uint32_t)p[0] << 8;
	return acc;
}

static uint16_t cksum_fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* Address-family specifics. */

static uint32_t ipv4_pseudo_sum(const union vrrp_addr *src, const union vrrp_addr *dst,
				size_t msglen)
{
	uint32_t acc = 0;

	/* RFC 768/793 layout: source, destination, zero, protocol, 16-bit length. */
	acc = cksum_add(acc, src->bytes, 4);
	acc = cksum_add(acc, dst->bytes, 4);
	acc += VRRP_IPPROTO;
	acc += (uint32_t)(msglen & 0xffff);
	return acc;
}

static uint32_t ipv6_pseudo_sum(const union vrrp_addr *src, const union vrrp_addr *dst,
				size_t msglen)
{
	uint32_t acc = 0;

	/* RFC 8200 8.1 layout: source, destination, 32-bit length, 3 zero bytes, next header. */
	acc = cksum_add(acc, src->bytes, 16);
	acc = cksum_add(acc, dst->bytes, 16);
	acc += (uint32_t)((msglen >> 16) & 0xffff);
	acc += (uint32_t)(msglen & 0xffff);
	acc += VRRP_IPPROTO;
	return acc;
}

static bool ipv4_first_addr_ok(const uint8_t *addr)
{
	(void)addr;
	return true;
}

/* RFC 9568 5.2.9: the first IPv6 address must be the virtual router's link-local (fe80::/10). */
static bool ipv6_first_addr_ok(const uint8_t *addr)
{
	return addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80;
}

const struct vrrp_af_ops vrrp_af_ipv4 = {
	.family = AF_INET,
	.addrlen = 4,
	.name = "IPv4",
	.group = {.bytes = {224, 0, 0, 18}},
	.versions = (1u << 2) | (1u << 3),
	.pseudo_hdr_always = false,
	.pseudo_sum = ipv4_pseudo_sum,
	.first_addr_ok = ipv4_first_addr_ok,
};

const struct vrrp_af_ops vrrp_af_ipv6 = {
	.family = AF_INET6,
	.addrlen = 16,
	.name = "IPv6",
	.group = {.bytes = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12}},
	.versions = (1u << 3),
	.pseudo_hdr_always = true,
	.pseudo_sum = ipv6_pseudo_sum,
	.first_addr_ok = ipv6_first_addr_ok,
};

/* Drop reasons. */

struct drop_name {
	const char *str;
	const char *key;
};

static const struct drop_name drop_names[VRRP_DROP_CODEC_MAX] = {
	[VRRP_DROP_NONE] = {"accepted", "accepted"},
	[VRRP_DROP_IP_HEADER] = {"malformed IPv4 header", "badIpHeader"},
	[VRRP_DROP_TTL] = {"TTL or hop limit not 255", "badTtl"},
	[VRRP_DROP_TRUNCATED] = {"shorter than VRRP header", "truncated"},
	[VRRP_DROP_VERSION] = {"bad version", "badVersion"},
	[VRRP_DROP_TYPE] = {"bad type", "badType"},
	[VRRP_DROP_ADDR_COUNT] = {"zero address count", "zeroAddrCount"},
	[VRRP_DROP_LENGTH] = {"length does not match address count", "badLength"},
	[VRRP_DROP_CHECKSUM] = {"bad checksum", "badChecksum"},
	[VRRP_DROP_INTERVAL] = {"zero advertisement interval", "badInterval"},
	[VRRP_DROP_AUTH] = {"bad authentication type", "badAuthType"},
	[VRRP_DROP_V6_FIRST_NOT_LL] = {"first IPv6 address not link-local",
				       "firstAddrNotLinkLocal"},
};

const char *vrrp_drop_str(enum vrrp_drop drop)
{
	if ((unsigned int)drop >= VRRP_DROP_CODEC_MAX)
		return "unknown";
	return drop_names[drop].str;
}

const char *vrrp_drop_key(enum vrrp_drop drop)
{
	if ((unsigned int)drop >= VRRP_DROP_CODEC_MAX)
		return "unknown";
	return drop_names[drop].key;
}

/* Helpers shared by parse and build. */

static bool version_ok(const struct vrrp_af_ops *af, uint8_t version)
{
	return version < 8 && (af->versions & (1u << version));
}

size_t vrrp_pkt_len(const struct vrrp_af_ops *af, uint8_t version, uint8_t naddr)
{
	size_t len = VRRP_HDR_LEN + (size_t)naddr * af->addrlen;

	/*
	 * RFC 3768 5.1 makes the 8-byte Authentication Data field part of every v2 message, and
	 * both FRR 8.4.4 and keepalived send it and require it on receive even with auth type 0.
	 */
	if (version == 2)
		len += VRRP_V2_AUTH_LEN;
	return len;
}

static bool addr_is_zero(const union vrrp_addr *a)
{
	static const union vrrp_addr zero;

	return memcmp(a, &zero, sizeof(zero)) == 0;
}

/* One's-complement sum over the pseudo-header (when the rules call for one) and msg. */
static uint32_t msg_sum(const struct vrrp_af_ops *af, const uint8_t *msg, size_t len,
			const struct vrrp_rx_meta *addrs, bool v4_pseudo_cksum, bool skip_cksum)
{
	uint8_t version = msg[0] >> 4;
	uint32_t acc = 0;

	/* RFC 3768 5.3.8: v2 covers the message only; v3 per RFC 9568 5.2.8 and the knob. */
	if (version == 3 && (af->pseudo_hdr_always || v4_pseudo_cksum)) {
		const union vrrp_addr *dst = &addrs->dst;

		if (addr_is_zero(dst))
			dst = &af->group;
		acc = af->pseudo_sum(&addrs->src, dst, len);
	}

	acc = cksum_add(acc, msg, 6);
	if (!skip_cksum)
		acc = cksum_add(acc, msg + 6, 2);
	acc = cksum_add(acc, msg + VRRP_HDR_LEN, len - VRRP_HDR_LEN);
	return acc;
}

uint16_t vrrp_pkt_cksum(const struct vrrp_af_ops *af, const uint8_t *msg, size_t len,
			const struct vrrp_rx_meta *addrs, bool v4_pseudo_cksum)
{
	if (len < VRRP_HDR_LEN)
		return 0;
	return (uint16_t)~cksum_fold(msg_sum(af, msg, len, addrs, v4_pseudo_cksum, true));
}

/* Receive. */

enum vrrp_drop vrrp_ipv4_strip(const uint8_t *buf, size_t len, struct vrrp_rx_meta *meta,
			       const uint8_t **payload, size_t *plen)
{
	size_t ihl, total;

	/* Only what the header says: the socket's own metadata (arrival time) stays. */
	memset(&meta->src, 0, sizeof(meta->src));
	memset(&meta->dst, 0, sizeof(meta->dst));
	meta->ttl = 0;
	*payload = NULL;
	*plen = 0;

	if (len < 20 || (buf[0] >> 4) != 4)
		return VRRP_DROP_IP_HEADER;

	meta->ttl = buf[8];
	memcpy(meta->src.bytes, buf + 12, 4);
	memcpy(meta->dst.bytes, buf + 16, 4);

	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > len)
		return VRRP_DROP_IP_HEADER;

	/*
	 * Linux hands raw sockets the datagram trimmed to its total length, in network order, so
	 * anything but equality means a damaged or lying header.
	 */
	total = (size_t)buf[2] << 8 | buf[3];
	if (total != len)
		return VRRP_DROP_IP_HEADER;

	if (buf[9] != VRRP_IPPROTO)
		return VRRP_DROP_IP_HEADER;

	*payload = buf + ihl;
	*plen = len - ihl;
	return VRRP_DROP_NONE;
}

size_t vrrp_ipv4_frame_hdr(uint8_t *hdr, const uint8_t smac[6], const union vrrp_addr *src,
			   const union vrrp_addr *dst, uint8_t tos, uint16_t id, size_t msglen)
{
	uint8_t *ip = hdr + 14;
	size_t total = 20 + msglen;
	uint16_t sum;

	if ((dst->bytes[0] & 0xf0) != 0xe0 || total > 0xffff)
		return 0;
	/* 01:00:5e, then the group's low 23 bits. */
	hdr[0] = 0x01;
	hdr[1] = 0x00;
	hdr[2] = 0x5e;
	hdr[3] = dst->bytes[1] & 0x7f;
	hdr[4] = dst->bytes[2];
	hdr[5] = dst->bytes[3];
	memcpy(hdr + 6, smac, 6);
	hdr[12] = 0x08;
	hdr[13] = 0x00;

	ip[0] = 0x45;
	ip[1] = tos;
	ip[2] = total >> 8;
	ip[3] = total & 0xff;
	ip[4] = id >> 8;
	ip[5] = id & 0xff;
	/* DF and no fragment offset, as Linux sends a datagram on a socket doing PMTU discovery.
	 */
	ip[6] = 0x40;
	ip[7] = 0x00;
	ip[8] = VRRP_TTL;
	ip[9] = VRRP_IPPROTO;
	ip[10] = ip[11] = 0;
	memcpy(ip + 12, src->bytes, 4);
	memcpy(ip + 16, dst->bytes, 4);
	sum = ~cksum_fold(cksum_add(0, ip, 20));
	ip[10] = sum >> 8;
	ip[11] = sum & 0xff;
	return VRRP_FRAME4_HDR_LEN;
}

enum vrrp_drop vrrp_pkt_parse(const struct vrrp_af_ops *af, const uint8_t *buf, size_t len,
			      const struct vrrp_rx_meta *meta, bool v4_pseudo_cksum,
			      struct vrrp_pkt *out)
{
	size_t need;

	out->af = af;
	out->version = out->type = out->vrid = out->priority = out->naddr = 0;
	out->auth_type = 0;
	out->adver_int = 0;

	if (len < VRRP_HDR_LEN)
		return VRRP_DROP_TRUNCATED;

	/* Decode the fixed header first so every later drop can name its VRID. */
	out->version = buf[0] >> 4;
	out->type = buf[0] & 0x0f;
	out->vrid = buf[1];
	out->priority = buf[2];
	out->naddr = buf[3];
	if (out->version == 2) {
		out->auth_type = buf[4];
		out->adver_int = buf[5];
	} else {
		/* RFC 9568 5.2.6: the 4 reserved bits are ignored on receive. */
		out->adver_int = (uint16_t)((buf[4] & 0x0f) << 8 | buf[5]);
	}

	/* RFC 9568 5.1.1.3 / 5.1.2.3: anything not sent with TTL 255 came from off-link. */
	if (meta->ttl != VRRP_TTL)
		return VRRP_DROP_TTL;
	if (!version_ok(af, out->version))
		return VRRP_DROP_VERSION;
	if (out->type != VRRP_TYPE_ADVERTISEMENT)
		return VRRP_DROP_TYPE;
	if (out->naddr == 0)
		return VRRP_DROP_ADDR_COUNT;

	/*
	 * Exact length, as FRR and keepalived require: naddr is the only thing that defines where
	 * the message ends, so extra bytes mean sender and receiver disagree about the format.
	 */
	need = vrrp_pkt_len(af, out->version, out->naddr);
	if (len != need)
		return VRRP_DROP_LENGTH;

	/* Summing the checksum field in too must give all ones (RFC 1071 verification). */
	if (cksum_fold(msg_sum(af, buf, len, meta, v4_pseudo_cksum, false)) != 0xffff)
		return VRRP_DROP_CHECKSUM;

	/* We implement no v2 authentication; RFC 3768 says to ignore auth data for type 0. */
	if (out->version == 2 && out->auth_type != 0)
		return VRRP_DROP_AUTH;
	if (out->adver_int == 0)
		return VRRP_DROP_INTERVAL;

	memcpy(out->addr.bytes, buf + VRRP_HDR_LEN, (size_t)out->naddr * af->addrlen);

	if (!af->first_addr_ok(out->addr.bytes))
		return VRRP_DROP_V6_FIRST_NOT_LL;

	return VRRP_DROP_NONE;
}

/* Transmit. */

size_t vrrp_pkt_build(const struct vrrp_pkt *pkt, const struct vrrp_rx_meta *addrs,
		      bool v4_pseudo_cksum, uint8_t *buf, size_t buflen)
{
	const struct vrrp_af_ops *af = pkt->af;
	size_t len, alen;
	uint16_t ck;

	if (!af || !version_ok(af, pkt->version))
		return 0;
	if (pkt->type != VRRP_TYPE_ADVERTISEMENT || pkt->naddr == 0 || pkt->adver_int == 0)
		return 0;
	if (pkt->version == 2 && (pkt->adver_int > VRRP_V2_ADVER_INT_MAX || pkt->auth_type != 0))
		return 0;
	if (pkt->version == 3 && pkt->adver_int > VRRP_V3_ADVER_INT_MAX)
		return 0;
	/*
	 * The first-address rule is not enforced here: the daemon puts a link-local first when
	 * one is configured and otherwise sends the list as configured, as FRR 8.4 peers do.
	 */
	len = vrrp_pkt_len(af, pkt->version, pkt->naddr);
	if (buflen < len)
		return 0;

	buf[0] = (uint8_t)(pkt->version << 4 | VRRP_TYPE_ADVERTISEMENT);
	buf[1] = pkt->vrid;
	buf[2] = pkt->priority;
	buf[3] = pkt->naddr;
	if (pkt->version == 2) {
		buf[4] = 0;
		buf[5] = (uint8_t)pkt->adver_int;
	} else {
		buf[4] = (uint8_t)(pkt->adver_int >> 8);
		buf[5] = (uint8_t)(pkt->adver_int & 0xff);
	}
	buf[6] = buf[7] = 0;

	alen = (size_t)pkt->naddr * af->addrlen;
	memcpy(buf + VRRP_HDR_LEN, pkt->addr.bytes, alen);
	/* v2 authentication data: zero on transmit for auth type 0 (RFC 3768 5.3.6.1). */
	memset(buf + VRRP_HDR_LEN + alen, 0, len - VRRP_HDR_LEN - alen);

	ck = vrrp_pkt_cksum(af, buf, len, addrs, v4_pseudo_cksum);
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)(ck & 0xff);
	return len;
}

/* Interval units and formatting. */

uint16_t vrrp_pkt_adver_int_cs(const struct vrrp_pkt *pkt)
{
	/* v2 carries whole seconds in 8 bits, so the product fits easily. */
	if (pkt->version == 2)
		return (uint16_t)(pkt->adver_int * 100);
	return pkt->adver_int;
}

uint8_t vrrp_v2_adver_int_from_cs(uint16_t cs)
{
	uint16_t s = cs / 100;

	if (s < 1)
		return 1;
	if (s > VRRP_V2_ADVER_INT_MAX)
		return VRRP_V2_ADVER_INT_MAX;
	return (uint8_t)s;
}

static const char *v2_auth_name(uint8_t auth_type)
{
	switch (auth_type) {
	case 0:
		return "none";
	case 1:
		return "simple";
	case 2:
		return "ah";
	default:
		return "unknown";
	}
}

int vrrp_pkt_str(const struct vrrp_pkt *pkt, char *buf, size_t len)
{
	size_t wire = vrrp_pkt_len(pkt->af, pkt->version, pkt->naddr);
	char type[16] = "";

	if (pkt->type != VRRP_TYPE_ADVERTISEMENT)
		snprintf(type, sizeof(type), "type %u, ", pkt->type);

	if (pkt->version == 2)
		return snprintf(buf, len,
				"VRRPv2, %svrid %u, prio %u, authtype %s, intvl %us, length %zu",
				type, pkt->vrid, pkt->priority, v2_auth_name(pkt->auth_type),
				pkt->adver_int, wire);
	return snprintf(buf, len, "VRRPv%u, %svrid %u, prio %u, intvl %ucs, length %zu",
			pkt->version, type, pkt->vrid, pkt->priority, pkt->adver_int, wire);
}
