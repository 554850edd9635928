// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the VRRP advertisement codec (vrrpd/vrrp_packet.c): known-answer vectors,
 * build/parse round trips, one case per drop reason, the IPv4 header checks and the frame
 * headers of multicast advertisements.
 */
#include <zebra.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vrrp_packet.h"

/*
 * Known answers. The checksums were computed once, outside this code, with a few lines of
 * /usr/bin/python3 that follow RFC 1071 literally: split pseudo-header + message (checksum
 * field zero) into big-endian 16-bit words, add them, fold the carries, take the complement.
 * The IPv4 pseudo-header is src, dst, 0, 112, 16-bit length; the IPv6 one is src, dst,
 * 32-bit length, 3 zero bytes, 112. 0xf3d2 was also added up by hand:
 * 0a0a+0a0f+e000+0012+0070+000c + 3105+d201+0064+0000+0a0a+0a10 = 0x20c2b -> 0x0c2d -> ~ 0xf3d2.
 *
 * The first vector is what FRR 8.4.4's vrrpd sends for "vrrp 5 priority 210" with VIP
 * 10.10.10.16 from 10.10.10.15: version 3, type 1, interval 100 cs in network order, IPv4
 * pseudo-header checksum with destination 224.0.0.18 (FRR 8.4.4 has no way to turn it off).
 */
static const uint8_t kat_v3_v4_pseudo[] = {
	0x31, 0x05, 0xd2, 0x01, 0x00, 0x64, 0xf3, 0xd2, 0x0a, 0x0a, 0x0a, 0x10,
};

/* Same advertisement, RFC 9568 5.2.8 message-only checksum. */
static const uint8_t kat_v3_v4_plain[] = {
	0x31, 0x05, 0xd2, 0x01, 0x00, 0x64, 0xe8, 0x7a, 0x0a, 0x0a, 0x0a, 0x10,
};

/* VRRPv2: auth type 0, 1 s, one address, then 8 zero bytes of authentication data. */
static const uint8_t kat_v2[] = {
	0x21, 0x05, 0xd2, 0x01, 0x00, 0x01, 0xf8, 0xdd, 0x0a, 0x0a,
	0x0a, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * VRRPv3 IPv6 from fe80::a8bb:ccff:fe00:1 to ff02::12, vrid 5, prio 210, 100 cs, addresses
 * fe80::1 (the virtual link-local, first as RFC 9568 5.2.9 demands) and 2001:db8::16.
 */
static const uint8_t kat_v3_v6[] = {
	0x31, 0x05, 0xd2, 0x02, 0x00, 0x64, 0x5e, 0x57, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16,
};

/* clang-format off */
static const uint8_t v4_src[4] = { 10, 10, 10, 15 };
static const uint8_t v4_dst[4] = { 224, 0, 0, 18 };
static const uint8_t v4_vip[4] = { 10, 10, 10, 16 };
static const uint8_t v6_src[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				    0xa8, 0xbb, 0xcc, 0xff, 0xfe, 0, 0, 1 };
static const uint8_t v6_dst[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12 };
static const uint8_t v6_ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t v6_gua[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				    0, 0, 0, 0, 0, 0, 0, 0x16 };
/* clang-format on */

static struct vrrp_rx_meta meta_for(const struct vrrp_af_ops *af, uint8_t ttl)
{
	struct vrrp_rx_meta m = {};

	memcpy(m.src.bytes, af == &vrrp_af_ipv4 ? v4_src : v6_src, af->addrlen);
	memcpy(m.dst.bytes, af == &vrrp_af_ipv4 ? v4_dst : v6_dst, af->addrlen);
	m.ttl = ttl;
	return m;
}

/* Parse from a heap copy of exactly len bytes so a sanitizer catches any over-read. */
static enum vrrp_drop parse_exact(const struct vrrp_af_ops *af, const uint8_t *bytes, size_t len,
				  const struct vrrp_rx_meta *meta, bool pseudo,
				  struct vrrp_pkt *out)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum vrrp_drop d;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	d = vrrp_pkt_parse(af, copy, len, meta, pseudo, out);
	free(copy);
	return d;
}

static void fill_seed_pkt(struct vrrp_pkt *p, uint8_t version)
{
	memset(p, 0, sizeof(*p));
	p->af = &vrrp_af_ipv4;
	p->version = version;
	p->type = VRRP_TYPE_ADVERTISEMENT;
	p->vrid = 5;
	p->priority = 210;
	p->naddr = 1;
	p->adver_int = version == 2 ? 1 : 100;
	memcpy(p->addr.bytes, v4_vip, 4);
}

static void fill_v6_pkt(struct vrrp_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->af = &vrrp_af_ipv6;
	p->version = 3;
	p->type = VRRP_TYPE_ADVERTISEMENT;
	p->vrid = 5;
	p->priority = 210;
	p->naddr = 2;
	p->adver_int = 100;
	memcpy(p->addr.v6[0].s6_addr, v6_ll, 16);
	memcpy(p->addr.v6[1].s6_addr, v6_gua, 16);
}

/* Build pkt, compare with the vector, parse the vector back and compare the fields. */
static void check_kat(const struct vrrp_pkt *pkt, bool pseudo, const uint8_t *kat, size_t katlen)
{
	struct vrrp_rx_meta meta = meta_for(pkt->af, VRRP_TTL);
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct vrrp_pkt out;
	size_t n;

	n = vrrp_pkt_build(pkt, &meta, pseudo, buf, sizeof(buf));
	assert_int_equal(n, katlen);
	assert_memory_equal(buf, kat, katlen);
	assert_int_equal(vrrp_pkt_len(pkt->af, pkt->version, pkt->naddr), katlen);

	assert_int_equal(parse_exact(pkt->af, kat, katlen, &meta, pseudo, &out), VRRP_DROP_NONE);
	assert_ptr_equal(out.af, pkt->af);
	assert_int_equal(out.version, pkt->version);
	assert_int_equal(out.type, VRRP_TYPE_ADVERTISEMENT);
	assert_int_equal(out.vrid, pkt->vrid);
	assert_int_equal(out.priority, pkt->priority);
	assert_int_equal(out.naddr, pkt->naddr);
	assert_int_equal(out.adver_int, pkt->adver_int);
	assert_int_equal(out.auth_type, 0);
	assert_memory_equal(out.addr.bytes, pkt->addr.bytes, pkt->naddr * pkt->af->addrlen);
}

static void test_kat_v3_ipv4_pseudo(void **state)
{
	struct vrrp_pkt p;
	char s[128];
	int n;

	fill_seed_pkt(&p, 3);
	check_kat(&p, true, kat_v3_v4_pseudo, sizeof(kat_v3_v4_pseudo));
	n = vrrp_pkt_str(&p, s, sizeof(s));
	assert_int_equal(n, (int)strlen(s));
	assert_string_equal(s, "VRRPv3, vrid 5, prio 210, intvl 100cs, length 12");
}

static void test_kat_v3_ipv4_plain(void **state)
{
	struct vrrp_pkt p;

	fill_seed_pkt(&p, 3);
	check_kat(&p, false, kat_v3_v4_plain, sizeof(kat_v3_v4_plain));
}

static void test_kat_v2(void **state)
{
	struct vrrp_pkt p;
	char s[128];

	fill_seed_pkt(&p, 2);
	/* The checksum mode knob must not affect VRRPv2. */
	check_kat(&p, true, kat_v2, sizeof(kat_v2));
	check_kat(&p, false, kat_v2, sizeof(kat_v2));
	vrrp_pkt_str(&p, s, sizeof(s));
	assert_string_equal(s, "VRRPv2, vrid 5, prio 210, authtype none, intvl 1s, length 20");
	assert_int_equal(vrrp_pkt_adver_int_cs(&p), 100);
}

static void test_kat_v3_ipv6(void **state)
{
	struct vrrp_pkt p;
	char s[128];

	fill_v6_pkt(&p);
	/* IPv6 always uses its pseudo-header, whatever the IPv4 knob says. */
	check_kat(&p, true, kat_v3_v6, sizeof(kat_v3_v6));
	check_kat(&p, false, kat_v3_v6, sizeof(kat_v3_v6));
	vrrp_pkt_str(&p, s, sizeof(s));
	assert_string_equal(s, "VRRPv3, vrid 5, prio 210, intvl 100cs, length 40");
}

static void test_cksum_modes(void **state)
{
	struct vrrp_rx_meta m4 = meta_for(&vrrp_af_ipv4, VRRP_TTL);
	struct vrrp_rx_meta m6 = meta_for(&vrrp_af_ipv6, VRRP_TTL);
	struct vrrp_pkt out;

	/* A peer using the other v3 IPv4 checksum mode is a checksum error, both ways round. */
	assert_int_equal(parse_exact(&vrrp_af_ipv4, kat_v3_v4_pseudo, sizeof(kat_v3_v4_pseudo),
				     &m4, false, &out),
			 VRRP_DROP_CHECKSUM);
	assert_int_equal(parse_exact(&vrrp_af_ipv4, kat_v3_v4_plain, sizeof(kat_v3_v4_plain), &m4,
				     true, &out),
			 VRRP_DROP_CHECKSUM);

	/* The pseudo-header binds the source address: a different sender fails. */
	m4.src.bytes[3] = 14;
	assert_int_equal(parse_exact(&vrrp_af_ipv4, kat_v3_v4_pseudo, sizeof(kat_v3_v4_pseudo),
				     &m4, true, &out),
			 VRRP_DROP_CHECKSUM);
	/* ...but not the message-only checksum. */
	assert_int_equal(parse_exact(&vrrp_af_ipv4, kat_v3_v4_plain, sizeof(kat_v3_v4_plain), &m4,
				     false, &out),
			 VRRP_DROP_NONE);

	m6.src.bytes[15] = 2;
	assert_int_equal(parse_exact(&vrrp_af_ipv6, kat_v3_v6, sizeof(kat_v3_v6), &m6, true, &out),
			 VRRP_DROP_CHECKSUM);

	/* An all-zero destination stands for the multicast group. */
	m4 = meta_for(&vrrp_af_ipv4, VRRP_TTL);
	memset(&m4.dst, 0, sizeof(m4.dst));
	assert_int_equal(parse_exact(&vrrp_af_ipv4, kat_v3_v4_pseudo, sizeof(kat_v3_v4_pseudo),
				     &m4, true, &out),
			 VRRP_DROP_NONE);
	m6 = meta_for(&vrrp_af_ipv6, VRRP_TTL);
	memset(&m6.dst, 0, sizeof(m6.dst));
	assert_int_equal(parse_exact(&vrrp_af_ipv6, kat_v3_v6, sizeof(kat_v3_v6), &m6, true, &out),
			 VRRP_DROP_NONE);

	/* vrrp_pkt_cksum ignores whatever is in the checksum field. */
	assert_int_equal(vrrp_pkt_cksum(&vrrp_af_ipv4, kat_v3_v4_pseudo, sizeof(kat_v3_v4_pseudo),
					&m4, true),
			 0xf3d2);
	assert_int_equal(vrrp_pkt_cksum(&vrrp_af_ipv4, kat_v3_v4_pseudo, sizeof(kat_v3_v4_pseudo),
					&m4, false),
			 0xe87a);
	assert_int_equal(vrrp_pkt_cksum(&vrrp_af_ipv4, kat_v3_v4_pseudo, 7, &m4, true), 0);
}

/* Round trips. */

struct rt_case {
	const char *name;
	const struct vrrp_af_ops *af;
	uint8_t version;
	uint8_t naddr;
	bool pseudo;
};

static const struct rt_case rt_cases[] = {
	{"v2 1 addr", &vrrp_af_ipv4, 2, 1, false},
	{"v2 255 addrs", &vrrp_af_ipv4, 2, 255, true},
	{"v3/IPv4 pseudo 1 addr", &vrrp_af_ipv4, 3, 1, true},
	{"v3/IPv4 pseudo 255 addrs", &vrrp_af_ipv4, 3, 255, true},
	{"v3/IPv4 plain 1 addr", &vrrp_af_ipv4, 3, 1, false},
	{"v3/IPv4 plain 255 addrs", &vrrp_af_ipv4, 3, 255, false},
	{"v3/IPv6 1 addr", &vrrp_af_ipv6, 3, 1, true},
	{"v3/IPv6 255 addrs", &vrrp_af_ipv6, 3, 255, false},
};

static void test_round_trip(void **state)
{
	for (size_t i = 0; i < array_size(rt_cases); i++) {
		const struct rt_case *c = &rt_cases[i];
		struct vrrp_rx_meta meta = meta_for(c->af, VRRP_TTL);
		static struct vrrp_pkt in, out;
		uint8_t buf[VRRP_PKT_MAX_LEN];
		size_t n, alen = c->naddr * c->af->addrlen;

		print_message("round trip: %s\n", c->name);
		memset(&in, 0, sizeof(in));
		in.af = c->af;
		in.version = c->version;
		in.type = VRRP_TYPE_ADVERTISEMENT;
		in.vrid = (uint8_t)(i + 1);
		in.priority = (uint8_t)(100 + i);
		in.naddr = c->naddr;
		in.adver_int = c->version == 2 ? 3 : 4095;
		for (size_t b = 0; b < alen; b++)
			in.addr.bytes[b] = (uint8_t)(b * 7 + 1);
		/* IPv6 lists start with a link-local. */
		if (c->af == &vrrp_af_ipv6)
			memcpy(in.addr.bytes, v6_ll, 16);

		n = vrrp_pkt_build(&in, &meta, c->pseudo, buf, sizeof(buf));
		assert_int_equal(n, vrrp_pkt_len(c->af, c->version, c->naddr));
		assert_int_equal(parse_exact(c->af, buf, n, &meta, c->pseudo, &out),
				 VRRP_DROP_NONE);
		assert_ptr_equal(out.af, in.af);
		assert_int_equal(out.version, in.version);
		assert_int_equal(out.type, in.type);
		assert_int_equal(out.vrid, in.vrid);
		assert_int_equal(out.priority, in.priority);
		assert_int_equal(out.naddr, in.naddr);
		assert_int_equal(out.adver_int, in.adver_int);
		assert_int_equal(out.auth_type, 0);
		assert_memory_equal(out.addr.bytes, in.addr.bytes, alen);
	}
	assert_int_equal(vrrp_pkt_len(&vrrp_af_ipv6, 3, 255), VRRP_PKT_MAX_LEN);
}

/* One row per drop reason (and a few accept cases next to them). */

struct drop_case {
	const char *name;
	const struct vrrp_af_ops *af;
	uint8_t ttl;
	bool pseudo;
	/* Recompute the checksum after editing, for checks that run after the checksum. */
	bool fix_cksum;
	uint8_t bytes[48];
	size_t len;
	enum vrrp_drop expect;
};

#define V4 &vrrp_af_ipv4
#define V6 &vrrp_af_ipv6
#define SEED_V4 0x05, 0xd2, 0x01, 0x00, 0x64, 0xf3, 0xd2, 0x0a, 0x0a, 0x0a, 0x10
#define LL16 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
#define GUA16 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16

/* clang-format off */
static const struct drop_case drop_cases[] = {
	{ "accept seed", V4, 255, true, false, { 0x31, SEED_V4 }, 12, VRRP_DROP_NONE },
	{ "empty", V4, 255, true, false, {}, 0, VRRP_DROP_TRUNCATED },
	{ "7 bytes", V4, 255, true, false, { 0x31, 0x05, 0xd2, 0x01, 0x00, 0x64, 0xf3 }, 7,
	  VRRP_DROP_TRUNCATED },
	{ "IPv4 TTL 254", V4, 254, true, false, { 0x31, SEED_V4 }, 12, VRRP_DROP_TTL },
	{ "IPv6 hop limit 64", V6, 64, true, false, { 0x31, 5, 210, 1, 0, 100, 0, 0, LL16 }, 24,
	  VRRP_DROP_TTL },
	{ "version 1", V4, 255, true, false, { 0x11, SEED_V4 }, 12, VRRP_DROP_VERSION },
	{ "version 4", V4, 255, true, false, { 0x41, SEED_V4 }, 12, VRRP_DROP_VERSION },
	{ "version 15", V4, 255, true, false, { 0xf1, SEED_V4 }, 12, VRRP_DROP_VERSION },
	{ "v2 over IPv6", V6, 255, true, true, { 0x21, 5, 210, 1, 0, 1, 0, 0, LL16 }, 24,
	  VRRP_DROP_VERSION },
	{ "type 0", V4, 255, true, false, { 0x30, SEED_V4 }, 12, VRRP_DROP_TYPE },
	{ "type 2", V4, 255, true, false, { 0x32, SEED_V4 }, 12, VRRP_DROP_TYPE },
	{ "address count 0", V4, 255, true, true, { 0x31, 5, 210, 0, 0, 100 }, 8,
	  VRRP_DROP_ADDR_COUNT },
	{ "count 2, one address", V4, 255, true, true,
	  { 0x31, 5, 210, 2, 0, 100, 0, 0, 10, 10, 10, 16 }, 12, VRRP_DROP_LENGTH },
	{ "trailing byte", V4, 255, true, false, { 0x31, SEED_V4, 0 }, 13, VRRP_DROP_LENGTH },
	{ "v2 without auth data", V4, 255, true, true,
	  { 0x21, 5, 210, 1, 0, 1, 0, 0, 10, 10, 10, 16 }, 12, VRRP_DROP_LENGTH },
	{ "IPv6 with IPv4-sized address", V6, 255, true, true,
	  { 0x31, 5, 210, 1, 0, 100, 0, 0, 10, 10, 10, 16 }, 12, VRRP_DROP_LENGTH },
	{ "corrupted address", V4, 255, true, false,
	  { 0x31, 0x05, 0xd2, 0x01, 0x00, 0x64, 0xf3, 0xd2, 0x0a, 0x0a, 0x0a, 0x11 }, 12,
	  VRRP_DROP_CHECKSUM },
	{ "corrupted checksum", V4, 255, true, false,
	  { 0x31, 0x05, 0xd2, 0x01, 0x00, 0x64, 0xf3, 0xd3, 0x0a, 0x0a, 0x0a, 0x10 }, 12,
	  VRRP_DROP_CHECKSUM },
	{ "pseudo-header packet, plain mode", V4, 255, false, false, { 0x31, SEED_V4 }, 12,
	  VRRP_DROP_CHECKSUM },
	{ "v3 interval 0", V4, 255, true, true,
	  { 0x31, 5, 210, 1, 0, 0, 0, 0, 10, 10, 10, 16 }, 12, VRRP_DROP_INTERVAL },
	{ "v3 only reserved bits", V4, 255, true, true,
	  { 0x31, 5, 210, 1, 0xf0, 0, 0, 0, 10, 10, 10, 16 }, 12, VRRP_DROP_INTERVAL },
	{ "v3 reserved bits ignored", V4, 255, true, true,
	  { 0x31, 5, 210, 1, 0xf0, 100, 0, 0, 10, 10, 10, 16 }, 12, VRRP_DROP_NONE },
	{ "v2 interval 0", V4, 255, true, true,
	  { 0x21, 5, 210, 1, 0, 0, 0, 0, 10, 10, 10, 16, 0, 0, 0, 0, 0, 0, 0, 0 }, 20,
	  VRRP_DROP_INTERVAL },
	{ "v2 auth type 1", V4, 255, true, true,
	  { 0x21, 5, 210, 1, 1, 1, 0, 0, 10, 10, 10, 16, 's', 'e', 'c', 'r', 'e', 't', 0, 0 }, 20,
	  VRRP_DROP_AUTH },
	{ "v2 auth type 2", V4, 255, true, true,
	  { 0x21, 5, 210, 1, 2, 1, 0, 0, 10, 10, 10, 16, 0, 0, 0, 0, 0, 0, 0, 0 }, 20,
	  VRRP_DROP_AUTH },
	{ "v2 auth data ignored", V4, 255, true, true,
	  { 0x21, 5, 210, 1, 0, 1, 0, 0, 10, 10, 10, 16, 1, 2, 3, 4, 5, 6, 7, 8 }, 20,
	  VRRP_DROP_NONE },
	{ "IPv6 first address global", V6, 255, true, true,
	  { 0x31, 5, 210, 2, 0, 100, 0, 0, GUA16, LL16 }, 40, VRRP_DROP_V6_FIRST_NOT_LL },
	{ "IPv6 link-local first", V6, 255, false, true,
	  { 0x31, 5, 210, 2, 0, 100, 0, 0, LL16, GUA16 }, 40, VRRP_DROP_NONE },
};
/* clang-format on */

static void test_drop_reasons(void **state)
{
	bool seen[VRRP_DROP_CODEC_MAX] = {};

	for (size_t i = 0; i < array_size(drop_cases); i++) {
		const struct drop_case *c = &drop_cases[i];
		struct vrrp_rx_meta meta = meta_for(c->af, c->ttl);
		uint8_t bytes[sizeof(c->bytes)];
		struct vrrp_pkt out;
		enum vrrp_drop d;

		memcpy(bytes, c->bytes, sizeof(bytes));
		if (c->fix_cksum) {
			uint16_t ck = vrrp_pkt_cksum(c->af, bytes, c->len, &meta, c->pseudo);

			bytes[6] = (uint8_t)(ck >> 8);
			bytes[7] = (uint8_t)ck;
		}
		d = parse_exact(c->af, bytes, c->len, &meta, c->pseudo, &out);
		if (d != c->expect)
			fail_msg("%s: got %s, want %s", c->name, vrrp_drop_str(d),
				 vrrp_drop_str(c->expect));
		seen[d] = true;
	}
	/* Every codec reason except the IPv4 header one (tested below) has a row. */
	for (int r = 0; r < VRRP_DROP_CODEC_MAX; r++)
		if (r != VRRP_DROP_IP_HEADER && !seen[r])
			fail_msg("no drop case for %s", vrrp_drop_str(r));
}

static void test_out_on_drop(void **state)
{
	struct vrrp_rx_meta m4 = meta_for(&vrrp_af_ipv4, 1);
	struct vrrp_rx_meta m6 = meta_for(&vrrp_af_ipv6, VRRP_TTL);
	uint8_t v6[40];
	struct vrrp_pkt out;
	uint16_t ck;

	/* Even a TTL drop reports the header, so the daemon can count it against the VRID. */
	assert_int_equal(parse_exact(&vrrp_af_ipv4, kat_v3_v4_pseudo, sizeof(kat_v3_v4_pseudo),
				     &m4, true, &out),
			 VRRP_DROP_TTL);
	assert_int_equal(out.vrid, 5);
	assert_int_equal(out.priority, 210);
	assert_int_equal(out.version, 3);
	assert_int_equal(out.adver_int, 100);

	/* FRR 8.4.4 peers may send a global address first: the packet is still fully decoded. */
	memcpy(v6, kat_v3_v6, 8);
	memcpy(v6 + 8, v6_gua, 16);
	memcpy(v6 + 24, v6_ll, 16);
	ck = vrrp_pkt_cksum(&vrrp_af_ipv6, v6, sizeof(v6), &m6, true);
	v6[6] = (uint8_t)(ck >> 8);
	v6[7] = (uint8_t)ck;
	assert_int_equal(parse_exact(&vrrp_af_ipv6, v6, sizeof(v6), &m6, true, &out),
			 VRRP_DROP_V6_FIRST_NOT_LL);
	assert_int_equal(out.naddr, 2);
	assert_memory_equal(out.addr.v6[0].s6_addr, v6_gua, 16);
	assert_memory_equal(out.addr.v6[1].s6_addr, v6_ll, 16);
}

/* IPv4 header handling: a 20-byte header in front of the seed advertisement. */

struct ip_case {
	const char *name;
	uint8_t hdr[24];
	size_t hdrlen;
	/* Bytes handed to vrrp_ipv4_strip (header + payload), for truncation cases. */
	size_t len;
	enum vrrp_drop strip;
	enum vrrp_drop parse;
};

#define IPH(vihl, tlen, ttl, proto)                                                               \
	(vihl), 0xc0, 0x00, (tlen), 0, 0, 0, 0, (ttl), (proto), 0, 0, 10, 10, 10, 15, 224, 0, 0, 18

/* clang-format off */
static const struct ip_case ip_cases[] = {
	{ "good", { IPH(0x45, 32, 255, 112) }, 20, 32, VRRP_DROP_NONE, VRRP_DROP_NONE },
	{ "with options", { IPH(0x46, 36, 255, 112), 1, 1, 1, 0 }, 24, 36, VRRP_DROP_NONE,
	  VRRP_DROP_NONE },
	{ "TTL 1", { IPH(0x45, 32, 1, 112) }, 20, 32, VRRP_DROP_NONE, VRRP_DROP_TTL },
	{ "truncated header", { IPH(0x45, 32, 255, 112) }, 20, 19, VRRP_DROP_IP_HEADER },
	{ "IP version 6", { IPH(0x65, 32, 255, 112) }, 20, 32, VRRP_DROP_IP_HEADER },
	{ "IHL 4", { IPH(0x44, 32, 255, 112) }, 20, 32, VRRP_DROP_IP_HEADER },
	{ "IHL beyond buffer", { IPH(0x4f, 32, 255, 112) }, 20, 32, VRRP_DROP_IP_HEADER },
	{ "total length > buffer", { IPH(0x45, 33, 255, 112) }, 20, 32, VRRP_DROP_IP_HEADER },
	{ "total length < buffer", { IPH(0x45, 31, 255, 112) }, 20, 32, VRRP_DROP_IP_HEADER },
	{ "protocol AH", { IPH(0x45, 32, 255, 51) }, 20, 32, VRRP_DROP_IP_HEADER },
	{ "header only", { IPH(0x45, 20, 255, 112) }, 20, 20, VRRP_DROP_NONE,
	  VRRP_DROP_TRUNCATED },
};
/* clang-format on */

static void test_ipv4_strip(void **state)
{
	for (size_t i = 0; i < array_size(ip_cases); i++) {
		const struct ip_case *c = &ip_cases[i];
		uint8_t dgram[64];
		struct vrrp_rx_meta meta;
		const uint8_t *payload;
		size_t plen;
		uint8_t *copy;
		struct vrrp_pkt out;
		enum vrrp_drop d;

		memcpy(dgram, c->hdr, c->hdrlen);
		memcpy(dgram + c->hdrlen, kat_v3_v4_pseudo, sizeof(kat_v3_v4_pseudo));
		copy = malloc(c->len);
		assert_non_null(copy);
		memcpy(copy, dgram, c->len);

		d = vrrp_ipv4_strip(copy, c->len, &meta, &payload, &plen);
		if (d != c->strip)
			fail_msg("%s: strip got %s", c->name, vrrp_drop_str(d));
		if (d == VRRP_DROP_NONE) {
			assert_ptr_equal(payload, copy + c->hdrlen);
			assert_int_equal(plen, c->len - c->hdrlen);
			assert_memory_equal(meta.src.bytes, v4_src, 4);
			assert_memory_equal(meta.dst.bytes, v4_dst, 4);
			d = vrrp_pkt_parse(&vrrp_af_ipv4, payload, plen, &meta, true, &out);
			if (d != c->parse)
				fail_msg("%s: parse got %s", c->name, vrrp_drop_str(d));
		}
		free(copy);
	}
}

/*
 * The frame headers in front of a message. The known answer is a frame Linux 6.18 put on the
 * wire for a raw IPv4 socket's send through a macvlan (IP_PKTINFO, IP_TOS 0xc0, TTL 255),
 * captured by tcpdump on the peer: VRID 5, priority 100, 192.0.2.254 and 192.0.2.253 from
 * 192.0.2.1, identification 0x6d65. The builder, given the same identification, must give
 * the same bytes, header checksum included.
 */
static const uint8_t kat_kernel_frame[] = {
	0x01, 0x00, 0x5e, 0x00, 0x00, 0x12, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x05, 0x08,
	0x00, 0x45, 0xc0, 0x00, 0x24, 0x6d, 0x65, 0x40, 0x00, 0xff, 0x70, 0x6b, 0x30,
	0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x31, 0x05, 0x64, 0x02, 0x00,
	0x64, 0x42, 0x03, 0xc0, 0x00, 0x02, 0xfe, 0xc0, 0x00, 0x02, 0xfd,
};

static void test_ipv4_frame_hdr(void **state)
{
	static const uint8_t vmac[6] = {0x00, 0x00, 0x5e, 0x00, 0x01, 0x05};
	const size_t msglen = sizeof(kat_kernel_frame) - VRRP_FRAME4_HDR_LEN;
	union vrrp_addr src = {.bytes = {192, 0, 2, 1}}, group = {.bytes = {224, 0, 0, 18}};
	union vrrp_addr other = {.bytes = {239, 129, 2, 3}}, unicast = {.bytes = {192, 0, 2, 2}};
	uint8_t frame[sizeof(kat_kernel_frame)];
	struct vrrp_rx_meta meta;
	const uint8_t *payload;
	size_t plen;

	memset(frame, 0xaa, sizeof(frame));
	memcpy(frame + VRRP_FRAME4_HDR_LEN, kat_kernel_frame + VRRP_FRAME4_HDR_LEN, msglen);
	assert_int_equal(
		vrrp_ipv4_frame_hdr(frame, vmac, &src, &group, VRRP_TOS_CS6, 0x6d65, msglen),
		VRRP_FRAME4_HDR_LEN);
	assert_memory_equal(frame, kat_kernel_frame, sizeof(frame));
	/* What the receive path strips is what the send path built. */
	assert_int_equal(vrrp_ipv4_strip(frame + 14, sizeof(frame) - 14, &meta, &payload, &plen),
			 VRRP_DROP_NONE);
	assert_int_equal(plen, msglen);
	assert_int_equal(meta.ttl, 255);

	/* Another identification changes only it and the header checksum. */
	assert_int_equal(
		vrrp_ipv4_frame_hdr(frame, vmac, &src, &group, VRRP_TOS_CS6, 0x6d66, msglen),
		VRRP_FRAME4_HDR_LEN);
	assert_int_equal(frame[19], 0x66);
	assert_int_equal(frame[24] << 8 | frame[25], 0x6b2f);
	assert_memory_equal(frame + 26, kat_kernel_frame + 26, sizeof(frame) - 26);

	/* Any group maps its low 23 bits into 01:00:5e (RFC 1112 6.4). */
	assert_int_equal(vrrp_ipv4_frame_hdr(frame, vmac, &src, &other, 0, 1, msglen),
			 VRRP_FRAME4_HDR_LEN);
	assert_memory_equal(frame, ((uint8_t[]){0x01, 0x00, 0x5e, 0x01, 0x02, 0x03}), 6);

	/* Not a group, or more than one datagram holds: nothing is written. */
	memset(frame, 0xaa, sizeof(frame));
	assert_int_equal(vrrp_ipv4_frame_hdr(frame, vmac, &src, &unicast, 0, 1, msglen), 0);
	assert_int_equal(vrrp_ipv4_frame_hdr(frame, vmac, &src, &group, 0, 1, 0xffff - 19), 0);
	assert_int_equal(frame[0], 0xaa);
	assert_int_equal(frame[VRRP_FRAME4_HDR_LEN - 1], 0xaa);
}

/* Builder refuses what the parser would drop, except the first-address order (see above). */

static void test_build_rejects(void **state)
{
	struct vrrp_rx_meta meta = meta_for(&vrrp_af_ipv4, VRRP_TTL);
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct vrrp_pkt p, out;
	size_t n;

	fill_seed_pkt(&p, 3);
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, 11), 0);
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, 12), 12);

	p.version = 4;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);
	fill_seed_pkt(&p, 3);
	p.type = 2;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);
	fill_seed_pkt(&p, 3);
	p.naddr = 0;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);
	fill_seed_pkt(&p, 3);
	p.adver_int = 0;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);
	p.adver_int = 4096;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);
	p.af = NULL;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);

	fill_seed_pkt(&p, 2);
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, 19), 0);
	p.adver_int = 256;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);
	fill_seed_pkt(&p, 2);
	p.auth_type = 1;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);

	meta = meta_for(&vrrp_af_ipv6, VRRP_TTL);
	fill_v6_pkt(&p);
	p.version = 2;
	assert_int_equal(vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf)), 0);
	/* A global address first is built (FRR 8.4 peers send that) and flagged on receive. */
	fill_v6_pkt(&p);
	memcpy(p.addr.v6[0].s6_addr, v6_gua, 16);
	n = vrrp_pkt_build(&p, &meta, true, buf, sizeof(buf));
	assert_int_equal(n, vrrp_pkt_len(&vrrp_af_ipv6, 3, p.naddr));
	assert_int_equal(vrrp_pkt_parse(&vrrp_af_ipv6, buf, n, &meta, true, &out),
			 VRRP_DROP_V6_FIRST_NOT_LL);
	assert_memory_equal(out.addr.v6[0].s6_addr, v6_gua, 16);
}

static void test_drop_names(void **state)
{
	for (int a = 0; a < VRRP_DROP_CODEC_MAX; a++) {
		const char *k = vrrp_drop_key(a);

		assert_non_null(vrrp_drop_str(a));
		assert_true(strlen(vrrp_drop_str(a)) > 0);
		/* JSON keys are camelCase: a lower-case letter first, letters only. */
		assert_true(k[0] >= 'a' && k[0] <= 'z');
		for (const char *c = k; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'));
		for (int b = 0; b < a; b++) {
			assert_string_not_equal(k, vrrp_drop_key(b));
			assert_string_not_equal(vrrp_drop_str(a), vrrp_drop_str(b));
		}
	}
	assert_string_equal(vrrp_drop_str(VRRP_DROP_CHECKSUM), "bad checksum");
	assert_string_equal(vrrp_drop_key(VRRP_DROP_CHECKSUM), "badChecksum");
	assert_string_equal(vrrp_drop_str(VRRP_DROP_CODEC_MAX), "unknown");
	assert_string_equal(vrrp_drop_key(VRRP_DROP_CODEC_MAX + 3), "unknown");
	assert_string_equal(vrrp_drop_key(-1), "unknown");
}

static void test_intervals(void **state)
{
	struct vrrp_pkt p;

	fill_seed_pkt(&p, 2);
	p.adver_int = 255;
	assert_int_equal(vrrp_pkt_adver_int_cs(&p), 25500);
	fill_seed_pkt(&p, 3);
	p.adver_int = 4095;
	assert_int_equal(vrrp_pkt_adver_int_cs(&p), 4095);

	/* FRR 8.4.4 compatible: whole seconds, truncated, at least 1. */
	assert_int_equal(vrrp_v2_adver_int_from_cs(0), 1);
	assert_int_equal(vrrp_v2_adver_int_from_cs(50), 1);
	assert_int_equal(vrrp_v2_adver_int_from_cs(100), 1);
	assert_int_equal(vrrp_v2_adver_int_from_cs(150), 1);
	assert_int_equal(vrrp_v2_adver_int_from_cs(250), 2);
	assert_int_equal(vrrp_v2_adver_int_from_cs(25599), 255);
	assert_int_equal(vrrp_v2_adver_int_from_cs(40950), 255);
}

static void test_pkt_str_truncates(void **state)
{
	struct vrrp_pkt p;
	char s[8];

	fill_seed_pkt(&p, 3);
	assert_int_equal(vrrp_pkt_str(&p, s, sizeof(s)),
			 (int)strlen("VRRPv3, vrid 5, prio 210, intvl 100cs, length 12"));
	assert_string_equal(s, "VRRPv3,");
	p.type = 7;
	p.version = 9;
	assert_int_equal(vrrp_pkt_str(&p, NULL, 0),
			 (int)strlen("VRRPv9, type 7, vrid 5, prio 210, intvl 100cs, length 12"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kat_v3_ipv4_pseudo),
		cmocka_unit_test(test_kat_v3_ipv4_plain),
		cmocka_unit_test(test_kat_v2),
		cmocka_unit_test(test_kat_v3_ipv6),
		cmocka_unit_test(test_cksum_modes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_drop_reasons),
		cmocka_unit_test(test_out_on_drop),
		cmocka_unit_test(test_ipv4_strip),
		cmocka_unit_test(test_ipv4_frame_hdr),
		cmocka_unit_test(test_build_rejects),
		cmocka_unit_test(test_drop_names),
		cmocka_unit_test(test_intervals),
		cmocka_unit_test(test_pkt_str_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
