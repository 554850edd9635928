// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reconciliation: each family of each virtual router is brought in line with its configuration
 * and with what zebra reports. Gather the facts, decide (vrrp_decide(), pure), then do: bind
 * the macvlan (vrrp_bind.c) and tell the executor what changed (vrrp_exec.c). Also owns the
 * queue of routers that events marked dirty, interface-gone handling and the engine's start.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/jhash.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "lib/thread.h"
#include "lib/typesafe.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_af.h"
#include "vrrp_bind.h"
#include "vrrp_debug.h"
#include "vrrp_engine.h"
#include "vrrp_exec.h"
#include "vrrp_iflearn.h"
#include "vrrp_io.h"
#include "vrrp_reconcile.h"
#include "vrrp_unicast.h"
#include "vrrp_sync.h"
#include "vrrp_timer.h"
#include "vrrp_track.h"

/* How long a running instance waits for its deleted macvlan to come back before stopping. */
#define VRRP_MVL_LOST_US (2ULL * 1000 * 1000)

static struct thread_master *vrrp_master;
/* When the engine started, for the start-up delay (monotonic us). */
static uint64_t vrrp_started_us;
static struct thread *vrrp_t_reconcile;
static struct thread *vrrp_t_reconcile_later;

static void vrrp_reconcile_later(unsigned long msec);

void vrrp_decide(const struct vrrp_facts *f, struct vrrp_verdict *v, char *buf, size_t len)
{
	v->todo = VRRP_TODO_IDLE;
	v->why = NULL;
	if (!f->enabled)
		v->why = "VRRPv2 has no IPv6";
	else if (f->shutdown)
		v->why = "administratively shut down";
	else if (!f->has_addrs)
		v->why = "no virtual addresses configured";
	else if (!f->parent_exists)
		snprintf(buf, len, "interface %s does not exist", f->parent);
	else if (!f->parent_up)
		snprintf(buf, len, "interface %s is down", f->parent);
	else if (f->stopped_by)
		snprintf(buf, len, "tracked %s is down", f->stopped_by);
	else if (!f->mvl && f->may_create && f->create_wait_us) {
		/* Fixed text: why_down changes, and is logged, only when the reason does. */
		v->todo = VRRP_TODO_WAIT;
		snprintf(buf, len, "no macvlan with MAC %s on %s yet; waiting before creating one",
			 f->vmac, f->parent);
	} else if (!f->mvl && f->may_create)
		v->todo = VRRP_TODO_CREATE;
	else if (!f->mvl)
		snprintf(buf, len, "no macvlan with MAC %s on %s", f->vmac, f->parent);
	else if (f->mvl_handover) {
		/* The kernel lets one macvlan of a parent hold the MAC: the operator's gets it. */
		v->todo = VRRP_TODO_HANDOVER;
		snprintf(buf, len, "handing the virtual MAC over to macvlan %s", f->mvl);
	} else if (!f->mvl_up) {
		/* Ours to manage, and theirs while a hand-over raises it; otherwise someone
		 * else's is left as its owner set it. */
		v->todo = f->mvl_ours || f->mvl_raising ? VRRP_TODO_RAISE : VRRP_TODO_IDLE;
		snprintf(buf, len, "macvlan %s is administratively down", f->mvl);
	} else
		v->todo = VRRP_TODO_RUN;
	if (!v->why && v->todo != VRRP_TODO_RUN && v->todo != VRRP_TODO_CREATE)
		v->why = buf;
}

/* The facts of one family; finding the macvlan adopts it (once per macvlan). */
static struct interface *vrrp_facts_gather(struct vrrp_af *af, struct vrrp_facts *f, char *mac,
					   size_t maclen)
{
	struct vrrp_vr *vr = af->vr;
	struct interface *mvl = NULL;

	memset(f, 0, sizeof(*f));
	f->enabled = vrrp_af_enabled(af);
	f->shutdown = vrrp_vr_shutdown(vr);
	f->has_addrs = af->naddrs > 0;
	f->parent = vr->ifp->name;
	f->parent_exists = vr->ifp->ifindex != IFINDEX_INTERNAL;
	f->parent_up = if_is_operative(vr->ifp);
	vrrp_vr_effective_priority(vr, &f->stopped_by);
	f->may_create = vrrp_vr_macvlan_create(vr);
	f->vmac = prefix_mac2str(&af->vmac, mac, maclen);
	if (!f->enabled || f->shutdown || !f->has_addrs || !f->parent_exists || !f->parent_up ||
	    f->stopped_by)
		return NULL;
	mvl = vrrp_bind_find(af);
	if (mvl) {
		vrrp_bind_adopt(af, mvl);
		f->mvl = mvl->name;
		f->mvl_up = if_is_up(mvl);
		f->mvl_ours = vrrp_bind_ours(af, mvl);
		f->mvl_handover = vrrp_bind_other_ours(af, mvl);
		f->mvl_raising = !f->mvl_up && vrrp_bind_handing_over(af, mvl);
	} else if (f->may_create && af->fsm.state == VRRP_STATE_INITIALIZE) {
		/* A running instance whose macvlan vanished gets it back at once. */
		f->create_wait_us = vrrp_bind_create_wait(af);
	}
	return mvl;
}

/*
 * Why a family cannot run now, or NULL, doing what the decision asks for. Finds the macvlan and
 * the source into *mvl and *src without touching the running instance's binding, which a stop
 * still needs for its priority-0 advertisement. *transient: what is missing is expected back
 * within milliseconds (a macvlan we are creating or raising). *deferred: the macvlan is to be
 * created in a later pass (the budget of this one is spent).
 */
static const char *vrrp_af_prepare(struct vrrp_af *af, struct interface **mvl, struct ipaddr *src,
				   bool *transient, bool *deferred, char *buf, size_t len)
{
	char mac[ETHER_ADDR_STRLEN];
	struct vrrp_facts f;
	struct vrrp_verdict v;
	bool created = false;
	const char *why;
	int rc;

	*transient = *deferred = false;
	src->ipa_type = IPADDR_NONE;
again:
	*mvl = vrrp_facts_gather(af, &f, mac, sizeof(mac));
	vrrp_decide(&f, &v, buf, len);
	switch (v.todo) {
	case VRRP_TODO_IDLE:
		return v.why;
	case VRRP_TODO_CREATE:
		/* Without the parent's address it could not run on one: the address event marks
		 * it again, and a creation now would only hold that event up. */
		if (af->fam->src_on_parent && af->fsm.state == VRRP_STATE_INITIALIZE &&
		    !af->fam->find_source(af, NULL, src, buf, len)) {
			src->ipa_type = IPADDR_NONE;
			return buf;
		}
		*transient = true;
		why = vrrp_bind_create(af, buf, len, deferred);
		/* Known at once from the kernel's answer: go on with it in this pass. */
		if (!why && !created) {
			created = true;
			*transient = false;
			goto again;
		}
		return why ? why : "waiting for the new macvlan";
	case VRRP_TODO_WAIT:
		vrrp_reconcile_later(f.create_wait_us / 1000 + 1);
		return v.why;
	case VRRP_TODO_HANDOVER:
		/* Theirs is raised at once: back in milliseconds. */
		*transient = vrrp_bind_handover(af, *mvl);
		return v.why;
	case VRRP_TODO_RAISE:
		/* Raised by this run, so no earlier Master left it live. */
		af->resume_checked = true;
		/* Up again, or deleted and about to be recreated: back in milliseconds. */
		rc = vrrp_io->mvl_set_up((*mvl)->ifindex);
		*transient = rc == 0 || rc == -ENODEV;
		return v.why;
	case VRRP_TODO_RUN:
		break;
	}
	vrrp_bind_resume_check(af, *mvl);
	if (f.may_create || f.mvl_ours)
		vrrp_bind_sync_addrs(af, *mvl);
	/* A unicast source is the parent's, which DAD does not hide: always look again. */
	if (af->fam->src_sticky && af->fsm.state != VRRP_STATE_INITIALIZE && af->mvl_ifp == *mvl &&
	    !IS_IPADDR_NONE(&af->src) && !vrrp_unicast_configured(af)) {
		*src = af->src;
		return NULL;
	}
	if (af->fam->find_source(af, *mvl, src, buf, len))
		return NULL;
	/* A macvlan just brought up has no link-local until DAD is through. */
	*transient = vrrp_bind_handing_over(af, *mvl);
	return buf;
}

static void vrrp_af_stop(struct vrrp_af *af)
{
	vrrp_exec_stop(af);
	vrrp_bind_rx_release(af);
}

/* A running instance takes a macvlan (and its source) it did not have. */
static void vrrp_mvl_take(struct vrrp_af *af, struct interface *mvl, const struct ipaddr *src)
{
	af->mvl_ifp = mvl;
	af->src = *src;
	vrrp_unicast_apply(af);
	af->why_down[0] = '\0';
}

/* A recreated macvlan replaces the lost one under a running instance. */
static void vrrp_mvl_rebind(struct vrrp_af *af, struct interface *mvl, const struct ipaddr *src)
{
	af->mvl_lost = false;
	vrrp_mvl_take(af, mvl, src);
	zlog_info("%s: continuing as %s on %s macvlan %s", vrrp_af_tag(af),
		  vrrp_state_str(af->fsm.state),
		  vrrp_bind_handing_over(af, mvl) ? "the handed-over" : "recreated", mvl->name);
	vrrp_bind_handover_done(af);
	/* A new interface starts without protodown: set it for what the state needs. */
	vrrp_exec_sync(af, VRRP_SYNC_ZEBRA | VRRP_SYNC_SEND);
}

/* The macvlan under a running instance is lost: the next bind to a new one is a rebind. */
static void vrrp_mvl_lost(struct vrrp_af *af, uint64_t now)
{
	if (!af->mvl_lost) {
		af->mvl_lost = true;
		af->mvl_lost_time = now;
	}
}

/*
 * Our macvlan went down or away under a running instance and is being restored: keep the state
 * (sends wait for the macvlan) for a short while instead of a full re-election. True while it
 * waits.
 */
static bool vrrp_mvl_wait(struct vrrp_af *af, const char *why)
{
	uint64_t now = vrrp_now_us();

	vrrp_mvl_lost(af, now);
	if (now - af->mvl_lost_time >= VRRP_MVL_LOST_US)
		return false;
	/* Every time: an earlier deadline of another router may have taken the timer. */
	vrrp_reconcile_later((af->mvl_lost_time + VRRP_MVL_LOST_US - now) / 1000 + 100);
	strlcpy(af->why_down, why, sizeof(af->why_down));
	return true;
}

static void vrrp_af_not_running(struct vrrp_af *af, const struct vrrp_fsm_config *fc,
				const char *why)
{
	if (!vrrp_bind_wanted(af))
		vrrp_bind_release(af);
	vrrp_exec_idle(af, fc);
	if (!strcmp(af->why_down, why))
		return;
	strlcpy(af->why_down, why, sizeof(af->why_down));
	/* Only a family the operator gave addresses to is expected to run. */
	if (vrrp_bind_wanted(af))
		zlog_info("%s: not running: %s", vrrp_af_tag(af), why);
}

static void vrrp_af_fsm_config(const struct vrrp_af *af, struct vrrp_fsm_config *fc)
{
	const struct vrrp_vr *vr = af->vr;

	memset(fc, 0, sizeof(*fc));
	fc->version = vr->cfg.version;
	fc->priority = vrrp_vr_run_priority(vr);
	fc->preempt = vrrp_vr_preempt(vr);
	fc->adver_interval = vrrp_vr_adver_interval(vr);
	fc->preempt_hold = vr->cfg.preempt_hold * 100U;
	/* A Backup started before its macvlan exists cannot be Master without it. */
	fc->hold_master = vrrp_sync_holds(af, NULL, 0) || af->mvl_awaited;
	/*
	 * Masters on one parent send on one lattice per interval, so a wake-up serves them all;
	 * each parent has its own phase, which spreads the bursts of several parents apart.
	 */
	fc->adver_aligned = true;
	fc->adver_phase = jhash_1word((uint32_t)vr->ifp->ifindex, 0x7672);
	/* The start-up delay counts from the daemon's start, not from when it was configured. */
	fc->no_master_before = vrrp_globals.startup_delay
				       ? vrrp_started_us + vrrp_globals.startup_delay * 1000000ULL
				       : 0;
	/* VRRPv2 carries whole seconds (RFC 3768 5.3.7); run with what goes on the wire. */
	if (fc->version == 2)
		fc->adver_interval = vrrp_v2_adver_int_from_cs(fc->adver_interval) * 100;
}

/*
 * A family whose macvlan must wait for a later pass to be created starts as Backup now, if its
 * source is the parent's: its Master_Down_Timer runs while the macvlans are made, instead of
 * after all of them. The receive socket is the parent's; the state machine holds it from
 * Master until the macvlan is bound (vrrp_mvl_first_bind()). False: it waits in Initialize.
 */
static bool vrrp_af_start_unbound(struct vrrp_af *af)
{
	struct vrrp_fsm_config fc;
	struct ipaddr src;
	char buf[sizeof(af->why_down)];

	if (!af->fam->src_on_parent || af->resume || af->fsm.state != VRRP_STATE_INITIALIZE)
		return false;
	if (!af->fam->find_source(af, NULL, &src, buf, sizeof(buf)) || vrrp_bind_kernel_has(af) ||
	    !vrrp_bind_rx_hold(af))
		return false;
	af->mvl_awaited = true;
	/* Its macvlan does not exist yet, so no earlier Master's is left to resume. */
	af->resume_checked = true;
	af->mvl_ifp = NULL;
	af->src = src;
	vrrp_unicast_apply(af);
	af->why_down[0] = '\0';
	VRRP_DEBUG(proto, "%s: starting before its macvlan is created", vrrp_af_tag(af));
	vrrp_af_fsm_config(af, &fc);
	vrrp_exec_configure(af, &fc);
	vrrp_exec_sync(af, 0);
	return true;
}

/* The macvlan of a family started unbound is there: bind it, and lift the hold on Master. */
static void vrrp_mvl_first_bind(struct vrrp_af *af, struct interface *mvl,
				const struct ipaddr *src)
{
	struct vrrp_fsm_config fc;

	af->mvl_awaited = false;
	vrrp_mvl_take(af, mvl, src);
	VRRP_DEBUG(proto, "%s: running as %s on macvlan %s", vrrp_af_tag(af),
		   vrrp_state_str(af->fsm.state), mvl->name);
	/* A new interface starts without protodown: set it for what the state needs. */
	vrrp_exec_sync(af, VRRP_SYNC_ZEBRA | VRRP_SYNC_SEND);
	/* A Master_Down_Timer that ran out meanwhile takes over now. */
	vrrp_af_fsm_config(af, &fc);
	vrrp_exec_configure(af, &fc);
	vrrp_exec_sync(af, 0);
}

static void vrrp_af_reconcile(struct vrrp_af *af)
{
	struct vrrp_fsm_config fc;
	char buf[sizeof(af->why_down)];
	struct interface *mvl;
	struct ipaddr src;
	bool transient, deferred, running = af->fsm.state != VRRP_STATE_INITIALIZE;
	const char *why;

	/* Stopped while it waited for its macvlan: the hold went with it. */
	if (!running)
		af->mvl_awaited = false;
	vrrp_af_fsm_config(af, &fc);
	/* Something about the interfaces changed, or may have: check the link at the next send. */
	vrrp_exec_link_changed(af);
	why = vrrp_af_prepare(af, &mvl, &src, &transient, &deferred, buf, sizeof(buf));
	/* Its turn to create the macvlan comes in a later pass. */
	if (deferred)
		vrrp_vr_mark(af->vr);
	if (why && transient && running && af->mvl_awaited) {
		strlcpy(af->why_down, why, sizeof(af->why_down));
		return;
	}
	if (why && transient && running && vrrp_mvl_wait(af, why))
		return;
	if (!why && af->mvl_awaited && running) {
		vrrp_mvl_first_bind(af, mvl, &src);
		return;
	}
	if (!why && af->mvl_lost && running) {
		vrrp_mvl_rebind(af, mvl, &src);
		return;
	}
	af->mvl_lost = af->mvl_awaited = false;
	if (!why)
		vrrp_bind_handover_done(af);
	/* Stop on the old binding: the release must leave from the old macvlan and source. */
	if (running && (why || mvl != af->mvl_ifp || ipaddr_cmp(&src, &af->src)))
		vrrp_af_stop(af);
	/* The release went to whom the old peers (or the group) said; the new ones apply now. */
	vrrp_unicast_apply(af);
	af->mvl_ifp = mvl;
	af->src = src;
	if (why && deferred && vrrp_af_start_unbound(af))
		return;
	if (why) {
		vrrp_af_not_running(af, &fc, why);
		return;
	}
	if (af->why_down[0]) {
		af->why_down[0] = '\0';
		VRRP_DEBUG(proto, "%s: ready via %s", vrrp_af_tag(af), af->mvl_ifp->name);
	}
	if (!vrrp_bind_rx_hold(af)) {
		snprintf(af->why_down, sizeof(af->why_down), "cannot open a VRRP socket on %s",
			 af->vr->ifp->name);
		return;
	}
	if (af->fsm.state == VRRP_STATE_INITIALIZE && !af->resume_checked) {
		af->resume_checked = true;
		if (af->resume) {
			vrrp_exec_resume(af, &fc, af->resume_announce);
			vrrp_exec_sync(af, 0);
			return;
		}
	}
	vrrp_exec_configure(af, &fc);
	vrrp_exec_sync(af, 0);
}

void vrrp_vr_reconcile(struct vrrp_vr *vr)
{
	/* Trackers first, so both families see one effective priority. */
	vrrp_vr_inputs_refresh(vr);
	for (int i = 0; i < VRRP_AFI_MAX; i++)
		vrrp_af_reconcile(&vr->af[i]);
}

/* Virtual routers an interface event asked to reconcile, in the order of the events. */
DECLARE_DLIST(vrrp_dirty, struct vrrp_vr, ditem);
static struct vrrp_dirty_head vrrp_dirty;
static bool vrrp_dirty_all;

static void vrrp_undirty(struct vrrp_vr *vr)
{
	if (!vr->dirty)
		return;
	vrrp_dirty_del(&vrrp_dirty, vr);
	vr->dirty = false;
}

static void vrrp_reconcile_one(struct vrrp_vr *vr, void *arg)
{
	vrrp_undirty(vr);
	vrrp_vr_reconcile(vr);
}

/* The first n marked routers; those marked again meanwhile (a creation left for later) stay. */
static void vrrp_reconcile_marked(size_t n)
{
	struct vrrp_vr *vr;

	for (; n && (vr = vrrp_dirty_pop(&vrrp_dirty)); n--) {
		vr->dirty = false;
		vrrp_vr_reconcile(vr);
	}
}

/*
 * A pass over more routers than it may create macvlans for (a start, a parent coming up) first
 * sweeps them with no creation allowed, so every IPv4 router that can starts as Backup before
 * its macvlan exists (vrrp_af_start_unbound()) instead of waiting behind a millisecond of
 * kernel work for each creation ahead of it; the routers that sweep left marked then get the
 * pass's creations. A few routers are created for and started in one sweep.
 */
static void vrrp_reconcile_sweeps(size_t n, void (*sweep)(size_t n))
{
	if (n > VRRP_CREATE_BUDGET) {
		vrrp_bind_budget_set(0);
		sweep(n);
		sweep = vrrp_reconcile_marked;
		n = vrrp_dirty_count(&vrrp_dirty);
	}
	vrrp_bind_budget_set(VRRP_CREATE_BUDGET);
	sweep(n);
}

static void vrrp_reconcile_every(size_t n)
{
	vrrp_vr_foreach(vrrp_reconcile_one, NULL);
}

void vrrp_reconcile_all(void)
{
	vrrp_dirty_all = false;
	vrrp_autoconfig();
	vrrp_reconcile_sweeps(vrrp_vr_count(), vrrp_reconcile_every);
}

static void vrrp_reconcile_schedule(void);

static void vrrp_reconcile_event(struct thread *t)
{
	/* Autoconfiguration may create or remove routers for any interface event. */
	if (vrrp_dirty_all || vrrp_globals.autoconfigure) {
		vrrp_reconcile_all();
		return;
	}
	vrrp_reconcile_sweeps(vrrp_dirty_count(&vrrp_dirty), vrrp_reconcile_marked);
}

static void vrrp_reconcile_schedule(void)
{
	thread_add_event(vrrp_master, vrrp_reconcile_event, NULL, 0, &vrrp_t_reconcile);
}

void vrrp_reconcile_soon(void)
{
	vrrp_dirty_all = true;
	vrrp_reconcile_schedule();
}

void vrrp_vr_unmark(struct vrrp_vr *vr)
{
	vrrp_undirty(vr);
}

void vrrp_vr_mark(struct vrrp_vr *vr)
{
	if (!vr || vr->dirty)
		return;
	vr->dirty = true;
	vrrp_dirty_add_tail(&vrrp_dirty, vr);
	vrrp_reconcile_schedule();
}

/* Its parent, one of its macvlans, or something one of its priority inputs watches. */
static void vrrp_mark_related(struct vrrp_vr *vr, void *arg)
{
	struct interface *ifp = arg;
	bool related = vr->ifp == ifp || vrrp_vr_inputs_concern(vr, ifp);

	for (int i = 0; i < VRRP_AFI_MAX && !related; i++)
		related = vr->af[i].mvl_ifp == ifp;
	if (related)
		vrrp_vr_mark(vr);
}

void vrrp_if_changed(struct interface *ifp, bool link)
{
	enum vrrp_afi afi;

	if (link)
		vrrp_bind_stale();
	vrrp_vr_foreach(vrrp_mark_related, ifp);
	vrrp_vr_mark(vrrp_vmac_router(ifp, &afi));
	vrrp_reconcile_schedule();
}

static void vrrp_reconcile_later_event(struct thread *t)
{
	vrrp_reconcile_all();
}

/* One timer serves every router that waits: it keeps the earliest deadline asked for. */
static void vrrp_reconcile_later(unsigned long msec)
{
	if (vrrp_t_reconcile_later && thread_timer_remain_msec(vrrp_t_reconcile_later) <= msec)
		return;
	THREAD_OFF(vrrp_t_reconcile_later);
	thread_add_timer_msec(vrrp_master, vrrp_reconcile_later_event, NULL, msec,
			      &vrrp_t_reconcile_later);
}

void vrrp_vr_stop(struct vrrp_vr *vr)
{
	vrrp_undirty(vr);
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		vrrp_af_stop(&vr->af[i]);
		vrrp_bind_release(&vr->af[i]);
	}
}

static void vrrp_if_gone_one(struct vrrp_vr *vr, void *arg)
{
	struct interface *ifp = arg;

	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		struct vrrp_af *af = &vr->af[i];

		if (af->mvl_ifp != ifp && vr->ifp != ifp)
			continue;
		/* Ours, removed for someone else's: the instance moves over to theirs. */
		if (vrrp_bind_forget(af, ifp) && af->fsm.state != VRRP_STATE_INITIALIZE)
			continue;
		/* A macvlan we can recreate at once does not stop the protocol. */
		if (vr->ifp != ifp && vrrp_vr_macvlan_create(vr) &&
		    af->fsm.state != VRRP_STATE_INITIALIZE) {
			zlog_warn("%s: macvlan %s was deleted; recreating it", vrrp_af_tag(af),
				  ifp->name);
			/* The new one may be known in the very next pass: bind it as a rebind. */
			vrrp_mvl_lost(af, vrrp_now_us());
			continue;
		}
		vrrp_af_stop(af);
	}
}

void vrrp_engine_if_gone(struct interface *ifp)
{
	vrrp_vr_foreach(vrrp_if_gone_one, ifp);
}

static void vrrp_resync_one(struct vrrp_vr *vr, void *arg)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++)
		vrrp_exec_sync(&vr->af[i], VRRP_SYNC_ZEBRA);
}

void vrrp_engine_zebra_connected(void)
{
	/*
	 * A restarted zebra knows nothing of our protodown and RA requests, and requests made
	 * while it was away were lost: state them again for every running instance.
	 */
	vrrp_vr_foreach(vrrp_resync_one, NULL);
	vrrp_reconcile_soon();
}

static bool vrrp_detaching;

void vrrp_engine_detach(void)
{
	vrrp_detaching = true;
}

bool vrrp_engine_detaching(void)
{
	return vrrp_detaching;
}

/*
 * A macvlan's protodown reached the kernel. A new Master's first advertisement and
 * announcements wait for it; they go on now, on the thread that lifted it, rather than when
 * zebra reports the link or a reconcile pass runs. A macvlan no instance owns any more gets
 * the reconcile pass.
 */
static void vrrp_protodown_done(ifindex_t ifindex, vrf_id_t vrf_id, bool down)
{
	struct interface *ifp = down ? NULL : if_lookup_by_index(ifindex, vrf_id);
	struct vrrp_vr *vr;
	enum vrrp_afi afi;

	if (!ifp)
		return;
	vr = vrrp_vmac_router(ifp, &afi);
	if (vr && vr->af[afi].mvl_ifp == ifp) {
		vrrp_exec_sync(&vr->af[afi], 0);
		return;
	}
	vrrp_if_changed(ifp, false);
}

void vrrp_engine_init(struct thread_master *master)
{
	vrrp_master = master;
	vrrp_detaching = false;
	vrrp_started_us = vrrp_now_us();
	vrrp_timer_init(master);
	vrrp_exec_init();
	vrrp_sync_init();
	vrrp_bind_init(master);
	vrrp_iflearn_init();
	vrrp_dirty_init(&vrrp_dirty);
	vrrp_track_init(master);
	vrrp_io->sock_init(master, vrrp_exec_rx);
	vrrp_timer_set_rx_drain(vrrp_io->rx_drain);
	if (vrrp_io->protodown_init)
		vrrp_io->protodown_init(master, vrrp_protodown_done);
}

void vrrp_engine_fini(void)
{
	vrrp_exec_fini();
	vrrp_sync_fini();
	vrrp_bind_fini();
	vrrp_iflearn_fini();
	vrrp_dirty_fini(&vrrp_dirty);
	vrrp_track_fini();
	THREAD_OFF(vrrp_t_reconcile);
	THREAD_OFF(vrrp_t_reconcile_later);
	vrrp_io->fini();
	vrrp_timer_fini();
}
