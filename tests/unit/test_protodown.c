// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the protodown adapter's coalescing (vrrpd/vrrp_protodown.c) against a fake
 * kernel: nothing is applied before the flush, a burst of requests costs at most one kernel
 * change per interface, none when it ends where the kernel already is, failures and vanished
 * interfaces, forgetting, requests from outside a protocol wake-up applied by the next one (its
 * bell, here a read task of the loop), requests made by a handler of a wake-up applied when that
 * wake-up ends, and at most VRRP_PD_PASS_MAX per wake-up, the rest in the following ones.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/if.h"
#include "lib/privs.h"
#include "lib/thread.h"
#include "lib/vrf.h"

#include "vrrp_loop.h"
#include "vrrp_protodown.h"
#include "vrrp_timer.h"

#define MAX_CALLS 32

/* The real setter is linked in as the default; these tests never call it. */
struct zebra_privs_t vrrp_privs;

/* The fake kernel: what it was asked, what it answers, what was reported done. */
static struct {
	ifindex_t ifindex[MAX_CALLS];
	bool down[MAX_CALLS];
	int n;
	int answer;
	ifindex_t done_ifindex[MAX_CALLS];
	bool done_down[MAX_CALLS];
	int n_done;
	struct interface *requeue; /* the done hook asks again for this one */
} k;

static struct thread_master *master;
static struct vrf vrf0 = {.vrf_id = VRF_DEFAULT};
static struct interface if10 = {.name = "mv10", .ifindex = 10, .vrf = &vrf0};
static struct interface if11 = {.name = "mv11", .ifindex = 11, .vrf = &vrf0};
/* Ifindexes 100 to 119, for bursts longer than one wake-up applies. */
static struct interface many[20];

static int fake_apply(ifindex_t ifindex, bool down)
{
	assert_true(k.n < MAX_CALLS);
	k.ifindex[k.n] = ifindex;
	k.down[k.n++] = down;
	return k.answer;
}

static void fake_done(ifindex_t ifindex, vrf_id_t vrf_id, bool down)
{
	assert_int_equal(vrf_id, VRF_DEFAULT);
	k.done_ifindex[k.n_done] = ifindex;
	k.done_down[k.n_done++] = down;
	if (k.requeue)
		vrrp_protodown_request(k.requeue, !down);
}

static int setup(void **state)
{
	memset(&k, 0, sizeof(k));
	for (int i = 0; i < (int)array_size(many); i++)
		many[i] = (struct interface){.ifindex = 100 + i, .vrf = &vrf0};
	master = thread_master_create("test");
	vrrp_protodown_init(master, fake_apply, fake_done);
	return 0;
}

static int teardown(void **state)
{
	vrrp_protodown_fini();
	thread_master_free(master);
	return 0;
}

#define assert_applied(i, idx, dn)                                                                \
	do {                                                                                      \
		assert_int_equal(k.ifindex[i], idx);                                              \
		assert_int_equal(k.down[i], dn);                                                  \
	} while (0)

static void test_nothing_before_flush(void **state)
{
	vrrp_protodown_request(&if10, true);
	assert_int_equal(k.n, 0);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 1);
	assert_applied(0, 10, true);
	assert_int_equal(k.n_done, 1);
	assert_int_equal(k.done_down[0], true);
	/* Flushing again with nothing pending does nothing. */
	vrrp_protodown_flush();
	assert_int_equal(k.n, 1);
}

static void test_burst_is_one_change(void **state)
{
	for (int i = 0; i < 7; i++)
		vrrp_protodown_request(&if10, i % 2 == 0);
	vrrp_protodown_flush();
	/* Seven wishes, the last one "on": one kernel change. */
	assert_int_equal(k.n, 1);
	assert_applied(0, 10, true);
	assert_int_equal(vrrp_protodown_stats()->requests, 7);
	assert_int_equal(vrrp_protodown_stats()->applied, 1);
}

static void test_burst_back_to_kernel_state_is_none(void **state)
{
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_flush();
	/* Backup -> Master -> Backup within one pass: the kernel has it already. */
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 1);
	assert_int_equal(k.n_done, 1);
	assert_int_equal(vrrp_protodown_stats()->skipped, 1);
	/* The same wish once more, on its own: still nothing to do. */
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 1);
	/* A real change goes out. */
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 2);
	assert_applied(1, 10, false);
}

static void test_interfaces_apart_in_order(void **state)
{
	vrrp_protodown_request(&if11, true);
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_request(&if11, false);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 2);
	assert_applied(0, 11, false);
	assert_applied(1, 10, false);
}

static void test_failure_and_gone(void **state)
{
	k.answer = -EBUSY; /* another reason bit holds it down */
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 1);
	assert_int_equal(k.n_done, 0);
	assert_int_equal(vrrp_protodown_stats()->failed, 1);
	/* Nothing is known for sure: the same wish is tried again. */
	k.answer = 0;
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 2);
	assert_int_equal(k.n_done, 1);
	/* Gone: forgotten, so a new interface with its ifindex gets its first wish applied. */
	k.answer = -ENODEV;
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_flush();
	k.answer = 0;
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 4);
	assert_applied(3, 10, false);
}

static void test_forget(void **state)
{
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_request(&if11, true);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 2);
	/* Zebra restarted: every wish is restated in the kernel. */
	vrrp_protodown_forget_all();
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_request(&if11, true);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 4);
	/* One interface gone: only its state is forgotten. */
	vrrp_protodown_forget(10);
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_request(&if11, true);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 5);
	assert_applied(4, 10, true);
}

static void test_flush_is_a_wakeup(void **state)
{
	struct thread t;

	vrrp_protodown_request(&if10, true);
	vrrp_protodown_request(&if10, false);
	assert_int_equal(k.n, 0);
	/* The loop's next task is the bell's wake-up, and it applies the last wish. */
	assert_non_null(thread_fetch(master, &t));
	thread_call(&t);
	assert_int_equal(k.n, 1);
	assert_applied(0, 10, false);
}

static void test_request_from_done_waits(void **state)
{
	struct thread t;

	/* A wish made while the flush reports is not applied in the same flush. */
	k.requeue = &if11;
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_flush();
	assert_int_equal(k.n, 1);
	k.requeue = NULL;
	assert_non_null(thread_fetch(master, &t));
	thread_call(&t);
	assert_int_equal(k.n, 2);
	assert_applied(1, 11, false);
}

static void test_fini_flushes(void **state)
{
	/* A stopping Master's protodown still reaches the kernel, without a report. */
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_fini();
	assert_int_equal(k.n, 1);
	assert_int_equal(k.n_done, 0);
	vrrp_protodown_init(master, fake_apply, fake_done);
}

static void guard_fn(struct thread *t)
{
}

/* Runs the loop's next task; after a second with nothing ready, a guard that does nothing. */
static void run_next_task(void)
{
	struct thread *guard = NULL;
	struct thread t;

	thread_add_timer_msec(master, guard_fn, NULL, 1000, &guard);
	assert_non_null(thread_fetch(master, &t));
	thread_call(&t);
	THREAD_OFF(guard);
}

/* A protocol wake-up whose handler asks for protodown on the first `n` of many[]. */
static struct {
	struct vrrp_watch w;
	int fds[2];
	int n;
	bool in_pass;
} h;

static void handler_fn(void *arg)
{
	char c;

	assert_int_equal(read(h.fds[0], &c, 1), 1);
	h.in_pass = vrrp_loop_in_pass();
	for (int i = 0; i < h.n; i++)
		vrrp_protodown_request(&many[i], false);
	/* Nothing before the wake-up has ended: a later handler may still change its mind. */
	assert_int_equal(k.n, 0);
}

static void run_wakeup(int n)
{
	h.n = n;
	assert_int_equal(pipe2(h.fds, O_NONBLOCK), 0);
	/* Without the protocol thread the watch is a read task of this loop; the wake-up is the
	 * same code either way. */
	vrrp_loop_watch(master, &h.w, h.fds[0], handler_fn, NULL);
	assert_int_equal(write(h.fds[1], "x", 1), 1);
	run_next_task();
	vrrp_loop_unwatch(&h.w);
	close(h.fds[0]);
	close(h.fds[1]);
	assert_true(h.in_pass);
	assert_false(vrrp_loop_in_pass());
}

static void test_pass_end_applies(void **state)
{
	run_wakeup(3);
	/* Applied at the wake-up's end, in order, with no trip through the loop. */
	assert_int_equal(k.n, 3);
	for (int i = 0; i < 3; i++)
		assert_applied(i, 100 + i, false);
	assert_int_equal(k.n_done, 3);
}

static void test_pass_end_bounded(void **state)
{
	run_wakeup(20);
	/* A longer burst leaves the rest to the next wake-up. */
	assert_int_equal(k.n, 16);
	assert_applied(15, 115, false);
	run_next_task();
	assert_int_equal(k.n, 20);
	assert_applied(19, 119, false);
}

static void test_bell_bounded(void **state)
{
	for (int i = 0; i < (int)array_size(many); i++)
		vrrp_protodown_request(&many[i], true);
	/* From the main thread: one wake-up for 16, the next one for the rest, nothing after. */
	run_next_task();
	assert_int_equal(k.n, 16);
	run_next_task();
	assert_int_equal(k.n, 20);
	assert_applied(19, 119, true);
	/* No ring is left standing: the next task is the guard. */
	run_next_task();
	assert_int_equal(k.n, 20);
	vrrp_protodown_request(&if10, true);
	run_next_task();
	assert_int_equal(k.n, 21);
}

/* When protodown was last lifted in the kernel: only while "off" is the last word that took. */
static void test_lifted_at(void **state)
{
	uint64_t before = vrrp_now_us(), at;

	assert_int_equal(vrrp_protodown_lifted_at(10), 0);
	vrrp_protodown_request(&if10, false);
	assert_int_equal(vrrp_protodown_lifted_at(10), 0); /* wished, not applied yet */
	vrrp_protodown_flush();
	at = vrrp_protodown_lifted_at(10);
	assert_true(at >= before && at <= vrrp_now_us());
	/* A repeated wish the kernel already has changes nothing, the time included. */
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_flush();
	assert_int_equal(vrrp_protodown_lifted_at(10), at);
	vrrp_protodown_request(&if10, true);
	vrrp_protodown_flush();
	assert_int_equal(vrrp_protodown_lifted_at(10), 0);
	/* A refused change leaves nothing known. */
	k.answer = -EBUSY;
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_flush();
	assert_int_equal(vrrp_protodown_lifted_at(10), 0);
	k.answer = 0;
	vrrp_protodown_request(&if10, false);
	vrrp_protodown_flush();
	assert_true(vrrp_protodown_lifted_at(10) != 0);
	vrrp_protodown_forget_all();
	assert_int_equal(vrrp_protodown_lifted_at(10), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nothing_before_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_is_one_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_back_to_kernel_state_is_none, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_interfaces_apart_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_and_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_is_a_wakeup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_from_done_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fini_flushes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifted_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pass_end_applies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pass_end_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bell_bounded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
