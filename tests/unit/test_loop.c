// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the protocol thread (vrrpd/vrrp_loop.c) with real pipes, a real epoll set and
 * a real libfrr loop: handlers run on the protocol thread, never while the main thread holds
 * the lock, a watch removed by another handler of the same wake-up is not called, stopping
 * joins, and without the thread the same watches are read tasks on libfrr's loop.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/frr_pthread.h"
#include "lib/libfrr.h"
#include "lib/thread.h"

#include "vrrp_loop.h"

static struct thread_master *master;
static pthread_t main_thread;

struct probe {
	struct vrrp_watch w;
	int fds[2];
	atomic_int calls;
	atomic_bool on_main;
	/* The other probe, which this one's handler unwatches. */
	struct probe *victim;
};

static void probe_fn(void *arg)
{
	struct probe *p = arg;
	char c;

	if (read(p->fds[0], &c, 1) != 1)
		return;
	atomic_fetch_add(&p->calls, 1);
	if (pthread_equal(pthread_self(), main_thread))
		atomic_store(&p->on_main, true);
	if (p->victim) {
		vrrp_loop_unwatch(&p->victim->w);
		p->victim->victim = NULL;
	}
}

static void probe_open(struct probe *p)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(pipe2(p->fds, O_NONBLOCK), 0);
	vrrp_loop_watch(master, &p->w, p->fds[0], probe_fn, p);
}

static void probe_close(struct probe *p)
{
	close(p->fds[0]);
	close(p->fds[1]);
}

static void poke(struct probe *p)
{
	assert_int_equal(write(p->fds[1], "x", 1), 1);
}

/* Waits up to a second for the protocol thread to have called p `want` times. */
static void wait_calls(struct probe *p, int want)
{
	for (int i = 0; i < 1000 && atomic_load(&p->calls) < want; i++)
		usleep(1000);
	assert_int_equal(atomic_load(&p->calls), want);
}

/* Runs libfrr's loop on this thread until p has been called `want` times. */
static void run_main_until(struct probe *p, int want)
{
	struct thread thread;

	while (atomic_load(&p->calls) < want) {
		assert_true(thread_fetch(master, &thread));
		thread_call(&thread);
	}
}

static int setup(void **state)
{
	master = thread_master_create("test");
	main_thread = pthread_self();
	return 0;
}

static int teardown(void **state)
{
	vrrp_loop_stop();
	vrrp_loop_init(master, false);
	thread_master_free(master);
	return 0;
}

static void test_handlers_on_the_thread(void **state)
{
	struct probe p;

	vrrp_loop_init(master, true);
	probe_open(&p);
	vrrp_loop_start(master);
	assert_true(vrrp_loop_threaded());
	for (int i = 1; i <= 3; i++) {
		unsigned long before = vrrp_loop_wakeups();

		poke(&p);
		wait_calls(&p, i);
		assert_true(vrrp_loop_wakeups() > before);
	}
	assert_false(atomic_load(&p.on_main));
	vrrp_loop_unwatch(&p.w);
	probe_close(&p);
}

/* While the main thread holds the lock (as it does in every libfrr task), no handler runs. */
static void test_lock_excludes(void **state)
{
	struct probe p;

	vrrp_loop_init(master, true);
	probe_open(&p);
	vrrp_loop_start(master);
	vrrp_loop_lock();
	poke(&p);
	usleep(50 * 1000);
	assert_int_equal(atomic_load(&p.calls), 0);
	vrrp_loop_unlock();
	wait_calls(&p, 1);
	vrrp_loop_unwatch(&p.w);
	probe_close(&p);
}

/*
 * Both pipes are readable before the thread starts, so its first epoll_wait() reports both.
 * Whichever handler runs first unwatches the other, which then must not be called: its watch
 * could have been freed.
 */
static void test_unwatched_in_the_same_wakeup(void **state)
{
	struct probe a, b;

	vrrp_loop_init(master, true);
	probe_open(&a);
	probe_open(&b);
	a.victim = &b;
	b.victim = &a;
	poke(&a);
	poke(&b);
	vrrp_loop_start(master);
	for (int i = 0; i < 1000 && atomic_load(&a.calls) + atomic_load(&b.calls) < 1; i++)
		usleep(1000);
	usleep(50 * 1000);
	vrrp_loop_lock();
	assert_int_equal(atomic_load(&a.calls) + atomic_load(&b.calls), 1);
	/* The survivor still works. */
	if (atomic_load(&a.calls)) {
		vrrp_loop_unlock();
		poke(&a);
		wait_calls(&a, 2);
		vrrp_loop_unwatch(&a.w);
	} else {
		vrrp_loop_unlock();
		poke(&b);
		wait_calls(&b, 2);
		vrrp_loop_unwatch(&b.w);
	}
	probe_close(&a);
	probe_close(&b);
}

static void test_stop_joins(void **state)
{
	struct probe p;

	vrrp_loop_init(master, true);
	probe_open(&p);
	vrrp_loop_start(master);
	assert_true(vrrp_loop_threaded());
	vrrp_loop_stop();
	assert_false(vrrp_loop_threaded());
	vrrp_loop_stop();
	poke(&p);
	usleep(20 * 1000);
	assert_int_equal(atomic_load(&p.calls), 0);
	vrrp_loop_unwatch(&p.w);
	probe_close(&p);
}

/* Without the thread a watch is a read task on libfrr's loop, run by the main thread. */
static void test_on_libfrr_loop(void **state)
{
	struct probe p;

	vrrp_loop_init(master, false);
	probe_open(&p);
	assert_false(vrrp_loop_threaded());
	for (int i = 1; i <= 2; i++) {
		poke(&p);
		run_main_until(&p, i);
	}
	assert_true(atomic_load(&p.on_main));
	vrrp_loop_unwatch(&p.w);
	probe_close(&p);
}

/* The daemon's choice undone before any watch: vrrp_loop_single() leaves no epoll set. */
static void test_single_before_watches(void **state)
{
	struct probe p;

	vrrp_loop_init(master, true);
	vrrp_loop_single("test");
	probe_open(&p);
	assert_false(p.w.on_epoll);
	poke(&p);
	run_main_until(&p, 1);
	vrrp_loop_unwatch(&p.w);
	probe_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handlers_on_the_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_excludes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwatched_in_the_same_wakeup, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stop_joins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_on_libfrr_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_before_watches, setup, teardown),
	};

	frr_pthread_init();
	frr_is_after_fork = true;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
