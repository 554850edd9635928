// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the trackers (vrrp_track.c) with the real reconcile and executor and the fake
 * outside world of fake_io.c: interface trackers on a Master (an immediate advertisement with
 * the new priority), on a Backup (timers recomputed), without a decrement (stop and restore),
 * interfaces that appear, disappear and flap, route trackers registered, answered and
 * unregistered through the fake zebra, and the validation helpers.
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
#include "vrrp_track.h"

#include "fake_io.h"

#define SEND_FMT "send mv4 v3 vrid 5 prio %d int 100 10.10.10.1,10.10.10.2 from 10.10.10.15 check"

static const char *sent(int prio)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), SEND_FMT, prio);
	return buf;
}

/* A Master at priority 210 with a 1 s interval, so a hold-down never expires by itself. */
static struct vrrp_af *master_210(void)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	af->vr->cfg.priority = 210;
	af->vr->cfg.adver_interval = 100;
	vrrp_vr_reconcile(af->vr);
	fake_clear();
	return af;
}

static void track_if(struct vrrp_vr *vr, const char *ifname, uint8_t decrement)
{
	vrrp_track_load_begin(vr);
	vrrp_track_load_interface(vr, ifname, decrement);
	vrrp_track_load_end(vr);
	vrrp_vr_reconcile(vr);
}

static void untrack(struct vrrp_vr *vr)
{
	vrrp_track_load_begin(vr);
	vrrp_track_load_end(vr);
	vrrp_vr_reconcile(vr);
}

static bool hold_end(void)
{
	bool ran = fake_run_thread_timer("vrrp_track_hold_end");

	fake_run_events();
	return ran;
}

static void test_interface_decrement_master(void **state)
{
	struct vrrp_af *af = master_210();
	struct vrrp_vr *vr = af->vr;
	struct interface *wan0 = world_parent("wan0", 40);

	track_if(vr, "wan0", 20);
	fake_expect("");
	assert_int_equal(af->fcfg.priority, 210);

	/* Down: the new priority is advertised at once. */
	world_set_link(wan0, false);
	fake_run_events();
	fake_expect_only("send", sent(190));
	assert_int_equal(af->fcfg.priority, 190);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 190);

	/* Up: restored once it held one interval, and advertised at once again. */
	world_set_link(wan0, true);
	fake_run_events();
	fake_expect_only("send", "");
	assert_int_equal(af->fcfg.priority, 190);
	assert_true(hold_end());
	fake_expect_only("send", sent(210));
	assert_int_equal(af->fcfg.priority, 210);
	untrack(vr);
}

/* Flapping faster than the interval: one change down, one back up, nothing in between. */
static void test_interface_flapping(void **state)
{
	struct vrrp_af *af = master_210();
	struct vrrp_vr *vr = af->vr;
	struct interface *wan0 = world_parent("wan0", 40);

	track_if(vr, "wan0", 20);
	for (int i = 0; i < 10; i++) {
		world_set_link(wan0, false);
		fake_run_events();
		world_set_link(wan0, true);
		fake_run_events();
	}
	fake_expect_only("send", sent(190));
	/* Down again just before the hold-down ends: it starts over. */
	world_set_link(wan0, false);
	fake_run_events();
	world_set_link(wan0, true);
	fake_run_events();
	assert_true(hold_end());
	fake_expect_only("send", sent(210));
	assert_int_equal(af->stats.transitions, 2);
	untrack(vr);
}

static void test_interface_without_decrement_stops(void **state)
{
	struct vrrp_af *af = master_210();
	struct vrrp_vr *vr = af->vr;
	struct interface *wan0 = world_parent("wan0", 40);

	track_if(vr, "wan0", 0);
	world_set_link(wan0, false);
	fake_run_events();
	fake_expect_only("send",
			 "send mv4 v3 vrid 5 prio 0 int 100 10.10.10.1,10.10.10.2 from "
			 "10.10.10.15 check");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "tracked interface wan0 is down");

	world_set_link(wan0, true);
	fake_run_events();
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_true(hold_end());
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_string_equal(af->why_down, "");
	untrack(vr);
}

/* Tracked by name: absent is down; created later, deleted, created again. */
static void test_interface_absent_created_deleted(void **state)
{
	struct vrrp_af *af = master_210();
	struct vrrp_vr *vr = af->vr;
	struct interface *wan9;

	track_if(vr, "wan9", 30);
	fake_expect_only("send", sent(180));
	wan9 = world_parent("wan9", 41);
	fake_run_events();
	assert_true(hold_end());
	fake_expect_only("send", sent(210));
	world_delete(wan9);
	fake_run_events();
	fake_expect_only("send", sent(180));
	wan9 = world_parent("wan9", 42);
	fake_run_events();
	assert_true(hold_end());
	fake_expect_only("send", sent(210));
	untrack(vr);
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 210);
}

/* A Backup recomputes Skew_Time and Master_Down_Interval from the effective priority. */
static void test_interface_backup_timers(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct interface *wan0 = world_parent("wan0", 40);
	uint64_t d;

	vrrp_vr_reconcile(vr);
	track_if(vr, "wan0", 50);
	fake_clear();
	assert_int_equal(af->fsm.master_down_interval, 360);
	d = af->t_master_down.deadline;
	world_set_link(wan0, false);
	fake_run_events();
	fake_expect_only("send", "");
	/* Priority 50: Skew_Time (206 * 100) / 256 = 80 cs, 20 cs later than at 100. */
	assert_int_equal(af->fcfg.priority, 50);
	assert_int_equal(af->fsm.skew_time, 80);
	assert_int_equal(af->fsm.master_down_interval, 380);
	assert_int_equal(af->t_master_down.deadline, d + 200000);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	untrack(vr);
}

/* Routes: registered once per prefix, answered by zebra, unregistered with the last. */
static void test_route_register_update_unregister(void **state)
{
	struct vrrp_af *af = master_210();
	struct vrrp_vr *vr = af->vr;
	struct prefix def, other;

	str2prefix("0.0.0.0/0", &def);
	str2prefix("198.51.100.0/24", &other);
	vrrp_track_load_begin(vr);
	vrrp_track_load_route(vr, &def, 0);
	vrrp_track_load_route(vr, &other, 25);
	vrrp_track_load_end(vr);
	fake_expect_only("nht_register nht_unregister",
			 "nht_register 0.0.0.0/0; nht_register 198.51.100.0/24");
	/* Unknown until zebra answers: a tracker that would stop the router does. */
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "tracked route 0.0.0.0/0 is down");

	/* The default route exists; the /24 only resolves over it, which does not count. */
	vrrp_track_route_update(VRF_DEFAULT, &def, &def, 1);
	vrrp_track_route_update(VRF_DEFAULT, &other, &def, 1);
	fake_run_events();
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(af->fcfg.priority, 185);

	/* The default route lost its nexthops: stopped again at once. */
	vrrp_track_route_update(VRF_DEFAULT, &def, &def, 0);
	fake_run_events();
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);

	/* Zebra came back: everything registered again. */
	fake_clear();
	vrrp_track_zebra_connected();
	fake_expect("nht_register 0.0.0.0/0; nht_register 198.51.100.0/24");

	vrrp_track_load_begin(vr);
	vrrp_track_load_route(vr, &other, 25);
	vrrp_track_load_end(vr);
	fake_expect("nht_unregister 0.0.0.0/0");
	untrack(vr);
	fake_expect_only("nht_register nht_unregister", "nht_unregister 198.51.100.0/24");
}

/* Two routers tracking one prefix share zebra's registration, and a destroyed router's
 * trackers go with it. */
static void test_route_shared_and_router_destroyed(void **state)
{
	struct vrrp_vr *a = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	struct interface *eth1 = if_lookup_by_name("eth1", VRF_DEFAULT);
	struct vrrp_vr *b =
		fake_vr(eth1, 6, VRRP_AFI_V4, (const char *const[]){"10.10.10.9", NULL});
	struct prefix def;

	str2prefix("0.0.0.0/0", &def);
	vrrp_track_load_begin(a);
	vrrp_track_load_route(a, &def, 10);
	vrrp_track_load_end(a);
	vrrp_track_route_update(VRF_DEFAULT, &def, &def, 2);
	vrrp_track_load_begin(b);
	vrrp_track_load_route(b, &def, 10);
	vrrp_track_load_end(b);
	fake_expect_only("nht_register nht_unregister", "nht_register 0.0.0.0/0");
	/* The second starts from zebra's last answer. */
	assert_int_equal(vrrp_vr_effective_priority(b, NULL), 100);
	vrrp_vr_destroy(b);
	fake_expect_only("nht_register nht_unregister", "");
	vrrp_vr_destroy(a);
	fake_expect_only("nht_register nht_unregister", "nht_unregister 0.0.0.0/0");
}

static void test_resolves(void **state)
{
	struct prefix def, p24, p25;

	str2prefix("0.0.0.0/0", &def);
	str2prefix("198.51.100.0/24", &p24);
	str2prefix("198.51.100.0/25", &p25);
	assert_true(vrrp_track_route_resolves(&def, &def, 1));
	assert_false(vrrp_track_route_resolves(&def, &def, 0));
	assert_false(vrrp_track_route_resolves(&p24, &def, 1));
	assert_false(vrrp_track_route_resolves(&p24, &p25, 1));
	assert_true(vrrp_track_route_resolves(&p24, &p24, 4));
}

static void test_problems(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct prefix p;
	char buf[256];

	world_macvlan("mv4", MV4_IFINDEX, eth1, VRRP_AFI_V4, 5, MVL_RUNNING);
	assert_non_null(
		vrrp_track_interface_problem("eth1", VRF_DEFAULT, 5, "eth1", buf, sizeof(buf)));
	assert_string_equal(
		buf, "eth1 is the interface of VRID 5 itself; its state already stops the router");
	assert_non_null(
		vrrp_track_interface_problem("eth1", VRF_DEFAULT, 5, "mv4", buf, sizeof(buf)));
	assert_string_equal(
		buf, "mv4 is a macvlan of VRID 5 on eth1; a router cannot track its own macvlan");
	assert_non_null(vrrp_track_interface_problem("eth1", VRF_DEFAULT, 5, "vrrp6-10-5", buf,
						     sizeof(buf)));
	/* Another VRID's macvlan, or any other interface, is fine. */
	assert_null(vrrp_track_interface_problem("eth1", VRF_DEFAULT, 6, "mv4", buf, sizeof(buf)));
	assert_null(
		vrrp_track_interface_problem("eth1", VRF_DEFAULT, 5, "wan0", buf, sizeof(buf)));

	str2prefix("10.1.2.3/24", &p);
	assert_non_null(vrrp_track_route_problem(&p, buf, sizeof(buf)));
	assert_string_equal(buf, "10.1.2.3/24 has host bits set; did you mean 10.1.2.0/24?");
	str2prefix("2001:db8::1/64", &p);
	assert_non_null(vrrp_track_route_problem(&p, buf, sizeof(buf)));
	str2prefix("0.0.0.0/0", &p);
	assert_null(vrrp_track_route_problem(&p, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		fake_test(test_interface_decrement_master),
		fake_test(test_interface_flapping),
		fake_test(test_interface_without_decrement_stops),
		fake_test(test_interface_absent_created_deleted),
		fake_test(test_interface_backup_timers),
		fake_test(test_route_register_update_unregister),
		fake_test(test_route_shared_and_router_destroyed),
		cmocka_unit_test(test_resolves),
		fake_test(test_problems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
