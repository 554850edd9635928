// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the announcement policy (vrrpd/vrrp_garp.c): the schedule as a pure function of
 * repeat / delay / refresh and a clock that is just a number, then the executor's wiring
 * against the fake adapters of fake_io.c: the takeover's burst, the delayed and refresh bursts
 * on their timer, what cancels them, a policy changed while Master, and the counter.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_garp.h"
#include "vrrp_timer.h"

#include "fake_io.h"

/* Seconds in microseconds, written out so the tests do not trust the file's constant. */
#define S(x) ((uint64_t)(x)*1000000ULL)
/* A takeover well away from 0. */
#define T0 ((uint64_t)5000000000ULL)

static struct vrrp_garp_policy pol(uint8_t repeat, uint16_t delay, uint32_t refresh)
{
	return (struct vrrp_garp_policy){.repeat = repeat, .delay = delay, .refresh = refresh};
}

/*
 * Run the schedule as the executor does, from a takeover at `since` until `until`: wake at
 * each deadline the plan gives, note a burst when the plan says one is due. Returns how many
 * bursts after the takeover's own were noted, their times (relative to since) in at[].
 */
static int bursts(const struct vrrp_garp_policy *p, uint64_t since, uint64_t until, uint64_t *at,
		  int max)
{
	struct vrrp_garp_plan plan;
	uint64_t last = since, now = vrrp_garp_next(p, since, since);
	int n = 0;

	while (now && now <= until && n < max) {
		vrrp_garp_plan(p, since, last, now, &plan);
		assert_int_equal(plan.repeat, p->repeat);
		at[n++] = now - since;
		/* Deadlines strictly advance: the timer can never spin. */
		assert_true(plan.next == 0 || plan.next > now);
		last = now;
		now = plan.next;
	}
	return n;
}

#define assert_bursts(p, until_s, ...)                                                            \
	do {                                                                                      \
		const uint64_t want[] = {__VA_ARGS__};                                            \
		uint64_t got[32];                                                                 \
		int n = bursts(p, T0, T0 + S(until_s), got, 32);                                  \
		assert_int_equal(n, (int)(sizeof(want) / sizeof(want[0])));                       \
		for (int i = 0; i < n; i++)                                                       \
			assert_int_equal(got[i], want[i]);                                        \
	} while (0)

/* The schedule. */

static void test_defaults_second_burst_only(void **state)
{
	struct vrrp_garp_policy p =
		pol(VRRP_GARP_DEFAULT_REPEAT, VRRP_GARP_DEFAULT_DELAY, VRRP_GARP_DEFAULT_REFRESH);

	assert_int_equal(p.repeat, 2);
	assert_bursts(&p, 3600, S(5));
	assert_int_equal(vrrp_garp_next(&p, T0, T0), T0 + S(5));
	assert_int_equal(vrrp_garp_next(&p, T0, T0 + S(5) - 1), T0 + S(5));
	assert_int_equal(vrrp_garp_next(&p, T0, T0 + S(5)), 0);
}

static void test_nothing_after_takeover(void **state)
{
	struct vrrp_garp_policy p = pol(3, 0, 0);
	struct vrrp_garp_plan plan;

	assert_int_equal(vrrp_garp_next(&p, T0, T0), 0);
	vrrp_garp_plan(&p, T0, T0, T0 + S(100), &plan);
	assert_int_equal(plan.repeat, 0);
	assert_int_equal(plan.next, 0);
}

static void test_refresh_only(void **state)
{
	struct vrrp_garp_policy p = pol(1, 0, 2);

	assert_bursts(&p, 9, S(2), S(4), S(6), S(8));
	/* Before the takeover (a clock read early): the first refresh. */
	assert_int_equal(vrrp_garp_next(&p, T0, T0 - S(1)), T0 + S(2));
	/* Exactly on a refresh: the one after it. */
	assert_int_equal(vrrp_garp_next(&p, T0, T0 + S(4)), T0 + S(6));
}

static void test_delay_before_refresh(void **state)
{
	struct vrrp_garp_policy p = pol(2, 3, 10);

	assert_bursts(&p, 31, S(3), S(10), S(20), S(30));
}

static void test_delay_after_refresh(void **state)
{
	struct vrrp_garp_policy p = pol(2, 5, 2);

	assert_bursts(&p, 8, S(2), S(4), S(5), S(6), S(8));
}

static void test_coinciding_bursts_are_one(void **state)
{
	struct vrrp_garp_policy p = pol(4, 4, 2);

	/* The second burst and the second refresh fall together: one burst of 4, not 8. */
	assert_bursts(&p, 8, S(2), S(4), S(6), S(8));
	p = pol(1, 2, 2);
	assert_bursts(&p, 4, S(2), S(4));
}

static void test_early_wake_sends_nothing(void **state)
{
	struct vrrp_garp_policy p = pol(3, 2, 0);
	struct vrrp_garp_plan plan;

	vrrp_garp_plan(&p, T0, T0, T0 + S(2) - 1, &plan);
	assert_int_equal(plan.repeat, 0);
	assert_int_equal(plan.next, T0 + S(2));
	vrrp_garp_plan(&p, T0, T0, T0 + S(2), &plan);
	assert_int_equal(plan.repeat, 3);
	assert_int_equal(plan.next, 0);
}

static void test_stalled_loop_one_burst(void **state)
{
	struct vrrp_garp_policy p = pol(2, 1, 3);
	struct vrrp_garp_plan plan;

	/* Woken 10.5 s late: the delayed burst and three refreshes were due; one burst, and the
	 * phase stays the takeover's. */
	vrrp_garp_plan(&p, T0, T0, T0 + S(10) + S(1) / 2, &plan);
	assert_int_equal(plan.repeat, 2);
	assert_int_equal(plan.next, T0 + S(12));
	/* Served up to then: nothing more is due before 12 s. */
	vrrp_garp_plan(&p, T0, T0 + S(10) + S(1) / 2, T0 + S(11), &plan);
	assert_int_equal(plan.repeat, 0);
	assert_int_equal(plan.next, T0 + S(12));
}

static void test_limits(void **state)
{
	struct vrrp_garp_policy p = pol(20, 3600, 86400);

	assert_bursts(&p, 3 * 86400, S(3600), S(86400), S(2 * 86400), S(3 * 86400));
	/* A clock near 0 works as well as any. */
	p = pol(1, 1, 0);
	assert_int_equal(vrrp_garp_next(&p, 0, 0), S(1));
}

/* The effective policy: each setting the router's own, else the global default. */

static void test_effective_policy(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_garp_policy p;

	vrrp_vr_garp(vr, &p);
	assert_int_equal(p.repeat, 2);
	assert_int_equal(p.delay, 5);
	assert_int_equal(p.refresh, 0);
	vrrp_globals.garp = pol(4, 1, 60);
	vr->cfg.garp.delay = 0;
	vrrp_vr_garp(vr, &p);
	assert_int_equal(p.repeat, 4);
	assert_int_equal(p.delay, 0);
	assert_int_equal(p.refresh, 60);
	vr->cfg.garp = (struct vrrp_garp_config){1, 7, 0};
	vrrp_vr_garp(vr, &p);
	assert_int_equal(p.repeat, 1);
	assert_int_equal(p.delay, 7);
	assert_int_equal(p.refresh, 0);
}

/* The executor. */

#define GARP4_ROUND "garp mv4 10.10.10.1; garp mv4 10.10.10.2"
#define GARP4_2 GARP4_ROUND "; " GARP4_ROUND
#define GARP4_3 GARP4_2 "; " GARP4_ROUND

/* A Master of the common scene with its own policy. */
static struct vrrp_af *master(enum vrrp_afi afi, struct vrrp_garp_config c)
{
	struct vrrp_vr *vr = fake_router(afi, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[afi];

	vr->cfg.garp = c;
	fake_make_master(af);
	return af;
}

/* Run the burst timer now, as the loop would at its deadline (it runs as of the deadline). */
static void run_garp_timer(struct vrrp_af *af)
{
	struct vrrp_timer *t = &af->garp.t;

	assert_true(t->armed);
	vrrp_timer_cancel(t);
	t->fn(t->arg);
}

static void test_takeover_and_second_burst(void **state)
{
	struct vrrp_af *af = master(VRRP_AFI_V4, (struct vrrp_garp_config){3, 2, 0});

	fake_expect_only("garp", GARP4_3);
	assert_int_equal(af->stats.announce_tx, 6);
	assert_true(af->garp.t.armed);
	/* Absolute: two seconds after the state change, whatever the loop did meanwhile. */
	assert_int_equal(af->garp.t.deadline, af->garp.since + S(2));
	run_garp_timer(af);
	fake_expect(GARP4_3);
	assert_int_equal(af->stats.announce_tx, 12);
	/* No refresh: nothing more. */
	assert_false(af->garp.t.armed);
	/* One announce action for all of it: the bursts are the executor's, not the FSM's. */
	assert_int_equal(af->actions[__builtin_ctz(VRRP_ACT_ANNOUNCE)], 1);
}

static void test_refresh_keeps_phase(void **state)
{
	struct vrrp_af *af = master(VRRP_AFI_V4, (struct vrrp_garp_config){1, 0, 2});
	uint64_t since = af->garp.since;

	fake_expect_only("garp", GARP4_ROUND);
	for (int k = 1; k <= 3; k++) {
		assert_int_equal(af->garp.t.deadline, since + S(2 * k));
		run_garp_timer(af);
		fake_expect(GARP4_ROUND);
	}
	assert_int_equal(af->garp.t.deadline, since + S(8));
	assert_int_equal(af->stats.announce_tx, 8);
}

static void test_global_default_and_off(void **state)
{
	struct vrrp_af *af;

	vrrp_globals.garp = pol(1, 0, 0);
	af = master(VRRP_AFI_V4,
		    (struct vrrp_garp_config){VRRP_GARP_UNSET, VRRP_GARP_UNSET, VRRP_GARP_UNSET});
	/* Stock's behaviour: one per address, and nothing after. */
	fake_expect_only("garp", GARP4_ROUND);
	assert_false(af->garp.t.armed);
}

static void test_ipv6_unsolicited_na(void **state)
{
	struct vrrp_af *af = master(VRRP_AFI_V6, (struct vrrp_garp_config){2, 1, 0});

	fake_expect_only("una",
			 "una mv6 2001:db8::1; una mv6 fe80::1; "
			 "una mv6 2001:db8::1; una mv6 fe80::1");
	run_garp_timer(af);
	fake_expect("una mv6 2001:db8::1; una mv6 fe80::1; una mv6 2001:db8::1; una mv6 fe80::1");
	assert_int_equal(af->stats.announce_tx, 8);
}

static void test_leaving_master_cancels(void **state)
{
	struct vrrp_af *af = master(VRRP_AFI_V4, (struct vrrp_garp_config){1, 2, 2});
	struct fake_adv a = {.family = AF_INET,
			     .vrid = FAKE_VRID,
			     .prio = 200,
			     .interval = 1,
			     .src = "10.10.10.20",
			     .addrs = {"10.10.10.1", "10.10.10.2"}};

	assert_true(af->garp.t.armed);
	fake_rx(af->vr->ifp, &a);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_false(af->garp.t.armed);
	fake_clear();
	/* Master again: a new takeover, a new phase. */
	fake_make_master(af);
	fake_expect_only("garp", GARP4_ROUND);
	assert_int_equal(af->garp.t.deadline, af->garp.since + S(2));
}

static void test_stop_cancels(void **state)
{
	struct vrrp_af *af = master(VRRP_AFI_V4, (struct vrrp_garp_config){1, 5, 10});

	assert_true(af->garp.t.armed);
	af->vr->cfg.shutdown = 1;
	vrrp_vr_reconcile(af->vr);
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_false(af->garp.t.armed);
}

static void test_policy_change_while_master(void **state)
{
	struct vrrp_af *af = master(VRRP_AFI_V4, (struct vrrp_garp_config){1, 0, 0});
	uint64_t since = af->garp.since;

	assert_false(af->garp.t.armed);
	fake_clear();
	/* Refresh turned on: no burst at the change, the first one on the takeover's phase. */
	af->vr->cfg.garp.refresh = 1;
	vrrp_vr_reconcile(af->vr);
	fake_expect_only("garp", "");
	assert_true(af->garp.t.armed);
	assert_true(af->garp.t.deadline > vrrp_now_us());
	assert_true(af->garp.t.deadline <= since + S(2));
	assert_int_equal((af->garp.t.deadline - since) % S(1), 0);
	/* A global default the router does not override applies too; repeat counts at once. */
	vrrp_globals.garp.repeat = 3;
	af->vr->cfg.garp.repeat = VRRP_GARP_UNSET;
	vrrp_reconcile_all();
	fake_clear();
	run_garp_timer(af);
	fake_expect(GARP4_3);
	/* Refresh off again: the timer goes. */
	af->vr->cfg.garp.refresh = 0;
	vrrp_vr_reconcile(af->vr);
	assert_false(af->garp.t.armed);
}

static void test_vip_added_one_burst(void **state)
{
	static const char *const three[] = {"10.10.10.1", "10.10.10.2", "10.10.10.3", NULL};
	struct vrrp_af *af = master(VRRP_AFI_V4, (struct vrrp_garp_config){2, 3, 0});
	uint64_t deadline = af->garp.t.deadline;

	fake_clear();
	fake_set_vips(af, three);
	vrrp_vr_reconcile(af->vr);
	fake_expect_only("garp",
			 "garp mv4 10.10.10.1; garp mv4 10.10.10.2; garp mv4 10.10.10.3; "
			 "garp mv4 10.10.10.1; garp mv4 10.10.10.2; garp mv4 10.10.10.3");
	/* The schedule is the takeover's: the second burst stays where it was. */
	assert_int_equal(af->garp.t.deadline, deadline);
	run_garp_timer(af);
	assert_int_equal(fake_count(FAKE_GARP), 6);
}

static void test_failed_burst_sent_whole_later(void **state)
{
	struct vrrp_af *af = master(VRRP_AFI_V4, (struct vrrp_garp_config){2, 1, 0});

	fake_clear();
	/* The macvlan is down when the delayed burst is due. */
	fake_rc.garp_rc = -ENETDOWN;
	run_garp_timer(af);
	fake_expect("garp mv4 10.10.10.1 FAILED");
	assert_true(af->announce_pending);
	fake_rc.garp_rc = 0;
	vrrp_reconcile_all();
	fake_expect_only("garp", GARP4_2);
	assert_false(af->announce_pending);
	assert_int_equal(af->stats.announce_tx, 8);
	assert_int_equal(af->tx_errors[VRRP_TXERR_LINK_DOWN], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_second_burst_only),
		cmocka_unit_test(test_nothing_after_takeover),
		cmocka_unit_test(test_refresh_only),
		cmocka_unit_test(test_delay_before_refresh),
		cmocka_unit_test(test_delay_after_refresh),
		cmocka_unit_test(test_coinciding_bursts_are_one),
		cmocka_unit_test(test_early_wake_sends_nothing),
		cmocka_unit_test(test_stalled_loop_one_burst),
		cmocka_unit_test(test_limits),
		fake_test(test_effective_policy),
		fake_test(test_takeover_and_second_burst),
		fake_test(test_refresh_keeps_phase),
		fake_test(test_global_default_and_off),
		fake_test(test_ipv6_unsolicited_na),
		fake_test(test_leaving_master_cancels),
		fake_test(test_stop_cancels),
		fake_test(test_policy_change_while_master),
		fake_test(test_vip_added_one_burst),
		fake_test(test_failed_burst_sent_whole_later),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
