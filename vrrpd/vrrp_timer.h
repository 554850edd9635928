// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Protocol timers: absolute deadlines on the monotonic clock, kept in one heap and served by one
 * timerfd that the FRR event loop reads. libfrr 8.4's own timers poll with a whole-millisecond
 * timeout and then spin until the deadline, and the kernel lets a long poll timeout expire up to
 * 0.1 % late; a timerfd has neither problem. This file owns the heap and the timerfd.
 */
#ifndef VRRP_TIMER_H
#define VRRP_TIMER_H

#include "lib/typesafe.h"

struct thread_master;

PREDECL_HEAP(vrrp_timers);

typedef void (*vrrp_timer_fn)(void *arg);

/* Embedded in its owner; zero-initialised means "not armed". */
struct vrrp_timer {
	struct vrrp_timers_item hitem;
	uint64_t deadline; /* monotonic microseconds */
	/* How much earlier it may run when the loop is awake for another timer anyway. */
	uint32_t early_us;
	vrrp_timer_fn fn;
	void *arg;
	bool armed;
	/* Run only after the receive queues are read (vrrp_timer_set_rx_drain()). */
	bool after_rx;
};

/* Monotonic microseconds, the clock every deadline is on (the same as libfrr's monotime). */
uint64_t vrrp_now_us(void);
/*
 * The monotonic time of a CLOCK_REALTIME stamp (a socket's arrival time), given both clocks
 * read now: no later than mono_now and no earlier than max_age_us before it, so a step of the
 * realtime clock moves the result by at most that much.
 */
uint64_t vrrp_mono_of_real(uint64_t real_us, uint64_t real_now_us, uint64_t mono_now_us,
			   uint64_t max_age_us);

void vrrp_timer_init(struct thread_master *master);
/* Every timer must have been cancelled before. */
void vrrp_timer_fini(void);

/*
 * (Re)arm t to call fn(arg) once at deadline; a deadline in the past runs at the next turn. The
 * timerfd is never programmed early for it, but when an earlier timer wakes the loop, t runs in
 * the same wake-up if its deadline is at most early_us ahead: many virtual routers then share
 * one wake-up (and one trip through libfrr's event loop) instead of one each.
 */
void vrrp_timer_arm(struct vrrp_timer *t, uint64_t deadline, uint32_t early_us, vrrp_timer_fn fn,
		    void *arg);
void vrrp_timer_cancel(struct vrrp_timer *t);

/*
 * A timer that a received datagram would push later, as a Backup's Master_Down timer, must not
 * run out while such datagrams wait unread: after the daemon was held up (a busy host), the
 * timerfd and the sockets are readable at once, and the loop may serve the timerfd first.
 * When a wake-up finds a timer with after_rx due, it calls drain() once first; the datagrams it
 * reads re-arm their timers, and only those still due run.
 */
void vrrp_timer_set_rx_drain(void (*drain)(void));

static inline bool vrrp_timer_armed(const struct vrrp_timer *t)
{
	return t->armed;
}

/* Statistics for tests and benchmarks: timerfd programmings and wake-ups so far. */
struct vrrp_timer_stats {
	uint64_t programmed;
	uint64_t wakeups;
	uint64_t fired;
};
void vrrp_timer_get_stats(struct vrrp_timer_stats *out);

#endif /* VRRP_TIMER_H */
