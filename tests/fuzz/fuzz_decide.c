// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the receive decision and the state machine: one message through
 * vrrp_rx_classify() (vrrpd/vrrp_rx.c) against a fuzzer-chosen instance, then
 * vrrp_fsm_step() (vrrpd/vrrp_fsm.c) with the accepted advertisement, or with a fuzzer-chosen
 * event when the message was not accepted, then a few more fuzzer-chosen events. After every
 * step the invariants of tests/unit/test_fsm.c check_pair() must hold.
 *
 * Input layout (missing bytes read as 0): a fixed header of HDR_LEN bytes, then the VRRP
 * message (for IPv4 without its IP header: the socket adapter strips that).
 *   [0]      flags: 0x01 IPv6, 0x02 patch in the right checksum, 0x04 an instance claims the
 *            VRID, 0x08 its v3 IPv4 checksum includes the pseudo-header, 0x10 running,
 *            0x20 Master (with running), 0x40 strict link-local first, 0x80 version 2
 *   [1]      flags: 0x01 preempt, 0x02 sync group holds Master, 0x04 want_master,
 *            0x08 IP layer dropped it, 0x10 TTL / hop limit 254, 0x20 destination not the
 *            group, 0x60 also picks our address vs the sender's: below, equal, above
 *   [2]      configured priority
 *   [3..4]   advertisement interval, cs (the instance's and the configuration's)
 *   [5..6]   preempt hold, cs
 *   [7..10]  clock, in ms (so deadlines stay far from wrapping)
 *   [11..22] three deadlines relative to the clock (signed 32-bit us): adver, master-down,
 *            preempt hold, each used only where the state keeps it
 *   [23..24] start-up delay end relative to the clock, cs (0: none)
 *   [25..31] events (byte & 0x3f, modulo VRRP_EV_MAX; 0 ends the list): the first when the
 *            message is not accepted, then chained steps; 0x80 steps the clock by (byte & 0x7f)
 *            ms first; a timer event comes only while its timer is armed, at its deadline
 *            unless 0x40 makes it early
 */
#include <zebra.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_fsm.h"
#include "fuzz_util.h"
#include "vrrp_packet.h"
#include "vrrp_rx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A plain trap that names the failed invariant first. */
#define CHECK(cond)                                                                               \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "fuzz_decide.c:%d: %s\n", __LINE__, #cond);               \
			__builtin_trap();                                                         \
		}                                                                                 \
	} while (0)

#define HDR_LEN 32
#define N_EVENTS 7

static uint32_t take(const uint8_t *h, size_t off, size_t n)
{
	uint32_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = (v << 8) | h[off + i];
	return v;
}

struct lookup_arg {
	bool claim;
	struct vrrp_rx_target t;
	uint8_t vrid_seen;
	bool called;
};

static bool lookup(void *arg, uint8_t vrid, struct vrrp_rx_target *t)
{
	struct lookup_arg *a = arg;

	a->called = true;
	a->vrid_seen = vrid;
	if (!a->claim)
		return false;
	*t = a->t;
	return true;
}

/* tests/unit/test_fsm.c check_pair(), for any consistent start. */
static void check_step(const struct vrrp_fsm_config *c, const struct vrrp_fsm_vars *cur,
		       enum vrrp_event e, const struct vrrp_fsm_out *out)
{
	uint32_t a = out->actions;
#ifdef FUZZ_DEBUG
	fprintf(stderr, "%s --%s--> %s actions %#x why %s md %llu->%llu\n",
		vrrp_state_str(cur->state), vrrp_event_str(e), vrrp_state_str(out->next.state), a,
		out->why, (unsigned long long)cur->master_down_deadline,
		(unsigned long long)out->next.master_down_deadline);
#endif

	CHECK(out->why != NULL);
	CHECK(out->next.state < VRRP_STATE_MAX);
	CHECK((a >> VRRP_ACT_COUNT) == 0);
	CHECK(!((a & VRRP_ACT_ARM_ADVER) && (a & VRRP_ACT_CANCEL_ADVER)));
	CHECK(!((a & VRRP_ACT_ARM_MASTER_DOWN) && (a & VRRP_ACT_CANCEL_MASTER_DOWN)));
	CHECK(!((a & VRRP_ACT_PROTODOWN_ON) && (a & VRRP_ACT_PROTODOWN_OFF)));
	if (out->next.state != VRRP_STATE_MASTER)
		CHECK(out->next.adver_deadline == 0);
	if (out->next.state != VRRP_STATE_BACKUP) {
		CHECK(out->next.master_down_deadline == 0);
		CHECK(out->next.preempt_hold_deadline == 0);
		CHECK(!out->next.want_master);
	}
	if (c->hold_master && e == VRRP_EV_MASTER_DOWN_TIMER && cur->state != VRRP_STATE_MASTER)
		CHECK(out->next.state != VRRP_STATE_MASTER);
	if (e == VRRP_EV_RESUME)
		CHECK(!(a & VRRP_ACT_ANNOUNCE));
	if (a & VRRP_ACT_ARM_ADVER)
		CHECK(out->next.adver_deadline != 0);
	if (a & VRRP_ACT_ARM_MASTER_DOWN)
		CHECK(out->next.master_down_deadline != 0);
	/*
	 * A deadline that moved was armed; one that went away was cancelled, unless its own timer
	 * just fired (then nothing is armed any more).
	 */
	if (out->next.adver_deadline != cur->adver_deadline) {
		if (out->next.adver_deadline)
			CHECK(a & VRRP_ACT_ARM_ADVER);
		else if (e != VRRP_EV_ADVER_TIMER)
			CHECK(a & VRRP_ACT_CANCEL_ADVER);
	}
	if (out->next.master_down_deadline != cur->master_down_deadline) {
		if (out->next.master_down_deadline)
			CHECK(a & VRRP_ACT_ARM_MASTER_DOWN);
		else if (e != VRRP_EV_MASTER_DOWN_TIMER)
			CHECK(a & VRRP_ACT_CANCEL_MASTER_DOWN);
	}
	CHECK(vrrp_state_str(out->next.state) != NULL && vrrp_event_str(e) != NULL);
	CHECK(vrrp_reason_str(vrrp_fsm_reason(cur->state, out->next.state, e)) != NULL);
}

static uint64_t rel(uint64_t now, int32_t off)
{
	uint64_t d = now + (uint64_t)(int64_t)off;

	return d ? d : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t h[HDR_LEN] = {};
	const uint8_t *msg_in = data + (size > HDR_LEN ? HDR_LEN : size);
	size_t len = size > HDR_LEN ? size - HDR_LEN : 0;
	struct vrrp_fsm_config cfg = {};
	struct vrrp_fsm_vars vars;
	struct vrrp_fsm_out out;
	struct vrrp_rx_meta meta = {};
	struct lookup_arg la = {};
	struct vrrp_rx_result res;
	const struct vrrp_af_ops *ops;
	uint8_t *msg;
	uint64_t now;
	int i, k = 0;

	if (len > VRRP_PKT_MAX_LEN)
		return 0;
	memcpy(h, data, size < HDR_LEN ? size : HDR_LEN);
	ops = (h[0] & 0x01) ? &vrrp_af_ipv6 : &vrrp_af_ipv4;

	/* The instance, as the daemon's lookup describes it. */
	cfg.version = (h[0] & 0x80) ? 2 : 3;
	cfg.priority = h[2] ? h[2] : 1;
	cfg.preempt = h[1] & 0x01;
	cfg.hold_master = h[1] & 0x02;
	cfg.adver_interval = (uint16_t)(take(h, 3, 2) & 0x0fff);
	cfg.preempt_hold = take(h, 5, 2);
	now = (uint64_t)take(h, 7, 4) * 1000 + 1;
	if (take(h, 23, 2))
		cfg.no_master_before = now + take(h, 23, 2) * VRRP_FSM_US_PER_CS;

	vrrp_fsm_init(&cfg, &vars);
	if (h[0] & 0x10)
		vars.state = (h[0] & 0x20) ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP;
	if (vars.state != VRRP_STATE_INITIALIZE) {
		/* Derived values as a running instance has them. */
		vars.master_adver_interval = cfg.adver_interval ? cfg.adver_interval : 1;
		vars.skew_time =
			vrrp_skew_time(cfg.version, cfg.priority, vars.master_adver_interval);
		vars.master_down_interval = vrrp_master_down_interval(cfg.version, cfg.priority,
								      vars.master_adver_interval);
	}
	if (vars.state == VRRP_STATE_MASTER)
		vars.adver_deadline = rel(now, (int32_t)take(h, 11, 4));
	if (vars.state == VRRP_STATE_BACKUP) {
		vars.master_down_deadline = rel(now, (int32_t)take(h, 15, 4));
		if (take(h, 19, 4) & 1)
			vars.preempt_hold_deadline = rel(now, (int32_t)take(h, 19, 4));
		/* A held member that wants Master has had its Master_Down_Timer fire. */
		vars.want_master = h[1] & 0x04;
		if (vars.want_master)
			vars.master_down_deadline = 0;
	}

	la.claim = h[0] & 0x04;
	la.t.instance = &vars;
	la.t.version = cfg.version;
	la.t.cksum_pseudo = h[0] & 0x08;
	la.t.strict_ll_first = h[0] & 0x40;
	la.t.running = vars.state != VRRP_STATE_INITIALIZE;
	la.t.master = vars.state == VRRP_STATE_MASTER;
	la.t.adver_interval = cfg.adver_interval;

	/* Sender and destination; our own address below, equal to or above the sender's. */
	if (ops == &vrrp_af_ipv6) {
		static const uint8_t src[16] = {0xfe, 0x80, 0,	  0,	0,    0, 0, 0,
						0xa8, 0xbb, 0xcc, 0xff, 0xfe, 0, 0, 2};
		memcpy(meta.src.bytes, src, sizeof(src));
	} else {
		static const uint8_t src[4] = {10, 10, 10, 2};
		memcpy(meta.src.bytes, src, sizeof(src));
	}
	if (!(h[1] & 0x20))
		meta.dst = ops->group;
	meta.ttl = (h[1] & 0x10) ? 254 : 255;
	la.t.own = meta.src;
	la.t.own.bytes[ops->addrlen - 1] = (uint8_t)(1 + ((h[1] >> 5) & 0x03) % 3);

	/* An exact-size heap copy, so ASan flags any read past the end. */
	msg = malloc(len ? len : 1);
	CHECK(msg != NULL);
	memcpy(msg, msg_in, len);
	if (h[0] & 0x02)
		fuzz_fix_cksum(ops, msg, len, &meta, la.t.cksum_pseudo);

	memset(&res, 0xa5, sizeof(res));
	vrrp_rx_classify(ops, msg, len, &meta,
			 (h[1] & 0x08) ? VRRP_DROP_IP_HEADER : VRRP_DROP_NONE, lookup, &la, &res);
	CHECK(res.verdict <= VRRP_RX_ACCEPT);
	CHECK(res.warn <= VRRP_RX_WARN_INTERVAL && vrrp_rx_warn_str(res.warn) != NULL);
	if (res.verdict == VRRP_RX_DROP_IF || res.verdict == VRRP_RX_DROP) {
		CHECK(res.drop != VRRP_DROP_NONE && res.drop < VRRP_DROP_MAX);
		CHECK(vrrp_drop_name(res.drop) != NULL);
	}
	if (res.verdict == VRRP_RX_DROP_IF)
		CHECK(res.drop != VRRP_DROP_UNKNOWN_VRID || !la.claim);
	if (res.verdict != VRRP_RX_DROP_IF) {
		/* An instance claimed it: the one the lookup gave, for the message's VRID. */
		CHECK(la.claim && la.called && res.target.instance == &vars);
		CHECK(len >= 2 && la.vrid_seen == msg[1]);
	}
	if (res.verdict == VRRP_RX_ACCEPT) {
		CHECK(la.t.running);
		CHECK(res.pkt.version == cfg.version && res.pkt.vrid == msg[1]);
		CHECK(res.rx.priority == res.pkt.priority);
	}

	/* One state-machine step with what the classification made, then a few more. */
	for (i = 0; i <= N_EVENTS; i++) {
		const struct vrrp_fsm_rx *rx = NULL;
		enum vrrp_event ev;
		uint8_t b;

		if (i == 0 && res.verdict == VRRP_RX_ACCEPT) {
			ev = VRRP_EV_RX_ADVERT;
			rx = &res.rx;
		} else {
			if (k >= N_EVENTS || (b = h[25 + k++]) == 0)
				break;
			if (b & 0x80)
				now += (uint64_t)(b & 0x7f) * 1000;
			ev = (enum vrrp_event)((b & 0x3f) % VRRP_EV_MAX);
			if (ev == VRRP_EV_RX_ADVERT && res.verdict == VRRP_RX_ACCEPT)
				rx = &res.rx;
			/*
			 * The timer events come as the executor's timers fire: only while armed,
			 * at the deadline or later, or (0x40) early, as a replaced timer can.
			 */
			if (ev == VRRP_EV_ADVER_TIMER || ev == VRRP_EV_MASTER_DOWN_TIMER) {
				uint64_t d = ev == VRRP_EV_ADVER_TIMER ? vars.adver_deadline
								       : vars.master_down_deadline;

				if (d == 0)
					continue;
				if (!(b & 0x40) && now < d)
					now = d;
			}
		}
		vrrp_fsm_step(&cfg, &vars, ev, rx, now, &out);
		check_step(&cfg, &vars, ev, &out);
		vars = out.next;
	}
	free(msg);
	return 0;
}
