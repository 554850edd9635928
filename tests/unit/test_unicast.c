// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for unicast peers: the codec's checksum with a unicast destination (known
 * answers), the receive decision with and without peers (vrrpd/vrrp_rx.c), keepalived's old
 * unicast checksum, and the peer table and address checks (vrrpd/vrrp_unicast.c).
 */
#include <zebra.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vrrp.h"
#include "vrrp_rx.h"
#include "vrrp_unicast.h"

/*
 * Known answers, computed outside this code with a few lines of /usr/bin/python3 following
 * RFC 1071 literally (the method of test_packet.c). The seed's advertisement (vrid 5, prio
 * 210, 100 cs, VIP 10.10.10.16) from 10.10.10.15 unicast to 10.10.10.10, IPv4 pseudo-header:
 * 0xbfd1 (to 224.0.0.18 it is 0xf3d2). IPv6 from fe80::a8bb:ccff:fe00:1 unicast to
 * fe80::a8bb:ccff:fe00:2 with fe80::1 and 2001:db8::16: 0xeb2c.
 */
#define KAT_V4_UNICAST 0xbfd1
#define KAT_V4_GROUP 0xf3d2
#define KAT_V6_UNICAST 0xeb2c

/* clang-format off */
static const uint8_t v4_self[4] = { 10, 10, 10, 10 };
static const uint8_t v4_peer[4] = { 10, 10, 10, 15 };
static const uint8_t v4_other[4] = { 10, 10, 10, 99 };
static const uint8_t v4_vip[4] = { 10, 10, 10, 16 };
static const uint8_t v6_peer[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				     0xa8, 0xbb, 0xcc, 0xff, 0xfe, 0, 0, 1 };
static const uint8_t v6_self[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				     0xa8, 0xbb, 0xcc, 0xff, 0xfe, 0, 0, 2 };
static const uint8_t v6_vip_ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t v6_vip_gl[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 0x16 };
/* clang-format on */

/* An advertisement from src to dst (NULL: the group) in a checksum mode, built by the codec. */
static size_t build(const struct vrrp_af_ops *af, const uint8_t *src, const uint8_t *dst,
		    bool pseudo, uint8_t *buf)
{
	struct vrrp_pkt pkt = {.af = af, .version = 3, .type = 1, .vrid = 5, .priority = 210};
	struct vrrp_rx_meta m = {};

	pkt.adver_int = 100;
	memcpy(m.src.bytes, src, af->addrlen);
	if (dst)
		memcpy(m.dst.bytes, dst, af->addrlen);
	if (af->addrlen == 4) {
		pkt.naddr = 1;
		memcpy(pkt.addr.bytes, v4_vip, 4);
	} else {
		pkt.naddr = 2;
		memcpy(pkt.addr.bytes, v6_vip_ll, 16);
		memcpy(pkt.addr.bytes + 16, v6_vip_gl, 16);
	}
	return vrrp_pkt_build(&pkt, &m, pseudo, buf, VRRP_PKT_MAX_LEN);
}

static uint16_t wire_cksum(const uint8_t *buf)
{
	return (uint16_t)(buf[6] << 8 | buf[7]);
}

static void test_codec_unicast_kat(void **state)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	size_t len;

	len = build(&vrrp_af_ipv4, v4_peer, v4_self, true, buf);
	assert_int_equal(len, 12);
	assert_int_equal(wire_cksum(buf), KAT_V4_UNICAST);
	/* The group is what an all-zero destination stands for. */
	build(&vrrp_af_ipv4, v4_peer, NULL, true, buf);
	assert_int_equal(wire_cksum(buf), KAT_V4_GROUP);
	len = build(&vrrp_af_ipv6, v6_peer, v6_self, true, buf);
	assert_int_equal(len, 40);
	assert_int_equal(wire_cksum(buf), KAT_V6_UNICAST);
}

/* RFC 9568 5.2.8 mode covers the message only: the destination changes nothing. */
static void test_codec_plain_ignores_destination(void **state)
{
	uint8_t a[VRRP_PKT_MAX_LEN], b[VRRP_PKT_MAX_LEN];

	build(&vrrp_af_ipv4, v4_peer, v4_self, false, a);
	build(&vrrp_af_ipv4, v4_peer, NULL, false, b);
	assert_int_equal(wire_cksum(a), wire_cksum(b));
	assert_int_not_equal(wire_cksum(a), KAT_V4_UNICAST);
}

/* The receive side: one instance, version 3, running, pseudo-header mode, own address. */
struct lookup {
	struct vrrp_rx_target t;
};

static bool lookup_fn(void *arg, uint8_t vrid, struct vrrp_rx_target *t)
{
	struct lookup *l = arg;

	if (vrid != 5)
		return false;
	*t = l->t;
	return true;
}

static void target_init(struct lookup *l, const struct vrrp_af_ops *af, const uint8_t *own,
			const uint8_t *peers, unsigned int npeers)
{
	memset(l, 0, sizeof(*l));
	l->t.version = 3;
	l->t.cksum_pseudo = true;
	l->t.running = true;
	l->t.adver_interval = 100;
	memcpy(l->t.own.bytes, own, af->addrlen);
	l->t.peers = peers;
	l->t.peer_stride = af->addrlen;
	l->t.npeers = npeers;
}

static void classify(const struct vrrp_af_ops *af, const uint8_t *buf, size_t len,
		     const uint8_t *src, const uint8_t *dst, struct lookup *l,
		     struct vrrp_rx_result *res)
{
	struct vrrp_rx_meta m = {.ttl = 255};

	memcpy(m.src.bytes, src, af->addrlen);
	memcpy(m.dst.bytes, dst ? dst : af->group.bytes, af->addrlen);
	vrrp_rx_classify(af, buf, len, &m, VRRP_DROP_NONE, lookup_fn, l, res);
}

static void test_rx_from_peer(void **state)
{
	uint8_t peers[8], buf[VRRP_PKT_MAX_LEN];
	struct vrrp_rx_result res;
	struct lookup l;
	size_t len;

	/* Two peers; the sender is the second, so the index must be searched, not assumed. */
	memcpy(peers, v4_other, 4);
	memcpy(peers + 4, v4_peer, 4);
	target_init(&l, &vrrp_af_ipv4, v4_self, peers, 2);
	len = build(&vrrp_af_ipv4, v4_peer, v4_self, true, buf);
	classify(&vrrp_af_ipv4, buf, len, v4_peer, v4_self, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_ACCEPT);
	assert_int_equal(res.peer, 1);
	assert_false(res.cksum_group);
	assert_false(res.cksum_other);
	assert_int_equal(res.rx.priority, 210);

	/* A peer that multicasts is still a peer. */
	len = build(&vrrp_af_ipv4, v4_peer, NULL, true, buf);
	classify(&vrrp_af_ipv4, buf, len, v4_peer, NULL, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_ACCEPT);
	assert_int_equal(res.peer, 1);
}

static void test_rx_not_peer(void **state)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct vrrp_rx_result res;
	struct lookup l;
	size_t len;

	target_init(&l, &vrrp_af_ipv4, v4_self, v4_other, 1);
	len = build(&vrrp_af_ipv4, v4_peer, v4_self, true, buf);
	classify(&vrrp_af_ipv4, buf, len, v4_peer, v4_self, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_DROP);
	assert_int_equal(res.drop, VRRP_DROP_NOT_PEER);
	assert_string_equal(vrrp_drop_name(res.drop), "notPeer");
	/* Multicast from a non-peer is dropped as well: with peers, only they count. */
	len = build(&vrrp_af_ipv4, v4_peer, NULL, true, buf);
	classify(&vrrp_af_ipv4, buf, len, v4_peer, NULL, &l, &res);
	assert_int_equal(res.drop, VRRP_DROP_NOT_PEER);
}

static void test_rx_unicast_without_peers(void **state)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct vrrp_rx_result res;
	struct lookup l;
	size_t len;

	target_init(&l, &vrrp_af_ipv4, v4_self, NULL, 0);
	len = build(&vrrp_af_ipv4, v4_peer, v4_self, true, buf);
	classify(&vrrp_af_ipv4, buf, len, v4_peer, v4_self, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_DROP);
	assert_int_equal(res.drop, VRRP_DROP_UNEXPECTED_UNICAST);
	assert_string_equal(vrrp_drop_name(res.drop), "unexpectedUnicast");
	/* The multicast router of before: the group is accepted, with no peer index. */
	len = build(&vrrp_af_ipv4, v4_peer, NULL, true, buf);
	classify(&vrrp_af_ipv4, buf, len, v4_peer, NULL, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_ACCEPT);
	assert_int_equal(res.peer, -1);
}

/* The checksum is verified against the real destination: the group's does not pass as new. */
static void test_rx_cksum_real_destination(void **state)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	uint8_t wrong[4] = {10, 10, 10, 11};
	struct vrrp_rx_result res;
	struct lookup l;
	size_t len;

	target_init(&l, &vrrp_af_ipv4, v4_self, v4_peer, 1);
	/* Sent to another unicast address of ours: neither that nor the group checks out. */
	len = build(&vrrp_af_ipv4, v4_peer, wrong, true, buf);
	classify(&vrrp_af_ipv4, buf, len, v4_peer, v4_self, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_DROP);
	assert_int_equal(res.drop, VRRP_DROP_CHECKSUM);

	/* IPv6 always has the pseudo-header, so the destination matters there too. */
	target_init(&l, &vrrp_af_ipv6, v6_self, v6_peer, 1);
	len = build(&vrrp_af_ipv6, v6_peer, v6_self, true, buf);
	classify(&vrrp_af_ipv6, buf, len, v6_peer, v6_self, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_ACCEPT);
	assert_false(res.cksum_group);
	assert_int_equal(res.peer, 0);
	buf[6] ^= 0x01;
	classify(&vrrp_af_ipv6, buf, len, v6_peer, v6_self, &l, &res);
	assert_int_equal(res.drop, VRRP_DROP_CHECKSUM);
}

/* keepalived < 1.3.6 (and old_unicast_checksum): the group in the pseudo-header, sent unicast. */
static void test_rx_old_unicast_cksum(void **state)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct vrrp_rx_result res;
	struct lookup l;
	size_t len;

	target_init(&l, &vrrp_af_ipv4, v4_self, v4_peer, 1);
	len = build(&vrrp_af_ipv4, v4_peer, NULL, true, buf);
	classify(&vrrp_af_ipv4, buf, len, v4_peer, v4_self, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_ACCEPT);
	assert_true(res.cksum_group);
	assert_true(res.cksum_pseudo);
	assert_false(res.cksum_other);

	/* A router in RFC 9568 mode accepts it too, and notes that it was the other mode. */
	l.t.cksum_pseudo = false;
	classify(&vrrp_af_ipv4, buf, len, v4_peer, v4_self, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_ACCEPT);
	assert_true(res.cksum_group);
	assert_true(res.cksum_other);

	target_init(&l, &vrrp_af_ipv6, v6_self, v6_peer, 1);
	len = build(&vrrp_af_ipv6, v6_peer, NULL, true, buf);
	classify(&vrrp_af_ipv6, buf, len, v6_peer, v6_self, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_ACCEPT);
	assert_true(res.cksum_group);

	/* Multicast with the group's checksum is the normal case, not the old one. */
	classify(&vrrp_af_ipv6, buf, len, v6_peer, NULL, &l, &res);
	assert_int_equal(res.verdict, VRRP_RX_ACCEPT);
	assert_false(res.cksum_group);
}

static void ip(struct ipaddr *a, const char *s)
{
	assert_int_equal(str2ipaddr(s, a), 0);
}

static void test_peer_problems(void **state)
{
	static const char *const bad[] = {
		"0.0.0.0",	   "224.0.0.18", "239.1.1.1", "127.0.0.1", "169.254.1.1",
		"255.255.255.255", "::",	 "ff02::12",  "::1",	   "::ffff:10.0.0.1",
	};
	static const char *const good[] = {"10.10.10.10", "192.0.2.1", "fe80::1", "2001:db8::1"};
	struct ipaddr a;

	for (size_t i = 0; i < array_size(bad); i++) {
		ip(&a, bad[i]);
		assert_non_null(vrrp_unicast_problem(&a));
	}
	for (size_t i = 0; i < array_size(good); i++) {
		ip(&a, good[i]);
		assert_null(vrrp_unicast_problem(&a));
	}
}

/*
 * Configured peers take effect only when applied; the table in effect is sorted, and a peer
 * configured again keeps its counter; one removed is gone.
 */
static void test_peer_table(void **state)
{
	struct vrrp_vr vr = {};
	struct vrrp_af *af = &vr.af[VRRP_AFI_V4];
	struct ipaddr in[3];

	af->vr = &vr;
	af->fam = &vrrp_family_ipv4;
	ip(&in[0], "10.0.0.9");
	ip(&in[1], "10.0.0.2");
	vrrp_unicast_set(af, in, 2);
	assert_true(vrrp_unicast_configured(af));
	assert_int_equal(af->npeers, 0);
	vrrp_unicast_apply(af);
	assert_int_equal(af->npeers, 2);
	assert_int_equal(vrrp_unicast_find(af, v4_self), -1);
	assert_int_equal(af->peers[0].addr.ipaddr_v4.s_addr, in[1].ipaddr_v4.s_addr);
	af->peers[1].adver_rx = 7; /* 10.0.0.9 */
	af->peers[0].adver_rx = 3; /* 10.0.0.2 */
	/* The same peers again, in another order: nothing changes. */
	vrrp_unicast_set(af, (struct ipaddr[]){in[1], in[0]}, 2);
	vrrp_unicast_apply(af);
	assert_int_equal(af->peers[0].adver_rx, 3);

	ip(&in[1], "10.0.0.1");
	vrrp_unicast_set(af, in, 2);
	assert_int_equal(af->peers[0].adver_rx, 3); /* not applied yet */
	vrrp_unicast_apply(af);
	assert_int_equal(af->npeers, 2);
	assert_int_equal(af->peers[0].adver_rx, 0); /* 10.0.0.1, new */
	assert_int_equal(af->peers[1].adver_rx, 7); /* 10.0.0.9, kept */
	assert_int_equal(vrrp_unicast_find(af, (uint8_t *)&in[0].ipaddr_v4), 1);

	vrrp_unicast_clear(af);
	assert_int_equal(af->peers[1].adver_rx, 0);
	vrrp_unicast_set(af, NULL, 0);
	assert_false(vrrp_unicast_configured(af));
	vrrp_unicast_apply(af);
	assert_int_equal(af->npeers, 0);
	assert_null(af->peers);
	vrrp_unicast_free(&vr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec_unicast_kat),
		cmocka_unit_test(test_codec_plain_ignores_destination),
		cmocka_unit_test(test_rx_from_peer),
		cmocka_unit_test(test_rx_not_peer),
		cmocka_unit_test(test_rx_unicast_without_peers),
		cmocka_unit_test(test_rx_cksum_real_destination),
		cmocka_unit_test(test_rx_old_unicast_cksum),
		cmocka_unit_test(test_peer_problems),
		cmocka_unit_test(test_peer_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
