// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The announcement policy of a new Master (see vrrp_garp.h): the schedule of bursts after the
 * takeover, as a pure function, and the executor's burst timer that follows it. Every message
 * goes out through vrrp_exec_announce(), so the announcement counter counts them all.
 */
#include <zebra.h>

#include <inttypes.h>

#include "vrrp.h"
#include "vrrp_debug.h"
#include "vrrp_exec.h"
#include "vrrp_garp.h"
#include "vrrp_timer.h"

#define VRRP_GARP_US_PER_S 1000000ULL

/*
 * How early a burst may run to share a wake-up with another timer. The schedule is in seconds
 * and the timer runs as of its deadline, so 10 ms early changes nothing anyone can see.
 */
#define VRRP_GARP_EARLY_US 10000

/* The schedule. */

/* The first since + k * period, k >= 1, strictly after `after`. */
static uint64_t vrrp_garp_periodic(uint64_t since, uint64_t period, uint64_t after)
{
	uint64_t k = after < since ? 1 : (after - since) / period + 1;

	return since + k * period;
}

uint64_t vrrp_garp_next(const struct vrrp_garp_policy *p, uint64_t since, uint64_t after)
{
	uint64_t second = since + p->delay * VRRP_GARP_US_PER_S, next = 0;

	if (p->delay && second > after)
		next = second;
	if (p->refresh) {
		uint64_t r = vrrp_garp_periodic(since, p->refresh * VRRP_GARP_US_PER_S, after);

		/* A refresh due with the second burst is that burst. */
		if (!next || r < next)
			next = r;
	}
	return next;
}

void vrrp_garp_plan(const struct vrrp_garp_policy *p, uint64_t since, uint64_t last, uint64_t now,
		    struct vrrp_garp_plan *out)
{
	uint64_t due = vrrp_garp_next(p, since, last);

	out->repeat = due && due <= now ? p->repeat : 0;
	out->next = vrrp_garp_next(p, since, MAX(last, now));
}

/* The executor's side. */

static void vrrp_garp_timer(void *arg);

static void vrrp_garp_arm(struct vrrp_af *af, uint64_t deadline)
{
	if (deadline)
		vrrp_timer_arm(&af->garp.t, deadline, VRRP_GARP_EARLY_US, vrrp_garp_timer, af);
	else
		vrrp_timer_cancel(&af->garp.t);
}

static void vrrp_garp_timer(void *arg)
{
	struct vrrp_af *af = arg;
	struct vrrp_garp_sched *g = &af->garp;
	struct vrrp_garp_plan plan;
	/* Run early to share a wake-up: as of the deadline, so the phase stays the takeover's. */
	uint64_t now = MAX(vrrp_now_us(), g->t.deadline);

	if (af->fsm.state != VRRP_STATE_MASTER)
		return;
	vrrp_garp_plan(&g->policy, g->since, g->last, now, &plan);
	g->last = now;
	if (plan.repeat) {
		VRRP_DEBUG(proto, "%s: announcing again, %" PRIu64 " ms after becoming Master",
			   vrrp_af_tag(af), (now - g->since) / 1000);
		vrrp_exec_announce(af);
	}
	vrrp_garp_arm(af, plan.next);
}

void vrrp_garp_takeover(struct vrrp_af *af, uint64_t now)
{
	struct vrrp_garp_sched *g = &af->garp;

	vrrp_vr_garp(af->vr, &g->policy);
	g->since = g->last = now;
	vrrp_exec_announce(af);
	vrrp_garp_arm(af, vrrp_garp_next(&g->policy, now, now));
}

void vrrp_garp_resume(struct vrrp_af *af, uint64_t now, bool announce)
{
	struct vrrp_garp_sched *g = &af->garp;

	if (announce) {
		vrrp_garp_takeover(af, now);
		return;
	}
	vrrp_vr_garp(af->vr, &g->policy);
	g->since = now;
	g->last = now + g->policy.delay * 1000000ULL;
	vrrp_garp_arm(af, vrrp_garp_next(&g->policy, now, g->last));
}

void vrrp_garp_sync(struct vrrp_af *af)
{
	struct vrrp_garp_sched *g = &af->garp;
	struct vrrp_garp_policy p;

	if (af->fsm.state != VRRP_STATE_MASTER)
		return;
	vrrp_vr_garp(af->vr, &p);
	if (p.repeat == g->policy.repeat && p.delay == g->policy.delay &&
	    p.refresh == g->policy.refresh)
		return;
	g->policy = p;
	/* From now on: what the new policy would have sent before now is not sent at once. */
	vrrp_garp_arm(af, vrrp_garp_next(&p, g->since, MAX(g->last, vrrp_now_us())));
}

void vrrp_garp_stop(struct vrrp_af *af)
{
	vrrp_timer_cancel(&af->garp.t);
}
