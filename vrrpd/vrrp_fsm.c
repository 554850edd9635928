// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP state machine: a table of [state][event] handlers behind one pure step function.
 *
 * RFC 9568 §6 defines the machine (Initialize, Backup, Active; we say Master as FRR does). Each
 * handler computes the next variables and the actions for the executor and sets a reason. No
 * handler does I/O, reads a clock or calls libfrr, so the whole file is testable with numbers.
 */
#include <zebra.h>

#include "vrrp_fsm.h"

/* Everything a handler may look at; built once per step. */
struct vrrp_fsm_ctx {
	const struct vrrp_fsm_config *cfg;
	const struct vrrp_fsm_vars *cur;
	const struct vrrp_fsm_rx *rx;
	uint64_t now;
};

typedef void (*vrrp_fsm_handler)(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out);

/* Strings ----------------------------------------------------------------- */

static const char *const state_names[VRRP_STATE_MAX] = {
	[VRRP_STATE_INITIALIZE] = "Initialize",
	[VRRP_STATE_MASTER] = "Master",
	[VRRP_STATE_BACKUP] = "Backup",
};

static const char *const event_names[VRRP_EV_MAX] = {
	[VRRP_EV_STARTUP] = "Startup",
	[VRRP_EV_SHUTDOWN] = "Shutdown",
	[VRRP_EV_MASTER_DOWN_TIMER] = "Master_Down_Timer",
	[VRRP_EV_ADVER_TIMER] = "Adver_Timer",
	[VRRP_EV_RX_ADVERT] = "Advertisement",
	[VRRP_EV_CONFIG_CHANGE] = "Config_Change",
	[VRRP_EV_RESUME] = "Resume",
};

/* The last action bit must be the one VRRP_ACT_COUNT promises. */
_Static_assert(VRRP_ACT_RX_PRIO0 == 1u << (VRRP_ACT_COUNT - 1), "VRRP_ACT_COUNT is stale");

static const struct {
	uint32_t bit;
	const char *name;
} action_names[VRRP_ACT_COUNT] = {
	{VRRP_ACT_SEND_ADVERT, "send-advert"},
	{VRRP_ACT_SEND_ADVERT_PRIO0, "send-advert-prio0"},
	{VRRP_ACT_ANNOUNCE, "announce"},
	{VRRP_ACT_ARM_ADVER, "arm-adver"},
	{VRRP_ACT_CANCEL_ADVER, "cancel-adver"},
	{VRRP_ACT_ARM_MASTER_DOWN, "arm-master-down"},
	{VRRP_ACT_CANCEL_MASTER_DOWN, "cancel-master-down"},
	{VRRP_ACT_PROTODOWN_ON, "protodown-on"},
	{VRRP_ACT_PROTODOWN_OFF, "protodown-off"},
	{VRRP_ACT_DISCARD, "discard"},
	{VRRP_ACT_RX_PRIO0, "rx-prio0"},
};

const char *vrrp_state_str(enum vrrp_state state)
{
	if ((unsigned int)state >= VRRP_STATE_MAX)
		return "Unknown";
	return state_names[state];
}

const char *vrrp_event_str(enum vrrp_event event)
{
	if ((unsigned int)event >= VRRP_EV_MAX)
		return "Unknown";
	return event_names[event];
}

const char *vrrp_action_str(uint32_t action)
{
	for (unsigned int i = 0; i < VRRP_ACT_COUNT; i++)
		if (action == action_names[i].bit)
			return action_names[i].name;
	return "unknown";
}

static const char *const reason_names[VRRP_REASON_MAX] = {
	[VRRP_REASON_NONE] = "none",
	[VRRP_REASON_STARTUP] = "startup",
	[VRRP_REASON_OWNER] = "owner",
	[VRRP_REASON_RESUMED] = "resumed",
	[VRRP_REASON_MASTER_TIMEOUT] = "master-timeout",
	[VRRP_REASON_HIGHER_PRIORITY] = "higher-priority",
	[VRRP_REASON_SHUTDOWN] = "shutdown",
};

const char *vrrp_reason_str(enum vrrp_reason r)
{
	if ((unsigned int)r >= VRRP_REASON_MAX)
		return reason_names[VRRP_REASON_NONE];
	return reason_names[r];
}

enum vrrp_reason vrrp_fsm_reason(enum vrrp_state old, enum vrrp_state new, enum vrrp_event ev)
{
	if (old == new)
		return VRRP_REASON_NONE;
	if (new == VRRP_STATE_INITIALIZE)
		return VRRP_REASON_SHUTDOWN;
	if (old == VRRP_STATE_INITIALIZE && new == VRRP_STATE_BACKUP)
		return VRRP_REASON_STARTUP;
	if (old == VRRP_STATE_INITIALIZE)
		return ev == VRRP_EV_RESUME ? VRRP_REASON_RESUMED : VRRP_REASON_OWNER;
	if (new == VRRP_STATE_MASTER)
		return VRRP_REASON_MASTER_TIMEOUT;
	return VRRP_REASON_HIGHER_PRIORITY;
}

/* Timer arithmetic -------------------------------------------------------- */

static bool is_v2(const struct vrrp_fsm_config *cfg)
{
	return cfg->version == 2;
}

/* Advertisement_Interval, never 0, so a bad configuration cannot make the adver timer spin. */
static uint16_t adver_cs(const struct vrrp_fsm_config *cfg)
{
	return cfg->adver_interval ? cfg->adver_interval : 1;
}

static uint64_t cs_to_us(uint32_t cs)
{
	return (uint64_t)cs * VRRP_FSM_US_PER_CS;
}

/* 0 means "not armed", so a real deadline is never 0, even on a clock that starts at 0. */
static uint64_t armed(uint64_t deadline)
{
	return deadline ? deadline : 1;
}

static uint64_t deadline_after(uint64_t now, uint32_t cs)
{
	return armed(now + cs_to_us(cs));
}

uint32_t vrrp_fsm_adver_early_us(uint16_t adver_interval)
{
	/* 1 % of an interval in cs is 100 us per cs. */
	return MIN(adver_interval * 100U, VRRP_FSM_ADVER_EARLY_MAX_US);
}

/*
 * The Adver_Timer set now (RFC 9568 §6.4.1, §6.4.3): one Advertisement_Interval on, or with
 * aligned advertisements the lattice's next point after now, which comes sooner. Sooner only
 * gives the Backups one advertisement more; later would eat into their Master_Down_Interval.
 * A point so close that the timer would run it at once would only repeat this send.
 */
static uint64_t adver_after(const struct vrrp_fsm_ctx *c)
{
	uint64_t i = cs_to_us(adver_cs(c->cfg)), phase, next;

	if (!c->cfg->adver_aligned)
		return deadline_after(c->now, adver_cs(c->cfg));
	phase = c->cfg->adver_phase % i;
	next = c->now < phase ? phase : c->now + i - (c->now - phase) % i;
	if (next - c->now < vrrp_fsm_adver_early_us(adver_cs(c->cfg)))
		next += i;
	return armed(next);
}

/*
 * An unarmed timer that fires is trusted, since only the executor arms timers. One that fires
 * well before its deadline is stale: a cancelled or replaced timer that still got through.
 */
static bool timer_due(uint64_t deadline, uint64_t now)
{
	return deadline == 0 || now + VRRP_FSM_TIMER_SLACK_US >= deadline;
}

/* RFC 9568 §6.1: the address owner preempts whatever Preempt_Mode says. */
static bool preempts(const struct vrrp_fsm_config *cfg)
{
	return cfg->preempt || cfg->priority == VRRP_FSM_PRIO_OWNER;
}

uint16_t vrrp_skew_time(uint8_t version, uint8_t priority, uint16_t master_adver_interval)
{
	/*
	 * RFC 9568 §6.1: Skew_Time = ((256 - Priority) * Active_Adver_Interval) / 256 cs.
	 * RFC 3768 §6.1: Skew_Time = (256 - Priority) / 256 s, i.e. the same with 100 cs.
	 * Integer division, as FRR computes and displays it.
	 */
	uint32_t base = version == 2 ? 100 : master_adver_interval;

	return (uint16_t)(((256u - priority) * base) / 256u);
}

uint16_t vrrp_master_down_interval(uint8_t version, uint8_t priority,
				   uint16_t master_adver_interval)
{
	/*
	 * RFC 9568 §6.1: Active_Down_Interval = 3 * Active_Adver_Interval + Skew_Time.
	 * RFC 3768 §6.1: Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time, with the
	 * configured interval since v2 does not learn it.
	 */
	uint32_t mdi = 3u * master_adver_interval +
		       vrrp_skew_time(version, priority, master_adver_interval);

	return mdi > UINT16_MAX ? UINT16_MAX : (uint16_t)mdi;
}

/* Refresh Skew_Time and Master_Down_Interval from the configuration and vars. */
static void recompute(const struct vrrp_fsm_config *cfg, struct vrrp_fsm_vars *v)
{
	uint16_t base = is_v2(cfg) ? adver_cs(cfg) : v->master_adver_interval;

	v->priority = cfg->priority;
	v->skew_time = vrrp_skew_time(cfg->version, cfg->priority, base);
	v->master_down_interval = vrrp_master_down_interval(cfg->version, cfg->priority, base);
}

void vrrp_fsm_init(const struct vrrp_fsm_config *cfg, struct vrrp_fsm_vars *vars)
{
	*vars = (struct vrrp_fsm_vars){.state = VRRP_STATE_INITIALIZE};
	recompute(cfg, vars);
}

/* State entry ------------------------------------------------------------- */

/*
 * RFC 9568 §6.4.1 and §6.4.2: send an ADVERTISEMENT, announce the VIPs, set the Adver_Timer to
 * Advertisement_Interval and become Master. The Master's own interval is now the Master
 * interval, so it is shown as such.
 */
static void enter_master(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	struct vrrp_fsm_vars *n = &out->next;

	n->state = VRRP_STATE_MASTER;
	n->master_adver_interval = adver_cs(c->cfg);
	recompute(c->cfg, n);
	n->adver_deadline = adver_after(c);
	n->master_down_deadline = 0;
	n->preempt_hold_deadline = 0;
	n->want_master = false;
	out->actions |= VRRP_ACT_PROTODOWN_OFF | VRRP_ACT_SEND_ADVERT | VRRP_ACT_ANNOUNCE |
			VRRP_ACT_ARM_ADVER;
}

/*
 * RFC 9568 §6.4.1 and §6.4.3: take the Master's interval (v3 only; RFC 3768 has no learning),
 * recompute, set the Master_Down_Timer to Master_Down_Interval and become Backup.
 */
static void enter_backup(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out,
			 uint16_t master_adver_interval)
{
	struct vrrp_fsm_vars *n = &out->next;

	n->state = VRRP_STATE_BACKUP;
	n->master_adver_interval = is_v2(c->cfg) ? adver_cs(c->cfg) : master_adver_interval;
	recompute(c->cfg, n);
	n->master_down_deadline = deadline_after(c->now, n->master_down_interval);
	n->adver_deadline = 0;
	n->preempt_hold_deadline = 0;
	n->want_master = false;
	out->actions |= VRRP_ACT_ARM_MASTER_DOWN | VRRP_ACT_PROTODOWN_ON;
}

/* Initialize keeps no Master interval; FRR shows 0 there, and so do we. */
static void enter_initialize(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	struct vrrp_fsm_vars *n = &out->next;

	n->state = VRRP_STATE_INITIALIZE;
	n->master_adver_interval = 0;
	recompute(c->cfg, n);
	n->adver_deadline = 0;
	n->master_down_deadline = 0;
	n->preempt_hold_deadline = 0;
	n->want_master = false;
}

/*
 * Checks common to every running state. Returns false, with the discard recorded, if the
 * advertisement must not reach the state logic.
 */
static bool rx_usable(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	if (!c->rx) {
		out->actions |= VRRP_ACT_DISCARD;
		out->why = "advertisement event without advertisement data; discarded";
		return false;
	}
	/* Erratum 8301 to RFC 9568 §7.1: a zero interval would make Backup timers fire at once. */
	if (!is_v2(c->cfg) && c->rx->adver_interval == 0) {
		out->actions |= VRRP_ACT_DISCARD;
		out->why = "RFC 9568 §7.1 (erratum 8301): Max Advertise Interval 0; discarded";
		return false;
	}
	return true;
}

/* Initialize -------------------------------------------------------------- */

/* The start-up delay still runs: no Master before it ends (keepalived's vrrp_startup_delay). */
static bool startup_held(const struct vrrp_fsm_ctx *c)
{
	return c->cfg->no_master_before &&
	       c->now + VRRP_FSM_TIMER_SLACK_US < c->cfg->no_master_before;
}

static void init_startup(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	/* A hold (sync group, or a macvlan not made yet) holds the address owner too. */
	if (c->cfg->priority == VRRP_FSM_PRIO_OWNER && c->cfg->hold_master) {
		enter_backup(c, out, adver_cs(c->cfg));
		out->why =
			"RFC 9568 §6.4.1: Startup as address owner; Backup while held (sync "
			"group, or no macvlan yet)";
		return;
	}
	/* The start-up delay holds the address owner too: its routing may not be ready. */
	if (c->cfg->priority == VRRP_FSM_PRIO_OWNER && startup_held(c)) {
		enter_backup(c, out, adver_cs(c->cfg));
		out->next.master_down_deadline = c->cfg->no_master_before;
		out->why =
			"RFC 9568 §6.4.1: Startup as address owner; Master when the start-up "
			"delay ends";
		return;
	}
	/* RFC 9568 §6.4.1: the address owner goes straight to Master. */
	if (c->cfg->priority == VRRP_FSM_PRIO_OWNER) {
		enter_master(c, out);
		out->why = "RFC 9568 §6.4.1: Startup as address owner (priority 255)";
		return;
	}
	/* RFC 9568 §6.4.1: otherwise Master_Adver_Interval = Advertisement_Interval, wait. */
	enter_backup(c, out, adver_cs(c->cfg));
	out->why = "RFC 9568 §6.4.1: Startup; waiting for the Master_Down_Timer";
}

static void init_shutdown(const struct vrrp_fsm_ctx *c __attribute__((unused)),
			  struct vrrp_fsm_out *out)
{
	out->why = "RFC 9568 §6.4.1: Shutdown while in Initialize; nothing to do";
}

static void init_master_down(const struct vrrp_fsm_ctx *c __attribute__((unused)),
			     struct vrrp_fsm_out *out)
{
	out->why = "RFC 9568 §6.4.1: stale Master_Down_Timer in Initialize; ignored";
}

static void init_adver(const struct vrrp_fsm_ctx *c __attribute__((unused)),
		       struct vrrp_fsm_out *out)
{
	out->why = "RFC 9568 §6.4.1: stale Adver_Timer in Initialize; ignored";
}

static void init_rx(const struct vrrp_fsm_ctx *c __attribute__((unused)), struct vrrp_fsm_out *out)
{
	/* RFC 9568 §6.4.1 only waits for Startup; a packet that slipped in is not acted on. */
	out->actions |= VRRP_ACT_DISCARD;
	out->why = "RFC 9568 §6.4.1: advertisement in Initialize; discarded";
}

/*
 * An earlier run left this instance's macvlan live as Master, and no Backup has taken over,
 * or the guardian would have put it into protodown. Carrying on as Master is what the LAN
 * already sees: advertise at once so the Backups' timers never run out. The addresses are
 * already known with the virtual MAC, so no announcement (the executor adds one if the
 * addresses changed). Then the protocol runs as usual: a higher priority still wins.
 */
static void init_resume(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	enter_master(c, out);
	out->actions &= ~VRRP_ACT_ANNOUNCE;
	out->why = "resumed as Master after a restart: the macvlan was still live";
}

static void resume_running(const struct vrrp_fsm_ctx *c __attribute__((unused)),
			   struct vrrp_fsm_out *out)
{
	out->why = "Resume while already running; ignored";
}

static void init_config(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	/* RFC 9568 §6.1: derived values follow Priority; nothing runs yet. */
	recompute(c->cfg, &out->next);
	out->why = "RFC 9568 §6.1: configuration changed in Initialize; recomputed";
}

/* Backup ------------------------------------------------------------------ */

static void backup_startup(const struct vrrp_fsm_ctx *c __attribute__((unused)),
			   struct vrrp_fsm_out *out)
{
	out->why = "RFC 9568 §6.4.2: Startup while already Backup; ignored";
}

static void backup_shutdown(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	/* RFC 9568 §6.4.2: cancel the Master_Down_Timer and go to Initialize. */
	enter_initialize(c, out);
	out->actions |= VRRP_ACT_CANCEL_MASTER_DOWN;
	out->why = "RFC 9568 §6.4.2: Shutdown";
}

static void backup_master_down(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	if (!timer_due(c->cur->master_down_deadline, c->now)) {
		/* A replaced timer got through; keep waiting for the real deadline. */
		out->actions |= VRRP_ACT_ARM_MASTER_DOWN;
		out->why =
			"RFC 9568 §6.4.2: Master_Down_Timer fired before its deadline; re-armed";
		return;
	}
	if (startup_held(c)) {
		out->next.master_down_deadline = c->cfg->no_master_before;
		out->actions |= VRRP_ACT_ARM_MASTER_DOWN;
		out->why =
			"RFC 9568 §6.4.2: Master_Down_Timer fired in the start-up delay; "
			"re-armed for its end";
		return;
	}
	if (c->cfg->hold_master) {
		/* The group lets us go only with the others; it re-evaluates on this change. */
		out->next.want_master = true;
		out->next.master_down_deadline = 0;
		out->why =
			"RFC 9568 §6.4.2: Master_Down_Timer fired; held until every member of "
			"the sync group can be Master, or the macvlan is there";
		return;
	}
	/* RFC 9568 §6.4.2: no Master heard for Master_Down_Interval; take over. */
	enter_master(c, out);
	out->why = "RFC 9568 §6.4.2: Master_Down_Timer fired";
}

static void backup_adver(const struct vrrp_fsm_ctx *c __attribute__((unused)),
			 struct vrrp_fsm_out *out)
{
	out->why = "RFC 9568 §6.4.2: stale Adver_Timer in Backup; ignored";
}

/*
 * RFC 9568 §6.4.2: accept this Master. v3 adopts its Max Advertise Interval; RFC 3768 does not,
 * its receive check already demands our own interval.
 */
static void accept_master(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	const struct vrrp_fsm_config *cfg = c->cfg;
	struct vrrp_fsm_vars *n = &out->next;

	if (is_v2(cfg))
		n->master_adver_interval = adver_cs(cfg);
	else
		n->master_adver_interval = c->rx->adver_interval;
	recompute(cfg, n);
	n->master_down_deadline = deadline_after(c->now, n->master_down_interval);
	out->actions |= VRRP_ACT_ARM_MASTER_DOWN;
}

static void backup_rx(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	const struct vrrp_fsm_config *cfg = c->cfg;
	struct vrrp_fsm_vars *n = &out->next;

	if (!rx_usable(c, out))
		return;

	if (c->rx->priority == 0) {
		/* RFC 9568 §6.4.2: the Master is leaving; take over after Skew_Time only. */
		recompute(cfg, n);
		n->preempt_hold_deadline = 0;
		n->master_down_deadline = deadline_after(c->now, n->skew_time);
		out->actions |= VRRP_ACT_RX_PRIO0 | VRRP_ACT_ARM_MASTER_DOWN;
		out->why =
			"RFC 9568 §6.4.2: priority 0 received; Master_Down_Timer set to Skew_Time";
		return;
	}

	if (!preempts(cfg) || c->rx->priority >= cfg->priority) {
		accept_master(c, out);
		n->preempt_hold_deadline = 0;
		n->want_master = false;
		out->why = "RFC 9568 §6.4.2: advertisement accepted; Master_Down_Timer reset";
		return;
	}

	/*
	 * Preempt delay (RFC 8347 preempt/hold-time): the first advertisement we could preempt
	 * starts it, and the Master is followed until it ends; then preemption goes on below.
	 */
	if (cfg->preempt_hold && !n->preempt_hold_deadline) {
		accept_master(c, out);
		n->preempt_hold_deadline = deadline_after(c->now, cfg->preempt_hold);
		out->why =
			"RFC 8347 preempt hold-time: lower priority heard; preempt delay started";
		return;
	}
	if (cfg->preempt_hold && c->now < n->preempt_hold_deadline) {
		accept_master(c, out);
		out->why =
			"RFC 8347 preempt hold-time: lower priority followed until the preempt "
			"delay ends";
		return;
	}

	/* RFC 9568 §6.4.2: we preempt a lower priority; let the Master_Down_Timer run out. */
	out->actions |= VRRP_ACT_DISCARD;
	out->why = "RFC 9568 §6.4.2: lower priority and preempting; discarded";
}

static void backup_config(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	struct vrrp_fsm_vars *n = &out->next;
	uint64_t d = c->cur->master_down_deadline;
	int64_t delta;

	/* The hold (sync group, or a macvlan not made yet) lets go a router waiting for it. */
	if (!c->cfg->hold_master && c->cur->want_master) {
		enter_master(c, out);
		/* A priority-0 advertisement heard while waiting set the timer again. */
		if (d)
			out->actions |= VRRP_ACT_CANCEL_MASTER_DOWN;
		out->why =
			"hold lifted (the sync group lets every member go, or the macvlan is "
			"there); taking over";
		return;
	}

	/* RFC 3768 ties the v2 Master interval to our configuration; v3 keeps the learned one. */
	if (is_v2(c->cfg) || n->master_adver_interval == 0)
		n->master_adver_interval = adver_cs(c->cfg);
	recompute(c->cfg, n);

	/*
	 * RFC 9568 §6.1: Master_Down_Interval follows Priority. Move the running timer by the
	 * change rather than restarting it, so repeated changes cannot postpone a takeover
	 * forever.
	 */
	if (d == 0) {
		n->master_down_deadline = deadline_after(c->now, n->master_down_interval);
	} else {
		delta = (int64_t)cs_to_us(n->master_down_interval) -
			(int64_t)cs_to_us(c->cur->master_down_interval);
		if (delta < 0 && (uint64_t)-delta >= d)
			d = 0;
		else
			d = (uint64_t)((int64_t)d + delta);
		n->master_down_deadline = armed(d < c->now ? c->now : d);
	}
	out->actions |= VRRP_ACT_ARM_MASTER_DOWN;
	out->why = "RFC 9568 §6.1: configuration changed in Backup; Master_Down_Timer adjusted";
}

/* Master ------------------------------------------------------------------ */

static void master_startup(const struct vrrp_fsm_ctx *c __attribute__((unused)),
			   struct vrrp_fsm_out *out)
{
	out->why = "RFC 9568 §6.4.3: Startup while already Master; ignored";
}

static void master_shutdown(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	/*
	 * RFC 9568 §6.4.3: cancel the Adver_Timer, send priority 0 so a Backup takes over after
	 * Skew_Time, and go to Initialize.
	 */
	enter_initialize(c, out);
	out->actions |= VRRP_ACT_CANCEL_ADVER | VRRP_ACT_SEND_ADVERT_PRIO0 | VRRP_ACT_PROTODOWN_ON;
	out->why = "RFC 9568 §6.4.3: Shutdown; releasing with priority 0";
}

static void master_master_down(const struct vrrp_fsm_ctx *c __attribute__((unused)),
			       struct vrrp_fsm_out *out)
{
	out->why = "RFC 9568 §6.4.3: stale Master_Down_Timer in Master; ignored";
}

static void master_adver(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	uint64_t d = c->cur->adver_deadline;
	uint64_t next;

	if (!timer_due(d, c->now)) {
		out->actions |= VRRP_ACT_ARM_ADVER;
		out->why = "RFC 9568 §6.4.3: Adver_Timer fired before its deadline; re-armed";
		return;
	}

	/*
	 * RFC 9568 §6.4.3: send an ADVERTISEMENT and reset the Adver_Timer. Step from the
	 * previous deadline, not from now, so the period does not drift with loop latency. If
	 * the loop stalled past the next deadline too, restart from now: one advertisement, not
	 * a burst of late ones.
	 */
	next = d ? d + cs_to_us(adver_cs(c->cfg)) : 0;
	if (next <= c->now) {
		next = adver_after(c);
		out->why = "RFC 9568 §6.4.3: Adver_Timer fired late; re-based on now";
	} else {
		out->why = "RFC 9568 §6.4.3: Adver_Timer fired";
	}
	out->next.adver_deadline = next;
	out->actions |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER;
}

static void master_rx(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	const struct vrrp_fsm_config *cfg = c->cfg;
	const struct vrrp_fsm_rx *rx = c->rx;
	bool dup_owner;

	if (!rx_usable(c, out))
		return;

	if (rx->priority == 0) {
		/* RFC 9568 §6.4.3: another Master released; assert ourselves and restart the
		 * timer. */
		out->next.adver_deadline = adver_after(c);
		out->actions |= VRRP_ACT_RX_PRIO0 | VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER;
		out->why = "RFC 9568 §6.4.3: priority 0 received; advertisement sent";
		return;
	}

	/* RFC 9568 §8.3.2: a second priority-255 router SHOULD be logged. */
	dup_owner = rx->priority == VRRP_FSM_PRIO_OWNER && cfg->priority == VRRP_FSM_PRIO_OWNER;

	/*
	 * RFC 9568 §6.4.3: a higher priority wins; on equal priority the greater primary address
	 * wins, compared as unsigned integers in network byte order. Preempt_Mode plays no part.
	 */
	if (rx->priority > cfg->priority || (rx->priority == cfg->priority && rx->addr_cmp > 0)) {
		enter_backup(c, out, rx->adver_interval);
		out->actions |= VRRP_ACT_CANCEL_ADVER;
		out->why = dup_owner
				   ? "RFC 9568 §6.4.3, §8.3.2: two address owners; lost on address"
				   : "RFC 9568 §6.4.3: higher priority or address received";
		return;
	}

	if (rx->priority == cfg->priority && rx->addr_cmp == 0) {
		/* Our own advertisement came back (e.g. a loop on the segment): not a contender.
		 */
		out->actions |= VRRP_ACT_DISCARD;
		out->why = "RFC 9568 §6.4.3: own advertisement looped back; discarded";
		return;
	}

	/*
	 * RFC 9568 §6.4.3 (new since RFC 5798): discard, and advertise at once to assert the
	 * Master state. The regular Adver_Timer keeps its schedule.
	 */
	out->actions |= VRRP_ACT_DISCARD | VRRP_ACT_SEND_ADVERT;
	out->why = dup_owner
			   ? "RFC 9568 §6.4.3, §8.3.2: two address owners; won on address"
			   : "RFC 9568 §6.4.3: lower priority received; discarded, re-advertised";
}

static void master_config(const struct vrrp_fsm_ctx *c, struct vrrp_fsm_out *out)
{
	struct vrrp_fsm_vars *n = &out->next;
	uint64_t d = c->cur->adver_deadline;
	uint64_t old_us, last, next;

	/* Another member of the sync group cannot be Master: hand over with it. */
	if (c->cfg->hold_master) {
		enter_backup(c, out, adver_cs(c->cfg));
		out->actions |= VRRP_ACT_CANCEL_ADVER | VRRP_ACT_SEND_ADVERT_PRIO0;
		out->why =
			"sync group: another member cannot be Master; releasing with priority 0";
		return;
	}

	old_us = cs_to_us(c->cur->master_adver_interval ? c->cur->master_adver_interval
							: adver_cs(c->cfg));
	n->master_adver_interval = adver_cs(c->cfg);
	recompute(c->cfg, n);

	if (c->cur->priority != c->cfg->priority) {
		/*
		 * RFC 9568 §6: the Backups compare against the priority we advertise, so a new
		 * one goes out at once (a lower one lets a preempting Backup take over, a higher
		 * one stops a takeover), and the Adver_Timer restarts from this send.
		 */
		n->adver_deadline = adver_after(c);
		out->actions |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER;
		out->why = "RFC 9568 §6: priority changed in Master; advertised at once";
		return;
	}

	/*
	 * RFC 9568 §6.4.3 sends every Advertisement_Interval. Keep the phase of the last send
	 * and apply the new interval from there, but never schedule in the past. Aligned, a new
	 * interval moves to its own lattice instead, within one interval from now.
	 */
	if (d == 0 || (c->cfg->adver_aligned && cs_to_us(n->master_adver_interval) != old_us)) {
		next = adver_after(c);
	} else {
		last = d > old_us ? d - old_us : 0;
		next = last + cs_to_us(n->master_adver_interval);
		next = armed(next < c->now ? c->now : next);
	}
	n->adver_deadline = next;
	out->actions |= VRRP_ACT_ARM_ADVER;
	out->why = "RFC 9568 §6.1: configuration changed in Master; Adver_Timer adjusted";
}

/* The table --------------------------------------------------------------- */

/* Every pair is filled in; vrrp_fsm_step() still guards against a hole. */
static const vrrp_fsm_handler fsm_table[VRRP_STATE_MAX][VRRP_EV_MAX] = {
	[VRRP_STATE_INITIALIZE] =
		{
			[VRRP_EV_STARTUP] = init_startup,
			[VRRP_EV_SHUTDOWN] = init_shutdown,
			[VRRP_EV_MASTER_DOWN_TIMER] = init_master_down,
			[VRRP_EV_ADVER_TIMER] = init_adver,
			[VRRP_EV_RX_ADVERT] = init_rx,
			[VRRP_EV_CONFIG_CHANGE] = init_config,
			[VRRP_EV_RESUME] = init_resume,
		},
	[VRRP_STATE_BACKUP] =
		{
			[VRRP_EV_STARTUP] = backup_startup,
			[VRRP_EV_SHUTDOWN] = backup_shutdown,
			[VRRP_EV_MASTER_DOWN_TIMER] = backup_master_down,
			[VRRP_EV_ADVER_TIMER] = backup_adver,
			[VRRP_EV_RX_ADVERT] = backup_rx,
			[VRRP_EV_CONFIG_CHANGE] = backup_config,
			[VRRP_EV_RESUME] = resume_running,
		},
	[VRRP_STATE_MASTER] =
		{
			[VRRP_EV_STARTUP] = master_startup,
			[VRRP_EV_SHUTDOWN] = master_shutdown,
			[VRRP_EV_MASTER_DOWN_TIMER] = master_master_down,
			[VRRP_EV_ADVER_TIMER] = master_adver,
			[VRRP_EV_RX_ADVERT] = master_rx,
			[VRRP_EV_CONFIG_CHANGE] = master_config,
			[VRRP_EV_RESUME] = resume_running,
		},
};

void vrrp_fsm_step(const struct vrrp_fsm_config *cfg, const struct vrrp_fsm_vars *cur,
		   enum vrrp_event ev, const struct vrrp_fsm_rx *rx, uint64_t now_us,
		   struct vrrp_fsm_out *out)
{
	struct vrrp_fsm_ctx c = {
		.cfg = cfg,
		.cur = cur,
		.rx = ev == VRRP_EV_RX_ADVERT ? rx : NULL,
		.now = now_us,
	};
	vrrp_fsm_handler h = NULL;

	/* Unchanged unless a handler says otherwise. */
	out->next = *cur;
	out->actions = 0;
	out->why = "invalid state or event; ignored";

	if ((unsigned int)cur->state < VRRP_STATE_MAX && (unsigned int)ev < VRRP_EV_MAX)
		h = fsm_table[cur->state][ev];
	if (h)
		h(&c, out);
}
