// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the VRRP codec (vrrpd/vrrp_packet.c).
 *
 * Input layout: byte 0 selects the mode, the rest is the packet. The packet is fed both as an
 * IPv4 datagram (vrrp_ipv4_strip + vrrp_pkt_parse) and as a bare IPv6 VRRP message
 * (vrrp_pkt_parse with IPv6 ops). Every accepted packet is rebuilt and parsed again, and the
 * two decodes must be equal.
 *
 * Mode bits:
 *   0x01  v4_pseudo_cksum (VRRPv3 over IPv4 checksums with the pseudo-header)
 *   0x02  patch in the right checksum first, so random input gets past the checksum check
 *   0x04  IPv6 hop limit 254 instead of 255
 *   0x08  IPv6 destination left all-zero (the codec then uses ff02::12)
 */
#include <zebra.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "vrrp_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A plain trap: FRR's assert() needs libfrr, and the fuzzer only needs a crash. */
#define CHECK(cond)                                                                               \
	do {                                                                                      \
		if (!(cond))                                                                      \
			__builtin_trap();                                                         \
	} while (0)

static void exercise_strings(const struct vrrp_pkt *p, enum vrrp_drop d)
{
	char s[128];

	CHECK(vrrp_drop_str(d) != NULL && vrrp_drop_key(d) != NULL);
	/* The header fields are only decoded once the fixed header is present. */
	if (d != VRRP_DROP_TRUNCATED && d != VRRP_DROP_IP_HEADER)
		CHECK(vrrp_pkt_str(p, s, sizeof(s)) > 0);
}

static void round_trip(const struct vrrp_pkt *p, const uint8_t *wire, size_t wlen,
		       const struct vrrp_rx_meta *meta, bool pseudo)
{
	static uint8_t buf[VRRP_PKT_MAX_LEN];
	static struct vrrp_pkt q;
	size_t n, alen = (size_t)p->naddr * p->af->addrlen;

	n = vrrp_pkt_build(p, meta, pseudo, buf, sizeof(buf));
	CHECK(n == wlen);
	CHECK(vrrp_pkt_parse(p->af, buf, n, meta, pseudo, &q) == VRRP_DROP_NONE);
	CHECK(q.af == p->af && q.version == p->version && q.type == p->type);
	CHECK(q.vrid == p->vrid && q.priority == p->priority && q.naddr == p->naddr);
	CHECK(q.adver_int == p->adver_int && q.auth_type == p->auth_type);
	CHECK(memcmp(q.addr.bytes, p->addr.bytes, alen) == 0);
	/* Only reserved bits, v2 auth data and the checksum may differ from what came in. */
	CHECK(memcmp(buf + 1, wire + 1, 3) == 0);
	CHECK(memcmp(buf + VRRP_HDR_LEN, wire + VRRP_HDR_LEN, alen) == 0);
}

static void fuzz_ipv4(const uint8_t *pkt, size_t len, uint8_t mode)
{
	static struct vrrp_pkt out;
	struct vrrp_rx_meta meta;
	bool pseudo = mode & 0x01;
	const uint8_t *payload;
	size_t plen;
	uint8_t *copy;
	enum vrrp_drop d;

	/* An exact-size heap copy, so ASan flags any read past the end. */
	copy = malloc(len ? len : 1);
	CHECK(copy != NULL);
	memcpy(copy, pkt, len);

	d = vrrp_ipv4_strip(copy, len, &meta, &payload, &plen);
	if (d == VRRP_DROP_NONE) {
		CHECK(payload >= copy && payload + plen == copy + len);
		if (mode & 0x02)
			fuzz_fix_cksum(&vrrp_af_ipv4, copy + (payload - copy), plen, &meta,
				       pseudo);
		d = vrrp_pkt_parse(&vrrp_af_ipv4, payload, plen, &meta, pseudo, &out);
		exercise_strings(&out, d);
		if (d == VRRP_DROP_NONE)
			round_trip(&out, payload, plen, &meta, pseudo);
	} else {
		CHECK(d == VRRP_DROP_IP_HEADER);
	}
	free(copy);
}

static void fuzz_ipv6(const uint8_t *pkt, size_t len, uint8_t mode)
{
	/* fe80::a8bb:ccff:fe00:1, the sender in the unit test's IPv6 vector and the seeds. */
	/* clang-format off */
	static const uint8_t src[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
					 0xa8, 0xbb, 0xcc, 0xff, 0xfe, 0, 0, 1 };
	/* clang-format on */
	static struct vrrp_pkt out;
	struct vrrp_rx_meta meta = {};
	bool pseudo = mode & 0x01;
	uint8_t *copy;
	enum vrrp_drop d;

	memcpy(meta.src.bytes, src, sizeof(src));
	if (!(mode & 0x08))
		meta.dst = vrrp_af_ipv6.group;
	meta.ttl = (mode & 0x04) ? 254 : 255;

	copy = malloc(len ? len : 1);
	CHECK(copy != NULL);
	memcpy(copy, pkt, len);
	if (mode & 0x02)
		fuzz_fix_cksum(&vrrp_af_ipv6, copy, len, &meta, pseudo);

	d = vrrp_pkt_parse(&vrrp_af_ipv6, copy, len, &meta, pseudo, &out);
	CHECK(d != VRRP_DROP_IP_HEADER && d < VRRP_DROP_CODEC_MAX);
	exercise_strings(&out, d);
	if (d == VRRP_DROP_NONE)
		round_trip(&out, copy, len, &meta, pseudo);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 2 * VRRP_PKT_MAX_LEN)
		return 0;
	fuzz_ipv4(data + 1, size - 1, data[0]);
	fuzz_ipv6(data + 1, size - 1, data[0]);
	return 0;
}
