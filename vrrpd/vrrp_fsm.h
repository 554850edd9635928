// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP state machine (RFC 9568 §6, with RFC 3768 timing for version 2) as a pure step function.
 *
 * This file owns the protocol decisions only. vrrp_fsm_step() reads the configuration, the
 * current protocol variables, one event and a clock value, and returns the next variables plus a
 * set of actions. It does no I/O, reads no clock and touches no global state, so it can be tested
 * with plain numbers. The executor applies the actions, logs, counts and arms the real timers.
 *
 * Units: intervals are centiseconds (cs), as on the wire in VRRPv3. Deadlines are absolute
 * microseconds on the executor's monotonic clock; 0 means "not armed".
 */
#ifndef _VRRP_FSM_H
#define _VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One centisecond in microseconds, the unit of deadlines. */
#define VRRP_FSM_US_PER_CS 10000ULL

/*
 * A timer event that arrives up to this much before its deadline still counts as due. Event
 * loop timers have millisecond granularity and may round down; without slack such an event would
 * be mistaken for a stale one.
 */
#define VRRP_FSM_TIMER_SLACK_US 1000ULL

/* The most an Adver_Timer runs early (vrrp_fsm_adver_early_us()). */
#define VRRP_FSM_ADVER_EARLY_MAX_US 500U

/* Priority of the IPvX address owner (RFC 9568 §5.2.4). */
#define VRRP_FSM_PRIO_OWNER 255

/* RFC 9568 §6 states. FRR and this daemon call the Active state "Master". */
enum vrrp_state {
	VRRP_STATE_INITIALIZE = 0,
	VRRP_STATE_MASTER,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MAX,
};

enum vrrp_event {
	/* The instance may run: interface, macvlan and addresses are ready (RFC 9568 §6.4.1). */
	VRRP_EV_STARTUP = 0,
	/* The instance must stop: shutdown configured, interface gone, last VIP removed. */
	VRRP_EV_SHUTDOWN,
	/* The Master_Down_Timer (RFC 9568: Active_Down_Timer) expired. */
	VRRP_EV_MASTER_DOWN_TIMER,
	/* The Adver_Timer expired. */
	VRRP_EV_ADVER_TIMER,
	/* A validated advertisement for this VRID and family, after all codec checks (§7.1). */
	VRRP_EV_RX_ADVERT,
	/* Priority, advertisement interval or preempt changed while configured: recompute. */
	VRRP_EV_CONFIG_CHANGE,
	/*
	 * Like Startup, for an instance whose macvlan an earlier run of the daemon left live as
	 * Master (up, out of protodown, carrying the addresses): it carries on as Master.
	 */
	VRRP_EV_RESUME,
	VRRP_EV_MAX,
};

/*
 * What the operator configured, after any tracking adjustment. A version change is not a
 * CONFIG_CHANGE: the executor must send SHUTDOWN and STARTUP around it.
 */
struct vrrp_fsm_config {
	/* 2 (RFC 3768 timing) or 3 (RFC 9568); any value other than 2 is treated as 3. */
	uint8_t version;
	/* Effective priority 1..255; 255 = address owner, which always preempts (RFC 9568 §6.1).
	 */
	uint8_t priority;
	/* Preempt_Mode (RFC 9568 §6.1). */
	bool preempt;
	/*
	 * Advertisement_Interval in cs, 1..4095 (RFC 9568 §6.1, erratum 8301). For v2 this is the
	 * configured seconds * 100. A value of 0 is used as 1 so that a bad configuration cannot
	 * make the adver timer spin.
	 */
	uint16_t adver_interval;
	/*
	 * Preempt delay in cs (RFC 8347 preempt/hold-time), 0 for none: a Backup that would
	 * preempt a lower-priority Master keeps accepting it this long after first hearing it.
	 */
	uint32_t preempt_hold;
	/*
	 * Start-up delay: no Master_Down_Timer makes this instance Master before this absolute
	 * time (us); 0 for none. Advertisements are still received and followed.
	 */
	uint64_t no_master_before;
	/*
	 * Held from Master: some other member of its sync group cannot be Master, or (reconcile)
	 * the router started before its macvlan was made, so neither may this one. A Master
	 * releases (priority 0) and stays Backup; a Backup whose Master_Down_Timer runs out only
	 * notes that it wants to be Master (vars.want_master) until the group lets it.
	 */
	bool hold_master;
	/*
	 * Aligned advertisements: whenever the Adver_Timer is set from now, it fires at the next
	 * point of the lattice adver_phase + k * Advertisement_Interval (us on the executor's
	 * clock) instead of one interval on, so that is within one interval. A point within the
	 * early window (vrrp_fsm_adver_early_us()) is the send's own, the timer would run it at
	 * once: the one after it is taken, at most that window later than an interval. Routers
	 * with one interval and one phase then send in the same wake-up, each on its exact period.
	 */
	bool adver_aligned;
	/* The lattice's offset in us; taken modulo the interval. */
	uint32_t adver_phase;
};

/* The protocol variables of one (VRID, family) instance. Start from vrrp_fsm_init(). */
struct vrrp_fsm_vars {
	enum vrrp_state state;
	/*
	 * Master_Adver_Interval (RFC 9568: Active_Adver_Interval) in cs. v3 Backup: learned from
	 * the Master's advertisements. Master: our own Advertisement_Interval. v2: always the
	 * configured interval (RFC 3768 does not learn it). Initialize: 0, as FRR displays it.
	 */
	uint16_t master_adver_interval;
	/* Skew_Time in cs, from vrrp_skew_time(). */
	uint16_t skew_time;
	/* Master_Down_Interval in cs, from vrrp_master_down_interval(). */
	uint16_t master_down_interval;
	/* The Priority the derived values were computed with, so a change is seen as one. */
	uint8_t priority;
	/* When the Adver_Timer fires; absolute microseconds, 0 = not armed. Master only. */
	uint64_t adver_deadline;
	/* When the Master_Down_Timer fires; absolute microseconds, 0 = not armed. Backup only. */
	uint64_t master_down_deadline;
	/*
	 * When the running preempt delay ends; absolute microseconds, 0 = none runs. Backup only:
	 * set by the first lower-priority advertisement we would preempt, cleared by one with a
	 * priority we accept and by every state entry.
	 */
	uint64_t preempt_hold_deadline;
	/* Backup held by its sync group whose Master_Down_Timer ran out: it would be Master. */
	bool want_master;
};

/* The fields of a received advertisement that the state machine needs. */
struct vrrp_fsm_rx {
	/* Priority field; 0 means the Master is releasing (RFC 9568 §5.2.4). */
	uint8_t priority;
	/* Max Advertise Interval in cs as received (v2: seconds * 100; ignored for v2). */
	uint16_t adver_interval;
	/*
	 * Sender's primary address compared with ours, as unsigned integers in network byte order
	 * (RFC 9568 §6.4.3): < 0 sender is lower, 0 equal (our own packet looped back), > 0
	 * higher.
	 */
	int addr_cmp;
};

/*
 * Actions, as bit flags in vrrp_fsm_out.actions. The executor should apply PROTODOWN_OFF before
 * SEND_ADVERT and ANNOUNCE, since gratuitous ARP and ND wait for the VMAC (RFC 9568 §8.1.2,
 * §8.2.2), and SEND_ADVERT_PRIO0 before PROTODOWN_ON so the release still leaves the box.
 */
enum vrrp_action {
	/* Send one ADVERTISEMENT with the configured priority now. */
	VRRP_ACT_SEND_ADVERT = 1u << 0,
	/* Send one ADVERTISEMENT with priority 0: the Master is releasing (RFC 9568 §6.4.3). */
	VRRP_ACT_SEND_ADVERT_PRIO0 = 1u << 1,
	/* Gratuitous ARP (IPv4) or unsolicited NA (IPv6) for every virtual address. */
	VRRP_ACT_ANNOUNCE = 1u << 2,
	/* (Re)arm the Adver_Timer to fire at next.adver_deadline, replacing any armed one. */
	VRRP_ACT_ARM_ADVER = 1u << 3,
	/* Cancel the Adver_Timer; next.adver_deadline is 0. */
	VRRP_ACT_CANCEL_ADVER = 1u << 4,
	/* (Re)arm the Master_Down_Timer at next.master_down_deadline, replacing any armed one. */
	VRRP_ACT_ARM_MASTER_DOWN = 1u << 5,
	/* Cancel the Master_Down_Timer; next.master_down_deadline is 0. */
	VRRP_ACT_CANCEL_MASTER_DOWN = 1u << 6,
	/* Set protodown on the macvlan, so the Backup neither answers ARP/ND nor takes traffic. */
	VRRP_ACT_PROTODOWN_ON = 1u << 7,
	/* Clear protodown on the macvlan, so the Master can answer ARP/ND and forward. */
	VRRP_ACT_PROTODOWN_OFF = 1u << 8,
	/* The received advertisement was discarded, for counters and debug logs. */
	VRRP_ACT_DISCARD = 1u << 9,
	/* The received advertisement had priority 0 (RFC 6527 vrrpv3StatisticsPriZeroPktsRcvd). */
	VRRP_ACT_RX_PRIO0 = 1u << 10,
};

/* Number of action bits, for iterating with vrrp_action_str(). */
#define VRRP_ACT_COUNT 11

struct vrrp_fsm_out {
	/* The complete new variables: state, intervals and deadlines. Store them as they are. */
	struct vrrp_fsm_vars next;
	/* OR of enum vrrp_action. 0 when the event was ignored. */
	uint32_t actions;
	/* Short static reason with its RFC section, for the executor's log. Never NULL. */
	const char *why;
};

/* Why an instance changed state, named after RFC 8347's events where it has one. */
enum vrrp_reason {
	VRRP_REASON_NONE = 0,	     /* no transition yet */
	VRRP_REASON_STARTUP,	     /* Initialize -> Backup */
	VRRP_REASON_OWNER,	     /* Initialize -> Master as the address owner */
	VRRP_REASON_RESUMED,	     /* Initialize -> Master after a restart (VRRP_EV_RESUME) */
	VRRP_REASON_MASTER_TIMEOUT,  /* Backup -> Master: no advertisement, or a release */
	VRRP_REASON_HIGHER_PRIORITY, /* Master -> Backup: a higher priority or address heard */
	VRRP_REASON_SHUTDOWN,	     /* -> Initialize */
	VRRP_REASON_MAX,
};

/* The reason of a transition from old to new caused by ev; VRRP_REASON_NONE if none. */
enum vrrp_reason vrrp_fsm_reason(enum vrrp_state old, enum vrrp_state new, enum vrrp_event ev);
/* "startup", "master-timeout", ...; "none" for VRRP_REASON_NONE and anything unknown. */
const char *vrrp_reason_str(enum vrrp_reason r);

/* "Initialize", "Master", "Backup" (FRR's strings); "Unknown" for anything else. */
const char *vrrp_state_str(enum vrrp_state state);
/* Short event name for logs; "Unknown" for anything else. */
const char *vrrp_event_str(enum vrrp_event event);
/* Name of one action bit, e.g. "send-advert"; "unknown" if not exactly one known bit. */
const char *vrrp_action_str(uint32_t action);

/* Fill vars for an instance in Initialize with no timers armed and derived values computed. */
void vrrp_fsm_init(const struct vrrp_fsm_config *cfg, struct vrrp_fsm_vars *vars);

/*
 * Run one event. cur is not modified; out->next receives the new variables. rx must point to
 * the advertisement for VRRP_EV_RX_ADVERT and is ignored (may be NULL) otherwise. now_us is the
 * executor's monotonic clock in microseconds. Every (state, event) pair is defined; events that
 * do not apply are ignored with actions 0 and a reason.
 */
void vrrp_fsm_step(const struct vrrp_fsm_config *cfg, const struct vrrp_fsm_vars *cur,
		   enum vrrp_event ev, const struct vrrp_fsm_rx *rx, uint64_t now_us,
		   struct vrrp_fsm_out *out);

/*
 * Skew_Time in cs (RFC 9568 §6.1; RFC 3768 §6.1 for v2). v3: ((256 - priority) *
 * master_adver_interval) / 256. v2: ((256 - priority) * 100) / 256, independent of the interval.
 */
uint16_t vrrp_skew_time(uint8_t version, uint8_t priority, uint16_t master_adver_interval);

/*
 * How early an Adver_Timer may run to share a wake-up with another router's timer, in us: 1 %
 * of the interval (in cs), at most 0.5 ms. Deadlines stay absolute, so this costs no drift, and
 * the peers' Master_Down_Interval (three intervals) does not notice.
 */
uint32_t vrrp_fsm_adver_early_us(uint16_t adver_interval);

/*
 * Master_Down_Interval in cs: 3 * interval + Skew_Time (RFC 9568 §6.1; RFC 3768 §6.1). Pass the
 * learned Master_Adver_Interval for v3 and the configured Advertisement_Interval for v2. The
 * result saturates at 65535 cs, which only intervals above 218 s (v2) can reach.
 */
uint16_t vrrp_master_down_interval(uint8_t version, uint8_t priority,
				   uint16_t master_adver_interval);

#ifdef __cplusplus
}
#endif

#endif /* _VRRP_FSM_H */
