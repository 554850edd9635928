// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The protocol engine's interface to the rest of the daemon: the northbound, the show commands,
 * the zebra adapter and main() call these; reconcile, the binding of macvlans and the executor
 * implement them.
 */
#ifndef VRRP_ENGINE_H
#define VRRP_ENGINE_H

#include "lib/if.h"
#include "lib/thread.h"

#include "vrrp.h"

void vrrp_engine_init(struct thread_master *master);
void vrrp_engine_fini(void);
/*
 * Graceful restart: from now on stopping a virtual router leaves the outside as it is (no
 * priority 0, no protodown, our macvlans and their addresses stay), so the daemon can exit
 * and the next start resumes its Masters. vrrp_engine_detaching() says whether it was called.
 */
void vrrp_engine_detach(void);
bool vrrp_engine_detaching(void);
/*
 * Bring the protocol state of a virtual router in line with its configuration and with what
 * zebra reports about interfaces and addresses: bind the macvlan, start, stop or adjust each
 * family. Idempotent; called after every configuration change and interface event.
 */
void vrrp_vr_reconcile(struct vrrp_vr *vr);
void vrrp_reconcile_all(void);
/*
 * Reconcile everything from the event loop, once, however many events asked for it: zebra
 * (re)connected, so anything may have changed.
 */
void vrrp_reconcile_soon(void);
/*
 * An interface, or one of its addresses, changed: reconcile from the event loop, once per burst,
 * the virtual routers it can concern, which are those on it as their parent, the one whose
 * virtual MAC it carries and those bound to it as their macvlan. From the event loop because a
 * deleted interface is still in the lib's tables while its callback runs. link is false for an
 * address change, which cannot change which interface is whose macvlan.
 */
void vrrp_if_changed(struct interface *ifp, bool link);
/* Queue one virtual router for reconciliation from the event loop (trackers call this). */
void vrrp_vr_mark(struct vrrp_vr *vr);
/* Take it off that queue again; the last thing before the virtual router is freed. */
void vrrp_vr_unmark(struct vrrp_vr *vr);
/* Stop both families (priority 0 if Master), release sockets and timers; called before the
 * virtual router is freed. */
void vrrp_vr_stop(struct vrrp_vr *vr);
/* Zebra (re)connected: restate protodown and RA requests. */
void vrrp_engine_zebra_connected(void);
/* Forget every reference to an interface zebra is deleting. */
void vrrp_engine_if_gone(struct interface *ifp);
/* Zero the counters of one virtual router. */
void vrrp_vr_clear_counters(struct vrrp_vr *vr);
/* Drops on a parent interface that no virtual router could claim. */
const uint32_t *vrrp_if_drops(const struct interface *ifp, enum vrrp_afi afi);
/* Zero them for one interface, or for all when ifp is NULL. */
void vrrp_if_clear_drops(const struct interface *ifp);

#endif /* VRRP_ENGINE_H */
