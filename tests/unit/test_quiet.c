// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of what the executor lets wait in the receive queue (vrrp_exec_quiet()): a Backup
 * that hears its Master is quiet with its version and the Master's interval, and every state or
 * wait that needs the next advertisement at once makes it not quiet. The socket layer's side is
 * the fake of fake_io.c, which records what it was told.
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

#include "fake_io.h"

#define PEER_HIGH4 "10.10.10.20"
#define PEER_LOW4 "10.10.10.5"

static struct fake_adv adv4(uint8_t prio, uint16_t interval)
{
	return (struct fake_adv){.family = AF_INET,
				 .vrid = FAKE_VRID,
				 .prio = prio,
				 .interval = interval,
				 .src = prio >= 100 ? PEER_HIGH4 : PEER_LOW4,
				 .addrs = {"10.10.10.1", "10.10.10.2"}};
}

static void rx(struct vrrp_af *af, struct fake_adv a)
{
	fake_rx(af->vr->ifp, &a);
}

static void assert_quiet(int family, uint8_t version, uint16_t interval)
{
	const struct vrrp_rx_quiet *q = fake_quiet(family, FAKE_VRID);

	assert_non_null(q);
	assert_int_equal(q->version, version);
	assert_int_equal(q->interval, interval);
}

static void test_backup_quiet_master_not(void **state)
{
	struct vrrp_af *af = fake_slow_backup(VRRP_AFI_V4);
	int calls;

	assert_quiet(AF_INET, 3, 100);
	/* The Master's interval is what a quiet advertisement must carry. */
	rx(af, adv4(200, 50));
	assert_quiet(AF_INET, 3, 50);
	calls = fake_quiet_count();
	rx(af, adv4(200, 50));
	assert_int_equal(fake_quiet_count(), calls);
	rx(af, adv4(0, 50));
	fake_make_master(af);
	assert_null(fake_quiet(AF_INET, FAKE_VRID));
}

static void test_v6_and_v2(void **state)
{
	struct vrrp_af *af6 = fake_slow_backup(VRRP_AFI_V6);
	struct vrrp_af *af4;

	assert_quiet(AF_INET6, 3, 100);
	assert_null(fake_quiet(AF_INET, FAKE_VRID));
	vrrp_vr_destroy(af6->vr);
	assert_null(fake_quiet(AF_INET6, FAKE_VRID));
	/* A version change restarts the instance: quiet again with the new version. */
	af4 = fake_slow_backup(VRRP_AFI_V4);
	af4->vr->cfg.version = 2;
	vrrp_vr_reconcile(af4->vr);
	assert_int_equal(af4->fsm.state, VRRP_STATE_BACKUP);
	assert_quiet(AF_INET, 2, 100);
}

static void test_release_waits_for_skew_only(void **state)
{
	struct vrrp_af *af = fake_slow_backup(VRRP_AFI_V4);

	/* A release rings at once anyway (the bell's filter); the instance stays a Backup. */
	rx(af, adv4(0, 100));
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_quiet(AF_INET, 3, 100);
}

static void test_preempt_delay_not_quiet(void **state)
{
	struct vrrp_af *af = fake_slow_backup(VRRP_AFI_V4);

	af->vr->cfg.preempt_hold = 5;
	vrrp_vr_reconcile(af->vr);
	assert_quiet(AF_INET, 3, 100);
	/* A lower Master we would preempt starts the delay: the next advertisement may end it. */
	rx(af, adv4(50, 100));
	assert_true(af->fsm.preempt_hold_deadline != 0);
	assert_null(fake_quiet(AF_INET, FAKE_VRID));
	rx(af, adv4(200, 100));
	assert_int_equal(af->fsm.preempt_hold_deadline, 0);
	assert_quiet(AF_INET, 3, 100);
}

static void test_shutdown_and_delete_not_quiet(void **state)
{
	struct vrrp_af *af = fake_slow_backup(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;

	vr->cfg.shutdown = 1;
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_null(fake_quiet(AF_INET, FAKE_VRID));
	vr->cfg.shutdown = 0;
	vrrp_vr_reconcile(vr);
	assert_quiet(AF_INET, 3, 100);
	vrrp_vr_destroy(vr);
	assert_null(fake_quiet(AF_INET, FAKE_VRID));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		fake_test(test_backup_quiet_master_not),
		fake_test(test_v6_and_v2),
		fake_test(test_release_waits_for_skew_only),
		fake_test(test_preempt_delay_not_quiet),
		fake_test(test_shutdown_and_delete_not_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
