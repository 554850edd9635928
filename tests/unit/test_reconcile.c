// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of reconciliation (vrrp_reconcile.c, vrrp_bind.c, through vrrp_engine.h): how a
 * virtual router binds a macvlan, creates one, starts, stops and restarts as configuration and
 * interfaces change, and what it asks of zebra and the kernel on the way. The outside world is
 * the fake of fake_io.c; every test asserts the exact calls made and the state reached.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_bind.h"
#include "vrrp_engine.h"

#include "fake_io.h"

/* Start-up on an existing macvlan. */

static void test_v4_startup_backup(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct interface *mv4 = if_lookup_by_name("mv4", VRF_DEFAULT);

	vrrp_vr_reconcile(vr);
	/* Someone else's macvlan: addresses added, none removed; the Backup holds it down. */
	fake_expect(
		"parent_arp eth1; get_alias 20; addr_add 20 10.10.10.1/24; "
		"addr_add 20 10.10.10.2/24; rx_ref eth1 4; protodown mv4 on");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_ptr_equal(af->mvl_ifp, mv4);
	assert_string_equal(af->why_down, "");
	assert_true(af->t_master_down.armed);
	assert_false(af->t_adver.armed);
	assert_int_equal(af->stats.transitions, 1);
	/* IPv6 has no addresses, so it does not run and says why. */
	assert_int_equal(vr->af[VRRP_AFI_V6].fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(vr->af[VRRP_AFI_V6].why_down, "no virtual addresses configured");

	/* Nothing changed: a second reconcile asks nothing of anyone. */
	vrrp_vr_reconcile(vr);
	fake_expect("");
}

static void test_v6_startup_backup(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V6, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V6];
	struct interface *mv6 = if_lookup_by_name("mv6", VRF_DEFAULT);
	char src[INET6_ADDRSTRLEN];

	vrrp_vr_reconcile(vr);
	/* In protodown zebra shows no addresses, so the link-local source comes from the kernel.
	 */
	fake_expect(
		"keep_addrs mv6; get_alias 21; addr_add 21 2001:db8::1/128; "
		"addr_add 21 fe80::1/64; addrs 21 6; rx_ref eth1 6; protodown mv6 on");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_ptr_equal(af->mvl_ifp, mv6);
	assert_string_equal(ipaddr2str(&af->src, src, sizeof(src)), MVL_LL);
	assert_int_equal(fake_count(FAKE_RADV), 0);
}

static void test_v4_master_by_timer(void **state)
{
	struct vrrp_vr *vr = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	const struct fake_call *c;

	vr->cfg.priority = 150;
	vrrp_vr_reconcile(vr);
	fake_expect("");
	fake_make_master(af);
	c = fake_nth(FAKE_SEND, 0);
	/* Out of protodown first, so the advertisement and the ARPs leave from the VMAC; two
	 * rounds of ARPs, the default repeat. */
	fake_expect(
		"protodown mv4 off; "
		"send mv4 v3 vrid 5 prio 150 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 check; "
		"garp mv4 10.10.10.1; garp mv4 10.10.10.2; garp mv4 10.10.10.1; garp mv4 10.10.10.2");
	assert_non_null(c);
	assert_int_equal(c->drop, VRRP_DROP_NONE);
	assert_int_equal(c->pkt.priority, 150);
	assert_int_equal(c->pkt.vrid, 5);
	assert_true(af->t_adver.armed);
	assert_false(af->t_master_down.armed);
	assert_int_equal(af->stats.adver_tx, 1);
	assert_int_equal(af->stats.announce_tx, 4);
	assert_int_equal(af->stats.transitions, 2);
}

static void test_v6_master_by_timer(void **state)
{
	struct vrrp_vr *vr = fake_router(VRRP_AFI_V6, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V6];
	const struct fake_call *c;

	fake_make_master(af);
	c = fake_nth(FAKE_UNA, 0);
	/* The link-local goes first in the advertisement; announcements keep configured order. */
	fake_expect(
		"protodown mv6 off; radv mv6 on; "
		"send mv6 v3 vrid 5 prio 100 int 1 fe80::1,2001:db8::1 from fe80::15 check; "
		"una mv6 2001:db8::1; una mv6 fe80::1; una mv6 2001:db8::1; una mv6 fe80::1");
	assert_non_null(c);
	assert_memory_equal(c->vmac.octet, ((uint8_t[]){0x00, 0x00, 0x5e, 0x00, 0x02, 0x05}), 6);
	assert_int_equal(af->stats.announce_tx, 4);
}

static void test_backup_running_macvlan_held_down(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_RUNNING);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	vrrp_vr_reconcile(vr);
	fake_expect(
		"parent_arp eth1; get_alias 20; addr_add 20 10.10.10.1/24; "
		"addr_add 20 10.10.10.2/24; rx_ref eth1 4; protodown mv4 on; hold_down 20");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);

	/* Still carrier in Backup: held down again; zebra shows the addresses missing, so they
	 * are put back. */
	fake_rc.hold_down_rc = 1;
	vrrp_vr_reconcile(vr);
	fake_expect("addr_add 20 10.10.10.1/24; addr_add 20 10.10.10.2/24; hold_down 20");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
}

/* Creating macvlans. */

static void test_autocreate_v4(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct interface *mvl;

	fake_rc.mvl_create_rc = 30;
	vrrp_vr_reconcile(vr);
	fake_expect(
		"mvl_create vrrp4-10-5 parent 10 00:00:5e:00:01:05 4 alias vrrpd:eth1:5:4 "
		"rc 30");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "waiting for macvlan vrrp4-10-5");

	/* Until zebra reports it, nothing is created twice. */
	vrrp_vr_reconcile(vr);
	fake_expect("");

	/* Zebra reports it: ours, as this run made it, so bound and started. */
	mvl = world_macvlan("vrrp4-10-5", 30, eth1, VRRP_AFI_V4, 5, MVL_PROTODOWN);
	vrrp_reconcile_all();
	fake_expect(
		"parent_arp eth1; addr_add 30 10.10.10.1/24; "
		"addr_add 30 10.10.10.2/24; rx_ref eth1 4; protodown vrrp4-10-5 on");
	assert_ptr_equal(af->mvl_ifp, mvl);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_string_equal(af->why_down, "");
}

static void test_autocreate_v6(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 7, VRRP_AFI_V6, fake_vips6);

	fake_rc.mvl_create_rc = 31;
	vrrp_vr_reconcile(vr);
	fake_expect(
		"mvl_create vrrp6-10-7 parent 10 00:00:5e:00:02:07 6 alias vrrpd:eth1:7:6 "
		"rc 31");
	assert_string_equal(vr->af[VRRP_AFI_V6].why_down, "waiting for macvlan vrrp6-10-7");
}

static void test_autocreate_fails(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	fake_rc.mvl_create_rc = -EEXIST;
	vrrp_vr_reconcile(vr);
	fake_expect(
		"mvl_create vrrp4-10-5 parent 10 00:00:5e:00:01:05 4 alias vrrpd:eth1:5:4 "
		"rc -17");
	assert_string_equal(af->why_down, "cannot create macvlan vrrp4-10-5: File exists");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	/* Retried no sooner than 5 s later, so a failing kernel is not hammered. */
	vrrp_vr_reconcile(vr);
	fake_expect("");
	assert_string_equal(af->why_down, "waiting for macvlan vrrp4-10-5");
}

static void test_autocreate_off(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);
	struct vrrp_vr *vr6 = fake_vr(eth1, 6, VRRP_AFI_V6, fake_vips6);

	vrrp_globals.macvlan_create = false;
	vrrp_vr_reconcile(vr);
	assert_string_equal(vr->af[VRRP_AFI_V4].why_down,
			    "no macvlan with MAC 00:00:5e:00:01:05 on eth1");
	/* The router's own setting is enough too. */
	vrrp_globals.macvlan_create = true;
	vr6->cfg.macvlan_create = false;
	vrrp_vr_reconcile(vr6);
	assert_string_equal(vr6->af[VRRP_AFI_V6].why_down,
			    "no macvlan with MAC 00:00:5e:00:02:06 on eth1");
	fake_expect("");
	assert_int_equal(vr->af[VRRP_AFI_V4].fsm.state, VRRP_STATE_INITIALIZE);
}

static void test_socket_fails(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_PROTODOWN);

	fake_rc.rx_ref_rc = -EPERM;
	vrrp_vr_reconcile(vr);
	fake_expect_only("rx_ref protodown", "rx_ref eth1 4");
	assert_string_equal(vr->af[VRRP_AFI_V4].why_down, "cannot open a VRRP socket on eth1");
	assert_int_equal(vr->af[VRRP_AFI_V4].fsm.state, VRRP_STATE_INITIALIZE);
}

static void test_no_source_address(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_PROTODOWN);

	list_delete_all_node(vr->ifp->connected);
	vrrp_vr_reconcile(vr);
	assert_string_equal(vr->af[VRRP_AFI_V4].why_down, "no IPv4 address on eth1");
	assert_int_equal(fake_count(FAKE_RX_REF), 0);
}

/* Stopping: the parent goes down or away. */

static void test_parent_down_v4_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;

	world_set_link(vr->ifp, false);
	vrrp_reconcile_all();
	/* The release leaves before protodown takes the VMAC away. */
	fake_expect(
		"send mv4 v3 vrid 5 prio 0 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 check; "
		"protodown mv4 on; rx_unref eth1 4");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "interface eth1 is down");
	assert_null(af->mvl_ifp);
	assert_false(af->t_adver.armed);

	/* Back up: the macvlan is known already, so only the socket and protodown again. */
	world_set_link(vr->ifp, true);
	vrrp_reconcile_all();
	fake_expect("rx_ref eth1 4; protodown mv4 on");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
}

static void test_parent_down_v6_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V6);
	struct vrrp_vr *vr = af->vr;

	world_set_link(vr->ifp, false);
	vrrp_reconcile_all();
	fake_expect(
		"send mv6 v3 vrid 5 prio 0 int 1 fe80::1,2001:db8::1 from fe80::15 check; "
		"protodown mv6 on; radv mv6 off; rx_unref eth1 6");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
}

static void test_parent_gone(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;

	world_delete(vr->ifp);
	/* The last send worked, so the release skips the link check. */
	fake_expect(
		"send mv4 v3 vrid 5 prio 0 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15; "
		"protodown mv4 on; rx_unref eth1 4");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	vrrp_reconcile_all();
	fake_expect("");
	assert_string_equal(af->why_down, "interface eth1 does not exist");
	assert_null(af->mvl_ifp);
}

/* Our own macvlan: eth1, router 5 with fake_vips4 and 10 ms interval on vrrp4-10-5 (30). */
static struct vrrp_vr *own_router(void)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);
	struct vrrp_vr *vr = fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);

	vr->cfg.adver_interval = 1;
	fake_rc.mvl_create_rc = 30;
	vrrp_vr_reconcile(vr);
	world_macvlan("vrrp4-10-5", 30, eth1, VRRP_AFI_V4, 5, MVL_PROTODOWN);
	vrrp_reconcile_all();
	assert_int_equal(vr->af[VRRP_AFI_V4].fsm.state, VRRP_STATE_BACKUP);
	fake_clear();
	return vr;
}

static struct vrrp_af *own_master(void)
{
	struct vrrp_af *af = &own_router()->af[VRRP_AFI_V4];

	fake_make_master(af);
	fake_clear();
	return af;
}

static void test_macvlan_recreated_under_master(void **state)
{
	struct vrrp_af *af = own_master();
	struct vrrp_vr *vr = af->vr;
	struct interface *mvl;

	world_delete(af->mvl_ifp);
	/* Ours, so it is recreated rather than the protocol stopped. */
	fake_expect("");
	fake_rc.mvl_create_rc = 31;
	vrrp_reconcile_all();
	fake_expect(
		"mvl_create vrrp4-10-5 parent 10 00:00:5e:00:01:05 4 alias vrrpd:eth1:5:4 "
		"rc 31");
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_string_equal(af->why_down, "waiting for macvlan vrrp4-10-5");
	assert_null(af->mvl_ifp);

	mvl = world_macvlan("vrrp4-10-5", 31, vr->ifp, VRRP_AFI_V4, 5, MVL_RUNNING);
	vrrp_reconcile_all();
	/* Still Master: bound, out of protodown, advertised and announced on the new one. */
	fake_expect(
		"parent_arp eth1; addr_add 31 10.10.10.1/24; "
		"addr_add 31 10.10.10.2/24; protodown vrrp4-10-5 off; "
		"send vrrp4-10-5 v3 vrid 5 prio 100 int 1 10.10.10.1,10.10.10.2 from "
		"10.10.10.15 check; garp vrrp4-10-5 10.10.10.1; garp vrrp4-10-5 10.10.10.2; "
		"garp vrrp4-10-5 10.10.10.1; garp vrrp4-10-5 10.10.10.2");
	assert_ptr_equal(af->mvl_ifp, mvl);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(af->stats.transitions, 2);
	assert_string_equal(af->why_down, "");
}

static void test_own_macvlan_admin_down(void **state)
{
	struct vrrp_vr *vr = own_router();
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	world_set_state(af->mvl_ifp, MVL_ADMIN_DOWN);
	vrrp_reconcile_all();
	/* Ours: raised again, and the Backup keeps its state meanwhile. */
	fake_expect("mvl_set_up 30");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_string_equal(af->why_down, "macvlan vrrp4-10-5 is administratively down");

	world_set_state(af->mvl_ifp, MVL_PROTODOWN);
	vrrp_reconcile_all();
	fake_expect("protodown vrrp4-10-5 on");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_string_equal(af->why_down, "");
}

static void test_foreign_macvlan_admin_down(void **state)
{
	/* The default 1 s interval: no protocol timer is due while the event loop runs. */
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct interface *mv4 = if_lookup_by_name("mv4", VRF_DEFAULT);

	vrrp_vr_reconcile(vr);
	fake_clear();
	/* Through zebra's path: the event marks the router, the loop reconciles it. */
	world_set_state(mv4, MVL_ADMIN_DOWN);
	fake_run_events();
	/* Someone else's: left down, and the instance stops. */
	fake_expect("rx_unref eth1 4");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "macvlan mv4 is administratively down");
}

/* Address changes. */

static void test_vip_added_on_master(void **state)
{
	static const char *const three[] = {"10.10.10.1", "10.10.10.2", "10.10.10.3", NULL};
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;

	fake_set_vips(af, three);
	vrrp_vr_reconcile(vr);
	/* One burst (the default repeat of 2) for every address, as at the takeover. */
	fake_expect(
		"addr_add 20 10.10.10.3/24; garp mv4 10.10.10.1; garp mv4 10.10.10.2; "
		"garp mv4 10.10.10.3; garp mv4 10.10.10.1; garp mv4 10.10.10.2; garp mv4 10.10.10.3");
	assert_int_equal(af->stats.announce_tx, 4 + 6);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
}

static void test_vip_removed_on_own_macvlan(void **state)
{
	static const char *const one[] = {"10.10.10.1", NULL};
	struct vrrp_af *af = own_master();
	struct vrrp_vr *vr = af->vr;

	fake_set_vips(af, one);
	vrrp_vr_reconcile(vr);
	fake_expect(
		"addr_del 30 10.10.10.2/24; garp vrrp4-10-5 10.10.10.1; "
		"garp vrrp4-10-5 10.10.10.1");
}

/* The parent's IPv4 address, as zebra has not reported it again yet after a link flap. */
static void parent_v4_unreported(struct interface *eth1)
{
	struct connected *c;
	struct prefix p;

	assert_int_equal(str2prefix(PARENT_V4 "/24", &p), 1);
	c = connected_delete_by_prefix(eth1, &p);
	assert_non_null(c);
	connected_free(&c);
}

/* Without the parent's subnet a host route would be a guess left on the macvlan: wait. */
static void test_vip_prefix_waits_for_parent_address(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_PROTODOWN);
	struct interface *eth1 = vr->ifp;

	parent_v4_unreported(eth1);
	vrrp_vr_reconcile(vr);
	fake_expect_only("addr_add", "");
	world_addr_add(eth1, PARENT_V4 "/24");
	fake_run_events();
	fake_expect_only("addr_add", "addr_add 20 10.10.10.1/24; addr_add 20 10.10.10.2/24");
}

/* What we added to someone else's macvlan we take away when we stop, and only that. */
static void test_foreign_added_removed_at_stop(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_RUNNING);
	struct interface *mv4 = if_lookup_by_name("mv4", VRF_DEFAULT);
	struct prefix p;

	/* Its owner put 10.10.10.1 there; the kernel refuses ours. */
	assert_int_equal(str2prefix("10.10.10.1/24", &p), 1);
	connected_add_by_prefix(mv4, &p, NULL);
	fake_rc.addr_add_exists = "10.10.10.1/24";
	vrrp_vr_reconcile(vr);
	fake_expect_only("addr_add addr_del",
			 "addr_add 20 10.10.10.1/24; addr_add 20 10.10.10.2/24");
	vrrp_vr_stop(vr);
	fake_expect_only("addr_add addr_del", "addr_del 20 10.10.10.2/24");
}

/*
 * Removing the last virtual address stops a Master with the priority-0 release RFC 9568 6.4.3
 * asks for, naming the addresses it was Master for, so the Backups take over after Skew_Time
 * rather than a whole Master_Down_Interval.
 */
static void test_last_vip_removed_on_master(void **state)
{
	static const char *const none[] = {NULL};
	struct vrrp_af *af = own_master();
	struct vrrp_vr *vr = af->vr;

	fake_set_vips(af, none);
	vrrp_vr_reconcile(vr);
	fake_expect(
		"send vrrp4-10-5 v3 vrid 5 prio 0 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 check; "
		"protodown vrrp4-10-5 on; rx_unref eth1 4; mvl_delete 30");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "no virtual addresses configured");
	assert_int_equal(af->stats.adver_tx, 2);
	assert_int_equal(af->stats.prio0_tx, 1);
}

/* Configuration changes. */

static void test_priority_change_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;

	uint64_t before = vrrp_now_us();

	vr->cfg.priority = 200;
	vrrp_vr_reconcile(vr);
	/*
	 * RFC 9568 6: the new priority leaves at once, and the Adver_Timer restarts from it, on
	 * the parent's lattice: within one interval (1 cs), never later.
	 */
	fake_expect(
		"send mv4 v3 vrid 5 prio 200 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 "
		"check");
	assert_int_equal(af->fcfg.priority, 200);
	assert_true(af->fcfg.adver_aligned);
	assert_true(af->t_adver.deadline > before);
	assert_true(af->t_adver.deadline <= vrrp_now_us() + 10000);
	/* Reconciling again changes nothing. */
	vrrp_vr_reconcile(vr);
	fake_expect("");
	fake_fire(&af->t_adver);
	fake_expect(
		"send mv4 v3 vrid 5 prio 200 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 "
		"check");
	assert_true(af->t_adver.armed);
}

static void test_priority_change_backup(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	uint64_t d;

	vrrp_vr_reconcile(vr);
	fake_clear();
	/* 1 s interval: Master_Down_Interval 3.60 s at priority 100, 3.21 s at 200. */
	assert_int_equal(af->fsm.master_down_interval, 360);
	d = af->t_master_down.deadline;
	vr->cfg.priority = 200;
	vrrp_vr_reconcile(vr);
	fake_expect("");
	assert_int_equal(af->fsm.master_down_interval, 321);
	assert_int_equal(af->t_master_down.deadline, d - 390000);
	assert_int_equal(af->fsm.master_down_deadline, d - 390000);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);

	vr->cfg.preempt = 0;
	vrrp_vr_reconcile(vr);
	fake_expect("");
	assert_false(af->fcfg.preempt);
	assert_int_equal(af->t_master_down.deadline, d - 390000);
}

static void test_version_change_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;

	vr->cfg.version = 2;
	vrrp_vr_reconcile(vr);
	/* A restart: released in the old version, then a Backup in the new one. */
	fake_expect(
		"send mv4 v3 vrid 5 prio 0 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 check; "
		"protodown mv4 on; protodown mv4 on");
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(af->fcfg.version, 2);
	/* VRRPv2 carries whole seconds. */
	assert_int_equal(af->fcfg.adver_interval, 100);
	assert_int_equal(af->stats.transitions, 4);
	assert_string_equal(vr->af[VRRP_AFI_V6].why_down, "VRRPv2 has no IPv6");
}

static void test_shutdown_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;

	vr->cfg.shutdown = 1;
	vrrp_vr_reconcile(vr);
	fake_expect(
		"send mv4 v3 vrid 5 prio 0 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 check; "
		"protodown mv4 on; rx_unref eth1 4");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "administratively shut down");
	assert_false(af->t_adver.armed);
	assert_false(af->t_master_down.armed);
}


/* Resuming after a restart, and the graceful restart that leaves Masters for it. */

/* mv4 marked as ours, with addresses as an earlier run left it; live says whether it runs. */
static struct vrrp_vr *resume_scene(int live, bool all_addrs)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, live ? MVL_RUNNING : MVL_PROTODOWN);

	fake_set_alias_ours(MV4_IFINDEX, "eth1", FAKE_VRID, false);
	fake_add_kernel_addr(MV4_IFINDEX, "10.10.10.1");
	if (all_addrs)
		fake_add_kernel_addr(MV4_IFINDEX, "10.10.10.2");
	fake_rc.mvl_live_rc = live;
	return vr;
}

static void test_resume_live_master(void **state)
{
	struct vrrp_vr *vr = resume_scene(1, true);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	vrrp_vr_reconcile(vr);
	/* Master at once: advertised, no announcement, the macvlan left as it is. */
	fake_expect_only(
		"send garp protodown hold_down mvl_delete",
		"protodown mv4 off; "
		"send mv4 v3 vrid 5 prio 100 int 100 10.10.10.1,10.10.10.2 from 10.10.10.15 "
		"check");
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(af->stats.resumes, 1);
	assert_int_equal(af->stats.announce_tx, 0);
	assert_int_equal(af->last_reason, VRRP_REASON_RESUMED);
	assert_true(af->last_change > 0);
	assert_true(af->t_adver.armed);

	/* Only the first start resumes: after a shutdown the instance starts as Backup. */
	vr->cfg.shutdown = 1;
	vrrp_vr_reconcile(vr);
	vr->cfg.shutdown = 0;
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(af->stats.resumes, 1);
	assert_int_equal(af->last_reason, VRRP_REASON_STARTUP);
}

static void test_resume_announces_missing_address(void **state)
{
	struct vrrp_vr *vr = resume_scene(1, false);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(af->stats.resumes, 1);
	/* An address was put back, so the LAN hears about every address again: the built-in
	 * policy's burst of two per address. */
	assert_int_equal(af->stats.announce_tx, 4);
}

static void test_no_resume_in_protodown(void **state)
{
	struct vrrp_vr *vr = resume_scene(0, true);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	/* The guardian put it down, or it was a Backup: a normal start. */
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(af->stats.resumes, 0);
	assert_int_equal(af->last_reason, VRRP_REASON_STARTUP);
}

static void test_no_resume_foreign_macvlan(void **state)
{
	struct vrrp_vr *vr = fake_scene(VRRP_AFI_V4, MVL_RUNNING);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	/* Live, but not marked as ours: nothing says an earlier run of ours was its Master. */
	fake_rc.mvl_live_rc = 1;
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(af->stats.resumes, 0);
}

static void test_graceful_detach_keeps_master(void **state)
{
	struct vrrp_vr *vr = own_router();
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];

	fake_make_master(af);
	fake_clear();
	vrrp_engine_detach();
	vrrp_vr_stop(vr);
	/* No release, no protodown, the macvlan kept: the LAN still sees this Master. */
	fake_expect_only("send protodown mvl_delete addr_del", "");
	assert_false(af->t_adver.armed);
}

/* Zebra, stop, garbage collection. */

static void test_zebra_reconnect(void **state)
{
	struct vrrp_vr *vr = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_vr *idle;

	fake_router(VRRP_AFI_V6, MVL_PROTODOWN);
	/* A router in Initialize has nothing to restate. */
	vrrp_globals.macvlan_create = false;
	idle = fake_vr(vr->ifp, 9, VRRP_AFI_V4, fake_vips4);
	vrrp_vr_reconcile(idle);
	fake_make_master(&vr->af[VRRP_AFI_V6]);
	fake_clear();
	vrrp_engine_zebra_connected();
	fake_expect("protodown mv4 on; protodown mv6 off; radv mv6 on");
	assert_int_equal(vr->af[VRRP_AFI_V4].fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(vr->af[VRRP_AFI_V6].fsm.state, VRRP_STATE_MASTER);
}

static void test_vr_stop(void **state)
{
	struct vrrp_af *af = own_master();
	struct vrrp_vr *vr = af->vr;

	vrrp_vr_stop(vr);
	fake_expect(
		"send vrrp4-10-5 v3 vrid 5 prio 0 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15; "
		"protodown vrrp4-10-5 on; rx_unref eth1 4; mvl_delete 30");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_false(af->t_adver.armed);
	assert_null(af->mvl_ifp);
}

static void test_gc_leftovers(void **state)
{
	struct interface *eth1 = world_parent("eth1", PARENT_IFINDEX);

	fake_vr(eth1, 5, VRRP_AFI_V4, fake_vips4);
	fake_add_owned(30, "vrrp4-10-5", PARENT_IFINDEX, "vrrpd:eth1:5:4"); /* wanted */
	fake_add_owned(32, "vrrp6-10-5", PARENT_IFINDEX, "vrrpd:eth1:5:6"); /* no IPv6 VIPs */
	fake_add_owned(33, "vrrp4-10-9", PARENT_IFINDEX, "vrrpd:eth1:9:4"); /* no router 9 */
	fake_add_owned(34, "vrrp4-99-1", 99, "vrrpd:eth9:1:4");		    /* no such parent */
	fake_add_owned(35, "other", PARENT_IFINDEX, "someone else's");
	/* The check at start finds them and sets the 10 s timer... */
	vrrp_bind_gc_start(fake_master);
	fake_run_events();
	fake_expect("walk_owned vrrpd:");
	/* ...run now rather than waited for. */
	assert_true(fake_run_thread_timer("vrrp_gc_timer"));
	fake_expect("walk_owned vrrpd:; mvl_delete 32; mvl_delete 33; mvl_delete 34");
}

/* A start with nothing left by an earlier run reads the links once, and never again. */
static void test_gc_clean_start(void **state)
{
	fake_add_owned(35, "other", PARENT_IFINDEX, "someone else's");
	vrrp_bind_gc_start(fake_master);
	fake_run_events();
	fake_expect("walk_owned vrrpd:");
	assert_false(fake_run_thread_timer("vrrp_gc_timer"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		fake_test(test_v4_startup_backup),
		fake_test(test_v6_startup_backup),
		fake_test(test_v4_master_by_timer),
		fake_test(test_v6_master_by_timer),
		fake_test(test_backup_running_macvlan_held_down),
		fake_test(test_autocreate_v4),
		fake_test(test_autocreate_v6),
		fake_test(test_autocreate_fails),
		fake_test(test_autocreate_off),
		fake_test(test_socket_fails),
		fake_test(test_no_source_address),
		fake_test(test_parent_down_v4_master),
		fake_test(test_parent_down_v6_master),
		fake_test(test_parent_gone),
		fake_test(test_macvlan_recreated_under_master),
		fake_test(test_own_macvlan_admin_down),
		fake_test(test_foreign_macvlan_admin_down),
		fake_test(test_vip_added_on_master),
		fake_test(test_vip_removed_on_own_macvlan),
		fake_test(test_vip_prefix_waits_for_parent_address),
		fake_test(test_foreign_added_removed_at_stop),
		fake_test(test_last_vip_removed_on_master),
		fake_test(test_priority_change_master),
		fake_test(test_priority_change_backup),
		fake_test(test_version_change_master),
		fake_test(test_shutdown_master),
		fake_test(test_resume_live_master),
		fake_test(test_resume_announces_missing_address),
		fake_test(test_no_resume_in_protodown),
		fake_test(test_no_resume_foreign_macvlan),
		fake_test(test_graceful_detach_keeps_master),
		fake_test(test_zebra_reconnect),
		fake_test(test_vr_stop),
		fake_test(test_gc_leftovers),
		fake_test(test_gc_clean_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
