// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the pure VRRP state machine (vrrpd/vrrp_fsm.c).
 *
 * Every state x event pair is driven with a fake clock, which is just a number of microseconds,
 * and the tests check the next state, the exact action set, the deadlines and the intervals.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vrrp_fsm.h"

/* Microseconds per centisecond, written out so the tests do not trust the header's constant. */
#define CS(x) ((uint64_t)(x)*10000ULL)

/* A clock that is well away from 0, so "0 = not armed" never collides with a real time. */
#define T0 ((uint64_t)5000000000ULL)

static struct vrrp_fsm_config cfg_make(uint8_t version, uint8_t prio, bool preempt,
				       uint16_t interval)
{
	return (struct vrrp_fsm_config){
		.version = version,
		.priority = prio,
		.preempt = preempt,
		.adver_interval = interval,
	};
}

static struct vrrp_fsm_out step(const struct vrrp_fsm_config *cfg, const struct vrrp_fsm_vars *cur,
				enum vrrp_event ev, const struct vrrp_fsm_rx *rx, uint64_t now)
{
	struct vrrp_fsm_out out;

	/* Poison the output so a field the step forgets to set shows up. */
	memset(&out, 0xa5, sizeof(out));
	vrrp_fsm_step(cfg, cur, ev, rx, now, &out);
	assert_non_null(out.why);
	assert_true(strlen(out.why) > 0);
	return out;
}

static struct vrrp_fsm_out rx_step(const struct vrrp_fsm_config *cfg,
				   const struct vrrp_fsm_vars *cur, uint8_t prio,
				   uint16_t interval, int addr_cmp, uint64_t now)
{
	struct vrrp_fsm_rx rx = {
		.priority = prio,
		.adver_interval = interval,
		.addr_cmp = addr_cmp,
	};

	return step(cfg, cur, VRRP_EV_RX_ADVERT, &rx, now);
}

/* Print both action sets by name before failing, so a mismatch is readable. */
static void assert_actions(uint32_t got, uint32_t want)
{
	if (got == want)
		return;
	print_error("actions differ: got");
	for (unsigned int i = 0; i < VRRP_ACT_COUNT; i++)
		if (got & (1u << i))
			print_error(" %s", vrrp_action_str(1u << i));
	print_error(", want");
	for (unsigned int i = 0; i < VRRP_ACT_COUNT; i++)
		if (want & (1u << i))
			print_error(" %s", vrrp_action_str(1u << i));
	print_error("\n");
	assert_int_equal(got, want);
}

static void assert_vars_equal(const struct vrrp_fsm_vars *a, const struct vrrp_fsm_vars *b)
{
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->master_adver_interval, b->master_adver_interval);
	assert_int_equal(a->skew_time, b->skew_time);
	assert_int_equal(a->master_down_interval, b->master_down_interval);
	assert_int_equal(a->adver_deadline, b->adver_deadline);
	assert_int_equal(a->master_down_deadline, b->master_down_deadline);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->preempt_hold_deadline, b->preempt_hold_deadline);
	assert_int_equal(a->want_master, b->want_master);
}

static struct vrrp_fsm_vars init_vars(const struct vrrp_fsm_config *cfg)
{
	struct vrrp_fsm_vars v;

	vrrp_fsm_init(cfg, &v);
	return v;
}

/* A Backup that started at T0. */
static struct vrrp_fsm_vars backup_vars(const struct vrrp_fsm_config *cfg)
{
	struct vrrp_fsm_vars v = init_vars(cfg);
	struct vrrp_fsm_out out = step(cfg, &v, VRRP_EV_STARTUP, NULL, T0);

	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	return out.next;
}

/* A Master that took over when its Master_Down_Timer fired; returns the takeover time too. */
static struct vrrp_fsm_vars master_vars(const struct vrrp_fsm_config *cfg, uint64_t *when)
{
	struct vrrp_fsm_vars b = backup_vars(cfg);
	struct vrrp_fsm_out out =
		step(cfg, &b, VRRP_EV_MASTER_DOWN_TIMER, NULL, b.master_down_deadline);

	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	if (when)
		*when = b.master_down_deadline;
	return out.next;
}

/* Strings ----------------------------------------------------------------- */

static void test_state_strings(void **state __attribute__((unused)))
{
	assert_string_equal(vrrp_state_str(VRRP_STATE_INITIALIZE), "Initialize");
	assert_string_equal(vrrp_state_str(VRRP_STATE_MASTER), "Master");
	assert_string_equal(vrrp_state_str(VRRP_STATE_BACKUP), "Backup");
	assert_string_equal(vrrp_state_str(VRRP_STATE_MAX), "Unknown");
	assert_string_equal(vrrp_state_str((enum vrrp_state) - 1), "Unknown");
}

static void test_event_strings(void **state __attribute__((unused)))
{
	for (int e = 0; e < VRRP_EV_MAX; e++) {
		assert_non_null(vrrp_event_str(e));
		assert_string_not_equal(vrrp_event_str(e), "Unknown");
		for (int f = 0; f < e; f++)
			assert_string_not_equal(vrrp_event_str(e), vrrp_event_str(f));
	}
	assert_string_equal(vrrp_event_str(VRRP_EV_STARTUP), "Startup");
	assert_string_equal(vrrp_event_str(VRRP_EV_SHUTDOWN), "Shutdown");
	assert_string_equal(vrrp_event_str(VRRP_EV_MAX), "Unknown");
}

static void test_action_strings(void **state __attribute__((unused)))
{
	for (unsigned int i = 0; i < VRRP_ACT_COUNT; i++) {
		assert_string_not_equal(vrrp_action_str(1u << i), "unknown");
		for (unsigned int j = 0; j < i; j++)
			assert_string_not_equal(vrrp_action_str(1u << i),
						vrrp_action_str(1u << j));
	}
	assert_string_equal(vrrp_action_str(VRRP_ACT_SEND_ADVERT), "send-advert");
	assert_string_equal(vrrp_action_str(VRRP_ACT_RX_PRIO0), "rx-prio0");
	assert_string_equal(vrrp_action_str(0), "unknown");
	assert_string_equal(vrrp_action_str(VRRP_ACT_SEND_ADVERT | VRRP_ACT_ANNOUNCE), "unknown");
	assert_string_equal(vrrp_action_str(1u << VRRP_ACT_COUNT), "unknown");
}

/* Timer arithmetic -------------------------------------------------------- */

struct timer_row {
	uint8_t version;
	uint8_t prio;
	uint16_t interval;
	uint16_t skew;
	uint16_t mdi;
};

static void test_timer_formulas(void **state __attribute__((unused)))
{
	static const struct timer_row rows[] = {
		/* The values FRR shows: 170 ms / 3170 ms and 210 ms / 3210 ms. */
		{3, 210, 100, 17, 317},
		{3, 200, 100, 21, 321},
		{3, 100, 100, 60, 360},
		{3, 255, 100, 0, 300},
		{3, 1, 100, 99, 399},
		/* v3 skew scales with the interval. */
		{3, 100, 300, 182, 1082},
		{3, 100, 1, 0, 3},
		{3, 1, 4095, 4079, 16364},
		/* A zero interval (rejected on receive, erratum 8301) gives zeros, not a crash. */
		{3, 100, 0, 0, 0},
		/* v2 skew is (256 - prio) / 256 s whatever the interval. */
		{2, 100, 100, 60, 360},
		{2, 100, 300, 60, 960},
		{2, 210, 100, 17, 317},
		{2, 200, 500, 21, 1521},
		{2, 255, 100, 0, 300},
		/* Saturation only beyond the v2 range FRR's CLI allows. */
		{2, 100, 25500, 60, 65535},
		{3, 1, 65535, 65279, 65535},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct timer_row *r = &rows[i];

		print_message("v%u prio %u interval %u\n", r->version, r->prio, r->interval);
		assert_int_equal(vrrp_skew_time(r->version, r->prio, r->interval), r->skew);
		assert_int_equal(vrrp_master_down_interval(r->version, r->prio, r->interval),
				 r->mdi);
	}
	/* `show vrrp` prints cs * 10. */
	assert_int_equal(vrrp_skew_time(3, 210, 100) * 10, 170);
	assert_int_equal(vrrp_master_down_interval(3, 210, 100) * 10, 3170);
	assert_int_equal(vrrp_skew_time(3, 200, 100) * 10, 210);
	assert_int_equal(vrrp_master_down_interval(3, 200, 100) * 10, 3210);
}

static void test_v2_vs_v3_skew(void **state __attribute__((unused)))
{
	/* Same priority and interval; only v3 scales Skew_Time by the interval. */
	struct vrrp_fsm_config c2 = cfg_make(2, 100, true, 300);
	struct vrrp_fsm_config c3 = cfg_make(3, 100, true, 300);
	struct vrrp_fsm_vars b2 = backup_vars(&c2);
	struct vrrp_fsm_vars b3 = backup_vars(&c3);

	assert_int_equal(b2.skew_time, 60);
	assert_int_equal(b2.master_down_interval, 960);
	assert_int_equal(b3.skew_time, 182);
	assert_int_equal(b3.master_down_interval, 1082);
	assert_int_equal(b2.master_down_deadline, T0 + CS(960));
	assert_int_equal(b3.master_down_deadline, T0 + CS(1082));
}

static void test_fsm_init(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c3 = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_config c2 = cfg_make(2, 100, true, 100);
	struct vrrp_fsm_vars v3 = init_vars(&c3);
	struct vrrp_fsm_vars v2 = init_vars(&c2);

	/* v3 has no Master interval before startup, so everything derived is 0, as FRR shows. */
	assert_int_equal(v3.state, VRRP_STATE_INITIALIZE);
	assert_int_equal(v3.master_adver_interval, 0);
	assert_int_equal(v3.skew_time, 0);
	assert_int_equal(v3.master_down_interval, 0);
	assert_int_equal(v3.adver_deadline, 0);
	assert_int_equal(v3.master_down_deadline, 0);
	/* v2 derives from the configured interval. */
	assert_int_equal(v2.state, VRRP_STATE_INITIALIZE);
	assert_int_equal(v2.master_adver_interval, 0);
	assert_int_equal(v2.skew_time, 60);
	assert_int_equal(v2.master_down_interval, 360);
	assert_int_equal(v2.adver_deadline, 0);
	assert_int_equal(v2.master_down_deadline, 0);
}

/* Initialize -------------------------------------------------------------- */

static void test_init_startup_backup(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0);

	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN | VRRP_ACT_PROTODOWN_ON);
	assert_int_equal(out.next.master_adver_interval, 100);
	assert_int_equal(out.next.skew_time, 17);
	assert_int_equal(out.next.master_down_interval, 317);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(317));
	assert_int_equal(out.next.adver_deadline, 0);
}

static void test_init_startup_owner(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 255, false, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0);

	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ANNOUNCE | VRRP_ACT_ARM_ADVER |
					    VRRP_ACT_PROTODOWN_OFF);
	assert_int_equal(out.next.adver_deadline, T0 + CS(100));
	assert_int_equal(out.next.master_down_deadline, 0);
	assert_int_equal(out.next.master_adver_interval, 100);
	assert_int_equal(out.next.skew_time, 0);
	assert_int_equal(out.next.master_down_interval, 300);
}

static void test_init_startup_v2(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(2, 100, true, 300);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0);

	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN | VRRP_ACT_PROTODOWN_ON);
	assert_int_equal(out.next.master_adver_interval, 300);
	assert_int_equal(out.next.skew_time, 60);
	assert_int_equal(out.next.master_down_interval, 960);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(960));
}

static void test_init_rx_discarded(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = rx_step(&c, &v, 200, 100, 1, T0);

	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &v);
	/* A priority-0 packet is discarded too; nothing runs in Initialize. */
	out = rx_step(&c, &v, 0, 100, 1, T0);
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &v);
}

static void test_init_config_change(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(2, 100, true, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out;

	c.priority = 200;
	c.adver_interval = 200;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0);
	assert_int_equal(out.next.state, VRRP_STATE_INITIALIZE);
	assert_actions(out.actions, 0);
	assert_int_equal(out.next.skew_time, 21);
	assert_int_equal(out.next.master_down_interval, 621);
	assert_int_equal(out.next.adver_deadline, 0);
	assert_int_equal(out.next.master_down_deadline, 0);

	/* v3 has no Master interval in Initialize, so only 0s come out. */
	c = cfg_make(3, 100, true, 100);
	v = init_vars(&c);
	c.priority = 50;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0);
	assert_actions(out.actions, 0);
	/* Only the priority the values were computed with follows. */
	assert_int_equal(out.next.priority, 50);
	v.priority = 50;
	assert_vars_equal(&out.next, &v);
}

/* Events that do not apply: the state and every variable stay, and nothing is done. */
struct ignore_row {
	enum vrrp_state state;
	enum vrrp_event ev;
};

static void test_ignored_pairs(void **state __attribute__((unused)))
{
	static const struct ignore_row rows[] = {
		{VRRP_STATE_INITIALIZE, VRRP_EV_SHUTDOWN},
		{VRRP_STATE_INITIALIZE, VRRP_EV_MASTER_DOWN_TIMER},
		{VRRP_STATE_INITIALIZE, VRRP_EV_ADVER_TIMER},
		{VRRP_STATE_BACKUP, VRRP_EV_STARTUP},
		{VRRP_STATE_BACKUP, VRRP_EV_ADVER_TIMER},
		{VRRP_STATE_MASTER, VRRP_EV_STARTUP},
		{VRRP_STATE_MASTER, VRRP_EV_MASTER_DOWN_TIMER},
	};
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vrrp_fsm_vars v;
		struct vrrp_fsm_out out;

		if (rows[i].state == VRRP_STATE_INITIALIZE)
			v = init_vars(&c);
		else if (rows[i].state == VRRP_STATE_BACKUP)
			v = backup_vars(&c);
		else
			v = master_vars(&c, NULL);

		print_message("%s + %s\n", vrrp_state_str(rows[i].state),
			      vrrp_event_str(rows[i].ev));
		/* Fire far in the future so a timer would certainly be due. */
		out = step(&c, &v, rows[i].ev, NULL, T0 + CS(100000));
		assert_actions(out.actions, 0);
		assert_vars_equal(&out.next, &v);
	}
}

/* Backup ------------------------------------------------------------------ */

static void test_backup_shutdown(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_SHUTDOWN, NULL, T0 + CS(50));

	assert_int_equal(out.next.state, VRRP_STATE_INITIALIZE);
	assert_actions(out.actions, VRRP_ACT_CANCEL_MASTER_DOWN);
	assert_int_equal(out.next.master_down_deadline, 0);
	assert_int_equal(out.next.adver_deadline, 0);
	assert_int_equal(out.next.master_adver_interval, 0);
	assert_int_equal(out.next.skew_time, 0);
	assert_int_equal(out.next.master_down_interval, 0);
}

static void test_backup_master_down_fires(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	uint64_t now = v.master_down_deadline + 300; /* the loop is 0.3 ms late */
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, now);

	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ANNOUNCE | VRRP_ACT_ARM_ADVER |
					    VRRP_ACT_PROTODOWN_OFF);
	assert_int_equal(out.next.adver_deadline, now + CS(100));
	assert_int_equal(out.next.master_down_deadline, 0);
	assert_int_equal(out.next.master_adver_interval, 100);
	assert_int_equal(out.next.skew_time, 60);
	assert_int_equal(out.next.master_down_interval, 360);
}

static void test_backup_master_down_early(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	struct vrrp_fsm_out out;

	/* Far too early: a replaced timer. Keep waiting for the real deadline. */
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, v.master_down_deadline - CS(100));
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_vars_equal(&out.next, &v);

	/* Just past the slack is still early. */
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL,
		   v.master_down_deadline - VRRP_FSM_TIMER_SLACK_US - 1);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);

	/* Within the millisecond slack counts as due. */
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL,
		   v.master_down_deadline - VRRP_FSM_TIMER_SLACK_US);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
}

static void test_backup_rx_prio0(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	uint64_t now = T0 + CS(150);
	struct vrrp_fsm_out out = rx_step(&c, &v, 0, 100, 1, now);

	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_RX_PRIO0 | VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.master_down_deadline, now + CS(17));
	assert_int_equal(out.next.master_adver_interval, 100);
	assert_int_equal(out.next.adver_deadline, 0);
}

static void test_backup_rx_higher_learns_interval(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	uint64_t now = T0 + CS(150);
	struct vrrp_fsm_out out = rx_step(&c, &v, 200, 200, -1, now);

	/* RFC 9568 §6.4.2: adopt the Master's interval and recompute everything from it. */
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.master_adver_interval, 200);
	assert_int_equal(out.next.skew_time, 121);
	assert_int_equal(out.next.master_down_interval, 721);
	assert_int_equal(out.next.master_down_deadline, now + CS(721));
}

static void test_backup_rx_equal_accepted(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	uint64_t now = T0 + CS(250);
	/* Equal priority is accepted whatever the address; Backup does not tie-break. */
	struct vrrp_fsm_out out = rx_step(&c, &v, 100, 100, -1, now);

	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.master_down_deadline, now + CS(360));
}

static void test_backup_rx_lower_preempt(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 200, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	struct vrrp_fsm_out out = rx_step(&c, &v, 100, 300, 1, T0 + CS(100));

	/* Discarded: neither the timer nor the learned interval moves. */
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &v);
}

static void test_backup_rx_lower_no_preempt(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 200, false, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	uint64_t now = T0 + CS(100);
	struct vrrp_fsm_out out = rx_step(&c, &v, 100, 300, 1, now);

	/* Preempt off: the lower-priority Master is accepted and its interval learned. */
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.master_adver_interval, 300);
	assert_int_equal(out.next.skew_time, 65);
	assert_int_equal(out.next.master_down_interval, 965);
	assert_int_equal(out.next.master_down_deadline, now + CS(965));
}

static void test_backup_owner_always_preempts(void **state __attribute__((unused)))
{
	/* A Backup whose priority was raised to 255 with preempt off (RFC 9568 §6.1). */
	struct vrrp_fsm_config c = cfg_make(3, 100, false, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	struct vrrp_fsm_out out;

	c.priority = 255;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0);
	v = out.next;
	out = rx_step(&c, &v, 254, 100, 1, T0 + CS(10));
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &v);
}

static void test_backup_rx_v2_keeps_interval(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(2, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	uint64_t now = T0 + CS(100);
	struct vrrp_fsm_out out = rx_step(&c, &v, 200, 500, -1, now);

	/* RFC 3768 has no learning: the configured interval still drives the timer. */
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.master_adver_interval, 100);
	assert_int_equal(out.next.skew_time, 60);
	assert_int_equal(out.next.master_down_interval, 360);
	assert_int_equal(out.next.master_down_deadline, now + CS(360));

	/* The v2 interval field is not used, so 0 there is harmless. */
	out = rx_step(&c, &v, 200, 0, -1, now);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
}

static void test_rx_zero_interval_v3(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars b = backup_vars(&c);
	struct vrrp_fsm_vars m = master_vars(&c, NULL);
	struct vrrp_fsm_out out;

	/* Erratum 8301: a zero Max Advertise Interval is invalid, whatever the priority. */
	out = rx_step(&c, &b, 200, 0, 1, T0 + CS(10));
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &b);
	out = rx_step(&c, &b, 0, 0, 1, T0 + CS(10));
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &b);
	out = rx_step(&c, &m, 200, 0, 1, m.adver_deadline - CS(10));
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &m);
}

static void test_rx_without_data(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars b = backup_vars(&c);
	struct vrrp_fsm_vars m = master_vars(&c, NULL);
	struct vrrp_fsm_out out;

	out = step(&c, &b, VRRP_EV_RX_ADVERT, NULL, T0);
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &b);
	out = step(&c, &m, VRRP_EV_RX_ADVERT, NULL, T0);
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &m);
}

static void test_backup_config_change(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c); /* deadline T0 + 360 cs */
	struct vrrp_fsm_out out;

	/* Priority 100 -> 200: skew 60 -> 21 cs, so the running timer moves 39 cs earlier. */
	c.priority = 200;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(100));
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.skew_time, 21);
	assert_int_equal(out.next.master_down_interval, 321);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(321));
	/* v3 keeps the learned interval; the configured one is not the Master's. */
	assert_int_equal(out.next.master_adver_interval, 100);

	/* The same configuration again moves nothing: repeats cannot postpone a takeover. */
	v = out.next;
	for (int i = 0; i < 50; i++) {
		out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(200 + i));
		assert_int_equal(out.next.master_down_deadline, T0 + CS(321));
		v = out.next;
	}

	/* A v3 interval change does not touch the learned Master interval. */
	c.adver_interval = 50;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(260));
	assert_int_equal(out.next.master_adver_interval, 100);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(321));
}

static void test_backup_config_change_v2(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(2, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c); /* mdi 360, deadline T0 + 360 cs */
	struct vrrp_fsm_out out;

	/* v2 follows the configured interval: 100 -> 200 cs makes mdi 660, 300 cs later. */
	c.adver_interval = 200;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(100));
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.master_adver_interval, 200);
	assert_int_equal(out.next.master_down_interval, 660);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(660));

	/* Shrinking it below the time already waited fires the timer now, never in the past. */
	v = out.next;
	c.adver_interval = 100;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(500));
	assert_int_equal(out.next.master_down_interval, 360);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(500));
}

/* Master ------------------------------------------------------------------ */

static void test_master_shutdown(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_SHUTDOWN, NULL, v.adver_deadline - CS(30));

	assert_int_equal(out.next.state, VRRP_STATE_INITIALIZE);
	assert_actions(out.actions,
		       VRRP_ACT_CANCEL_ADVER | VRRP_ACT_SEND_ADVERT_PRIO0 | VRRP_ACT_PROTODOWN_ON);
	assert_int_equal(out.next.adver_deadline, 0);
	assert_int_equal(out.next.master_down_deadline, 0);
	assert_int_equal(out.next.master_adver_interval, 0);
}

static void test_master_adver_timer(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	uint64_t d = v.adver_deadline;
	/* The loop is 40 cs late, which must not shift the schedule. */
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, d + CS(40));

	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, d + CS(100));
	assert_int_equal(out.next.master_down_deadline, 0);
}

static void test_master_adver_timer_early(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	struct vrrp_fsm_out out;

	out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, v.adver_deadline - CS(50));
	assert_actions(out.actions, VRRP_ACT_ARM_ADVER);
	assert_vars_equal(&out.next, &v);

	/* Within the slack it is due, and the next deadline still steps from the old one. */
	out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, v.adver_deadline - 999);
	assert_actions(out.actions, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, v.adver_deadline + CS(100));
}

static void test_master_adver_drift_free(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 37);
	uint64_t start;
	struct vrrp_fsm_vars v = master_vars(&c, &start);
	struct vrrp_fsm_out out;
	uint64_t first = v.adver_deadline;

	assert_int_equal(first, start + CS(37));
	for (uint64_t n = 1; n <= 1000; n++) {
		/* Fire with varying latency below one interval, sometimes a bit early. */
		uint64_t jitter = (n * 7919) % CS(30);
		uint64_t now = (n % 7 == 0) ? v.adver_deadline - 500 : v.adver_deadline + jitter;

		out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, now);
		assert_actions(out.actions, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER);
		assert_int_equal(out.next.state, VRRP_STATE_MASTER);
		assert_int_equal(out.next.adver_deadline, first + n * CS(37));
		v = out.next;
	}
	assert_int_equal(v.adver_deadline, start + 1001 * CS(37));
}

static void test_master_adver_catch_up(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	uint64_t d = v.adver_deadline;
	uint64_t now = d + CS(550); /* the loop stalled for 5.5 intervals */
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, now);

	/* One advertisement, then a fresh schedule from now, not five late ones. */
	assert_actions(out.actions, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, now + CS(100));
	v = out.next;
	out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, v.adver_deadline);
	assert_int_equal(out.next.adver_deadline, now + CS(200));

	/* Exactly one interval late lands on the same grid either way. */
	v = master_vars(&c, NULL);
	d = v.adver_deadline;
	out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, d + CS(100));
	assert_int_equal(out.next.adver_deadline, d + CS(200));
	/* Just under one interval late stays on the old grid. */
	out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, d + CS(100) - 1);
	assert_int_equal(out.next.adver_deadline, d + CS(100));
}

static void test_master_rx_prio0(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	uint64_t now = v.adver_deadline - CS(70);
	struct vrrp_fsm_out out = rx_step(&c, &v, 0, 100, 1, now);

	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_RX_PRIO0 | VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, now + CS(100));
}

static void test_master_rx_higher(void **state __attribute__((unused)))
{
	/* Preempt off must not matter in Master (RFC 9568 §6.4.3). */
	struct vrrp_fsm_config c = cfg_make(3, 100, false, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	uint64_t now = v.adver_deadline - CS(70);
	struct vrrp_fsm_out out = rx_step(&c, &v, 150, 200, -1, now);

	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions,
		       VRRP_ACT_CANCEL_ADVER | VRRP_ACT_ARM_MASTER_DOWN | VRRP_ACT_PROTODOWN_ON);
	assert_int_equal(out.next.adver_deadline, 0);
	assert_int_equal(out.next.master_adver_interval, 200);
	assert_int_equal(out.next.skew_time, 121);
	assert_int_equal(out.next.master_down_interval, 721);
	assert_int_equal(out.next.master_down_deadline, now + CS(721));
}

static void test_master_rx_higher_v2(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(2, 100, true, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	uint64_t now = v.adver_deadline - CS(70);
	struct vrrp_fsm_out out = rx_step(&c, &v, 150, 500, -1, now);

	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_int_equal(out.next.master_adver_interval, 100);
	assert_int_equal(out.next.master_down_interval, 360);
	assert_int_equal(out.next.master_down_deadline, now + CS(360));
}

static void test_master_tie_break(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	uint64_t now = v.adver_deadline - CS(70);
	struct vrrp_fsm_out out;

	/* Equal priority, sender's address greater: it wins, we become Backup. */
	out = rx_step(&c, &v, 100, 100, 1, now);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions,
		       VRRP_ACT_CANCEL_ADVER | VRRP_ACT_ARM_MASTER_DOWN | VRRP_ACT_PROTODOWN_ON);
	assert_int_equal(out.next.master_down_deadline, now + CS(360));

	/* Equal priority, sender's address lower: we win and assert at once. */
	out = rx_step(&c, &v, 100, 100, -1, now);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_DISCARD | VRRP_ACT_SEND_ADVERT);
	assert_vars_equal(&out.next, &v);

	/* Equal priority and address: our own packet came back. */
	out = rx_step(&c, &v, 100, 100, 0, now);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &v);
}

static void test_master_rx_lower_readvertises(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 200, true, 100);
	struct vrrp_fsm_vars v = master_vars(&c, NULL);
	uint64_t now = v.adver_deadline - CS(70);
	/* A greater address does not help a lower priority. */
	struct vrrp_fsm_out out = rx_step(&c, &v, 100, 100, 1, now);

	/* RFC 9568 §6.4.3: discard and advertise immediately; the regular schedule stays. */
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_DISCARD | VRRP_ACT_SEND_ADVERT);
	assert_int_equal(out.next.adver_deadline, v.adver_deadline);
	assert_vars_equal(&out.next, &v);
}

static void test_master_two_owners(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 255, true, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0);
	uint64_t now = T0 + CS(20);

	v = out.next;
	/* RFC 9568 §8.3.2: two owners fall back to the address, and the reason says so. */
	out = rx_step(&c, &v, 255, 100, 1, now);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_non_null(strstr(out.why, "8.3.2"));
	out = rx_step(&c, &v, 255, 100, -1, now);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_DISCARD | VRRP_ACT_SEND_ADVERT);
	assert_non_null(strstr(out.why, "8.3.2"));
}

static void test_master_config_change(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	uint64_t start;
	struct vrrp_fsm_vars v = master_vars(&c, &start);
	struct vrrp_fsm_out out;

	/* Last send at start; 100 -> 200 cs half way through moves the deadline to start + 200. */
	c.adver_interval = 200;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, start + CS(50));
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, start + CS(200));
	assert_int_equal(out.next.master_adver_interval, 200);
	assert_int_equal(out.next.skew_time, 121);
	assert_int_equal(out.next.master_down_interval, 721);

	/* 200 -> 30 cs at start + 150: start + 30 is past, so send at once, never in the past. */
	v = out.next;
	c.adver_interval = 30;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, start + CS(150));
	assert_int_equal(out.next.adver_deadline, start + CS(150));
	assert_int_equal(out.next.master_adver_interval, 30);

	/* A priority change is advertised at once and the Adver_Timer restarts from the send. */
	v = out.next;
	v.adver_deadline = start + CS(180);
	c.priority = 50;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, start + CS(160));
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, start + CS(190));
	assert_int_equal(out.next.skew_time, (206 * 30) / 256);
	assert_int_equal(out.next.priority, 50);

	/* The same priority again is no change: the schedule stays, nothing is sent. */
	v = out.next;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, start + CS(170));
	assert_actions(out.actions, VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, start + CS(190));

	/* Priority and interval together: sent at once, re-armed with the new interval. */
	v = out.next;
	c.priority = 120;
	c.adver_interval = 100;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, start + CS(175));
	assert_actions(out.actions, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, start + CS(275));
	assert_int_equal(out.next.master_adver_interval, 100);
}

/*
 * A Backup whose priority rises above the Master's, with preempt on: the next advertisement of
 * the Master is discarded (RFC 9568 §6.4.2), so the Master_Down_Timer, moved by the new skew,
 * runs out and it takes over. With preempt off it keeps accepting the Master.
 */
static void test_backup_priority_rises_above_master(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	struct vrrp_fsm_out out;
	uint64_t d;

	out = rx_step(&c, &v, 150, 100, 1, T0 + CS(50));
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	v = out.next;
	c.priority = 200;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(60));
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.skew_time, 21);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(50 + 321));
	v = out.next;
	d = v.master_down_deadline;
	out = rx_step(&c, &v, 150, 100, 1, T0 + CS(150));
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_int_equal(out.next.master_down_deadline, d);
	v = out.next;
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, d);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);

	c.preempt = false;
	out = rx_step(&c, &v, 150, 100, 1, T0 + CS(150));
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
}

/* Robustness -------------------------------------------------------------- */

/* One (state, event) pair: the result is well formed whatever goes in. */
static void check_pair(const struct vrrp_fsm_config *c, enum vrrp_state s, enum vrrp_event e,
		       const struct vrrp_fsm_rx *rx)
{
	struct vrrp_fsm_vars v = init_vars(c);
	struct vrrp_fsm_out out;
	uint32_t a;

	v.state = s;
	out = step(c, &v, e, rx, T0);
	a = out.actions;
	assert_true(out.next.state < VRRP_STATE_MAX);
	assert_int_equal(a >> VRRP_ACT_COUNT, 0);
	/* Never arm and cancel one timer at once, nor turn protodown both ways. */
	assert_false((a & VRRP_ACT_ARM_ADVER) && (a & VRRP_ACT_CANCEL_ADVER));
	assert_false((a & VRRP_ACT_ARM_MASTER_DOWN) && (a & VRRP_ACT_CANCEL_MASTER_DOWN));
	assert_false((a & VRRP_ACT_PROTODOWN_ON) && (a & VRRP_ACT_PROTODOWN_OFF));
	/* Only a Master keeps an adver deadline and only a Backup a master-down one. */
	if (out.next.state != VRRP_STATE_MASTER)
		assert_int_equal(out.next.adver_deadline, 0);
	if (out.next.state != VRRP_STATE_BACKUP) {
		assert_int_equal(out.next.master_down_deadline, 0);
		assert_int_equal(out.next.preempt_hold_deadline, 0);
		assert_false(out.next.want_master);
	}
	/* A held member never becomes Master by a timer. */
	if (c->hold_master && e == VRRP_EV_MASTER_DOWN_TIMER && s != VRRP_STATE_MASTER)
		assert_int_not_equal(out.next.state, VRRP_STATE_MASTER);
	/* Only a resumed Master skips the announcement of a new Master. */
	if (e == VRRP_EV_RESUME)
		assert_false(a & VRRP_ACT_ANNOUNCE);
	/* Arming means a real deadline. */
	if (a & VRRP_ACT_ARM_ADVER)
		assert_int_not_equal(out.next.adver_deadline, 0);
	if (a & VRRP_ACT_ARM_MASTER_DOWN)
		assert_int_not_equal(out.next.master_down_deadline, 0);
}

static void test_every_pair_defined(void **state __attribute__((unused)))
{
	static const uint8_t versions[] = {2, 3};
	static const uint8_t prios[] = {1, 100, 254, 255};
	static const uint8_t rx_prios[] = {0, 1, 100, 254, 255};
	static const int cmps[] = {-1, 0, 1};
	/* Preempt delay and start-up delay off and on (still running at T0). */
	static const uint32_t holds[] = {0, 500};
	static const uint64_t not_before[] = {0, T0 + CS(1000)};
	int n = 0;

	for (size_t vi = 0; vi < sizeof(versions); vi++) {
		for (size_t pi = 0; pi < sizeof(prios); pi++) {
			for (size_t ri = 0; ri < sizeof(rx_prios) * 4; ri++) {
				for (size_t ci = 0; ci < 3; ci++) {
					struct vrrp_fsm_config c =
						cfg_make(versions[vi], prios[pi], ci != 1, 100);
					c.preempt_hold = holds[ri / sizeof(rx_prios) % 2];
					c.no_master_before = not_before[ri / sizeof(rx_prios) / 2];
					c.hold_master = (ri + ci) % 2;
					struct vrrp_fsm_rx rx = {
						.priority = rx_prios[ri % sizeof(rx_prios)],
						.adver_interval = 100,
						.addr_cmp = cmps[ci],
					};

					for (int s = 0; s < VRRP_STATE_MAX; s++) {
						for (int e = 0; e < VRRP_EV_MAX; e++) {
							check_pair(&c, s, e, &rx);
							check_pair(&c, s, e, NULL);
							n++;
						}
					}
				}
			}
		}
	}
	assert_int_equal(n, 2 * 4 * 5 * 4 * 3 * VRRP_STATE_MAX * VRRP_EV_MAX);
}


/* Resume after a restart ------------------------------------------------------ */

static void test_init_resume(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 200, true, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out;

	/* The start-up delay does not hold a resume: the LAN already sees this Master. */
	c.no_master_before = T0 + CS(10000);
	out = step(&c, &v, VRRP_EV_RESUME, NULL, T0);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	/* Advertise at once, no announcement: the addresses are known with the virtual MAC. */
	assert_actions(out.actions,
		       VRRP_ACT_PROTODOWN_OFF | VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER);
	assert_int_equal(out.next.adver_deadline, T0 + CS(100));
	assert_int_equal(out.next.master_adver_interval, 100);
	assert_int_equal(out.next.master_down_deadline, 0);
}

static void test_resume_while_running(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 200, true, 100);
	struct vrrp_fsm_vars b = backup_vars(&c), m = master_vars(&c, NULL);
	struct vrrp_fsm_out out;

	out = step(&c, &b, VRRP_EV_RESUME, NULL, T0 + CS(10));
	assert_actions(out.actions, 0);
	assert_vars_equal(&out.next, &b);
	out = step(&c, &m, VRRP_EV_RESUME, NULL, T0 + CS(400));
	assert_actions(out.actions, 0);
	assert_vars_equal(&out.next, &m);
}

static void test_resumed_master_yields_to_higher(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 200, false, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_RESUME, NULL, T0);

	/* A higher priority heard after the resume still wins, as for any Master. */
	out = rx_step(&c, &out.next, 250, 100, -1, T0 + CS(20));
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
}

/* Preempt delay ------------------------------------------------------------------ */

static void test_preempt_delay(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;
	uint64_t t1 = T0 + CS(50);

	c.preempt_hold = 500;
	v = backup_vars(&c);
	/* The first lower-priority advertisement starts the delay and is followed. */
	out = rx_step(&c, &v, 200, 100, 1, t1);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.preempt_hold_deadline, t1 + CS(500));
	assert_int_equal(out.next.master_down_deadline, t1 + CS(300 + 17));
	/* Still followed just before the end; the end does not move. */
	out = rx_step(&c, &out.next, 200, 100, 1, t1 + CS(499));
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.preempt_hold_deadline, t1 + CS(500));
	assert_int_equal(out.next.master_down_deadline, t1 + CS(499 + 317));
	/* Then discarded, so the Master_Down_Timer runs out and we preempt. */
	v = out.next;
	out = rx_step(&c, &v, 200, 100, 1, t1 + CS(500));
	assert_actions(out.actions, VRRP_ACT_DISCARD);
	assert_vars_equal(&out.next, &v);
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, v.master_down_deadline);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_int_equal(out.next.preempt_hold_deadline, 0);
}

static void test_preempt_delay_reset(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	c.preempt_hold = 500;
	v = backup_vars(&c);
	out = rx_step(&c, &v, 200, 100, 1, T0 + CS(50));
	assert_int_not_equal(out.next.preempt_hold_deadline, 0);
	/* A Master we accept anyway ends the delay; the next lower one starts it again. */
	out = rx_step(&c, &out.next, 220, 100, 1, T0 + CS(100));
	assert_int_equal(out.next.preempt_hold_deadline, 0);
	out = rx_step(&c, &out.next, 200, 100, 1, T0 + CS(700));
	assert_int_equal(out.next.preempt_hold_deadline, T0 + CS(1200));
	/* So does a release: there is no Master left to wait for. */
	out = rx_step(&c, &out.next, 0, 100, 1, T0 + CS(800));
	assert_int_equal(out.next.preempt_hold_deadline, 0);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(800 + 17));
}

static void test_preempt_delay_needs_preempt(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, false, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	/* Without Preempt_Mode the lower Master is followed for ever; no delay runs. */
	c.preempt_hold = 500;
	v = backup_vars(&c);
	out = rx_step(&c, &v, 200, 100, 1, T0 + CS(50));
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.preempt_hold_deadline, 0);
}

static void test_preempt_delay_no_master(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	/* Nobody to preempt: Master_Down_Interval alone applies. */
	c.preempt_hold = 500;
	v = backup_vars(&c);
	assert_int_equal(v.master_down_deadline, T0 + CS(317));
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, T0 + CS(317));
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
}

/* Start-up delay ----------------------------------------------------------------- */

static void test_startup_delay(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 200, true, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	c.no_master_before = T0 + CS(500);
	v = backup_vars(&c);
	/* Master_Down_Interval ends inside the delay: wait for its end instead. */
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, v.master_down_deadline);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(500));
	/* Within the timer slack of the end counts as the end. */
	out = step(&c, &out.next, VRRP_EV_MASTER_DOWN_TIMER, NULL, T0 + CS(500) - 1000);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
}

static void test_startup_delay_follows_master(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 200, true, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	c.no_master_before = T0 + CS(500);
	v = backup_vars(&c);
	out = rx_step(&c, &v, 250, 100, 1, T0 + CS(100));
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(100 + 321));
	/* After the delay, a Master_Down_Timer takes over as usual. */
	out = step(&c, &out.next, VRRP_EV_MASTER_DOWN_TIMER, NULL, T0 + CS(600));
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
}

static void test_startup_delay_owner(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 255, true, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out;

	c.no_master_before = T0 + CS(500);
	out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN | VRRP_ACT_PROTODOWN_ON);
	assert_int_equal(out.next.master_down_deadline, T0 + CS(500));
	out = step(&c, &out.next, VRRP_EV_MASTER_DOWN_TIMER, NULL, T0 + CS(500));
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	/* Once the delay is over the owner goes straight to Master again. */
	out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0 + CS(600));
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
}

/* Sync groups -------------------------------------------------------------------- */

static void test_sync_held_backup_waits(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	c.hold_master = true;
	v = backup_vars(&c);
	/* The timer runs out: noted, not acted on. */
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, v.master_down_deadline);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, 0);
	assert_true(out.next.want_master);
	assert_int_equal(out.next.master_down_deadline, 0);
	/* A Master heard again: no longer wanting. */
	v = out.next;
	out = rx_step(&c, &v, 250, 100, 1, T0 + CS(400));
	assert_false(out.next.want_master);
	assert_actions(out.actions, VRRP_ACT_ARM_MASTER_DOWN);
	/* A lower one we would preempt keeps the wish. */
	out = rx_step(&c, &v, 200, 100, 1, T0 + CS(400));
	assert_true(out.next.want_master);
	assert_actions(out.actions, VRRP_ACT_DISCARD);
}

static void test_sync_release_lets_go(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	c.hold_master = true;
	v = backup_vars(&c);
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, v.master_down_deadline);
	/* Every member can go: the one that waited becomes Master at once. */
	c.hold_master = false;
	out = step(&c, &out.next, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(500));
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_actions(out.actions, VRRP_ACT_PROTODOWN_OFF | VRRP_ACT_SEND_ADVERT |
					    VRRP_ACT_ANNOUNCE | VRRP_ACT_ARM_ADVER);
	/* One that did not wait (it hears a Master) just adjusts. */
	v = backup_vars(&c);
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(10));
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
}

/* Found by tests/fuzz/fuzz_decide: the wait ends while a release re-armed the timer. */
static void test_sync_release_cancels_timer(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	c.hold_master = true;
	v = backup_vars(&c);
	out = step(&c, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL, v.master_down_deadline);
	assert_true(out.next.want_master);
	/* The Master releases: the timer runs again (Skew_Time), the wish stays. */
	out = rx_step(&c, &out.next, 0, 100, 1, T0 + CS(400));
	assert_true(out.next.want_master);
	assert_int_not_equal(out.next.master_down_deadline, 0);
	c.hold_master = false;
	out = step(&c, &out.next, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(401));
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_int_equal(out.next.master_down_deadline, 0);
	assert_actions(out.actions, VRRP_ACT_PROTODOWN_OFF | VRRP_ACT_SEND_ADVERT |
					    VRRP_ACT_ANNOUNCE | VRRP_ACT_ARM_ADVER |
					    VRRP_ACT_CANCEL_MASTER_DOWN);
}

static void test_sync_hold_releases_master(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 210, true, 100);
	struct vrrp_fsm_vars m = master_vars(&c, NULL);
	struct vrrp_fsm_out out;

	c.hold_master = true;
	out = step(&c, &m, VRRP_EV_CONFIG_CHANGE, NULL, T0 + CS(1000));
	/* Hand over now (priority 0) and stay Backup, not Initialize. */
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
	assert_actions(out.actions, VRRP_ACT_SEND_ADVERT_PRIO0 | VRRP_ACT_CANCEL_ADVER |
					    VRRP_ACT_ARM_MASTER_DOWN | VRRP_ACT_PROTODOWN_ON);
	assert_int_equal(out.next.adver_deadline, 0);
}

static void test_sync_hold_owner_startup(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 255, true, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out;

	c.hold_master = true;
	out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0);
	assert_int_equal(out.next.state, VRRP_STATE_BACKUP);
}

static void test_transition_reasons(void **state __attribute__((unused)))
{
	const enum vrrp_state I = VRRP_STATE_INITIALIZE, B = VRRP_STATE_BACKUP,
			      M = VRRP_STATE_MASTER;

	assert_int_equal(vrrp_fsm_reason(B, B, VRRP_EV_RX_ADVERT), VRRP_REASON_NONE);
	assert_int_equal(vrrp_fsm_reason(I, B, VRRP_EV_STARTUP), VRRP_REASON_STARTUP);
	assert_int_equal(vrrp_fsm_reason(I, M, VRRP_EV_STARTUP), VRRP_REASON_OWNER);
	assert_int_equal(vrrp_fsm_reason(I, M, VRRP_EV_RESUME), VRRP_REASON_RESUMED);
	assert_int_equal(vrrp_fsm_reason(B, M, VRRP_EV_MASTER_DOWN_TIMER),
			 VRRP_REASON_MASTER_TIMEOUT);
	assert_int_equal(vrrp_fsm_reason(M, B, VRRP_EV_RX_ADVERT), VRRP_REASON_HIGHER_PRIORITY);
	assert_int_equal(vrrp_fsm_reason(M, I, VRRP_EV_SHUTDOWN), VRRP_REASON_SHUTDOWN);
	assert_int_equal(vrrp_fsm_reason(B, I, VRRP_EV_SHUTDOWN), VRRP_REASON_SHUTDOWN);
	assert_string_equal(vrrp_reason_str(VRRP_REASON_MASTER_TIMEOUT), "master-timeout");
	assert_string_equal(vrrp_reason_str(VRRP_REASON_RESUMED), "resumed");
	assert_string_equal(vrrp_reason_str(VRRP_REASON_MAX), "none");
	for (int r = 0; r < VRRP_REASON_MAX; r++)
		for (int q = 0; q < r; q++)
			assert_string_not_equal(vrrp_reason_str(r), vrrp_reason_str(q));
}

static void test_invalid_state_or_event(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = backup_vars(&c);
	struct vrrp_fsm_out out;

	out = step(&c, &v, VRRP_EV_MAX, NULL, T0);
	assert_actions(out.actions, 0);
	assert_vars_equal(&out.next, &v);
	out = step(&c, &v, (enum vrrp_event) - 1, NULL, T0);
	assert_actions(out.actions, 0);
	assert_vars_equal(&out.next, &v);
	v.state = VRRP_STATE_MAX;
	out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0);
	assert_actions(out.actions, 0);
	assert_vars_equal(&out.next, &v);
}

static void test_clock_at_zero(void **state __attribute__((unused)))
{
	/* A Backup at priority 255 has Skew_Time 0; at clock 0 the deadline must still be armed.
	 */
	struct vrrp_fsm_config c = cfg_make(3, 100, true, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, 0);

	v = out.next;
	assert_int_equal(v.master_down_deadline, CS(360));
	c.priority = 255;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, 0);
	v = out.next;
	assert_int_equal(v.skew_time, 0);
	out = rx_step(&c, &v, 0, 100, 1, 0);
	assert_actions(out.actions, VRRP_ACT_RX_PRIO0 | VRRP_ACT_ARM_MASTER_DOWN);
	assert_int_not_equal(out.next.master_down_deadline, 0);
}

static void test_zero_interval_config(void **state __attribute__((unused)))
{
	/* A bad interval of 0 is used as 1 cs, so the Master cannot spin on its own timer. */
	struct vrrp_fsm_config c = cfg_make(3, 255, true, 0);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0);

	assert_int_equal(out.next.adver_deadline, T0 + CS(1));
	v = out.next;
	out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, v.adver_deadline);
	assert_int_equal(out.next.adver_deadline, T0 + CS(2));
}

/* Aligned advertisements -------------------------------------------------- */

/* Interval 100 cs (1 s) on a lattice offset by 250 ms: points at ..., T0 + 0.25 s, T0 + 1.25 s. */
static struct vrrp_fsm_config cfg_aligned(uint8_t prio, uint16_t interval)
{
	struct vrrp_fsm_config c = cfg_make(3, prio, true, interval);

	c.adver_aligned = true;
	/* Taken modulo the interval: T0 is a whole number of seconds. */
	c.adver_phase = 3 * 1000000 + 250000;
	return c;
}

static void test_aligned_takeover_next_lattice_point(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_aligned(255, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	/* 0.4 s past a lattice point: the next one is 0.85 s away, sooner than an interval. */
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0 + 650000);

	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_true(out.actions & VRRP_ACT_SEND_ADVERT);
	assert_int_equal(out.next.adver_deadline, T0 + 1250000);
	/* From there, the exact period. */
	v = out.next;
	out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, v.adver_deadline + 30);
	assert_int_equal(out.next.adver_deadline, T0 + 2250000);
	/* Exactly on a point: the next point, one whole interval on, not now. */
	v = init_vars(&c);
	out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0 + 250000);
	assert_int_equal(out.next.adver_deadline, T0 + 1250000);
	/* A clock still below the phase: the phase itself. */
	v = init_vars(&c);
	out = step(&c, &v, VRRP_EV_STARTUP, NULL, 1000);
	assert_int_equal(out.next.adver_deadline, 250000);
}

/*
 * A takeover just before a lattice point: the timer would run that point at once (its early
 * window is 1 % of the interval, at most 0.5 ms) and repeat the takeover's advertisement, so
 * the point after it is taken. Just outside the window the near point stays.
 */
static void test_aligned_takeover_skips_a_point_in_the_early_window(void **state
								    __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_aligned(255, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out;

	assert_int_equal(vrrp_fsm_adver_early_us(100), 500);
	assert_int_equal(vrrp_fsm_adver_early_us(10), 500);
	assert_int_equal(vrrp_fsm_adver_early_us(2), 200);
	out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0 + 250000 - 499);
	assert_int_equal(out.next.state, VRRP_STATE_MASTER);
	assert_true(out.actions & VRRP_ACT_SEND_ADVERT);
	assert_int_equal(out.next.adver_deadline, T0 + 1250000);
	v = init_vars(&c);
	out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0 + 250000 - 500);
	assert_int_equal(out.next.adver_deadline, T0 + 250000);
	/* A priority-0 answer is a send too: the same rule. */
	v = out.next;
	out = rx_step(&c, &v, 0, 100, 1, T0 + 250000 - 100);
	assert_true(out.actions & VRRP_ACT_SEND_ADVERT);
	assert_int_equal(out.next.adver_deadline, T0 + 1250000);
}

static void test_aligned_routers_share_deadlines(void **state __attribute__((unused)))
{
	/* Two Masters with one interval and phase, started 123 ms apart, fire together. */
	struct vrrp_fsm_config c = cfg_aligned(255, 10);
	struct vrrp_fsm_vars a = init_vars(&c), b = init_vars(&c);
	struct vrrp_fsm_out oa = step(&c, &a, VRRP_EV_STARTUP, NULL, T0 + 1000);
	struct vrrp_fsm_out ob = step(&c, &b, VRRP_EV_STARTUP, NULL, T0 + 124000);

	assert_true(oa.next.adver_deadline > T0 + 1000);
	assert_true(oa.next.adver_deadline <= T0 + 1000 + CS(10));
	assert_int_equal((ob.next.adver_deadline - oa.next.adver_deadline) % CS(10), 0);
	/* Without alignment they keep the phases of their starts. */
	c.adver_aligned = false;
	a = init_vars(&c);
	b = init_vars(&c);
	oa = step(&c, &a, VRRP_EV_STARTUP, NULL, T0 + 1000);
	ob = step(&c, &b, VRRP_EV_STARTUP, NULL, T0 + 124000);
	assert_int_equal(ob.next.adver_deadline - oa.next.adver_deadline, 123000);
}

static void test_aligned_late_fire_rejoins_lattice(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_aligned(255, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0 + 650000);

	v = out.next;
	/* The loop stalled past the next deadline: one advertisement, then the lattice again. */
	out = step(&c, &v, VRRP_EV_ADVER_TIMER, NULL, T0 + 2400000);
	assert_true(out.actions & VRRP_ACT_SEND_ADVERT);
	assert_int_equal(out.next.adver_deadline, T0 + 3250000);
}

static void test_aligned_interval_change_moves_lattice(void **state __attribute__((unused)))
{
	struct vrrp_fsm_config c = cfg_aligned(255, 100);
	struct vrrp_fsm_vars v = init_vars(&c);
	struct vrrp_fsm_out out = step(&c, &v, VRRP_EV_STARTUP, NULL, T0 + 650000);

	v = out.next;
	/*
	 * 30 cs: T0 is 0.2 s past a multiple of 0.3 s, so a phase of 0.15 s puts the new
	 * lattice's points at T0 + 0.25 s + k * 0.3 s; at T0 + 0.7 s the next is T0 + 0.85 s.
	 */
	c.adver_interval = 30;
	c.adver_phase = 150000;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + 700000);
	assert_int_equal(out.next.adver_deadline, T0 + 850000);
	/* Same interval, other change: the schedule stays. */
	v = out.next;
	c.preempt = false;
	out = step(&c, &v, VRRP_EV_CONFIG_CHANGE, NULL, T0 + 800000);
	assert_int_equal(out.next.adver_deadline, T0 + 850000);
}

/* Two routers on one segment ---------------------------------------------- */

struct router {
	struct vrrp_fsm_config cfg;
	struct vrrp_fsm_vars vars;
	bool up;
	int sent;
};

/* Apply one step and deliver what it sends to the peer, as the executor and the wire would. */
static void sim_event(struct router *r, int self, struct router *all, enum vrrp_event ev,
		      const struct vrrp_fsm_rx *rx, uint64_t now)
{
	struct vrrp_fsm_out out = step(&r->cfg, &r->vars, ev, rx, now);
	struct router *peer = &all[1 - self];
	struct vrrp_fsm_rx p = {
		.priority = (out.actions & VRRP_ACT_SEND_ADVERT_PRIO0) ? 0 : r->cfg.priority,
		.adver_interval = r->cfg.adver_interval,
		/* Router 1 has the greater primary address. */
		.addr_cmp = self == 1 ? 1 : -1,
	};

	r->vars = out.next;
	if (!(out.actions & (VRRP_ACT_SEND_ADVERT | VRRP_ACT_SEND_ADVERT_PRIO0)))
		return;
	r->sent++;
	if (peer->up)
		sim_event(peer, 1 - self, all, VRRP_EV_RX_ADVERT, &p, now);
}

/* Run both routers' timers in deadline order until the clock reaches end. */
static void sim_run(struct router *all, uint64_t *now, uint64_t end)
{
	for (;;) {
		uint64_t best = UINT64_MAX;
		int who = -1;
		enum vrrp_event ev = VRRP_EV_MAX;

		for (int i = 0; i < 2; i++) {
			if (!all[i].up)
				continue;
			if (all[i].vars.adver_deadline && all[i].vars.adver_deadline < best) {
				best = all[i].vars.adver_deadline;
				who = i;
				ev = VRRP_EV_ADVER_TIMER;
			}
			if (all[i].vars.master_down_deadline &&
			    all[i].vars.master_down_deadline < best) {
				best = all[i].vars.master_down_deadline;
				who = i;
				ev = VRRP_EV_MASTER_DOWN_TIMER;
			}
		}
		if (who < 0 || best > end) {
			*now = end;
			return;
		}
		*now = best;
		sim_event(&all[who], who, all, ev, NULL, best);
	}
}

static void test_two_routers(void **state __attribute__((unused)))
{
	struct router rt[2] = {
		{.cfg = cfg_make(3, 200, true, 100)},
		{.cfg = cfg_make(3, 100, true, 100)},
	};
	uint64_t now = T0;

	for (int i = 0; i < 2; i++) {
		rt[i].vars = init_vars(&rt[i].cfg);
		rt[i].up = true;
		sim_event(&rt[i], i, rt, VRRP_EV_STARTUP, NULL, now);
	}
	/* Router 0's Master_Down_Interval (321 cs) is shorter, so it wins; router 1 follows. */
	sim_run(rt, &now, T0 + CS(2000));
	assert_int_equal(rt[0].vars.state, VRRP_STATE_MASTER);
	assert_int_equal(rt[1].vars.state, VRRP_STATE_BACKUP);
	/* Takeover at 321 cs, then one advert every 100 cs up to 2000 cs. */
	assert_int_equal(rt[0].sent, 1 + (2000 - 321) / 100);
	assert_int_equal(rt[1].sent, 0);

	/* Router 0 shuts down: router 1 takes over after its Skew_Time, 60 cs. */
	sim_event(&rt[0], 0, rt, VRRP_EV_SHUTDOWN, NULL, now);
	rt[0].up = false;
	assert_int_equal(rt[1].vars.master_down_deadline, now + CS(60));
	sim_run(rt, &now, now + CS(61));
	assert_int_equal(rt[1].vars.state, VRRP_STATE_MASTER);

	/* Router 0 returns, waits as Backup, then preempts the lower-priority Master. */
	rt[0].up = true;
	sim_event(&rt[0], 0, rt, VRRP_EV_STARTUP, NULL, now);
	assert_int_equal(rt[0].vars.state, VRRP_STATE_BACKUP);
	sim_run(rt, &now, now + CS(1000));
	assert_int_equal(rt[0].vars.state, VRRP_STATE_MASTER);
	assert_int_equal(rt[1].vars.state, VRRP_STATE_BACKUP);
}

static void test_two_routers_no_preempt(void **state __attribute__((unused)))
{
	struct router rt[2] = {
		{.cfg = cfg_make(3, 200, false, 100)},
		{.cfg = cfg_make(3, 100, false, 100)},
	};
	uint64_t now = T0;

	/* Router 1 starts alone and becomes Master. */
	rt[1].vars = init_vars(&rt[1].cfg);
	rt[1].up = true;
	sim_event(&rt[1], 1, rt, VRRP_EV_STARTUP, NULL, now);
	sim_run(rt, &now, T0 + CS(1000));
	assert_int_equal(rt[1].vars.state, VRRP_STATE_MASTER);

	/* Router 0 has the higher priority but preempt off: the Master stays. */
	rt[0].vars = init_vars(&rt[0].cfg);
	rt[0].up = true;
	sim_event(&rt[0], 0, rt, VRRP_EV_STARTUP, NULL, now);
	sim_run(rt, &now, now + CS(5000));
	assert_int_equal(rt[0].vars.state, VRRP_STATE_BACKUP);
	assert_int_equal(rt[1].vars.state, VRRP_STATE_MASTER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_strings),
		cmocka_unit_test(test_event_strings),
		cmocka_unit_test(test_action_strings),
		cmocka_unit_test(test_timer_formulas),
		cmocka_unit_test(test_v2_vs_v3_skew),
		cmocka_unit_test(test_fsm_init),
		cmocka_unit_test(test_init_startup_backup),
		cmocka_unit_test(test_init_startup_owner),
		cmocka_unit_test(test_init_startup_v2),
		cmocka_unit_test(test_init_rx_discarded),
		cmocka_unit_test(test_init_config_change),
		cmocka_unit_test(test_ignored_pairs),
		cmocka_unit_test(test_backup_shutdown),
		cmocka_unit_test(test_backup_master_down_fires),
		cmocka_unit_test(test_backup_master_down_early),
		cmocka_unit_test(test_backup_rx_prio0),
		cmocka_unit_test(test_backup_rx_higher_learns_interval),
		cmocka_unit_test(test_backup_rx_equal_accepted),
		cmocka_unit_test(test_backup_rx_lower_preempt),
		cmocka_unit_test(test_backup_rx_lower_no_preempt),
		cmocka_unit_test(test_backup_owner_always_preempts),
		cmocka_unit_test(test_backup_rx_v2_keeps_interval),
		cmocka_unit_test(test_rx_zero_interval_v3),
		cmocka_unit_test(test_rx_without_data),
		cmocka_unit_test(test_backup_config_change),
		cmocka_unit_test(test_backup_config_change_v2),
		cmocka_unit_test(test_master_shutdown),
		cmocka_unit_test(test_master_adver_timer),
		cmocka_unit_test(test_master_adver_timer_early),
		cmocka_unit_test(test_master_adver_drift_free),
		cmocka_unit_test(test_master_adver_catch_up),
		cmocka_unit_test(test_master_rx_prio0),
		cmocka_unit_test(test_master_rx_higher),
		cmocka_unit_test(test_master_rx_higher_v2),
		cmocka_unit_test(test_master_tie_break),
		cmocka_unit_test(test_master_rx_lower_readvertises),
		cmocka_unit_test(test_master_two_owners),
		cmocka_unit_test(test_master_config_change),
		cmocka_unit_test(test_backup_priority_rises_above_master),
		cmocka_unit_test(test_init_resume),
		cmocka_unit_test(test_resume_while_running),
		cmocka_unit_test(test_resumed_master_yields_to_higher),
		cmocka_unit_test(test_preempt_delay),
		cmocka_unit_test(test_preempt_delay_reset),
		cmocka_unit_test(test_preempt_delay_needs_preempt),
		cmocka_unit_test(test_preempt_delay_no_master),
		cmocka_unit_test(test_startup_delay),
		cmocka_unit_test(test_startup_delay_follows_master),
		cmocka_unit_test(test_startup_delay_owner),
		cmocka_unit_test(test_sync_held_backup_waits),
		cmocka_unit_test(test_sync_release_lets_go),
		cmocka_unit_test(test_sync_release_cancels_timer),
		cmocka_unit_test(test_sync_hold_releases_master),
		cmocka_unit_test(test_sync_hold_owner_startup),
		cmocka_unit_test(test_transition_reasons),
		cmocka_unit_test(test_every_pair_defined),
		cmocka_unit_test(test_invalid_state_or_event),
		cmocka_unit_test(test_clock_at_zero),
		cmocka_unit_test(test_zero_interval_config),
		cmocka_unit_test(test_aligned_takeover_next_lattice_point),
		cmocka_unit_test(test_aligned_takeover_skips_a_point_in_the_early_window),
		cmocka_unit_test(test_aligned_routers_share_deadlines),
		cmocka_unit_test(test_aligned_late_fire_rejoins_lattice),
		cmocka_unit_test(test_aligned_interval_change_moves_lattice),
		cmocka_unit_test(test_two_routers),
		cmocka_unit_test(test_two_routers_no_preempt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
