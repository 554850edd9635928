// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Trackers: interfaces and routes whose state lowers a virtual router's priority or stops it
 * (`vrrp N track interface|route ...`). Each is a priority input of its router (vrrp.h); this
 * file keeps their state, the hold-down that damps a flapping object, and the route
 * registrations made through zebra (vrrp_io nht_register / nht_unregister).
 */
#ifndef VRRP_TRACK_H
#define VRRP_TRACK_H

#include "lib/if.h"
#include "lib/prefix.h"
#include "lib/thread.h"
#include "lib/typesafe.h"

#include "vrrp.h"

enum vrrp_track_kind {
	VRRP_TRACK_INTERFACE = 0,
	VRRP_TRACK_ROUTE,
};

PREDECL_DLIST(vrrp_tracks);

struct vrrp_track {
	/* First, so the input's callbacks find their tracker. */
	struct vrrp_prio_input in;
	struct vrrp_tracks_item item;
	struct vrrp_vr *vr;
	enum vrrp_track_kind kind;
	/* Interface trackers: the configured name, and the ifindex it last had (renames). */
	char ifname[INTERFACE_NAMSIZ];
	ifindex_t ifindex;
	/* Route trackers: the prefix, and whether zebra last resolved it exactly. */
	struct prefix prefix;
	bool route_up;
	/* The object has been seen once: until then its first state applies at once. */
	bool settled;
	/* Still configured: cleared by vrrp_track_load_begin(), set again by each load call. */
	bool configured;
	/* Monotonic seconds (libfrr monotime, what its YANG date-and-time expects) of the last
	 * change of in.failed, or of creation. */
	time_t since;
	/* A failed object that came back is restored only once it stayed up this long. */
	struct thread *t_hold;
};

void vrrp_track_init(struct thread_master *master);
void vrrp_track_fini(void);

/*
 * The northbound applies a router's trackers as a whole: begin, one call per configured
 * tracker (decrement 0: a failure stops the router), end (removes those not named again).
 * The caller reconciles the router afterwards.
 */
void vrrp_track_load_begin(struct vrrp_vr *vr);
void vrrp_track_load_interface(struct vrrp_vr *vr, const char *ifname, uint8_t decrement);
void vrrp_track_load_route(struct vrrp_vr *vr, const struct prefix *p, uint8_t decrement);
void vrrp_track_load_end(struct vrrp_vr *vr);

/* A router's trackers of one kind in configuration order: prev NULL gives the first. */
const struct vrrp_track *vrrp_track_next(const struct vrrp_vr *vr, enum vrrp_track_kind kind,
					 const struct vrrp_track *prev);
/* The tracker of vr whose key (interface name or prefix text) is key, or NULL. */
const struct vrrp_track *vrrp_track_find(const struct vrrp_vr *vr, enum vrrp_track_kind kind,
					 const char *key);

/*
 * Why ifname cannot be tracked by VRID vrid on the interface named parent, into buf, or NULL:
 * the parent itself or one of the router's own macvlans would make it track itself.
 */
const char *vrrp_track_interface_problem(const char *parent, vrf_id_t vrf_id, uint8_t vrid,
					 const char *ifname, char *buf, size_t len);
/* Why p cannot be tracked (host bits set), into buf, or NULL. */
const char *vrrp_track_route_problem(const struct prefix *p, char *buf, size_t len);

/*
 * Whether zebra's answer makes a tracked prefix up: the resolving route is the prefix itself
 * (zebra answers with the longest match, a default route for anything) and has a nexthop.
 */
bool vrrp_track_route_resolves(const struct prefix *tracked, const struct prefix *resolved,
			       unsigned int nexthops);
/* Zebra's nexthop-tracking answer for match (vrp_zebra.c). */
void vrrp_track_route_update(vrf_id_t vrf_id, const struct prefix *match,
			     const struct prefix *resolved, unsigned int nexthops);
/* Zebra (re)connected: register every tracked prefix again. */
void vrrp_track_zebra_connected(void);

#endif /* VRRP_TRACK_H */
