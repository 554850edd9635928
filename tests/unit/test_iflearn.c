// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of macvlans known from the kernel before zebra reports them (vrrp_iflearn.c, as
 * vrrp_bind.c and vrrp_reconcile.c use it): the router starts in the pass that creates its
 * macvlan, zebra's stale reports are overruled until one agrees, a deletion wins, and a name
 * zebra still holds for an older link is left to zebra. Against the fake adapters of
 * fake_io.c; each step asserts the exact calls made and the state reached.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/linklist.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_bind.h"
#include "vrrp_engine.h"
#include "vrrp_iflearn.h"

#include "fake_io.h"

static const char *const created30 =
	"mvl_create vrrp4-10-5 parent 10 00:00:5e:00:01:05 4 alias vrrpd:eth1:5:4 rc 30";

/* Router 5 on eth1 whose macvlan (ifindex 30) the fake kernel describes once created. */
static struct vrrp_vr *known_router(struct interface **eth1)
{
	*eth1 = world_parent("eth1", PARENT_IFINDEX);
	fake_rc.mvl_create_rc = 30;
	fake_rc.mvl_create_known = true;
	return fake_vr(*eth1, 5, VRRP_AFI_V4, fake_vips4);
}

/* The kernel's answer to the creation is enough: the router starts in the same pass. */
static void test_known_at_once(void **state)
{
	struct interface *eth1;
	struct vrrp_vr *vr = known_router(&eth1);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct interface *mvl;

	vrrp_vr_reconcile(vr);
	fake_expect(
		"mvl_create vrrp4-10-5 parent 10 00:00:5e:00:01:05 4 alias vrrpd:eth1:5:4 "
		"rc 30; parent_arp eth1; addr_add 30 10.10.10.1/24; "
		"addr_add 30 10.10.10.2/24; rx_ref eth1 4; protodown vrrp4-10-5 on; hold_down 30");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_string_equal(af->why_down, "");
	mvl = af->mvl_ifp;
	assert_non_null(mvl);
	assert_string_equal(mvl->name, "vrrp4-10-5");
	assert_int_equal(mvl->ifindex, 30);
	assert_int_equal(mvl->link_ifindex, PARENT_IFINDEX);
	assert_true(vrrp_iflearn_pending(mvl));

	/* Zebra's report of the link as created, still down, is older than the kernel's. */
	mvl->flags = IFF_BROADCAST | IFF_MULTICAST;
	vrrp_iflearn_reported(mvl);
	assert_true(if_is_up(mvl));
	assert_true(vrrp_iflearn_pending(mvl));
	vrrp_reconcile_all();
	/* Still a Backup; addresses are not added again for zebra's empty list. */
	fake_expect("hold_down 30");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);

	/* One that agrees: from now on zebra alone keeps the interface. */
	vrrp_iflearn_reported(mvl);
	assert_false(vrrp_iflearn_pending(mvl));
	mvl->flags = 0;
	vrrp_iflearn_reported(mvl);
	assert_false(if_is_up(mvl));
}

/* Zebra reports the deletion: it counts, and the interface is no longer ours to correct. */
static void test_deleted_wins(void **state)
{
	struct interface *eth1;
	struct vrrp_vr *vr = known_router(&eth1);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct interface *mvl;

	vrrp_vr_reconcile(vr);
	mvl = af->mvl_ifp;
	assert_non_null(mvl);
	assert_true(vrrp_iflearn_pending(mvl));
	fake_clear();
	world_delete(mvl);
	assert_null(af->mvl_ifp);
	assert_null(if_lookup_by_index(30, VRF_DEFAULT));
	/* A second creation gets the same index in the fake: learned again, afresh. */
	vrrp_reconcile_all();
	assert_non_null(af->mvl_ifp);
	assert_int_equal(af->mvl_ifp->ifindex, 30);
	assert_true(vrrp_iflearn_pending(af->mvl_ifp));
}

/* Zebra still has an older link under the name: the router waits for zebra, as before. */
static void test_name_held_by_older_link(void **state)
{
	struct interface *eth1;
	struct vrrp_vr *vr = known_router(&eth1);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct interface *old;

	/* Another VRID's MAC, so the router does not bind it. */
	old = world_macvlan("vrrp4-10-5", 29, eth1, VRRP_AFI_V4, 6, MVL_RUNNING);
	fake_clear();
	vrrp_vr_reconcile(vr);
	fake_expect(created30);
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "waiting for macvlan vrrp4-10-5");
	assert_int_equal(old->ifindex, 29);
	assert_null(if_lookup_by_index(30, VRF_DEFAULT));
}

/*
 * A Master's macvlan deleted underneath it is recreated and learned in the pass that handles
 * the deletion: the router stays Master on the new one, with no release and no re-election.
 */
static void test_master_keeps_state_across_recreation(void **state)
{
	struct interface *eth1;
	struct vrrp_vr *vr = known_router(&eth1);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	uint32_t transitions;

	vr->cfg.adver_interval = 1; /* a Backup takes over 30 ms after start */
	vrrp_vr_reconcile(vr);
	fake_make_master(af);
	transitions = af->stats.transitions;
	fake_clear();
	world_delete(af->mvl_ifp);
	vrrp_reconcile_all();
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(af->stats.transitions, transitions);
	assert_non_null(af->mvl_ifp);
	assert_int_equal(af->mvl_ifp->ifindex, 30);
	/* No priority-0 release went out; the new macvlan is out of protodown. */
	assert_null(strstr(fake_trace(), "prio 0"));
	assert_non_null(strstr(fake_trace(), "protodown vrrp4-10-5 off"));
}

/*
 * More routers than one pass may create macvlans for: the first pass creates its budget's worth
 * (16) and starts the other IPv4 routers as Backups without one, held from Master; the next
 * passes create the rest, and a router whose Master_Down_Timer ran out meanwhile takes over
 * once its macvlan is bound.
 */
static void test_creation_budget_starts_the_rest_unbound(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vrs[20];
	struct vrrp_af *held = NULL;
	struct ipaddr parent_src;
	char want[64];
	int unbound = 0;

	fake_ip(&parent_src, "10.10.10.15");

	fake_rc.mvl_create_rc = 40;
	fake_rc.mvl_create_known = true;
	fake_rc.mvl_create_seq = true;
	for (int i = 0; i < 20; i++) {
		vrs[i] = fake_vr(eth1, i + 1, VRRP_AFI_V4, fake_vips4);
		vrs[i]->cfg.adver_interval = 1;
	}
	vrrp_reconcile_all();
	assert_int_equal(fake_count(FAKE_MVL_CREATE), 16);
	for (int i = 0; i < 20; i++) {
		struct vrrp_af *af = &vrs[i]->af[VRRP_AFI_V4];

		assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
		assert_true(af->t_master_down.armed);
		if (!af->mvl_ifp) {
			assert_true(af->mvl_awaited);
			assert_true(af->fcfg.hold_master);
			assert_int_equal(ipaddr_cmp(&af->src, &parent_src), 0);
			held = held ? held : af;
			unbound++;
		}
	}
	assert_int_equal(unbound, 4);

	/* Its Master_Down_Timer runs out before its macvlan exists: it only wants Master. */
	fake_fire(&held->t_master_down);
	assert_int_equal(held->fsm.state, VRRP_STATE_BACKUP);
	assert_true(held->fsm.want_master);
	assert_int_equal(fake_count(FAKE_SEND), 0);

	fake_clear();
	fake_run_events();
	assert_int_equal(fake_count(FAKE_MVL_CREATE), 4);
	for (int i = 0; i < 20; i++) {
		struct vrrp_af *af = &vrs[i]->af[VRRP_AFI_V4];

		assert_non_null(af->mvl_ifp);
		assert_false(af->mvl_awaited);
		assert_false(af->fcfg.hold_master);
		assert_int_equal(af->fsm.state,
				 af == held ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP);
	}
	/* The new Master advertises and is out of protodown; a held Backup never sent. */
	assert_int_equal(fake_count(FAKE_SEND), 1);
	snprintf(want, sizeof(want), "protodown %s off", held->mvl_ifp->name);
	assert_non_null(strstr(fake_trace(), want));
}

/*
 * A burst starts every router that can before any macvlan is made: each creation costs the
 * kernel about a millisecond, and a router waiting behind sixteen of them starts its
 * Master_Down_Timer that much later than the others.
 */
static void test_burst_starts_every_router_first(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	const char *trace, *first_create;
	int refs = 0;

	fake_rc.mvl_create_rc = 40;
	fake_rc.mvl_create_known = true;
	fake_rc.mvl_create_seq = true;
	for (int i = 0; i < 20; i++)
		fake_vr(eth1, i + 1, VRRP_AFI_V4, fake_vips4);
	vrrp_reconcile_all();
	trace = fake_trace_only("rx_ref mvl_create");
	first_create = strstr(trace, "mvl_create");
	assert_non_null(first_create);
	for (const char *p = trace; (p = strstr(p, "rx_ref")) && p < first_create; p++)
		refs++;
	assert_int_equal(refs, 20);
	assert_int_equal(fake_count(FAKE_MVL_CREATE), 16);
}

/* With no address on the parent a router cannot run, so no macvlan is made for it yet. */
static void test_no_parent_address_no_creation(void **state)
{
	struct interface *eth1;
	struct vrrp_vr *vr = known_router(&eth1);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	list_delete_all_node(eth1->connected);
	vrrp_vr_reconcile(vr);
	assert_int_equal(fake_count(FAKE_MVL_CREATE), 0);
	assert_string_equal(af->why_down, "no IPv4 address on eth1");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);

	/* The address event brings it back: created and started in that pass. */
	world_addr_add(eth1, PARENT_V4 "/24");
	vrrp_reconcile_all();
	assert_int_equal(fake_count(FAKE_MVL_CREATE), 1);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_non_null(af->mvl_ifp);
}

/*
 * A link by the macvlan's name is in the kernel but not yet reported (an earlier run's, which
 * may be a Master to resume): that router does not start without it, while the others of the
 * burst do; the pass's creations take up the kernel's link for it.
 */
static void test_burst_waits_for_a_kernel_macvlan(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vrs[20];

	fake_add_owned(99, "vrrp4-10-20", PARENT_IFINDEX, "vrrpd:eth1:20:4");
	for (int i = 0; i < 20; i++)
		vrs[i] = fake_vr(eth1, i + 1, VRRP_AFI_V4, fake_vips4);
	/* The first sweep of a burst: no creation allowed. */
	vrrp_bind_budget_set(0);
	for (int i = 0; i < 20; i++)
		vrrp_vr_reconcile(vrs[i]);
	for (int i = 0; i < 19; i++)
		assert_int_equal(vrs[i]->af[VRRP_AFI_V4].fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(vrs[19]->af[VRRP_AFI_V4].fsm.state, VRRP_STATE_INITIALIZE);
	assert_false(vrs[19]->af[VRRP_AFI_V4].resume_checked);
	assert_int_equal(fake_count(FAKE_MVL_CREATE), 0);
	vrrp_bind_budget_set(VRRP_CREATE_BUDGET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		fake_test(test_known_at_once),
		fake_test(test_deleted_wins),
		fake_test(test_name_held_by_older_link),
		fake_test(test_master_keeps_state_across_recreation),
		fake_test(test_creation_budget_starts_the_rest_unbound),
		fake_test(test_burst_starts_every_router_first),
		fake_test(test_no_parent_address_no_creation),
		fake_test(test_burst_waits_for_a_kernel_macvlan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
