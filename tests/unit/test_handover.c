// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of living with interface managers (vrrp_reconcile.c, vrrp_bind.c): the wait before
 * creating a macvlan (vrrp default macvlan-autocreate delay), and the hand-over of the virtual
 * MAC from our macvlan to one made by someone else. Against the fake adapters of fake_io.c;
 * each step asserts the exact calls made and the state reached.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_reconcile.h"

#include "fake_io.h"

#define US_PER_S 1000000ULL

static const char *const waiting4 =
	"no macvlan with MAC 00:00:5e:00:01:05 on eth1 yet; waiting before creating one";

/* The decision: waiting comes before creating, and a hand-over before the link state. */
static void test_decide(void **state)
{
	const struct vrrp_facts base = {.enabled = true,
					.has_addrs = true,
					.parent = "eth1",
					.parent_exists = true,
					.parent_up = true,
					.may_create = true,
					.vmac = "00:00:5e:00:01:05"};
	struct vrrp_facts f = base;
	struct vrrp_verdict v;
	char buf[128];

	f.create_wait_us = 1;
	vrrp_decide(&f, &v, buf, sizeof(buf));
	assert_int_equal(v.todo, VRRP_TODO_WAIT);
	assert_string_equal(v.why, waiting4);
	/* Without creation there is nothing to wait for. */
	f.may_create = false;
	vrrp_decide(&f, &v, buf, sizeof(buf));
	assert_int_equal(v.todo, VRRP_TODO_IDLE);
	assert_string_equal(v.why, "no macvlan with MAC 00:00:5e:00:01:05 on eth1");

	f = base;
	f.mvl = "mgr0";
	f.mvl_handover = true;
	vrrp_decide(&f, &v, buf, sizeof(buf));
	assert_int_equal(v.todo, VRRP_TODO_HANDOVER);
	assert_string_equal(v.why, "handing the virtual MAC over to macvlan mgr0");
	/* Theirs, raised by the hand-over and not yet reported up: raised like ours. */
	f.mvl_handover = false;
	f.mvl_raising = true;
	vrrp_decide(&f, &v, buf, sizeof(buf));
	assert_int_equal(v.todo, VRRP_TODO_RAISE);
	assert_string_equal(v.why, "macvlan mgr0 is administratively down");
	/* Once up, its owner decides: down again is left alone. */
	f.mvl_raising = false;
	vrrp_decide(&f, &v, buf, sizeof(buf));
	assert_int_equal(v.todo, VRRP_TODO_IDLE);
}

static void test_delay_then_create(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	vrrp_globals.macvlan_create_delay = 60;
	vrrp_vr_reconcile(vr);
	fake_expect("");
	assert_string_equal(af->why_down, waiting4);
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	/* A reconciliation is due when the wait ends. */
	assert_true(fake_run_thread_timer("vrrp_reconcile_later_event"));
	fake_expect("");

	/* 61 s later (the clock is the monotonic one: move the start back instead). */
	af->create_wanted_time -= 61 * US_PER_S;
	fake_rc.mvl_create_rc = 30;
	vrrp_vr_reconcile(vr);
	fake_expect(
		"mvl_create vrrp4-10-5 parent 10 00:00:5e:00:01:05 4 alias vrrpd:eth1:5:4 "
		"rc 30");
	assert_string_equal(af->why_down, "waiting for macvlan vrrp4-10-5");
}

static void test_delay_adopts_tools_macvlan(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct interface *theirs;

	vrrp_globals.macvlan_create_delay = 60;
	vrrp_vr_reconcile(vr);
	fake_expect("");
	/* The tool's macvlan appears during the wait: used, none created. */
	theirs = world_macvlan("vrrp4-1-5", 40, eth1, VRRP_AFI_V4, 5, MVL_PROTODOWN);
	vrrp_reconcile_all();
	fake_expect(
		"parent_arp eth1; get_alias 40; addr_add 40 10.10.10.1/24; "
		"addr_add 40 10.10.10.2/24; rx_ref eth1 4; protodown vrrp4-1-5 on");
	assert_ptr_equal(af->mvl_ifp, theirs);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(af->own_ifindex, IFINDEX_INTERNAL);
	assert_int_equal(af->create_wanted_time, 0);
}

/* Our own macvlan vrrp4-10-5 (30) under a Master, created at once (no delay). */
static struct vrrp_af *own_master(void)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	vr->cfg.adver_interval = 1;
	fake_rc.mvl_create_rc = 30;
	vrrp_vr_reconcile(vr);
	world_macvlan("vrrp4-10-5", 30, eth1, VRRP_AFI_V4, 5, MVL_PROTODOWN);
	vrrp_reconcile_all();
	fake_make_master(af);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	fake_clear();
	return af;
}

static void test_delay_not_for_running_instance(void **state)
{
	struct vrrp_af *af = own_master();

	vrrp_globals.macvlan_create_delay = 60;
	world_delete(af->mvl_ifp);
	fake_rc.mvl_create_rc = 31;
	vrrp_reconcile_all();
	/* A Master whose macvlan vanished gets it back at once, not after the delay. */
	fake_expect(
		"mvl_create vrrp4-10-5 parent 10 00:00:5e:00:01:05 4 alias vrrpd:eth1:5:4 "
		"rc 31");
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
}

static void test_handover_under_master(void **state)
{
	struct vrrp_af *af = own_master();
	struct interface *ours = af->mvl_ifp, *theirs;

	/* A manager's macvlan with the virtual MAC, down: ours holds the MAC. Ours goes, theirs
	 * is raised, and the Master keeps its state meanwhile. */
	theirs = world_macvlan("mgr0", 40, af->vr->ifp, VRRP_AFI_V4, 5, MVL_ADMIN_DOWN);
	vrrp_reconcile_all();
	fake_expect("parent_arp eth1; get_alias 40; mvl_delete 30; mvl_set_up 40");
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(af->own_ifindex, IFINDEX_INTERNAL);
	assert_string_equal(af->why_down, "handing the virtual MAC over to macvlan mgr0");

	/* Zebra reports ours gone: expected, the Master goes on. */
	world_delete(ours);
	fake_expect("");
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	/* Theirs still reported down: raised again, still waiting. */
	vrrp_reconcile_all();
	fake_expect("mvl_set_up 40");
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);

	/* Up: the Master continues on theirs, with the addresses, out of protodown. */
	world_set_state(theirs, MVL_RUNNING);
	vrrp_reconcile_all();
	fake_expect_only("addr_add protodown mvl_create mvl_delete",
			 "addr_add 40 10.10.10.1/24; addr_add 40 10.10.10.2/24; "
			 "protodown mgr0 off");
	assert_ptr_equal(af->mvl_ifp, theirs);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(af->stats.transitions, 2);
	assert_string_equal(af->why_down, "");

	/* From now on its owner decides: set down, it is left down. */
	world_set_state(theirs, MVL_ADMIN_DOWN);
	vrrp_reconcile_all();
	assert_int_equal(fake_count(FAKE_MVL_SET_UP), 0);
	assert_string_equal(af->why_down, "macvlan mgr0 is administratively down");
	fake_clear();
	/* And stopping removes what we added, never the macvlan. */
	vrrp_vr_stop(af->vr);
	assert_int_equal(fake_count(FAKE_MVL_DELETE), 0);
	assert_int_equal(fake_count(FAKE_ADDR_DEL), 2);
}

static void test_handover_before_ours_reported(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	/* Ours is created; before zebra reports it, both show up: theirs is chosen. */
	fake_rc.mvl_create_rc = 30;
	vrrp_vr_reconcile(vr);
	fake_clear();
	world_macvlan("vrrp4-10-5", 30, eth1, VRRP_AFI_V4, 5, MVL_PROTODOWN);
	world_macvlan("a-mgr", 40, eth1, VRRP_AFI_V4, 5, MVL_ADMIN_DOWN);
	vrrp_reconcile_all();
	fake_expect_only("mvl_delete mvl_set_up", "mvl_delete 30; mvl_set_up 40");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		fake_test(test_decide),
		fake_test(test_delay_then_create),
		fake_test(test_delay_adopts_tools_macvlan),
		fake_test(test_delay_not_for_running_instance),
		fake_test(test_handover_under_master),
		fake_test(test_handover_before_ours_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
