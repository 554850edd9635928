// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Protocol timers on one timerfd. The heap holds every armed timer by deadline; the timerfd is
 * programmed (absolute, CLOCK_MONOTONIC) for the earliest one. With many timers reprogramming is
 * lazy: a timer pushed later, as a Backup's Master_Down timer is on every advertisement it
 * receives, leaves the timerfd alone, and the early wake-up that follows finds nothing due and
 * programs the real deadline. That keeps the system calls per received advertisement at zero.
 */
#include <zebra.h>

#include <sys/timerfd.h>

#include "lib/monotime.h"
#include "lib/thread.h"

#include "vrrp_errors.h"
#include "vrrp_loop.h"
#include "vrrp_timer.h"

static int vrrp_timer_cmp(const struct vrrp_timer *a, const struct vrrp_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	return (a > b) - (a < b);
}

DECLARE_HEAP(vrrp_timers, struct vrrp_timer, hitem, vrrp_timer_cmp);

static struct {
	struct thread_master *master;
	struct vrrp_timers_head heap;
	/*
	 * Never fires and never leaves the heap: a heap that empties frees its array, and a lone
	 * router's timer leaves and re-enters it on every advertisement.
	 */
	struct vrrp_timer end;
	int fd;
	struct vrrp_watch w_read;
	/* Fallback when no timerfd can be had: one libfrr timer for the earliest deadline. */
	struct thread *t_fallback;
	/* What the timerfd is programmed for; 0 when it is idle (expired or never set). */
	uint64_t programmed;
	bool dispatching;
	void (*rx_drain)(void);
	struct vrrp_timer_stats stats;
} vt = {.fd = -1};

uint64_t vrrp_now_us(void)
{
	struct timeval tv;

	monotime(&tv);
	return (uint64_t)tv.tv_sec * 1000000ULL + (uint64_t)tv.tv_usec;
}

uint64_t vrrp_mono_of_real(uint64_t real_us, uint64_t real_now_us, uint64_t mono_now_us,
			   uint64_t max_age_us)
{
	uint64_t age = real_now_us > real_us ? real_now_us - real_us : 0;

	if (age > max_age_us)
		age = max_age_us;
	return mono_now_us > age ? mono_now_us - age : 0;
}

static void vrrp_timer_dispatch(void);

static void vrrp_timer_fallback(struct thread *t)
{
	vt.programmed = 0;
	vrrp_timer_dispatch();
}

/*
 * With at most this many timers, a timer pushed later reprograms the timerfd at once: one
 * timerfd_settime() is cheaper than the wake-up for nothing that the lazy way costs (an
 * epoll_wait() and a timerfd_settime() on the protocol thread), and with one or two virtual
 * routers that wake-up would come every few advertisements. With more, the earliest timer
 * changes on almost every received advertisement, and being lazy saves a system call on each.
 */
#define VRRP_TIMER_EAGER_MAX 4

/*
 * Make the timerfd (or the fallback) fire no later than the earliest deadline, and, with few
 * timers, not earlier either.
 */
static void vrrp_timer_program(void)
{
	struct vrrp_timer *first = vrrp_timers_first(&vt.heap);
	struct itimerspec its = {};

	if (first == &vt.end || vt.programmed == first->deadline)
		return;
	if (vt.programmed && vt.programmed < first->deadline &&
	    vrrp_timers_count(&vt.heap) - 1 > VRRP_TIMER_EAGER_MAX)
		return;
	vt.programmed = first->deadline;
	vt.stats.programmed++;
	if (vt.fd < 0) {
		uint64_t now = vrrp_now_us();
		uint64_t delay = first->deadline > now ? first->deadline - now : 0;
		struct timeval tv = {.tv_sec = delay / 1000000, .tv_usec = delay % 1000000};

		THREAD_OFF(vt.t_fallback);
		thread_add_timer_tv(vt.master, vrrp_timer_fallback, NULL, &tv, &vt.t_fallback);
		return;
	}
	/* A zero it_value disarms a timerfd; a deadline of 0 us is long past anyway. */
	its.it_value.tv_sec = first->deadline / 1000000;
	its.it_value.tv_nsec = (first->deadline % 1000000) * 1000 + 1;
	if (timerfd_settime(vt.fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		flog_err(EC_VRRP_TIMER, "timerfd_settime: %s", safe_strerror(errno));
		vt.programmed = 0;
	}
}

/*
 * Run every timer that is due, including those that fall due while the earlier ones run, and
 * those close enough to their deadline to share this wake-up. The heap is ordered by deadline,
 * so the first timer that may not run yet ends the batch.
 */
static void vrrp_timer_dispatch(void)
{
	uint64_t now = vrrp_now_us();
	struct vrrp_timer *t;
	bool drained = false;

	vt.stats.wakeups++;
	vt.dispatching = true;
	while ((t = vrrp_timers_first(&vt.heap)) != &vt.end) {
		if (t->deadline > now + t->early_us) {
			now = vrrp_now_us();
			if (t->deadline > now + t->early_us)
				break;
		}
		if (t->after_rx && !drained && vt.rx_drain) {
			/* What it reads may move this timer and others later: look again. */
			drained = true;
			vt.rx_drain();
			continue;
		}
		vrrp_timers_del(&vt.heap, t);
		t->armed = false;
		vt.stats.fired++;
		t->fn(t->arg);
	}
	vt.dispatching = false;
	vrrp_timer_program();
}

static void vrrp_timer_read(void *arg)
{
	uint64_t expirations;

	vt.programmed = 0;
	vrrp_timer_dispatch();
	/*
	 * Programming the timerfd again resets its expiration count, which is all a read would
	 * do; only when nothing is left to program must the expiration be read away, or the
	 * timerfd would stay readable. A spurious wake-up (EAGAIN) is harmless.
	 */
	if (!vt.programmed && read(vt.fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		flog_err(EC_VRRP_TIMER, "timerfd read: %s", safe_strerror(errno));
}

void vrrp_timer_arm(struct vrrp_timer *t, uint64_t deadline, uint32_t early_us, vrrp_timer_fn fn,
		    void *arg)
{
	if (t->armed)
		vrrp_timers_del(&vt.heap, t);
	t->deadline = deadline;
	t->early_us = early_us;
	t->fn = fn;
	t->arg = arg;
	t->armed = true;
	vrrp_timers_add(&vt.heap, t);
	/* The dispatcher programs once at its end, whatever its callbacks armed. */
	if (!vt.dispatching)
		vrrp_timer_program();
}

void vrrp_timer_cancel(struct vrrp_timer *t)
{
	if (!t->armed)
		return;
	vrrp_timers_del(&vt.heap, t);
	t->armed = false;
}

void vrrp_timer_set_rx_drain(void (*drain)(void))
{
	vt.rx_drain = drain;
}

void vrrp_timer_get_stats(struct vrrp_timer_stats *out)
{
	*out = vt.stats;
}

void vrrp_timer_init(struct thread_master *master)
{
	vt.master = master;
	vrrp_timers_init(&vt.heap);
	vt.end.deadline = UINT64_MAX;
	vt.end.armed = true;
	vrrp_timers_add(&vt.heap, &vt.end);
	vt.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (vt.fd < 0) {
		flog_err(EC_VRRP_TIMER, "timerfd_create: %s; using libfrr's timers",
			 safe_strerror(errno));
		/* libfrr's timers fire on the main loop, and only its thread may cancel them. */
		vrrp_loop_single("no timerfd");
		return;
	}
	vrrp_loop_watch(master, &vt.w_read, vt.fd, vrrp_timer_read, NULL);
}

void vrrp_timer_fini(void)
{
	struct vrrp_timer *t;

	while ((t = vrrp_timers_pop(&vt.heap)))
		t->armed = false;
	vrrp_timers_fini(&vt.heap);
	THREAD_OFF(vt.t_fallback);
	if (vt.fd >= 0) {
		vrrp_loop_unwatch(&vt.w_read);
		close(vt.fd);
	}
	vt.fd = -1;
	vt.programmed = 0;
	vt.master = NULL;
}
