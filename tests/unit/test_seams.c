// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the seams the coming features build on: reconcile's pure decision, priority
 * inputs (effective priority, a failed input that stops the router, interface events reaching
 * the routers that track an interface), the state-change hook, and the executor's counters of
 * actions, priority-zero packets and send errors. The outside world is the fake of fake_io.c.
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
#include "vrrp_history.h"
#include "vrrp_nb_notif.h"

#include "lib/linklist.h"
#include "lib/northbound.h"
#include "lib/yang.h"
#include "vrrp_reconcile.h"

#include "fake_io.h"

/* The decision, case by case: the first reason that applies wins. */
static void test_decide_table(void **state)
{
	const struct vrrp_facts up = {.enabled = true,
				      .has_addrs = true,
				      .parent = "eth1",
				      .parent_exists = true,
				      .parent_up = true,
				      .mvl = "mv4",
				      .mvl_up = true,
				      .vmac = "00:00:5e:00:01:05"};
	struct {
		struct vrrp_facts f;
		enum vrrp_todo todo;
		const char *why;
	} cases[8];
	char buf[128];
	struct vrrp_verdict v;

	for (size_t i = 0; i < array_size(cases); i++)
		cases[i].f = up;
	cases[0].todo = VRRP_TODO_RUN, cases[0].why = NULL;
	cases[1].f.enabled = false, cases[1].todo = VRRP_TODO_IDLE;
	cases[1].why = "VRRPv2 has no IPv6";
	cases[2].f.shutdown = true, cases[2].f.parent_up = false, cases[2].todo = VRRP_TODO_IDLE;
	cases[2].why = "administratively shut down";
	cases[3].f.parent_up = false, cases[3].todo = VRRP_TODO_IDLE;
	cases[3].why = "interface eth1 is down";
	cases[4].f.stopped_by = "interface eth0", cases[4].todo = VRRP_TODO_IDLE;
	cases[4].why = "tracked interface eth0 is down";
	cases[5].f.mvl = NULL, cases[5].f.may_create = true, cases[5].todo = VRRP_TODO_CREATE;
	cases[5].why = NULL;
	cases[6].f.mvl = NULL, cases[6].todo = VRRP_TODO_IDLE;
	cases[6].why = "no macvlan with MAC 00:00:5e:00:01:05 on eth1";
	cases[7].f.mvl_up = false, cases[7].f.mvl_ours = true, cases[7].todo = VRRP_TODO_RAISE;
	cases[7].why = "macvlan mv4 is administratively down";

	for (size_t i = 0; i < array_size(cases); i++) {
		vrrp_decide(&cases[i].f, &v, buf, sizeof(buf));
		assert_int_equal(v.todo, cases[i].todo);
		if (cases[i].why)
			assert_string_equal(v.why, cases[i].why);
		else
			assert_null(v.why);
	}
	/* Someone else's macvlan that is down is left alone. */
	cases[7].f.mvl_ours = false;
	vrrp_decide(&cases[7].f, &v, buf, sizeof(buf));
	assert_int_equal(v.todo, VRRP_TODO_IDLE);
}

static bool concerns_eth0(const struct vrrp_prio_input *in, const struct interface *ifp)
{
	return !strcmp(ifp->name, "eth0");
}

static struct vrrp_prio_input input(uint8_t decrement)
{
	struct vrrp_prio_input in = {.decrement = decrement, .concerns = concerns_eth0};

	strlcpy(in.name, "interface eth0", sizeof(in.name));
	return in;
}

static void test_input_decrement_lowers_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;
	/* Static: a failed assertion leaves them attached until teardown frees the router. */
	static struct vrrp_prio_input a, b;
	const struct fake_call *c;

	a = input(30);
	b = input(90);
	vrrp_vr_input_add(vr, &a);
	vrrp_vr_input_add(vr, &b);
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fcfg.priority, 100);
	a.failed = true;
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fcfg.priority, 70);
	fake_clear();
	fake_fire(&af->t_adver);
	c = fake_nth(FAKE_SEND, 0);
	assert_non_null(c);
	assert_int_equal(c->pkt.priority, 70);
	/* The sum of the failed inputs' decrements, never below 1. */
	b.failed = true;
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 1);
	vrrp_vr_input_del(vr, &a);
	vrrp_vr_input_del(vr, &b);
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 100);
}

static void test_input_without_decrement_stops_master(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);
	struct vrrp_vr *vr = af->vr;
	static struct vrrp_prio_input a;
	const char *why = NULL;

	a = input(0);
	vrrp_vr_input_add(vr, &a);
	a.failed = true;
	assert_int_equal(vrrp_vr_effective_priority(vr, &why), 0);
	assert_string_equal(why, "interface eth0");
	vrrp_vr_reconcile(vr);
	/* The Master releases (RFC 9568 6.4.3), then goes down. */
	fake_expect(
		"send mv4 v3 vrid 5 prio 0 int 1 10.10.10.1,10.10.10.2 from 10.10.10.15 check; "
		"protodown mv4 on; rx_unref eth1 4");
	assert_int_equal(af->fsm.state, VRRP_STATE_INITIALIZE);
	assert_string_equal(af->why_down, "tracked interface eth0 is down");
	/* Restored: the router starts again, as a Backup. */
	a.failed = false;
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	assert_string_equal(af->why_down, "");
	vrrp_vr_input_del(vr, &a);
}

/* Several failed inputs add up, the result stays in 1..254, and the owner is never lowered. */
static void test_effective_priority_sum_clamp_owner(void **state)
{
	struct vrrp_vr *vr = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	static struct vrrp_prio_input a, b, c;
	const char *why = NULL;

	a = input(20);
	b = input(30);
	c = input(0);
	vrrp_vr_input_add(vr, &a);
	vrrp_vr_input_add(vr, &b);
	vrrp_vr_input_add(vr, &c);
	vr->cfg.priority = 210;
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 210);
	a.failed = true;
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 190);
	b.failed = true;
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 160);
	/* Clamped at 1. */
	b.decrement = 254;
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 1);
	/* The owner keeps 255 whatever the decrements... */
	vr->cfg.priority = 255;
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 255);
	/* ...but an input without a decrement stops it too. */
	c.failed = true;
	assert_int_equal(vrrp_vr_effective_priority(vr, &why), 0);
	assert_string_equal(why, "interface eth0");
	vrrp_vr_input_del(vr, &a);
	vrrp_vr_input_del(vr, &b);
	vrrp_vr_input_del(vr, &c);
	assert_int_equal(vrrp_vr_effective_priority(vr, NULL), 255);
}

/* An event on an interface that is neither the parent nor a macvlan reaches its trackers. */
static void test_event_on_tracked_interface_marks_router(void **state)
{
	struct vrrp_vr *vr = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	struct interface *eth0 = world_parent("eth0", 30), *eth2;
	static struct vrrp_prio_input a;

	a = input(20);
	fake_run_events();
	assert_false(vr->dirty);
	vrrp_vr_input_add(vr, &a);
	world_set_link(eth0, false);
	assert_true(vr->dirty);
	fake_run_events();
	assert_false(vr->dirty);
	/* Another interface's event leaves the router alone. */
	eth2 = world_parent("eth2", 31);
	fake_run_events();
	world_set_link(eth2, false);
	assert_false(vr->dirty);
	vrrp_vr_input_del(vr, &a);
}

static int hook_calls;
static enum vrrp_state hook_old, hook_new;
static enum vrrp_event hook_ev;

static struct vrrp_state_event hook_event;

static int on_state_change(const struct vrrp_af *af, const struct vrrp_state_event *e)
{
	hook_calls++;
	hook_old = e->old_state;
	hook_new = af->fsm.state;
	hook_ev = e->event;
	assert_int_equal(e->new_state, af->fsm.state);
	assert_non_null(e->why);
	hook_event = *e;
	return 0;
}

static void test_state_change_hook(void **state)
{
	struct vrrp_vr *vr;
	struct vrrp_af *af;

	hook_calls = 0;
	hook_register(vrrp_state_change, on_state_change);
	vr = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	af = &vr->af[VRRP_AFI_V4];
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_old, VRRP_STATE_INITIALIZE);
	assert_int_equal(hook_new, VRRP_STATE_BACKUP);
	assert_int_equal(hook_ev, VRRP_EV_STARTUP);
	fake_make_master(af);
	assert_int_equal(hook_calls, 2);
	assert_int_equal(hook_old, VRRP_STATE_BACKUP);
	assert_int_equal(hook_new, VRRP_STATE_MASTER);
	assert_int_equal(hook_ev, VRRP_EV_MASTER_DOWN_TIMER);
	/* The event says who the Master is now: ourselves, at our priority. */
	assert_string_equal(hook_event.ifname, "eth1");
	assert_int_equal(hook_event.vrid, 5);
	assert_int_equal(hook_event.afi, VRRP_AFI_V4);
	assert_int_equal(hook_event.reason, VRRP_REASON_MASTER_TIMEOUT);
	assert_int_equal(hook_event.priority, 100);
	assert_true(IS_IPADDR_V4(&hook_event.master));
	assert_int_equal(ntohl(hook_event.master.ipaddr_v4.s_addr), 0x0a0a0a0f);
	assert_int_equal(hook_event.master_priority, 100);
	assert_true(hook_event.when.tv_sec > 0);
	/* A priority change without a state change fires nothing. */
	vr->cfg.priority = 150;
	vrrp_vr_reconcile(vr);
	assert_int_equal(hook_calls, 2);
	hook_unregister(vrrp_state_change, on_state_change);
}

static char notif_xpath[256], notif_args[512];
static int notif_calls;

static int on_notification(const char *xpath, struct list *args)
{
	struct listnode *node;
	struct yang_data *d;
	size_t off = 0;

	notif_calls++;
	strlcpy(notif_xpath, xpath, sizeof(notif_xpath));
	notif_args[0] = '\0';
	for (ALL_LIST_ELEMENTS_RO(args, node, d))
		off += snprintf(notif_args + off, sizeof(notif_args) - off, "%s%s=%s",
				off ? " " : "", strrchr(d->xpath, '/') + 1, d->value);
	return 0;
}

static void test_new_master_notification(void **state)
{
	struct vrrp_vr *vr;
	struct vrrp_af *af;

	notif_calls = 0;
	hook_register(nb_notification_send, on_notification);
	vrrp_nb_notif_init();
	vr = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	af = &vr->af[VRRP_AFI_V4];
	/* Becoming Backup names no new Master. */
	assert_int_equal(notif_calls, 0);
	fake_make_master(af);
	assert_int_equal(notif_calls, 1);
	assert_string_equal(notif_xpath, "/vrrpd-ext:vrrp-new-master-event");
	assert_string_equal(notif_args,
			    "interface=eth1 vrid=5 address-family=ipv4 "
			    "master-ip-address=10.10.10.15 master-priority=100 "
			    "new-master-reason=no-response");
	vrrp_nb_notif_fini();
	hook_unregister(nb_notification_send, on_notification);
}

static void test_new_master_reasons(void **state)
{
	struct vrrp_state_event e = {.old_state = VRRP_STATE_BACKUP,
				     .new_state = VRRP_STATE_MASTER,
				     .reason = VRRP_REASON_MASTER_TIMEOUT,
				     .priority = 210};

	assert_string_equal(vrrp_nb_new_master_reason(&e), "no-response");
	/* Still hearing a lower-priority Master when taking over: preempted it. */
	e.prev_master.ipa_type = IPADDR_V4;
	e.prev_master_priority = 200;
	assert_string_equal(vrrp_nb_new_master_reason(&e), "preempted");
	e.prev_master_priority = 220;
	assert_string_equal(vrrp_nb_new_master_reason(&e), "no-response");
	e.reason = VRRP_REASON_RESUMED;
	assert_null(vrrp_nb_new_master_reason(&e));
	e.old_state = VRRP_STATE_INITIALIZE;
	e.reason = VRRP_REASON_OWNER;
	assert_string_equal(vrrp_nb_new_master_reason(&e), "priority");
	/* Losing to a higher priority: the winner is new. */
	e = (struct vrrp_state_event){.old_state = VRRP_STATE_MASTER,
				      .new_state = VRRP_STATE_BACKUP,
				      .reason = VRRP_REASON_HIGHER_PRIORITY};
	assert_null(vrrp_nb_new_master_reason(&e));
	e.master.ipa_type = IPADDR_V4;
	assert_string_equal(vrrp_nb_new_master_reason(&e), "priority");
	e.new_state = VRRP_STATE_INITIALIZE;
	assert_null(vrrp_nb_new_master_reason(&e));
}

static void test_history_keeps_the_latest(void **state)
{
	struct vrrp_vr *vr = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct vrrp_state_event e = {};

	/* The start-up (Initialize -> Backup) is the first entry. */
	assert_int_equal(vrrp_history_count(af), 1);
	assert_int_equal(vrrp_history_get(af, 0)->reason, VRRP_REASON_STARTUP);
	assert_null(vrrp_history_get(af, 1));
	for (int i = 0; i < VRRP_HISTORY_LEN + 3; i++) {
		e.priority = (uint8_t)(10 + i);
		vrrp_history_add(af, &e);
	}
	/* Full: the oldest were dropped, the rest stay in order. */
	assert_int_equal(vrrp_history_count(af), VRRP_HISTORY_LEN);
	assert_int_equal(vrrp_history_get(af, 0)->priority, 10 + 3);
	assert_int_equal(vrrp_history_get(af, VRRP_HISTORY_LEN - 1)->priority,
			 10 + VRRP_HISTORY_LEN + 2);
	assert_null(vrrp_history_get(af, VRRP_HISTORY_LEN));
}

static unsigned int bit(uint32_t action)
{
	return __builtin_ctz(action);
}

static void test_action_and_priority_zero_counters(void **state)
{
	struct vrrp_vr *vr = fake_router(VRRP_AFI_V4, MVL_PROTODOWN);
	struct vrrp_af *af = &vr->af[VRRP_AFI_V4];
	struct fake_adv rel = {.family = AF_INET,
			       .version = 3,
			       .vrid = FAKE_VRID,
			       .prio = 0,
			       .interval = 1,
			       .src = "10.10.10.20",
			       .addrs = {"10.10.10.1", "10.10.10.2"}};

	assert_int_equal(af->actions[bit(VRRP_ACT_ARM_MASTER_DOWN)], 1);
	assert_int_equal(af->actions[bit(VRRP_ACT_PROTODOWN_ON)], 1);
	/* A Master's release heard by the Backup. */
	fake_rx(vr->ifp, &rel);
	assert_int_equal(af->stats.prio0_rx, 1);
	assert_int_equal(af->actions[bit(VRRP_ACT_RX_PRIO0)], 1);
	assert_int_equal(af->actions[bit(VRRP_ACT_ARM_MASTER_DOWN)], 2);
	fake_make_master(af);
	assert_int_equal(af->actions[bit(VRRP_ACT_SEND_ADVERT)], 1);
	assert_int_equal(af->actions[bit(VRRP_ACT_ANNOUNCE)], 1);
	assert_int_equal(af->actions[bit(VRRP_ACT_PROTODOWN_OFF)], 1);
	/* Our own release. */
	vr->cfg.shutdown = 1;
	vrrp_vr_reconcile(vr);
	assert_int_equal(af->stats.prio0_tx, 1);
	assert_int_equal(af->actions[bit(VRRP_ACT_SEND_ADVERT_PRIO0)], 1);
	vrrp_vr_clear_counters(vr);
	assert_int_equal(af->stats.prio0_rx + af->stats.prio0_tx, 0);
	for (unsigned int i = 0; i < VRRP_ACT_COUNT; i++)
		assert_int_equal(af->actions[i], 0);
}

static void test_send_errors_by_class(void **state)
{
	struct vrrp_af *af = fake_master_af(VRRP_AFI_V4);

	fake_rc.send_rc = -ENOBUFS;
	fake_fire(&af->t_adver);
	assert_int_equal(af->tx_errors[VRRP_TXERR_NO_BUFFER], 1);
	/* No room is not a link problem: nothing waits, the next interval sends again. */
	assert_false(af->advert_pending);
	fake_rc.send_rc = -EPERM;
	fake_fire(&af->t_adver);
	assert_int_equal(af->tx_errors[VRRP_TXERR_OTHER], 1);
	fake_rc.send_rc = -ENETDOWN;
	fake_fire(&af->t_adver);
	assert_int_equal(af->tx_errors[VRRP_TXERR_LINK_DOWN], 1);
	assert_true(af->advert_pending);
	fake_rc.garp_rc = -ENXIO;
	fake_rc.send_rc = 0;
	fake_set_vips(af, (const char *const[]){"10.10.10.1", "10.10.10.3", NULL});
	vrrp_vr_reconcile(af->vr);
	/* The pending advertisement left; the announcement of the new address met a gone link. */
	assert_false(af->advert_pending);
	assert_true(af->announce_pending);
	assert_int_equal(af->tx_errors[VRRP_TXERR_LINK_DOWN], 2);
	assert_int_equal(af->stats.adver_tx, 2);
}

static void test_log_tag(void **state)
{
	struct vrrp_vr *vr = fake_router(VRRP_AFI_V6, MVL_PROTODOWN);

	assert_string_equal(vrrp_af_tag(&vr->af[VRRP_AFI_V6]), "[VRID 5] [IPv6] eth1");
	assert_string_equal(vrrp_af_tag(&vr->af[VRRP_AFI_V4]), "[VRID 5] [IPv4] eth1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide_table),
		fake_test(test_input_decrement_lowers_master),
		fake_test(test_input_without_decrement_stops_master),
		fake_test(test_effective_priority_sum_clamp_owner),
		fake_test(test_event_on_tracked_interface_marks_router),
		fake_test(test_state_change_hook),
		fake_test(test_action_and_priority_zero_counters),
		fake_test(test_send_errors_by_class),
		fake_test(test_log_tag),
		fake_test(test_history_keeps_the_latest),
		fake_test(test_new_master_notification),
		fake_test(test_new_master_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
