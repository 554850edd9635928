// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the protocol timers (vrrpd/vrrp_timer.c) on a real libfrr event loop and a real
 * timerfd: order, cancellation, re-arming from a callback, and the lazy reprogramming that keeps
 * a Backup's receive path free of system calls. No test asserts how late a timer may fire (that
 * is the benchmark's business); they assert that none fires early and that each fires once.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/memory.h"
#include "lib/thread.h"

#include <poll.h>
#include <pthread.h>

#include "vrrp_loop.h"
#include "vrrp_timer.h"

#define MS 1000ULL

static struct thread_master *master;

struct probe {
	struct vrrp_timer t;
	int id;
	int fired;
	uint64_t fired_at;
	/* Re-arm this many more times, interval apart, from the callback. */
	int again;
	uint64_t interval;
};

static int order[16];
static int norder;

static void probe_fire(void *arg)
{
	struct probe *p = arg;

	p->fired++;
	p->fired_at = vrrp_now_us();
	if (norder < (int)array_size(order))
		order[norder++] = p->id;
	if (p->again-- > 0)
		vrrp_timer_arm(&p->t, p->t.deadline + p->interval, 0, probe_fire, p);
}

static bool watchdog_hit;

static void watchdog(struct thread *t)
{
	watchdog_hit = true;
}

/* Run the event loop until every probe has fired `want` times, or 3 s have gone. */
static void run_until(struct probe *probes, int n, int want)
{
	struct thread *t_watchdog = NULL;
	struct thread thread;

	watchdog_hit = false;
	thread_add_timer_msec(master, watchdog, NULL, 3000, &t_watchdog);
	for (;;) {
		bool done = true;

		for (int i = 0; i < n; i++)
			if (probes[i].fired < want)
				done = false;
		if (done || watchdog_hit)
			break;
		if (!thread_fetch(master, &thread))
			break;
		thread_call(&thread);
	}
	THREAD_OFF(t_watchdog);
	assert_false(watchdog_hit);
}

static int setup(void **state)
{
	master = thread_master_create("test");
	vrrp_timer_init(master);
	norder = 0;
	return 0;
}

static int teardown(void **state)
{
	vrrp_timer_fini();
	thread_master_free(master);
	return 0;
}

static void test_order_and_never_early(void **state)
{
	static const int offsets_ms[] = {30, 10, 50, 20, 40};
	struct probe p[5] = {};
	uint64_t now = vrrp_now_us();

	for (int i = 0; i < 5; i++) {
		p[i].id = offsets_ms[i];
		vrrp_timer_arm(&p[i].t, now + offsets_ms[i] * MS, 0, probe_fire, &p[i]);
		assert_true(vrrp_timer_armed(&p[i].t));
	}
	run_until(p, 5, 1);
	assert_int_equal(norder, 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(order[i], (i + 1) * 10);
		assert_int_equal(p[i].fired, 1);
		assert_false(vrrp_timer_armed(&p[i].t));
		assert_true(p[i].fired_at >= p[i].t.deadline);
	}
}

static void test_cancel(void **state)
{
	struct probe p[2] = {{.id = 1}, {.id = 2}};
	uint64_t now = vrrp_now_us();

	vrrp_timer_arm(&p[0].t, now + 10 * MS, 0, probe_fire, &p[0]);
	vrrp_timer_arm(&p[1].t, now + 20 * MS, 0, probe_fire, &p[1]);
	vrrp_timer_cancel(&p[0].t);
	assert_false(vrrp_timer_armed(&p[0].t));
	/* Cancelling twice is harmless. */
	vrrp_timer_cancel(&p[0].t);
	run_until(&p[1], 1, 1);
	assert_int_equal(p[0].fired, 0);
	assert_int_equal(norder, 1);
	assert_int_equal(order[0], 2);
}

static int heap_arrays_walk(void *arg, struct memgroup *mg, struct memtype *mt)
{
	if (mt && !strcmp(mt->name, "Typed-heap array"))
		*(size_t *)arg = mt->n_alloc;
	return 0;
}

/* Typed-heap arrays allocated now, all heaps of the process together. */
static size_t heap_arrays(void)
{
	size_t n = 0;

	qmem_walk(heap_arrays_walk, &n);
	return n;
}

/*
 * A lone router's timer leaves the heap and re-enters it on every advertisement; the heap's
 * array must survive that, not be freed and allocated again each time.
 */
static void test_emptied_heap_keeps_its_array(void **state)
{
	struct probe p = {.id = 1};
	size_t before = heap_arrays();

	assert_true(before >= 1);
	for (int i = 0; i < 3; i++) {
		vrrp_timer_arm(&p.t, vrrp_now_us() + 10 * MS, 0, probe_fire, &p);
		vrrp_timer_cancel(&p.t);
		assert_int_equal(heap_arrays(), before);
	}
}

/*
 * With many timers, one pushed later does not touch the timerfd; the early wake-up programs the
 * new deadline.
 */
static void test_push_later_is_lazy(void **state)
{
	struct vrrp_timer_stats s0, s1, s2;
	struct probe p = {.id = 1}, far[5] = {};
	uint64_t now = vrrp_now_us();

	for (int i = 0; i < 5; i++)
		vrrp_timer_arm(&far[i].t, now + 2000 * MS, 0, probe_fire, &far[i]);
	vrrp_timer_get_stats(&s0);
	vrrp_timer_arm(&p.t, now + 10 * MS, 0, probe_fire, &p);
	vrrp_timer_get_stats(&s1);
	assert_int_equal(s1.programmed, s0.programmed + 1);
	for (int i = 11; i <= 30; i++)
		vrrp_timer_arm(&p.t, now + i * MS, 0, probe_fire, &p);
	vrrp_timer_get_stats(&s2);
	assert_int_equal(s2.programmed, s1.programmed);
	run_until(&p, 1, 1);
	assert_int_equal(p.fired, 1);
	assert_true(p.fired_at >= now + 30 * MS);
	vrrp_timer_get_stats(&s2);
	/* One wake-up at 10 ms that found nothing due, one at 30 ms. */
	assert_int_equal(s2.wakeups, s1.wakeups + 2);
	assert_int_equal(s2.fired, s1.fired + 1);
	for (int i = 0; i < 5; i++)
		vrrp_timer_cancel(&far[i].t);
}

/* With few timers, one pushed later reprograms at once: no wake-up for nothing. */
static void test_push_later_few_is_eager(void **state)
{
	struct vrrp_timer_stats s1, s2;
	struct probe p = {.id = 1};
	uint64_t now = vrrp_now_us();

	vrrp_timer_arm(&p.t, now + 10 * MS, 0, probe_fire, &p);
	vrrp_timer_get_stats(&s1);
	for (int i = 11; i <= 30; i++)
		vrrp_timer_arm(&p.t, now + i * MS, 0, probe_fire, &p);
	vrrp_timer_get_stats(&s2);
	assert_int_equal(s2.programmed, s1.programmed + 20);
	run_until(&p, 1, 1);
	assert_true(p.fired_at >= now + 30 * MS);
	vrrp_timer_get_stats(&s2);
	assert_int_equal(s2.wakeups, s1.wakeups + 1);
}

/* A timer brought forward reprograms the timerfd at once. */
static void test_bring_forward(void **state)
{
	struct vrrp_timer_stats s0, s1;
	struct probe p = {.id = 1};
	uint64_t now = vrrp_now_us();

	vrrp_timer_get_stats(&s0);
	vrrp_timer_arm(&p.t, now + 2000 * MS, 0, probe_fire, &p);
	vrrp_timer_arm(&p.t, now + 10 * MS, 0, probe_fire, &p);
	vrrp_timer_get_stats(&s1);
	assert_int_equal(s1.programmed, s0.programmed + 2);
	run_until(&p, 1, 1);
	assert_true(p.fired_at >= now + 10 * MS);
	/* Fired on the new deadline, not the first one (the watchdog would have ended it at 3 s
	 * otherwise, and 2 s is far beyond any scheduling delay). */
	assert_true(p.fired_at < now + 2000 * MS);
}

/* Re-arming from the callback on absolute deadlines: each period starts at the last deadline. */
static void test_periodic_from_callback(void **state)
{
	struct probe p = {.id = 1, .again = 4, .interval = 5 * MS};
	uint64_t start = vrrp_now_us() + 5 * MS;

	vrrp_timer_arm(&p.t, start, 0, probe_fire, &p);
	run_until(&p, 1, 5);
	assert_int_equal(p.fired, 5);
	assert_int_equal(p.t.deadline, start + 4 * 5 * MS);
	assert_true(p.fired_at >= p.t.deadline);
	assert_false(vrrp_timer_armed(&p.t));
}

/* A deadline already past runs at the next turn of the loop. */
static void test_deadline_in_the_past(void **state)
{
	struct probe p = {.id = 1};

	vrrp_timer_arm(&p.t, vrrp_now_us() - 100 * MS, 0, probe_fire, &p);
	run_until(&p, 1, 1);
	assert_int_equal(p.fired, 1);
}

/* Many timers sharing deadlines all fire, each once. */
static void test_many_equal_deadlines(void **state)
{
	const int N = 300;
	static struct probe p[300];
	uint64_t now = vrrp_now_us();

	memset(p, 0, sizeof(p));
	for (int i = 0; i < N; i++)
		vrrp_timer_arm(&p[i].t, now + (5 + i % 3) * MS, 0, probe_fire, &p[i]);
	for (int i = 0; i < N; i += 2)
		vrrp_timer_cancel(&p[i].t);
	for (int i = 1; i < N; i += 2)
		p[i - 1].fired = 1; /* cancelled ones count as done for run_until */
	run_until(p, N, 1);
	for (int i = 1; i < N; i += 2)
		assert_int_equal(p[i].fired, 1);
	for (int i = 0; i < N; i += 2)
		assert_false(vrrp_timer_armed(&p[i].t));
}

/* A timer close to its deadline shares the wake-up of an earlier one; others wait for theirs. */
static void test_coalescing(void **state)
{
	struct vrrp_timer_stats s0, s1;
	struct probe p[3] = {{.id = 1}, {.id = 2}, {.id = 3}};
	uint64_t now = vrrp_now_us();

	vrrp_timer_get_stats(&s0);
	vrrp_timer_arm(&p[0].t, now + 10 * MS, 0, probe_fire, &p[0]);
	vrrp_timer_arm(&p[1].t, now + 10 * MS + 300, 1000, probe_fire, &p[1]);
	run_until(p, 2, 1);
	vrrp_timer_get_stats(&s1);
	assert_int_equal(s1.wakeups, s0.wakeups + 1);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 2);

	/* Without an allowance a timer 200 ms later gets its own wake-up, on time. */
	now = vrrp_now_us();
	vrrp_timer_arm(&p[0].t, now + 10 * MS, 0, probe_fire, &p[0]);
	vrrp_timer_arm(&p[2].t, now + 200 * MS, 0, probe_fire, &p[2]);
	run_until(p, 3, 1);
	assert_int_equal(p[0].fired, 2);
	assert_true(p[2].fired_at >= p[2].t.deadline);
}

/* A stand-in for the receive sockets: the first drain finds an advertisement for drain_target. */
static int drains;
static struct probe *drain_target;
static uint64_t drain_push_to;

static void fake_drain(void)
{
	if (drains++ == 0 && drain_target)
		vrrp_timer_arm(&drain_target->t, drain_push_to, 0, probe_fire, drain_target);
}

/*
 * Timers marked after_rx run only after the receive queues are read, once per wake-up: one that
 * a waiting datagram re-arms does not run out, the others due with it do, and a plain timer
 * never causes a read.
 */
static void test_after_rx_reads_first(void **state)
{
	struct probe p[3] = {{.id = 1}, {.id = 2}, {.id = 3}};
	uint64_t now = vrrp_now_us();

	drains = 0;
	vrrp_timer_set_rx_drain(fake_drain);
	vrrp_timer_arm(&p[2].t, now + 2 * MS, 0, probe_fire, &p[2]);
	run_until(&p[2], 1, 1);
	assert_int_equal(drains, 0);

	now = vrrp_now_us();
	drain_target = &p[0];
	drain_push_to = now + 60 * MS;
	p[0].t.after_rx = p[1].t.after_rx = true;
	vrrp_timer_arm(&p[0].t, now + 5 * MS, 0, probe_fire, &p[0]);
	vrrp_timer_arm(&p[1].t, now + 5 * MS, 0, probe_fire, &p[1]);
	run_until(&p[1], 1, 1);
	assert_int_equal(drains, 1);
	assert_int_equal(p[0].fired, 0);
	assert_true(vrrp_timer_armed(&p[0].t));
	run_until(&p[0], 1, 1);
	assert_int_equal(drains, 2);
	assert_true(p[0].fired_at >= drain_push_to);
	vrrp_timer_set_rx_drain(NULL);
	drain_target = NULL;
}

/* Whether the loop's wake-up pipe holds a byte, without taking it. */
static bool wake_pending(void)
{
	struct pollfd pfd = {.fd = master->io_pipe[0], .events = POLLIN};

	return poll(&pfd, 1, 0) == 1;
}

/*
 * The timerfd's task re-adds itself on every wake-up and then leaves the wake-up pipe empty, so
 * the next thread_fetch() blocks at once instead of polling again only to drain it.
 */
static void test_wakeup_leaves_no_self_wake(void **state)
{
	struct probe p = {.id = 1};
	struct thread thread;
	unsigned long before = vrrp_loop_unpoked();

	for (int i = 0; i < 3; i++) {
		vrrp_timer_arm(&p.t, vrrp_now_us() + 2 * MS, 0, probe_fire, &p);
		/* Arming from outside a task pokes the loop, as any thread_add_*() does. */
		while (p.fired == i) {
			assert_true(thread_fetch(master, &thread));
			thread_call(&thread);
			assert_false(wake_pending());
		}
	}
	assert_int_equal(p.fired, 3);
	assert_true(vrrp_loop_unpoked() > before);
}

static void noop_read(struct thread *t)
{
	*(bool *)THREAD_ARG(t) = true;
}

static struct thread *t_other;
static int other_fd;
static bool other_ran;

static void *add_from_other_thread(void *arg)
{
	thread_add_read(master, noop_read, &other_ran, other_fd, &t_other);
	vrrp_loop_unpoke(master);
	return NULL;
}

/*
 * Only the loop's own thread reads the pipe: a task added from another thread keeps its
 * wake-up, and a task added from the loop's thread without its byte is still polled for.
 */
static void test_unpoke_only_on_the_loop_thread(void **state)
{
	struct thread *t_own = NULL;
	struct thread thread;
	bool own_ran = false;
	pthread_t other;
	int fds[2], ofds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(pipe(ofds), 0);
	other_fd = ofds[0];
	other_ran = false;
	assert_int_equal(pthread_create(&other, NULL, add_from_other_thread, NULL), 0);
	pthread_join(other, NULL);
	assert_true(wake_pending());
	vrrp_loop_unpoke(master);
	assert_false(wake_pending());

	thread_add_read(master, noop_read, &own_ran, fds[0], &t_own);
	assert_true(wake_pending());
	vrrp_loop_unpoke(master);
	assert_false(wake_pending());
	assert_int_equal(write(fds[1], "x", 1), 1);
	assert_int_equal(write(ofds[1], "x", 1), 1);
	while (!own_ran || !other_ran) {
		assert_true(thread_fetch(master, &thread));
		thread_call(&thread);
	}
	for (int i = 0; i < 2; i++) {
		close(fds[i]);
		close(ofds[i]);
	}
}

/* A realtime stamp becomes a monotonic time no later than now and at most max_age before it. */
static void test_mono_of_real(void **state)
{
	(void)state;
	/* 300 us old on the realtime clock: 300 us before now on the monotonic one. */
	assert_int_equal(vrrp_mono_of_real(1000000700, 1000001000, 5000000, 5000), 4999700);
	/* Stamped "after" now (the realtime clock stepped back): now. */
	assert_int_equal(vrrp_mono_of_real(1000002000, 1000001000, 5000000, 5000), 5000000);
	/* Older than the cap (held up, or the realtime clock stepped on): the cap. */
	assert_int_equal(vrrp_mono_of_real(990000000, 1000001000, 5000000, 5000), 4995000);
	/* Never below the clock's start. */
	assert_int_equal(vrrp_mono_of_real(0, 1000001000, 3000, 5000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_and_never_early, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emptied_heap_keeps_its_array, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_push_later_is_lazy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_push_later_few_is_eager, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bring_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_periodic_from_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_in_the_past, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_equal_deadlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coalescing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_after_rx_reads_first, setup, teardown),
		cmocka_unit_test(test_mono_of_real),
		cmocka_unit_test_setup_teardown(test_wakeup_leaves_no_self_wake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unpoke_only_on_the_loop_thread, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
