// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The announcement policy of a new Master, keepalived's garp_master_repeat / _delay / _refresh:
 * how many gratuitous ARPs (IPv4) or unsolicited Neighbor Advertisements (IPv6) go out per
 * virtual address in one burst, and when bursts after the takeover's own are due. This file
 * owns the schedule, a pure function of the policy and a clock, and the executor's side of it:
 * the one burst timer of each instance. The messages are sent and counted by the executor
 * (vrrp_exec_announce()), which calls in here when an instance becomes Master, follows a
 * change of the policy and leaves Master.
 */
#ifndef VRRP_GARP_H
#define VRRP_GARP_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrp_timer.h"

struct vrrp_af;

/* Built-in defaults; doc/configuration.rst says why these. */
#define VRRP_GARP_DEFAULT_REPEAT 2
#define VRRP_GARP_DEFAULT_DELAY 5   /* s */
#define VRRP_GARP_DEFAULT_REFRESH 0 /* s: none */

/* The policy in effect for one virtual router. */
struct vrrp_garp_policy {
	uint8_t repeat;	  /* messages per virtual address in every burst, 1..20 */
	uint16_t delay;	  /* s from the takeover to the second burst; 0: none */
	uint32_t refresh; /* s between refresh bursts while Master; 0: none */
};

/* A virtual router's own settings; VRRP_GARP_UNSET where the global default applies. */
#define VRRP_GARP_UNSET (-1)
struct vrrp_garp_config {
	int32_t repeat;
	int32_t delay;
	int32_t refresh;
};

/*
 * The schedule (pure). Times are monotonic microseconds. After a takeover at `since`, bursts
 * are due at since + delay (if delay > 0) and at since + k * refresh for k = 1, 2, ... (if
 * refresh > 0); bursts due at the same time are one burst. The takeover's own burst is not
 * part of the schedule: the executor sends it with the state change.
 *
 * vrrp_garp_next(): the first burst due strictly after `after`, 0 if none is left.
 */
uint64_t vrrp_garp_next(const struct vrrp_garp_policy *p, uint64_t since, uint64_t after);

/* What to do at `now` for a Master since `since` whose bursts up to `last` were served. */
struct vrrp_garp_plan {
	/* Messages per virtual address to send now: the policy's repeat if a burst is due, else
	 * 0. Several bursts due at once (the loop stalled) are sent as one. */
	uint8_t repeat;
	/* When the next burst is due, 0 for none: the timer's deadline. */
	uint64_t next;
};
void vrrp_garp_plan(const struct vrrp_garp_policy *p, uint64_t since, uint64_t last, uint64_t now,
		    struct vrrp_garp_plan *out);

/* An instance's schedule; the executor's to write, like the rest of its protocol state. */
struct vrrp_garp_sched {
	struct vrrp_timer t;		/* the next burst after the takeover's; Master only */
	uint64_t since;			/* the takeover */
	uint64_t last;			/* every burst due up to this time was served */
	struct vrrp_garp_policy policy; /* what the schedule runs with */
};

/* The instance became Master at `now`: the takeover's burst, and the timer for the next one. */
void vrrp_garp_takeover(struct vrrp_af *af, uint64_t now);
/*
 * The instance resumed Master after a restart at `now`: the LAN knows its addresses already, so
 * no burst and no second one, only the refreshes; all of a takeover's if announce (an address
 * was missing).
 */
void vrrp_garp_resume(struct vrrp_af *af, uint64_t now, bool announce);
/* A Master follows a changed policy from now on, keeping the takeover's phase; no burst now. */
void vrrp_garp_sync(struct vrrp_af *af);
/* The instance left Master or stops: no more bursts. */
void vrrp_garp_stop(struct vrrp_af *af);

#endif /* VRRP_GARP_H */
