// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The executor: the one place that runs the state machine and applies what it decides, and the
 * only writer of an instance's protocol state (state-machine variables and settings, timers,
 * pending sends, counters). Reconcile and binding tell it what changed; it makes the outside
 * (protodown, router advertisements, advertisements, announcements) match the state.
 */
#ifndef VRRP_EXEC_H
#define VRRP_EXEC_H

#include "lib/hook.h"
#include "lib/if.h"

#include "vrrp.h"
#include "vrrp_rx.h"

/*
 * One state change as everything outside the protocol sees it: notifications, SNMP traps, the
 * event history, sync groups. A copy, so a consumer may keep it.
 */
struct vrrp_state_event {
	char ifname[IFNAMSIZ];
	uint8_t vrid;
	enum vrrp_afi afi;
	enum vrrp_state old_state;
	enum vrrp_state new_state;
	enum vrrp_event event;
	enum vrrp_reason reason;
	/* The effective priority the instance runs with. */
	uint8_t priority;
	/* The Master after the change and its priority: ourselves when we became Master, the
	 * sender of the last advertisement we accepted when Backup; IPADDR_NONE if unknown. */
	struct ipaddr master;
	uint8_t master_priority;
	/* The Master before the change, the same way: for a takeover, the one that went quiet. */
	struct ipaddr prev_master;
	uint8_t prev_master_priority;
	/* Wall-clock time of the change. */
	struct timeval when;
	/* The state machine's reason, with its RFC section (static text). */
	const char *why;
};

/*
 * Fired on every state change, after the actions were applied (af->fsm.state is e->new_state).
 * A handler must not call back into the executor nor block: queue what takes time.
 */
DECLARE_HOOK(vrrp_state_change, (const struct vrrp_af *af, const struct vrrp_state_event *e),
	     (af, e));
/*
 * Fired for every received packet that is dropped, with the instance it was for (NULL when no
 * instance could claim it), for SNMP's protocol-error trap. Same rules as above.
 */
DECLARE_HOOK(vrrp_rx_dropped,
	     (const struct interface *parent, enum vrrp_afi afi, const struct vrrp_af *af,
	      enum vrrp_drop reason),
	     (parent, afi, af, reason));

/* The Master as the instance sees it now (ourselves, the last one heard, or IPADDR_NONE). */
void vrrp_exec_master(const struct vrrp_af *af, struct ipaddr *addr, uint8_t *prio);

/* Whether this instance's VRRPv3 IPv4 advertisements include the IPv4 pseudo-header now. */
bool vrrp_exec_tx_cksum_pseudo(const struct vrrp_af *af);

/* Run one event through the state machine now and apply its actions. */
void vrrp_exec_event(struct vrrp_af *af, enum vrrp_event ev, const struct vrrp_fsm_rx *rx);
/*
 * Run with these settings: start from Initialize, restart around a version change, or let the
 * state machine recompute after a priority, preempt or interval change. The binding (macvlan,
 * source, receive socket) must be in place.
 */
void vrrp_exec_configure(struct vrrp_af *af, const struct vrrp_fsm_config *fc);
/* Not running: Initialize with these settings (so `show vrrp` shows their timers). */
/*
 * First start of an instance whose macvlan an earlier run left live as Master: resume it
 * (VRRP_EV_RESUME), announcing only if addresses were missing from the macvlan.
 */
void vrrp_exec_resume(struct vrrp_af *af, const struct vrrp_fsm_config *fc, bool announce);
void vrrp_exec_idle(struct vrrp_af *af, const struct vrrp_fsm_config *fc);
/* Stop: priority 0 if Master (from the current binding), timers off, pending work dropped. */
void vrrp_exec_stop(struct vrrp_af *af);
/*
 * Tell the receive socket whether af's advertisements may wait: yes for a Backup that hears its
 * Master and waits for nothing else (may is false when the socket is about to be released).
 * Called after every step; only a change reaches the adapter.
 */
void vrrp_exec_quiet(struct vrrp_af *af, bool may);

/* What vrrp_exec_sync() restates besides the work that waited for the macvlan. */
#define VRRP_SYNC_ZEBRA (1u << 0) /* zebra may have lost protodown and RA requests */
#define VRRP_SYNC_SEND (1u << 1)  /* a new macvlan: a Master advertises and announces now */
/*
 * Make the outside match the state: a Backup's macvlan held down, a Master's pending
 * advertisement and announcements sent (and new virtual addresses announced), plus what
 * `what` asks for. Idempotent; nothing for an instance that is not running.
 */
void vrrp_exec_sync(struct vrrp_af *af, unsigned int what);
/* Something about the interfaces changed: the next send asks the kernel about the link. */
void vrrp_exec_link_changed(struct vrrp_af *af);
/*
 * Announce every virtual address: one burst of the schedule's repeat messages each (or, without
 * the macvlan, all of it once the macvlan can send). For vrrp_garp.c's later bursts.
 */
void vrrp_exec_announce(struct vrrp_af *af);

/* The socket adapter's receive callback (vrrp_sock_rx_fn). */
void vrrp_exec_rx(struct interface *parent, int family, const uint8_t *msg, size_t len,
		  const struct vrrp_rx_meta *meta, enum vrrp_drop ip_drop);
/* Where a message arrived: the lookup argument of vrrp_exec_rx_target(). */
struct vrrp_rx_where {
	struct interface *parent;
	enum vrrp_afi afi;
};
/* The daemon's vrrp_rx_lookup_fn: arg is a struct vrrp_rx_where. */
bool vrrp_exec_rx_target(void *arg, uint8_t vrid, struct vrrp_rx_target *t);

void vrrp_exec_init(void);
void vrrp_exec_fini(void);

#endif /* VRRP_EXEC_H */
