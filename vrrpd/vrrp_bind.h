// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What an instance runs on: the macvlan carrying its virtual MAC (found in an index by parent
 * and MAC, adopted, created, addressed, released, and leftovers of an earlier run collected)
 * and its reference on the parent's receive socket. Reconcile decides; this file does.
 */
#ifndef VRRP_BIND_H
#define VRRP_BIND_H

#include "lib/if.h"
#include "lib/thread.h"

#include "vrrp.h"

/* A link event may have changed which interface carries which virtual MAC. */
void vrrp_bind_stale(void);
/* The child of the parent that carries the family's virtual MAC, if zebra knows one. */
struct interface *vrrp_bind_find(const struct vrrp_af *af);
/*
 * Once per macvlan bound: prepare the host for it (family sysctls) and decide from its marker
 * whether this daemon made it. Resets the creation back-off.
 */
void vrrp_bind_adopt(struct vrrp_af *af, struct interface *mvl);
/* Whether the macvlan is the one this daemon made for af. */
bool vrrp_bind_ours(const struct vrrp_af *af, const struct interface *mvl);
/* Whether af owns a macvlan other than mvl, which also carries the virtual MAC. */
bool vrrp_bind_other_ours(const struct vrrp_af *af, const struct interface *mvl);
/*
 * Whether mvl is someone else's that a hand-over raised and the instance does not run on yet:
 * it is coming up (and, for IPv6, getting its link-local) as ours would.
 */
bool vrrp_bind_handing_over(const struct vrrp_af *af, const struct interface *mvl);
/* The instance runs on the macvlan handed over to. */
void vrrp_bind_handover_done(struct vrrp_af *af);
/*
 * How long (us) creating the family's macvlan still waits for one made by someone else
 * (vrrp default macvlan-autocreate delay), counted from the first call since the family last
 * bound one; 0 when it may create now.
 */
uint64_t vrrp_bind_create_wait(struct vrrp_af *af);
/*
 * Someone else's macvlan mvl carries the virtual MAC next to ours: remove ours, which keeps
 * theirs from coming up, and bring theirs up. True if theirs is up or coming up.
 */
bool vrrp_bind_handover(struct vrrp_af *af, struct interface *mvl);
/* The name this daemon gives the macvlan of (family, parent, VRID): vrrp4-10-5. */
void vrrp_bind_mvl_name(const struct vrrp_family *fam, ifindex_t parent, uint8_t vrid, char *buf,
			size_t len);
/*
 * Create the family's macvlan (at most every few seconds). NULL when the kernel's answer made
 * it known as an interface at once (vrrp_iflearn_created()), so the caller binds it now;
 * otherwise zebra reports it shortly and a later reconcile binds it, and the return value is
 * why the family is not running meanwhile, in buf (also when the pass's budget is spent).
 */
const char *vrrp_bind_create(struct vrrp_af *af, char *buf, size_t len, bool *deferred);
/*
 * Creations are rationed per pass of reconcile (each costs the kernel about a millisecond, and
 * a thousand routers at start would keep the event loop from everything else): the budget is
 * set at the start of a pass (VRRP_CREATE_BUDGET, or 0 for a first sweep that only starts
 * routers); past it vrrp_bind_create() creates nothing and sets *deferred, and the caller
 * tries again in a later pass.
 */
#define VRRP_CREATE_BUDGET 16
void vrrp_bind_budget_set(unsigned int n);
/*
 * Queue the start-up look for macvlans an earlier run left (vrrp_bind_init() does): if there
 * are any, those no router claims are removed 10 s after start, once `vtysh -b` has had time
 * to configure their routers.
 */
void vrrp_bind_gc_start(struct thread_master *master);
/*
 * Whether the kernel has a link by the name of the family's macvlan, which zebra may not have
 * reported yet (at start it reports the parent before the links made on it): one left by an
 * earlier run may be a Master's to resume, so the family must not start without it.
 */
bool vrrp_bind_kernel_has(const struct vrrp_af *af);
/*
 * Before the first start of an instance (and before its addresses are synced): whether the
 * macvlan is ours and an earlier run left it live as Master, so it can resume (af->resume),
 * and whether addresses are missing from it (af->resume_announce).
 */
void vrrp_bind_resume_check(struct vrrp_af *af, struct interface *mvl);
/* Put every virtual address on the macvlan (and, on ours, remove the others). */
void vrrp_bind_sync_addrs(struct vrrp_af *af, struct interface *mvl);
/* Remove the macvlan this daemon made for af, if any. */
void vrrp_bind_release(struct vrrp_af *af);
/* Whether a family wants a macvlan at all (addresses configured, family usable). */
bool vrrp_bind_wanted(const struct vrrp_af *af);
/* Hold or drop the reference on the parent's receive socket. */
bool vrrp_bind_rx_hold(struct vrrp_af *af);
void vrrp_bind_rx_release(struct vrrp_af *af);
/* Forget ifp, which zebra is deleting, wherever af refers to it. True if it was ours, removed
 * by a hand-over (the instance goes on, on the other macvlan). */
bool vrrp_bind_forget(struct vrrp_af *af, const struct interface *ifp);

void vrrp_bind_init(struct thread_master *master);
void vrrp_bind_fini(void);

#endif /* VRRP_BIND_H */
