// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP advertisement codec: bytes <-> struct vrrp_pkt, checksums and drop reasons.
 *
 * This file owns the wire format of VRRPv3 (RFC 9568) for IPv4 and IPv6 and of VRRPv2
 * (RFC 3768) for IPv4. It does no I/O and calls nothing from libfrr, so unit tests and the
 * fuzzer drive it with plain byte arrays. Sockets live in vrrp_sock.c; per-VRID checks
 * (unknown VRID, version or interval mismatch) belong to the daemon.
 *
 * Wire layout (all fields network byte order):
 *
 *   0        1        2        3        4        5        6        7
 *   ver|type vrid     priority naddr    v3: rsvd(4)|interval(12)  checksum
 *                                       v2: auth     interval(s)
 *   then naddr addresses of 4 (IPv4) or 16 (IPv6) bytes,
 *   then, for VRRPv2 only, 8 bytes of authentication data.
 */
#ifndef VRRP_PACKET_H
#define VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define VRRP_IPPROTO 112
#define VRRP_TTL 255
/* CS6, "network control" (RFC 4594), the class VRRP and other routing protocols use. */
#define VRRP_TOS_CS6 0xc0
#define VRRP_TYPE_ADVERTISEMENT 1
#define VRRP_HDR_LEN 8
#define VRRP_V2_AUTH_LEN 8
#define VRRP_MAX_ADDRS 255
#define VRRP_V3_ADVER_INT_MAX 4095
#define VRRP_V2_ADVER_INT_MAX 255
/* Largest message either family can carry: 255 IPv6 addresses. */
#define VRRP_PKT_MAX_LEN (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16)

union vrrp_addr {
	struct in_addr v4;
	struct in6_addr v6;
	uint8_t bytes[16];
};

/*
 * Everything that differs between IPv4 and IPv6 lives here, so the codec core never
 * branches on the family.
 */
struct vrrp_af_ops {
	int family;	       /* AF_INET / AF_INET6 */
	size_t addrlen;	       /* 4 / 16 */
	const char *name;      /* "IPv4" / "IPv6" */
	union vrrp_addr group; /* 224.0.0.18 / ff02::12 */
	/* Bit N set when VRRP version N may run on this family (v2 is IPv4 only). */
	uint8_t versions;
	/* v3 checksum always covers the pseudo-header (IPv6); for IPv4 it is a knob. */
	bool pseudo_hdr_always;
	/* One's-complement partial sum of the pseudo-header for a message of msglen bytes. */
	uint32_t (*pseudo_sum)(const union vrrp_addr *src, const union vrrp_addr *dst,
			       size_t msglen);
	/* Whether the first address of the list is acceptable (IPv6: must be link-local). */
	bool (*first_addr_ok)(const uint8_t *addr);
};

extern const struct vrrp_af_ops vrrp_af_ipv4;
extern const struct vrrp_af_ops vrrp_af_ipv6;

/* Why a received packet was dropped; VRRP_DROP_NONE means accepted. */
enum vrrp_drop {
	VRRP_DROP_NONE = 0,
	VRRP_DROP_IP_HEADER,  /* IPv4 header malformed, truncated, not VRRP, bad total length */
	VRRP_DROP_TTL,	      /* TTL / hop limit != 255 (RFC 9568 5.1.1.3, 5.1.2.3) */
	VRRP_DROP_TRUNCATED,  /* shorter than the fixed 8-byte VRRP header */
	VRRP_DROP_VERSION,    /* not 2 or 3, or 2 over IPv6 */
	VRRP_DROP_TYPE,	      /* type != 1 */
	VRRP_DROP_ADDR_COUNT, /* address count 0 (RFC 9568 5.2.5, erratum 8299) */
	VRRP_DROP_LENGTH,     /* length does not match the address count */
	VRRP_DROP_CHECKSUM,   /* checksum wrong, including a v3 IPv4 checksum-mode mismatch */
	VRRP_DROP_INTERVAL,   /* interval 0 (v3: erratum 8301; v2: never valid) */
	VRRP_DROP_AUTH,	      /* v2 auth type != 0 */
	VRRP_DROP_V6_FIRST_NOT_LL, /* v3 IPv6 first address not link-local (erratum 8300) */
	/*
	 * The daemon numbers its own reasons (unknown VRID, version mismatch, ...) from
	 * VRRP_DROP_CODEC_MAX upwards, so one counter array can cover both sets.
	 */
	VRRP_DROP_CODEC_MAX,
};

/* Human text ("bad checksum"); "unknown" for values outside the codec's range. */
const char *vrrp_drop_str(enum vrrp_drop drop);
/* camelCase JSON key ("badChecksum"); "unknown" for values outside the codec's range. */
const char *vrrp_drop_key(enum vrrp_drop drop);

/* A decoded advertisement, host byte order. */
struct vrrp_pkt {
	const struct vrrp_af_ops *af;
	uint8_t version;
	uint8_t type;
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	uint8_t auth_type; /* v2 only; 0 for v3 */
	/* v3: Max Adver Int in centiseconds (12 bits). v2: Adver Int in whole seconds. */
	uint16_t adver_int;
	/* naddr addresses of af->addrlen bytes each, packed as on the wire. */
	union {
		struct in_addr v4[VRRP_MAX_ADDRS];
		struct in6_addr v6[VRRP_MAX_ADDRS];
		uint8_t bytes[VRRP_MAX_ADDRS * 16];
	} addr;
};

/*
 * What an advertisement for a lazy Backup carries when all it would do is restart the
 * Master_Down_Timer: the version and, as the Backup knows it, the Master's interval (cs).
 */
struct vrrp_rx_quiet {
	uint8_t version;
	uint16_t interval;
};

/*
 * IP-level facts about a datagram. On receive the socket layer fills it from the IPv4 header
 * (vrrp_ipv4_strip) or from recvmsg (IPv6: source address, IPV6_PKTINFO destination,
 * IPV6_HOPLIMIT). On transmit only src and dst matter, for the checksum. A dst that is all
 * zeroes stands for the family's multicast group.
 */
struct vrrp_rx_meta {
	union vrrp_addr src;
	union vrrp_addr dst;
	uint8_t ttl;
	/* When the kernel queued it, vrrp_now_us()'s clock; 0 if the socket did not say. */
	uint64_t arrival_us;
};

/* Length on the wire of a message with naddr addresses (v2 adds the auth data field). */
size_t vrrp_pkt_len(const struct vrrp_af_ops *af, uint8_t version, uint8_t naddr);

/*
 * Validate the IPv4 header that a raw IPv4 socket delivers: version 4, IHL within the buffer,
 * total length equal to len, protocol 112. The TTL is only copied into meta; vrrp_pkt_parse()
 * checks it. meta is filled as soon as the fixed 20-byte header is present, so a caller can log
 * the sender even for a dropped packet. On success *payload and *plen describe the VRRP
 * message.
 */
enum vrrp_drop vrrp_ipv4_strip(const uint8_t *buf, size_t len, struct vrrp_rx_meta *meta,
			       const uint8_t **payload, size_t *plen);

/* An Ethernet header and an option-less IPv4 header, as vrrp_ipv4_frame_hdr() writes them. */
#define VRRP_FRAME4_HDR_LEN (14 + 20)

/*
 * Write the Ethernet and IPv4 headers the kernel's raw IPv4 output would put in front of a
 * msglen-byte VRRP message sent from src to the multicast group dst with type of service tos:
 * destination MAC mapped from the group (RFC 1112 6.4), source MAC smac, EtherType IPv4,
 * TTL 255, DF, protocol 112, the given identification and the header checksum. Returns
 * VRRP_FRAME4_HDR_LEN, or 0 (nothing written) for a dst outside 224.0.0.0/4 or a message
 * too long for one datagram.
 */
size_t vrrp_ipv4_frame_hdr(uint8_t *hdr, const uint8_t smac[6], const union vrrp_addr *src,
			   const union vrrp_addr *dst, uint8_t tos, uint16_t id, size_t msglen);

/*
 * Parse and validate one VRRP message (RFC 9568 7.1 receive checks plus errata 8299-8301),
 * never reading beyond buf[len - 1]. Checks run in this order: truncated, TTL, version, type,
 * address count, length, checksum, auth type, interval, first IPv6 address.
 *
 * v4_pseudo_cksum selects the VRRPv3-over-IPv4 checksum: true = with the IPv4 pseudo-header
 * (what FRR 8.4.4 and keepalived send; our default), false = message only (RFC 9568 5.2.8).
 * VRRPv2 always checksums the message only; VRRPv3 over IPv6 always uses the IPv6
 * pseudo-header (next header 112) with meta->src and meta->dst.
 *
 * out: unless the result is VRRP_DROP_TRUNCATED, the header fields hold what was on the wire
 * (so the daemon can attribute the drop to a VRID). The address list is valid for
 * VRRP_DROP_NONE and for VRRP_DROP_V6_FIRST_NOT_LL; the latter is checked last and leaves a
 * complete packet, because FRR 8.4.4 sends whatever IPv6 list was configured and a daemon may
 * choose to accept such peers after logging.
 */
enum vrrp_drop vrrp_pkt_parse(const struct vrrp_af_ops *af, const uint8_t *buf, size_t len,
			      const struct vrrp_rx_meta *meta, bool v4_pseudo_cksum,
			      struct vrrp_pkt *out);

/*
 * Build the VRRP message (no IP header; the kernel adds it) into buf, with the checksum for
 * addrs->src and addrs->dst. Reserved bits and the v2 authentication data are zero.
 * Returns the length, or 0 if buflen is too small or pkt is something vrrp_pkt_parse() would
 * drop (bad version for the family, type != 1, no addresses, interval 0 or out of range,
 * v2 auth type != 0). The order of IPv6 addresses is the caller's choice: RFC 9568 5.2.9 wants
 * a link-local first, FRR 8.4 sends them as configured.
 */
size_t vrrp_pkt_build(const struct vrrp_pkt *pkt, const struct vrrp_rx_meta *addrs,
		      bool v4_pseudo_cksum, uint8_t *buf, size_t buflen);

/*
 * The checksum (host byte order) a message of len >= VRRP_HDR_LEN bytes should carry, using
 * the version in msg[0] and the same rules as vrrp_pkt_parse(). The checksum field itself is
 * treated as zero. Returns 0 for a message shorter than the header.
 */
uint16_t vrrp_pkt_cksum(const struct vrrp_af_ops *af, const uint8_t *msg, size_t len,
			const struct vrrp_rx_meta *addrs, bool v4_pseudo_cksum);

/* The advertisement interval in centiseconds whatever the version (v2 carries seconds). */
uint16_t vrrp_pkt_adver_int_cs(const struct vrrp_pkt *pkt);

/*
 * The v2 wire interval for a configured interval in centiseconds. Like FRR 8.4.4 it
 * truncates to whole seconds with a floor of 1 s; it also caps at the 8-bit maximum.
 */
uint8_t vrrp_v2_adver_int_from_cs(uint16_t cs);

/*
 * One tcpdump-like line for debug logs, e.g. "VRRPv3, vrid 5, prio 210, intvl 100cs, length 12"
 * or "VRRPv2, vrid 5, prio 210, authtype none, intvl 1s, length 20". pkt->af must be set (parse
 * always sets it). Returns what snprintf returns.
 */
int vrrp_pkt_str(const struct vrrp_pkt *pkt, char *buf, size_t len);

#endif /* VRRP_PACKET_H */
