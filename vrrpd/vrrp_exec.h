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
 * Fired on every state change, after the actions were applied: af->fsm.state is the new state,
 * ev the event and why the state machine's reason (with its RFC section). For notifications,
 * SNMP traps and sync groups; a handler must not call back into the executor.
 */
DECLARE_HOOK(vrrp_state_change,
	     (const struct vrrp_af *af, enum vrrp_state old, enum vrrp_event ev, const char *why),
	     (af, old, ev, why));

/* Run one event through the state machine now and apply its actions. */
void vrrp_exec_event(struct vrrp_af *af, enum vrrp_event ev, const struct vrrp_fsm_rx *rx);
/*
 * Run with these settings: start from Initialize, restart around a version change, or let the
 * state machine recompute after a priority, preempt or interval change. The binding (macvlan,
 * source, receive socket) must be in place.
 */
void vrrp_exec_configure(struct vrrp_af *af, const struct vrrp_fsm_config *fc);
/* Not running: Initialize with these settings (so `show vrrp` shows their timers). */
void vrrp_exec_idle(struct vrrp_af *af, const struct vrrp_fsm_config *fc);
/* Stop: priority 0 if Master (from the current binding), timers off, pending work dropped. */
void vrrp_exec_stop(struct vrrp_af *af);

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
