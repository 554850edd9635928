// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the receive path and the executor (vrrp_rx.c, vrrp_exec.c, through vrrp_engine.h):
 * received advertisements through the socket layer's callback, every drop class and where it is
 * counted, the state changes they cause, and how the executor sends, announces, retries and
 * counts. The outside world is the fake of fake_io.c.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_exec.h"
#include "vrrp_sock.h"
#include "vrrp_timer.h"
#include "vrrp_unicast.h"

#include "fake_io.h"

#define PEER_HIGH4 "10.10.10.20"
#define PEER_LOW4 "10.10.10.5"
#define PEER_HIGH6 "fe80::20"

#define ADVERT4(p) "send mv4 v3 vrid 5 prio " #p " int 1 10.10.10.1,10.10.10.2 from 10.10.10.15"
/* A burst of gratuitous ARPs for the scene's addresses: the default repeat 2, round by round. */
#define GARP4_BURST                                                                               \
	"garp mv4 10.10.10.1; garp mv4 10.10.10.2; garp mv4 10.10.10.1; garp mv4 10.10.10.2"

/* A peer's advertisement for router 5 with the scene's addresses and a 10 ms interval. */
static struct fake_adv adv4(uint8_t prio, const char *src)
{
	return (struct fake_adv){.family = AF_INET,
				 .vrid = FAKE_VRID,
				 .prio = prio,
				 .interval = 1,
				 .src = src,
				 .addrs = {"10.10.10.1", "10.10.10.2"}};
}

static struct fake_adv adv6(uint8_t prio, const char *src)
{
	return (struct fake_adv){.family = AF_INET6,
				 .vrid = FAKE_VRID,
				 .prio = prio,
				 .interval = 1,
				 .src = src,
				 .addrs = {"fe80::1", "2001:db8::1"}};
}

#define slow_backup() fake_slow_backup(VRRP_AFI_V4)

static void rx(struct vrrp_af *af, struct fake_adv a)
{
	fake_rx(af->vr->ifp, &a);
}

/* Elections. */

/* Checksum modes. */

static void test_cksum_either_mode_accepted(void **state)
{
	struct vrrp_af *af = &fake_router(VRRP_AFI_V4, MVL_PROTODOWN)->af[VRRP_AFI_V4];
	struct fake_adv rfc = adv4(150, PEER_HIGH4), pseudo = adv4(150, PEER_HIGH4);

	/* Configured for the pseudo-header (FRR's default), the other mode counts too. */
	rfc.rfc_cksum = true;
	rx(af, rfc);
	rx(af, pseudo);
	rx(af, pseudo);
	assert_int_equal(af->stats.adver_rx, 3);
	assert_int_equal(af->stats.rx_cksum_plain, 1);
	assert_int_equal(af->stats.rx_cksum_pseudo, 2);
	assert_int_equal(af->drops[VRRP_DROP_CHECKSUM], 0);
	/* Fixed mode: we keep sending what is configured. */
	assert_true(vrrp_exec_tx_cksum_pseudo(af));
}

static void test_cksum_wrong_in_both_modes_dropped(void **state)
{
	struct vrrp_af *af = &fake_router(VRRP_AFI_V4, MVL_PROTODOWN)->af[VRRP_AFI_V4];
	struct fake_adv a = adv4(150, PEER_HIGH4);
	struct vrrp_rx_meta meta;
	uint8_t buf[VRRP_PKT_MAX_LEN + 64];
	size_t len = fake_adv_build(&a, buf, sizeof(buf), &meta);

	buf[fake_adv_msg_off(&a) + 7] ^= 0x5a;
	fake_deliver(af->vr->ifp, AF_INET, buf, len, &meta);
	assert_int_equal(af->drops[VRRP_DROP_CHECKSUM], 1);
	assert_int_equal(af->stats.adver_rx, 0);
}

static void test_cksum_auto_follows_the_peer(void **state)
{
	struct vrrp_af *af = &fake_router(VRRP_AFI_V4, MVL_PROTODOWN)->af[VRRP_AFI_V4];
	struct fake_adv rfc = adv4(150, PEER_HIGH4);

	af->vr->cfg.cksum_auto = true;
	/* Before any peer: the configured mode. */
	assert_true(vrrp_exec_tx_cksum_pseudo(af));
	rfc.rfc_cksum = true;
	rx(af, rfc);
	assert_false(vrrp_exec_tx_cksum_pseudo(af));
	rx(af, adv4(150, PEER_HIGH4));
	assert_true(vrrp_exec_tx_cksum_pseudo(af));
	/* IPv6 has one mode; nothing moves. */
	assert_int_equal(af->vr->af[VRRP_AFI_V6].stats.rx_cksum_plain, 0);
}

static void test_backup_knows_the_master(void **state)
{
	struct vrrp_af *af = &fake_router(VRRP_AFI_V4, MVL_PROTODOWN)->af[VRRP_AFI_V4];
	struct ipaddr m;
	uint8_t prio;
	char buf[INET6_ADDRSTRLEN];

	vrrp_exec_master(af, &m, &prio);
	assert_true(IS_IPADDR_NONE(&m));
	rx(af, adv4(150, PEER_HIGH4));
	vrrp_exec_master(af, &m, &prio);
	assert_string_equal(ipaddr2str(&m, buf, sizeof(buf)), PEER_HIGH4);
	assert_int_equal(prio, 150);
	/* A release leaves no Master to name. */
	rx(af, adv4(0, PEER_HIGH4));
	vrrp_exec_master(af, &m, &prio);
	assert_true(IS_IPADDR_NONE(&m));
	/* Once Master, the Master is this router. */
	fake_fire(&af->t_master_down);
	vrrp_exec_master(af, &m, &prio);
	assert_string_equal(ipaddr2str(&m, buf, sizeof(buf)), "10.10.10.15");
	assert_int_equal(prio, 100);
}

static void test_higher_priority_ends_v4_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	rx(af, adv4(200, PEER_HIGH4));
	fake_expect("protodown mv4 on");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(af->stats.adver_rx, 1);
	assert_int_equal(af->stats.transitions, 3);
	assert_false(af->t_adver.armed);
	assert_true(af->t_master_down.armed);
}

static void test_higher_priority_ends_v6_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V6);

	rx(af, adv6(200, PEER_HIGH6));
	/* A Backup must not advertise itself as a router either. */
	fake_expect("protodown mv6 on; radv mv6 off");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(af->stats.adver_rx, 1);
}

static void test_lower_priority_answered_at_once(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	rx(af, adv4(50, PEER_HIGH4));
	/* The link was verified by the last send, so this one skips the check. */
	fake_expect(ADVERT4(100));
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(af->stats.adver_tx, 2);
	assert_int_equal(af->stats.adver_rx, 1);
}

static void test_equal_priority_higher_address_wins(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	rx(af, adv4(100, PEER_HIGH4));
	fake_expect("protodown mv4 on");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
}

static void test_equal_priority_lower_address_loses(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	rx(af, adv4(100, PEER_LOW4));
	fake_expect(ADVERT4(100));
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
}

static void test_release_seen_by_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	rx(af, adv4(0, PEER_HIGH4));
	fake_expect(ADVERT4(100));
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
}

static void test_release_shortens_backup_wait(void **state)
{
	struct vrrp_af *af = slow_backup();
	uint64_t before = vrrp_now_us(), after;

	rx(af, adv4(0, PEER_HIGH4));
	after = vrrp_now_us();
	fake_expect("");
	/* Skew_Time, (256 - 100) * 100 / 256 = 60 cs, instead of 3.6 s. */
	assert_true(af->t_master_down.deadline >= before + 600000);
	assert_true(af->t_master_down.deadline <= after + 600000);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
}

static void test_own_advertisement_ignored(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	rx(af, adv4(100, PARENT_V4));
	fake_expect("");
	assert_int_equal(af->stats.adver_rx, 0);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
}

static void test_backup_learns_interval(void **state)
{
	struct vrrp_af *af = slow_backup();
	struct fake_adv a = adv4(200, PEER_HIGH4);

	a.interval = 50;
	rx(af, a);
	fake_expect("");
	assert_int_equal(af->fsm.master_adver_interval, 50);
	/* 3 * 50 + (256 - 100) * 50 / 256 */
	assert_int_equal(af->fsm.master_down_interval, 180);
}

static void test_preempt_decides_lower_priority(void **state)
{
	struct vrrp_af *af = slow_backup();
	struct fake_adv a = adv4(50, PEER_HIGH4);
	uint64_t d = af->t_master_down.deadline;

	a.interval = 200;
	/* Preempting: a lower priority Master is ignored and its interval not learned. */
	rx(af, a);
	assert_int_equal(af->t_master_down.deadline, d);
	assert_int_equal(af->fsm.master_adver_interval, 100);
	/* Not preempting: it is accepted like any Master. */
	af->vr->cfg.preempt = 0;
	vrrp_vr_reconcile(af->vr);
	rx(af, a);
	assert_int_equal(af->fsm.master_adver_interval, 200);
	assert_true(af->t_master_down.deadline > d);
	assert_int_equal(af->stats.adver_rx, 2);
	fake_expect("");
}

static void test_rx_in_initialize_ignored(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	af->vr->cfg.shutdown = 1;
	vrrp_vr_reconcile(af->vr);
	fake_clear();
	rx(af, adv4(200, PEER_HIGH4));
	fake_expect("");
	assert_int_equal(af->stats.adver_rx, 0);
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
}

/* Drops. */

static uint32_t if_drops(struct vrrp_af *af, enum vrrp_afi afi, unsigned int reason)
{
	const uint32_t *d = vrrp_if_drops(af->vr->ifp, afi);

	return d ? d[reason] : 0;
}

/* Exactly one drop was counted for the router, for this reason, and nothing else happened. */
static void assert_one_drop(struct vrrp_af *af, unsigned int reason)
{
	for (unsigned int i = 0; i < VRRP_DROP_MAX; i++)
		assert_int_equal(af->drops[i], i == reason ? 1 : 0);
	assert_int_equal(af->stats.adver_rx, 0);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	fake_expect("");
}

static void test_unknown_vrid(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct fake_adv a = adv4(200, PEER_HIGH4);

	a.vrid = 9;
	rx(af, a);
	/* IPv6 is not configured on router 5, so its packets have nobody to go to either. */
	rx(af, adv6(200, PEER_HIGH6));
	assert_int_equal(if_drops(af, VRRP_AFI_V4, VRRP_DROP_UNKNOWN_VRID), 1);
	assert_int_equal(if_drops(af, VRRP_AFI_V6, VRRP_DROP_UNKNOWN_VRID), 1);
	assert_int_equal(af->drops[VRRP_DROP_UNKNOWN_VRID], 0);
	assert_int_equal(af->stats.adver_rx, 0);
	fake_expect("");
}

static void test_bad_ip_header_and_truncated(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct fake_adv a = adv4(200, PEER_HIGH4);
	uint8_t buf[128];
	struct vrrp_rx_meta meta;
	size_t len = fake_adv_build(&a, buf, sizeof(buf), &meta);

	buf[9] = 6; /* TCP */
	fake_deliver(af->vr->ifp, AF_INET, buf, len, &meta);
	buf[9] = VRRP_IPPROTO;
	/* An IP header and half a VRRP header. */
	buf[2] = 0;
	buf[3] = 24;
	fake_deliver(af->vr->ifp, AF_INET, buf, 24, &meta);
	assert_int_equal(if_drops(af, VRRP_AFI_V4, VRRP_DROP_IP_HEADER), 1);
	assert_int_equal(if_drops(af, VRRP_AFI_V4, VRRP_DROP_TRUNCATED), 1);
	assert_one_drop(af, VRRP_DROP_MAX);
}

/*
 * A datagram longer than the socket's buffer arrives cut short (MSG_TRUNC). The socket layer
 * hands over what it read with its verdict, and the prefix, though it starts like a good
 * advertisement of router 5, counts as a bad length on the interface, in both families.
 */
static void test_oversized_counts_as_bad_length(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct fake_adv a4 = adv4(254, PEER_HIGH4), a6 = adv6(254, PEER_HIGH6);
	uint8_t buf[VRRP_PKT_MAX_LEN + 20];
	struct vrrp_rx_meta meta;
	size_t len;

	assert_int_equal(vrrp_sock_datagram_drop(0), VRRP_DROP_NONE);
	assert_int_equal(vrrp_sock_datagram_drop(MSG_TRUNC), VRRP_DROP_LENGTH);
	len = fake_adv_build(&a4, buf, sizeof(buf), &meta);
	vrrp_exec_rx(af->vr->ifp, AF_INET, buf, len, &meta, vrrp_sock_datagram_drop(MSG_TRUNC));
	len = fake_adv_build(&a6, buf, sizeof(buf), &meta);
	vrrp_exec_rx(af->vr->ifp, AF_INET6, buf, len, &meta, vrrp_sock_datagram_drop(MSG_TRUNC));
	assert_int_equal(if_drops(af, VRRP_AFI_V4, VRRP_DROP_LENGTH), 1);
	assert_int_equal(if_drops(af, VRRP_AFI_V6, VRRP_DROP_LENGTH), 1);
	/* Not the router's: only a prefix was read, and the state machine never saw it. */
	assert_one_drop(af, VRRP_DROP_MAX);
}

/*
 * Datagrams the kernel dropped at a full receive queue: the socket layer learns how many from
 * the count the next datagram carries (SO_RXQ_OVFL, cumulative, 32 bits) and hands each one
 * over as a queue overflow, counted on the interface of its family.
 */
static void test_queue_overflow_counted(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_rx_meta none = {};
	uint32_t seen = 0, lost;

	assert_int_equal(vrrp_sock_rxq_lost(&seen, 0), 0);
	assert_int_equal(vrrp_sock_rxq_lost(&seen, 3), 3);
	assert_int_equal(vrrp_sock_rxq_lost(&seen, 3), 0);
	seen = UINT32_MAX - 1;
	assert_int_equal(vrrp_sock_rxq_lost(&seen, 2), 4);
	assert_int_equal(seen, 2);
	seen = 10;
	lost = vrrp_sock_rxq_lost(&seen, 13);
	while (lost--)
		vrrp_exec_rx(af->vr->ifp, AF_INET6, NULL, 0, &none,
			     (enum vrrp_drop)VRRP_DROP_QUEUE_OVERFLOW);
	assert_int_equal(if_drops(af, VRRP_AFI_V6, VRRP_DROP_QUEUE_OVERFLOW), 3);
	assert_int_equal(if_drops(af, VRRP_AFI_V4, VRRP_DROP_QUEUE_OVERFLOW), 0);
	assert_string_equal(vrrp_drop_name(VRRP_DROP_QUEUE_OVERFLOW), "queueOverflow");
	assert_one_drop(af, VRRP_DROP_MAX);
}

/* Change one byte of a good advertisement's message, re-checksummed unless told otherwise. */
static void rx_mutated(struct vrrp_af *af, struct fake_adv a, size_t at, uint8_t value, bool fix)
{
	uint8_t buf[VRRP_PKT_MAX_LEN + 20];
	struct vrrp_rx_meta meta;
	size_t len = fake_adv_build(&a, buf, sizeof(buf), &meta);

	buf[fake_adv_msg_off(&a) + at] = value;
	if (fix)
		fake_adv_fix_cksum(&a, buf, len, &meta);
	fake_deliver(af->vr->ifp, a.family, buf, len, &meta);
}

/* A Master gets a priority-200 advertisement with one byte changed and must drop it. */
struct drop_case {
	size_t at;
	uint8_t value;
	bool fix_cksum;
	unsigned int reason;
};

static const struct drop_case drop_version_field = {0, 0x41, true, VRRP_DROP_VERSION};
static const struct drop_case drop_type = {0, 0x32, true, VRRP_DROP_TYPE};
static const struct drop_case drop_addr_count = {3, 0, true, VRRP_DROP_ADDR_COUNT};
static const struct drop_case drop_length = {3, 3, true, VRRP_DROP_LENGTH};
static const struct drop_case drop_checksum = {2, 201, false, VRRP_DROP_CHECKSUM};
static const struct drop_case drop_interval_zero = {5, 0, true, VRRP_DROP_INTERVAL};

static void test_drop_mutated(void **state)
{
	const struct drop_case *c = *state;
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	rx_mutated(af, adv4(200, PEER_HIGH4), c->at, c->value, c->fix_cksum);
	assert_one_drop(af, c->reason);
}

/* One named test case per entry, with the entry as its state. */
#define drop_test(c)                                                                              \
	{                                                                                         \
		"test_" #c, test_drop_mutated, fake_test_setup, fake_test_teardown, (void *)&c    \
	}

static void test_drop_ttl(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct fake_adv a = adv4(200, PEER_HIGH4);

	a.ttl = 254;
	rx(af, a);
	assert_one_drop(af, VRRP_DROP_TTL);
}

static void test_drop_hop_limit_v6(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V6);
	struct fake_adv a = adv6(200, PEER_HIGH6);

	a.ttl = 1;
	rx(af, a);
	assert_one_drop(af, VRRP_DROP_TTL);
}

static void test_drop_version_mismatch(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct fake_adv a = adv4(200, PEER_HIGH4);

	a.version = 2;
	rx(af, a);
	assert_one_drop(af, VRRP_DROP_VERSION_MISMATCH);
}

static void test_v2_interval_mismatch(void **state)
{
	struct vrrp_af *af = slow_backup();
	struct fake_adv a = adv4(200, PEER_HIGH4);

	af->vr->cfg.version = 2;
	vrrp_vr_reconcile(af->vr);
	fake_expect("protodown mv4 on");
	a.version = 2;
	a.interval = 2; /* seconds; ours is 1 */
	rx(af, a);
	assert_int_equal(af->drops[VRRP_DROP_INTERVAL_MISMATCH], 1);
	assert_int_equal(af->stats.adver_rx, 0);
	a.interval = 1;
	rx(af, a);
	assert_int_equal(af->stats.adver_rx, 1);
	assert_int_equal(af->drops[VRRP_DROP_INTERVAL_MISMATCH], 1);
	fake_expect("");
}

static void test_v6_link_local_first(void **state)
{
	static const char *const global_only[] = {"2001:db8::1", NULL};
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V6);
	struct fake_adv a = adv6(50, PEER_HIGH6);

	/* A router with a link-local virtual address insists on it coming first. */
	a.addrs[0] = "2001:db8::1";
	a.addrs[1] = "fe80::1";
	rx(af, a);
	assert_one_drop(af, VRRP_DROP_V6_FIRST_NOT_LL);
	/* One without accepts FRR 8.4's order, and answers the lower priority (checking the link
	 * again, as after every reconcile). */
	fake_set_vips(af, global_only);
	vrrp_vr_reconcile(af->vr);
	fake_clear();
	a.addrs[1] = NULL;
	rx(af, a);
	assert_int_equal(af->stats.adver_rx, 1);
	fake_expect_only("send",
			 "send mv6 v3 vrid 5 prio 100 int 1 2001:db8::1 from fe80::15 "
			 "check [firstAddrNotLinkLocal]");
}

/* Sending and announcing. */

static void test_send_netdown_retried(void **state)
{
	struct vrrp_af *af = &fake_router(VRRP_AFI_V4, MVL_PROTODOWN)->af[VRRP_AFI_V4];

	/* Zebra has not lifted protodown in the kernel yet. */
	fake_rc.send_rc = -ENETDOWN;
	fake_make_master(af);
	fake_expect("protodown mv4 off; " ADVERT4(100) " check FAILED; " GARP4_BURST);
	assert_true(af->advert_pending);
	assert_int_equal(af->stats.adver_tx, 0);
	/* Zebra reports the macvlan up: the advertisement goes out then. */
	fake_rc.send_rc = 0;
	vrrp_reconcile_all();
	fake_expect(ADVERT4(100) " check");
	assert_false(af->advert_pending);
	assert_int_equal(af->stats.adver_tx, 1);
	vrrp_reconcile_all();
	fake_expect("");
}

/*
 * An advertisement the adapter sent ahead of the kernel's word that the link runs (a frame on
 * the parent just after protodown was lifted) counts as sent, and the next one checks the link
 * again; only a confirmed send lets the checks stop.
 */
static void test_send_unconfirmed_checks_again(void **state)
{
	struct vrrp_af *af = &fake_router(VRRP_AFI_V4, MVL_PROTODOWN)->af[VRRP_AFI_V4];

	fake_rc.send_rc = 1;
	fake_make_master(af);
	fake_expect("protodown mv4 off; " ADVERT4(100) " check; " GARP4_BURST);
	assert_false(af->advert_pending);
	assert_int_equal(af->stats.adver_tx, 1);
	assert_false(af->link_verified);
	fake_fire(&af->t_adver);
	fake_expect_only("send", ADVERT4(100) " check");
	fake_rc.send_rc = 0;
	fake_fire(&af->t_adver);
	fake_expect_only("send", ADVERT4(100) " check");
	assert_true(af->link_verified);
	fake_fire(&af->t_adver);
	fake_expect_only("send", ADVERT4(100));
	assert_int_equal(af->stats.adver_tx, 4);
}

static void test_announce_netdown_retried(void **state)
{
	struct vrrp_af *af = &fake_router(VRRP_AFI_V4, MVL_PROTODOWN)->af[VRRP_AFI_V4];

	fake_rc.garp_rc = -ENETDOWN;
	fake_make_master(af);
	/* The first failure stops the round; all are sent again later. */
	fake_expect("protodown mv4 off; " ADVERT4(100) " check; garp mv4 10.10.10.1 FAILED");
	assert_true(af->announce_pending);
	fake_rc.garp_rc = 0;
	vrrp_reconcile_all();
	fake_expect(GARP4_BURST);
	assert_false(af->announce_pending);
	assert_int_equal(af->stats.announce_tx, 4);
}

static void test_adver_timer(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	uint64_t d = af->t_adver.deadline;

	fake_fire(&af->t_adver);
	fake_expect(ADVERT4(100));
	assert_true(af->t_adver.armed);
	assert_true(af->t_adver.deadline >= d + 10000);
	fake_fire(&af->t_adver);
	fake_expect(ADVERT4(100));
	assert_int_equal(af->stats.adver_tx, 3);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
}

/* Unicast peers. */

static void set_peers(struct vrrp_af *af, const char *a, const char *b)
{
	struct ipaddr p[2];

	assert_int_equal(str2ipaddr(a, &p[0]), 0);
	assert_int_equal(str2ipaddr(b, &p[1]), 0);
	vrrp_unicast_set(af, p, 2);
	vrrp_unicast_apply(af);
}

/* One copy per peer, in address order, from the parent; one advertisement counted. */
static void test_unicast_send_to_each_peer(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	uint32_t tx = af->stats.adver_tx;

	set_peers(af, PEER_HIGH4, PEER_LOW4);
	fake_fire(&af->t_adver);
	/* Address order: 10.10.10.5 before 10.10.10.20. */
	/* Unicast goes through the IP stack: no lower device for a frame. */
	assert_non_null(fake_nth(FAKE_SEND, 1));
	assert_string_equal(fake_nth(FAKE_SEND, 0)->lower, "");
	assert_string_equal(fake_nth(FAKE_SEND, 1)->lower, "");
	fake_expect(
		"send eth1 v3 vrid 5 prio 100 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 to "
		"10.10.10.5; send eth1 v3 vrid 5 prio 100 int 1 10.10.10.1,10.10.10.2 from "
		"10.10.10.15 to 10.10.10.20");
	assert_int_equal(af->stats.adver_tx, tx + 1);
	/* One peer failing does not keep the other from its copy. */
	fake_rc.send_rc = -ENOBUFS;
	fake_fire(&af->t_adver);
	assert_int_equal(af->tx_errors[VRRP_TXERR_NO_BUFFER], 2);
	assert_int_equal(af->stats.adver_tx, tx + 1);
	fake_rc.send_rc = 0;
	vrrp_unicast_set(af, NULL, 0);
	vrrp_unicast_apply(af);
	fake_clear();
	fake_fire(&af->t_adver);
	/* Multicast names the parent, where the adapter may put the macvlan's frame. */
	assert_non_null(fake_nth(FAKE_SEND, 0));
	assert_string_equal(fake_nth(FAKE_SEND, 0)->lower, "eth1");
	fake_expect(ADVERT4(100));
}

/* Only peers count: a non-peer is dropped, a peer's advertisement counts on it. */
static void test_unicast_rx_only_from_peers(void **state)
{
	struct vrrp_af *af = slow_backup();

	set_peers(af, PEER_LOW4, "10.10.10.99");
	rx(af, adv4(200, PEER_HIGH4));
	assert_int_equal(af->drops[VRRP_DROP_NOT_PEER], 1);
	assert_int_equal(af->stats.adver_rx, 0);
	rx(af, adv4(200, PEER_LOW4));
	assert_int_equal(af->stats.adver_rx, 1);
	assert_int_equal(af->peers[vrrp_unicast_find(af, (uint8_t[]){10, 10, 10, 5})].adver_rx, 1);
	vrrp_vr_clear_counters(af->vr);
	assert_int_equal(af->peers[0].adver_rx + af->peers[1].adver_rx, 0);
	vrrp_unicast_set(af, NULL, 0);
	vrrp_unicast_apply(af);
}

static void test_clear_counters(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct fake_adv a = adv4(50, PEER_HIGH4);

	rx(af, a);
	a.ttl = 1;
	rx(af, a);
	a.vrid = 9;
	rx(af, a);
	assert_int_equal(af->stats.adver_rx, 1);
	assert_int_equal(af->stats.adver_tx, 2);
	assert_int_equal(af->drops[VRRP_DROP_TTL], 1);
	vrrp_vr_clear_counters(af->vr);
	assert_int_equal(af->stats.adver_rx, 0);
	assert_int_equal(af->stats.adver_tx, 0);
	assert_int_equal(af->stats.announce_tx, 0);
	assert_int_equal(af->stats.transitions, 0);
	assert_int_equal(af->drops[VRRP_DROP_TTL], 0);
	/* The interface's own counters are cleared apart. */
	assert_int_equal(if_drops(af, VRRP_AFI_V4, VRRP_DROP_UNKNOWN_VRID), 1);
	vrrp_if_clear_drops(af->vr->ifp);
	assert_int_equal(if_drops(af, VRRP_AFI_V4, VRRP_DROP_UNKNOWN_VRID), 0);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		fake_test(test_cksum_either_mode_accepted),
		fake_test(test_cksum_wrong_in_both_modes_dropped),
		fake_test(test_cksum_auto_follows_the_peer),
		fake_test(test_backup_knows_the_master),
		fake_test(test_higher_priority_ends_v4_master),
		fake_test(test_higher_priority_ends_v6_master),
		fake_test(test_lower_priority_answered_at_once),
		fake_test(test_equal_priority_higher_address_wins),
		fake_test(test_equal_priority_lower_address_loses),
		fake_test(test_release_seen_by_master),
		fake_test(test_release_shortens_backup_wait),
		fake_test(test_own_advertisement_ignored),
		fake_test(test_backup_learns_interval),
		fake_test(test_preempt_decides_lower_priority),
		fake_test(test_rx_in_initialize_ignored),
		fake_test(test_unknown_vrid),
		fake_test(test_bad_ip_header_and_truncated),
		fake_test(test_oversized_counts_as_bad_length),
		fake_test(test_queue_overflow_counted),
		fake_test(test_drop_ttl),
		fake_test(test_drop_hop_limit_v6),
		drop_test(drop_version_field),
		drop_test(drop_type),
		drop_test(drop_addr_count),
		drop_test(drop_length),
		drop_test(drop_checksum),
		drop_test(drop_interval_zero),
		fake_test(test_drop_version_mismatch),
		fake_test(test_v2_interval_mismatch),
		fake_test(test_v6_link_local_first),
		fake_test(test_send_netdown_retried),
		fake_test(test_send_unconfirmed_checks_again),
		fake_test(test_announce_netdown_retried),
		fake_test(test_adver_timer),
		fake_test(test_unicast_send_to_each_peer),
		fake_test(test_unicast_rx_only_from_peers),
		fake_test(test_clear_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
