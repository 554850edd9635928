// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Trackers (see vrrp_track.h): their life from the northbound's load to the router's end, the
 * state of each tracked interface (looked up by name at every refresh, so interfaces that come,
 * go or are renamed need no bookkeeping) and route (zebra's nexthop-tracking answers), and the
 * hold-down that restores a failed tracker only after it stayed up one advertisement interval.
 * A failure applies at once; the hold-down keeps an object that flaps faster than that from
 * moving mastership back and forth: at most one handover each way per burst of flapping.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/monotime.h"
#include "lib/prefix.h"
#include "lib/thread.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_af.h"
#include "vrrp_bind.h"
#include "vrrp_debug.h"
#include "vrrp_engine.h"
#include "vrrp_io.h"
#include "vrrp_track.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_TRACK, "VRRP tracker");

DECLARE_DLIST(vrrp_tracks, struct vrrp_track, item);

/* Every tracker of every router, in configuration order. */
static struct vrrp_tracks_head vrrp_tracks;
static struct thread_master *vrrp_track_master;

static struct vrrp_track *vrrp_track_of(struct vrrp_prio_input *in)
{
	return container_of(in, struct vrrp_track, in);
}

static vrf_id_t vrrp_track_vrf(const struct vrrp_track *t)
{
	return t->vr->ifp->vrf->vrf_id;
}

/* State. */

static void vrrp_track_set_failed(struct vrrp_track *t, bool failed, bool mark)
{
	if (t->in.failed == failed)
		return;
	t->in.failed = failed;
	t->since = monotime(NULL);
	zlog_info("[VRID %u] %s: tracked %s is %s", t->vr->vrid, t->vr->ifp->name, t->in.name,
		  failed ? "down" : "up again");
	/* A refresh runs inside the router's reconcile; anything else asks for one. */
	if (mark)
		vrrp_vr_mark(t->vr);
}

/* Whether the object is up now, as far as the daemon knows. */
static bool vrrp_track_object_up(struct vrrp_track *t)
{
	struct interface *ifp;

	if (t->kind == VRRP_TRACK_ROUTE)
		return t->route_up;
	ifp = if_lookup_by_name(t->ifname, vrrp_track_vrf(t));
	if (!ifp || ifp->ifindex == IFINDEX_INTERNAL) {
		t->ifindex = IFINDEX_INTERNAL;
		return false;
	}
	t->ifindex = ifp->ifindex;
	return if_is_operative(ifp);
}

static void vrrp_track_hold_end(struct thread *thread)
{
	struct vrrp_track *t = THREAD_ARG(thread);

	if (vrrp_track_object_up(t))
		vrrp_track_set_failed(t, false, true);
}

/* The restore hold-down: one advertisement interval of the router (cs, so 10 ms each). */
static unsigned long vrrp_track_hold_ms(const struct vrrp_track *t)
{
	return (unsigned long)vrrp_vr_adver_interval(t->vr) * VRRP_MS_PER_CS;
}

/* What was observed: a failure applies now, a recovery once it held (unless the first). */
static void vrrp_track_observe(struct vrrp_track *t, bool up, bool mark)
{
	if (!t->settled) {
		t->settled = true;
		vrrp_track_set_failed(t, !up, mark);
		return;
	}
	if (!up) {
		THREAD_OFF(t->t_hold);
		vrrp_track_set_failed(t, true, mark);
		return;
	}
	if (!t->in.failed || t->t_hold)
		return;
	VRRP_DEBUG(proto, "[VRID %u] %s: tracked %s is up; restoring in %lu ms", t->vr->vrid,
		   t->vr->ifp->name, t->in.name, vrrp_track_hold_ms(t));
	thread_add_timer_msec(vrrp_track_master, vrrp_track_hold_end, t, vrrp_track_hold_ms(t),
			      &t->t_hold);
}

static void vrrp_track_refresh(struct vrrp_prio_input *in)
{
	struct vrrp_track *t = vrrp_track_of(in);

	/* Routes change only by zebra's answers, which observe them as they come. */
	if (t->kind == VRRP_TRACK_INTERFACE)
		vrrp_track_observe(t, vrrp_track_object_up(t), false);
}

/* By name, or the interface it resolved to last time (which a rename keeps). */
static bool vrrp_track_concerns(const struct vrrp_prio_input *in, const struct interface *ifp)
{
	const struct vrrp_track *t = container_of(in, const struct vrrp_track, in);

	if (t->kind != VRRP_TRACK_INTERFACE)
		return false;
	return !strcmp(ifp->name, t->ifname) ||
	       (t->ifindex != IFINDEX_INTERNAL && ifp->ifindex == t->ifindex);
}

/* Route registrations: one per (prefix, VRF), however many trackers share it. */

static bool vrrp_track_same_route(const struct vrrp_track *a, const struct vrrp_track *b)
{
	return a != b && b->kind == VRRP_TRACK_ROUTE && prefix_same(&a->prefix, &b->prefix) &&
	       vrrp_track_vrf(a) == vrrp_track_vrf(b);
}

/* Whether an earlier tracker has the same route, so this one's registration is made. */
static bool vrrp_track_registered_before(const struct vrrp_track *t)
{
	const struct vrrp_track *o;

	frr_each (vrrp_tracks_const, &vrrp_tracks, o) {
		if (o == t)
			return false;
		if (vrrp_track_same_route(t, o))
			return true;
	}
	return false;
}

static bool vrrp_track_route_shared(const struct vrrp_track *t)
{
	const struct vrrp_track *o;

	frr_each (vrrp_tracks_const, &vrrp_tracks, o)
		if (vrrp_track_same_route(t, o))
			return true;
	return false;
}

/* A new tracker of a prefix already registered starts from what zebra told the others. */
static void vrrp_track_route_copy_shared(struct vrrp_track *t)
{
	const struct vrrp_track *o;

	frr_each (vrrp_tracks_const, &vrrp_tracks, o)
		if (vrrp_track_same_route(t, o) && o->settled) {
			t->route_up = o->route_up;
			vrrp_track_observe(t, t->route_up, false);
			return;
		}
}

/* Free a tracker; its router has already let go of its input. */
static void vrrp_track_free(struct vrrp_track *t)
{
	vrrp_tracks_del(&vrrp_tracks, t);
	if (t->kind == VRRP_TRACK_ROUTE && !vrrp_track_route_shared(t))
		vrrp_io->nht_unregister(&t->prefix, vrrp_track_vrf(t));
	THREAD_OFF(t->t_hold);
	XFREE(MTYPE_VRRP_TRACK, t);
}

static void vrrp_track_detach(struct vrrp_prio_input *in)
{
	vrrp_track_free(vrrp_track_of(in));
}

/* Loading from the northbound. */

static struct vrrp_track *vrrp_track_lookup(const struct vrrp_vr *vr, enum vrrp_track_kind kind,
					    const char *ifname, const struct prefix *p)
{
	struct vrrp_track *t;

	frr_each (vrrp_tracks, &vrrp_tracks, t) {
		if (t->vr != vr || t->kind != kind)
			continue;
		if (kind == VRRP_TRACK_INTERFACE ? !strcmp(t->ifname, ifname)
						 : prefix_same(&t->prefix, p))
			return t;
	}
	return NULL;
}

static struct vrrp_track *vrrp_track_new(struct vrrp_vr *vr, enum vrrp_track_kind kind)
{
	struct vrrp_track *t = XCALLOC(MTYPE_VRRP_TRACK, sizeof(*t));

	t->vr = vr;
	t->kind = kind;
	t->ifindex = IFINDEX_INTERNAL;
	t->since = monotime(NULL);
	/* Unknown until seen: a router that a tracker may stop does not start on a guess. */
	t->in.failed = true;
	t->in.concerns = vrrp_track_concerns;
	t->in.refresh = vrrp_track_refresh;
	t->in.detach = vrrp_track_detach;
	vrrp_tracks_add_tail(&vrrp_tracks, t);
	vrrp_vr_input_add(vr, &t->in);
	return t;
}

void vrrp_track_load_begin(struct vrrp_vr *vr)
{
	struct vrrp_track *t;

	frr_each (vrrp_tracks, &vrrp_tracks, t)
		if (t->vr == vr)
			t->configured = false;
}

void vrrp_track_load_interface(struct vrrp_vr *vr, const char *ifname, uint8_t decrement)
{
	struct vrrp_track *t = vrrp_track_lookup(vr, VRRP_TRACK_INTERFACE, ifname, NULL);

	if (!t) {
		t = vrrp_track_new(vr, VRRP_TRACK_INTERFACE);
		strlcpy(t->ifname, ifname, sizeof(t->ifname));
		snprintf(t->in.name, sizeof(t->in.name), "interface %s", ifname);
	}
	t->in.decrement = decrement;
	t->configured = true;
}

void vrrp_track_load_route(struct vrrp_vr *vr, const struct prefix *p, uint8_t decrement)
{
	struct vrrp_track *t = vrrp_track_lookup(vr, VRRP_TRACK_ROUTE, NULL, p);

	if (!t) {
		t = vrrp_track_new(vr, VRRP_TRACK_ROUTE);
		prefix_copy(&t->prefix, p);
		snprintfrr(t->in.name, sizeof(t->in.name), "route %pFX", p);
		/* Zebra answers a registration at once with what it knows. */
		if (!vrrp_track_route_shared(t))
			vrrp_io->nht_register(&t->prefix, vrrp_track_vrf(t));
		else
			vrrp_track_route_copy_shared(t);
	}
	t->in.decrement = decrement;
	t->configured = true;
}

void vrrp_track_load_end(struct vrrp_vr *vr)
{
	struct vrrp_track *t;

	frr_each_safe (vrrp_tracks, &vrrp_tracks, t) {
		if (t->vr != vr || t->configured)
			continue;
		vrrp_vr_input_del(vr, &t->in);
		vrrp_track_free(t);
	}
}

/* Lookups for the northbound's state. */

const struct vrrp_track *vrrp_track_next(const struct vrrp_vr *vr, enum vrrp_track_kind kind,
					 const struct vrrp_track *prev)
{
	const struct vrrp_track *t;

	t = prev ? vrrp_tracks_const_next(&vrrp_tracks, prev)
		 : vrrp_tracks_const_first(&vrrp_tracks);
	for (; t; t = vrrp_tracks_const_next(&vrrp_tracks, t))
		if (t->vr == vr && t->kind == kind)
			return t;
	return NULL;
}

const struct vrrp_track *vrrp_track_find(const struct vrrp_vr *vr, enum vrrp_track_kind kind,
					 const char *key)
{
	struct prefix p;

	if (kind == VRRP_TRACK_INTERFACE)
		return vrrp_track_lookup(vr, kind, key, NULL);
	if (str2prefix(key, &p) <= 0)
		return NULL;
	return vrrp_track_lookup(vr, kind, NULL, &p);
}

/* Validation. */

const char *vrrp_track_interface_problem(const char *parent, vrf_id_t vrf_id, uint8_t vrid,
					 const char *ifname, char *buf, size_t len)
{
	struct interface *pifp = if_lookup_by_name(parent, vrf_id);
	struct interface *ifp = if_lookup_by_name(ifname, vrf_id);
	enum vrrp_afi afi;
	uint8_t mvrid;
	char name[INTERFACE_NAMSIZ + 8];

	if (!strcmp(parent, ifname)) {
		snprintf(
			buf, len,
			"%s is the interface of VRID %u itself; its state already stops the router",
			ifname, vrid);
		return buf;
	}
	for (int i = 0; pifp && pifp->ifindex != IFINDEX_INTERNAL && i < VRRP_AFI_MAX; i++) {
		vrrp_bind_mvl_name(vrrp_family(i), pifp->ifindex, vrid, name, sizeof(name));
		if (!strcmp(name, ifname))
			goto own;
	}
	if (ifp && pifp && vrrp_if_vmac(ifp, &afi, &mvrid) && mvrid == vrid &&
	    ifp->link_ifindex == pifp->ifindex && pifp->ifindex != IFINDEX_INTERNAL)
		goto own;
	return NULL;
own:
	snprintf(buf, len,
		 "%s is a macvlan of VRID %u on %s; a router cannot track its own macvlan", ifname,
		 vrid, parent);
	return buf;
}

const char *vrrp_track_route_problem(const struct prefix *p, char *buf, size_t len)
{
	struct prefix masked;

	prefix_copy(&masked, p);
	apply_mask(&masked);
	if (prefix_same(&masked, p))
		return NULL;
	snprintfrr(buf, len, "%pFX has host bits set; did you mean %pFX?", p, &masked);
	return buf;
}

/* Zebra. */

bool vrrp_track_route_resolves(const struct prefix *tracked, const struct prefix *resolved,
			       unsigned int nexthops)
{
	return nexthops > 0 && prefix_same(tracked, resolved);
}

void vrrp_track_route_update(vrf_id_t vrf_id, const struct prefix *match,
			     const struct prefix *resolved, unsigned int nexthops)
{
	bool up = vrrp_track_route_resolves(match, resolved, nexthops);
	struct vrrp_track *t;

	VRRP_DEBUG(zebra, "route %pFX resolved by %pFX with %u nexthops: %s", match, resolved,
		   nexthops, up ? "up" : "down");
	frr_each (vrrp_tracks, &vrrp_tracks, t) {
		if (t->kind != VRRP_TRACK_ROUTE || vrrp_track_vrf(t) != vrf_id ||
		    !prefix_same(&t->prefix, match))
			continue;
		t->route_up = up;
		vrrp_track_observe(t, up, true);
	}
}

void vrrp_track_zebra_connected(void)
{
	struct vrrp_track *t;

	frr_each (vrrp_tracks, &vrrp_tracks, t)
		if (t->kind == VRRP_TRACK_ROUTE && !vrrp_track_registered_before(t))
			vrrp_io->nht_register(&t->prefix, vrrp_track_vrf(t));
}

void vrrp_track_init(struct thread_master *master)
{
	vrrp_track_master = master;
	vrrp_tracks_init(&vrrp_tracks);
}

void vrrp_track_fini(void)
{
	/* The routers free their trackers (vrrp_fini()); nothing may be left by then. */
	vrrp_tracks_fini(&vrrp_tracks);
}
