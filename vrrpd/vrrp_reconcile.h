// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reconcile's decision, exposed for its unit tests: why a family cannot run, and what must be
 * made first, as a plain function of configuration and interface facts.
 */
#ifndef VRRP_RECONCILE_H
#define VRRP_RECONCILE_H

#include "vrrp.h"

/* What reconcile knows about one family before it decides. */
struct vrrp_facts {
	bool enabled;	    /* the version can carry this family */
	bool shutdown;	    /* shut down, by the router or the default */
	bool has_addrs;	    /* virtual addresses configured */
	const char *parent; /* parent's name */
	bool parent_exists; /* zebra knows its ifindex */
	bool parent_up;	    /* operative */
	/* The failed priority input that stops the router, or NULL. */
	const char *stopped_by;
	/* The macvlan carrying the virtual MAC, or NULL. */
	const char *mvl;
	bool mvl_up;   /* administratively up */
	bool mvl_ours; /* made by this daemon */
	/* mvl is someone else's, and ours carries the virtual MAC too: hand over to theirs. */
	bool mvl_handover;
	/* mvl is someone else's that a hand-over brought up: wait for it as for ours. */
	bool mvl_raising;
	bool may_create;
	/* How long creation still waits for someone else's macvlan (us); 0: create now. */
	uint64_t create_wait_us;
	const char *vmac; /* "00:00:5e:00:01:05", for the message */
};

enum vrrp_todo {
	VRRP_TODO_RUN,	    /* everything exists: bind and run */
	VRRP_TODO_IDLE,	    /* cannot run, and there is nothing to make */
	VRRP_TODO_CREATE,   /* our macvlan must be created */
	VRRP_TODO_RAISE,    /* our macvlan must be brought up */
	VRRP_TODO_WAIT,	    /* ours is to be created once the wait for someone else's ends */
	VRRP_TODO_HANDOVER, /* ours must go, so that someone else's can hold the MAC */
};

struct vrrp_verdict {
	enum vrrp_todo todo;
	/* Why the family cannot run (NULL for RUN and CREATE); points into buf or a literal. */
	const char *why;
};

void vrrp_decide(const struct vrrp_facts *f, struct vrrp_verdict *v, char *buf, size_t len);

#endif /* VRRP_RECONCILE_H */
