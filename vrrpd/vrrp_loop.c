// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The threading model: who waits for the protocol's file descriptors, and the lock that makes
 * two threads one.
 *
 * libfrr 8.4's loop costs about nine system calls per wake-up (ppoll, two signal-mask changes,
 * two CPU-time reads, the wake-up pipe), where an advertisement needs one or two
 * (bench/README.md, Findings 4 and 18). So the daemon waits for the receive sockets and the
 * timerfd on a thread of its own, in epoll_wait(), and runs their handlers there: state-machine
 * steps, the executor, sends. Everything else (vty, northbound, zebra, netlink, SNMP, notify)
 * stays on libfrr's loop in the main thread.
 *
 * There is one lock, and every piece of protocol state is under it: the protocol thread holds
 * it while it handles a wake-up, the main thread while it runs any libfrr task (vrrp_loop_run()
 * takes over libfrr's loop to do that) and in the signal handlers. So the code keeps its
 * single-threaded shape: no handler ever runs beside another. What the protocol thread may do
 * beyond protocol state is what libfrr allows from any thread: add tasks to the main loop
 * (thread_add_*(), which wakes it), log, raise privileges for itself. It never cancels a main-
 * loop task (libfrr asserts on that) and never waits for the main thread.
 *
 * Without the thread (unit tests; a daemon that could not start it) each watch is a read task
 * on libfrr's loop, or the epoll set is, and the same handlers run there.
 */
#include <zebra.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "lib/frr_pthread.h"
#include "lib/thread.h"

#include "vrrp_errors.h"
#include "vrrp_loop.h"

#define VRRP_LOOP_EVENTS 64

static struct {
	int epfd;
	int stopfd;
	unsigned int watches;
	struct frr_pthread *fpt;
	/* The epoll set as one read task on the main loop, when the thread could not start. */
	struct thread *t_epoll;
	atomic_bool stop;
	/* Bumped under the lock whenever a watch leaves the epoll set: events read before that
	 * may point at a freed watch, so a batch ends there and epoll is asked again. */
	atomic_ulong unwatched;
	unsigned long wakeups;
	/* Run before each main-loop task, with the lock held. */
	void (*before_task)(void);
	/* Run after the handlers of each protocol wake-up, with the lock still held. */
	void (*after_pass)(void);
	/* Handlers of a wake-up are running (read and written under the lock). */
	bool in_pass;
	pthread_mutex_t lock;
} vl = {.epfd = -1, .stopfd = -1, .lock = PTHREAD_MUTEX_INITIALIZER};

static unsigned long vrrp_loop_unpoke_count;

void vrrp_loop_lock(void)
{
	pthread_mutex_lock(&vl.lock);
}

void vrrp_loop_unlock(void)
{
	pthread_mutex_unlock(&vl.lock);
}

static void vrrp_loop_close(void)
{
	if (vl.epfd >= 0)
		close(vl.epfd);
	if (vl.stopfd >= 0)
		close(vl.stopfd);
	vl.epfd = vl.stopfd = -1;
}

void vrrp_loop_init(struct thread_master *m, bool own_thread)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

	vrrp_loop_close();
	atomic_store(&vl.stop, false);
	if (!own_thread)
		return;
	vl.epfd = epoll_create1(EPOLL_CLOEXEC);
	vl.stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vl.epfd < 0 || vl.stopfd < 0 ||
	    epoll_ctl(vl.epfd, EPOLL_CTL_ADD, vl.stopfd, &ev) < 0) {
		flog_err(EC_VRRP_LOOP, "no epoll set for the protocol thread: %s",
			 safe_strerror(errno));
		vrrp_loop_close();
	}
}

void vrrp_loop_single(const char *why)
{
	if (vl.epfd < 0)
		return;
	if (vl.watches) {
		flog_err(EC_VRRP_LOOP, "%s, but %u watches are on the protocol thread already",
			 why, vl.watches);
		return;
	}
	flog_warn(EC_VRRP_LOOP, "%s: the protocol runs on the main event loop", why);
	vrrp_loop_close();
}

bool vrrp_loop_epoll(void)
{
	return vl.epfd >= 0;
}

void vrrp_loop_set_before_task(void (*fn)(void))
{
	vl.before_task = fn;
}

void vrrp_loop_set_after_pass(void (*fn)(void))
{
	vl.after_pass = fn;
}

bool vrrp_loop_in_pass(void)
{
	return vl.in_pass;
}

/* The end of a wake-up: what its handlers left for it (a protodown flush) runs now, on the
 * thread that ran them. */
static void vrrp_loop_pass_end(void)
{
	vl.in_pass = false;
	if (vl.after_pass)
		vl.after_pass();
}

bool vrrp_loop_threaded(void)
{
	return vl.fpt && atomic_load(&vl.fpt->running);
}

/* A watch on libfrr's loop re-adds itself first, so that its handler may cancel it. */
static void vrrp_watch_task(struct thread *t)
{
	struct vrrp_watch *w = THREAD_ARG(t);
	struct thread_master *m = t->master;

	thread_add_read(m, vrrp_watch_task, w, w->fd, &w->t);
	vl.in_pass = true;
	w->fn(w->arg);
	vrrp_loop_pass_end();
	vrrp_loop_unpoke(m);
}

void vrrp_loop_watch(struct thread_master *m, struct vrrp_watch *w, int fd, vrrp_watch_fn fn,
		     void *arg)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = w};

	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
	w->t = NULL;
	w->on_epoll = false;
	if (vl.epfd >= 0) {
		if (epoll_ctl(vl.epfd, EPOLL_CTL_ADD, fd, &ev) == 0) {
			w->on_epoll = true;
			vl.watches++;
			return;
		}
		flog_err(EC_VRRP_LOOP, "epoll_ctl(ADD, fd %d): %s; read on the main loop", fd,
			 safe_strerror(errno));
	}
	thread_add_read(m, vrrp_watch_task, w, fd, &w->t);
}

void vrrp_loop_unwatch(struct vrrp_watch *w)
{
	if (!w->on_epoll) {
		THREAD_OFF(w->t);
		return;
	}
	if (epoll_ctl(vl.epfd, EPOLL_CTL_DEL, w->fd, NULL) < 0)
		flog_err(EC_VRRP_LOOP, "epoll_ctl(DEL, fd %d): %s", w->fd, safe_strerror(errno));
	w->on_epoll = false;
	vl.watches--;
	atomic_fetch_add(&vl.unwatched, 1);
}

/* One wake-up: run the handlers of what epoll reported, with the lock held (taken here unless
 * the caller, a main-loop task, holds it). */
static void vrrp_loop_dispatch(int timeout_ms, bool locked)
{
	struct epoll_event ev[VRRP_LOOP_EVENTS];
	unsigned long gen = atomic_load(&vl.unwatched);
	int n = epoll_wait(vl.epfd, ev, array_size(ev), timeout_ms);

	if (n < 0) {
		if (errno != EINTR)
			flog_err(EC_VRRP_LOOP, "epoll_wait: %s", safe_strerror(errno));
		return;
	}
	if (!locked)
		pthread_mutex_lock(&vl.lock);
	vl.wakeups++;
	vl.in_pass = true;
	for (int i = 0; i < n && atomic_load(&vl.unwatched) == gen; i++) {
		struct vrrp_watch *w = ev[i].data.ptr;

		if (w)
			w->fn(w->arg);
	}
	vrrp_loop_pass_end();
	if (!locked)
		pthread_mutex_unlock(&vl.lock);
}

static void *vrrp_loop_thread(void *arg)
{
	struct frr_pthread *fpt = arg;

	frr_pthread_set_name(fpt);
	frr_pthread_notify_running(fpt);
	while (!atomic_load(&vl.stop))
		vrrp_loop_dispatch(-1, false);
	return NULL;
}

static int vrrp_loop_thread_stop(struct frr_pthread *fpt, void **result)
{
	uint64_t one = 1;

	atomic_store(&vl.stop, true);
	if (write(vl.stopfd, &one, sizeof(one)) < 0)
		flog_err(EC_VRRP_LOOP, "cannot wake the protocol thread: %s",
			 safe_strerror(errno));
	pthread_join(fpt->thread, result);
	atomic_store(&fpt->running, false);
	return 0;
}

void vrrp_loop_stop(void)
{
	if (vrrp_loop_threaded())
		frr_pthread_stop(vl.fpt, NULL);
	if (vl.fpt)
		frr_pthread_destroy(vl.fpt);
	vl.fpt = NULL;
	THREAD_OFF(vl.t_epoll);
}

/* The fallback: the main loop reads the epoll set when any of its descriptors is readable. */
static void vrrp_loop_epoll_task(struct thread *t)
{
	thread_add_read(t->master, vrrp_loop_epoll_task, NULL, vl.epfd, &vl.t_epoll);
	vrrp_loop_dispatch(0, true);
	vrrp_loop_unpoke(t->master);
}

void vrrp_loop_start(struct thread_master *m)
{
	struct frr_pthread_attr attr = {
		.start = vrrp_loop_thread,
		.stop = vrrp_loop_thread_stop,
	};
	int ret;

	vl.fpt = frr_pthread_new(&attr, "VRRP protocol", "vrrpd-proto");
	ret = frr_pthread_run(vl.fpt, NULL);
	if (ret == 0) {
		frr_pthread_wait_running(vl.fpt);
		return;
	}
	flog_err(EC_VRRP_LOOP, "cannot start the protocol thread: %s; it runs on the main loop",
		 safe_strerror(ret));
	frr_pthread_destroy(vl.fpt);
	vl.fpt = NULL;
	vrrp_loop_start_here(m);
}

void vrrp_loop_start_here(struct thread_master *m)
{
	thread_add_read(m, vrrp_loop_epoll_task, NULL, vl.epfd, &vl.t_epoll);
}

/*
 * libfrr's loop, one level down: frr_run() called this task, and it fetches and runs every other
 * task itself, under the lock. It returns only when thread_fetch() does (the loop is shut
 * down); the daemon normally ends in its SIGTERM handler instead.
 */
static void vrrp_loop_main(struct thread *t)
{
	struct thread_master *m = THREAD_ARG(t);
	struct thread task;

	vrrp_loop_start(m);
	while (thread_fetch(m, &task)) {
		pthread_mutex_lock(&vl.lock);
		if (vl.before_task)
			vl.before_task();
		thread_call(&task);
		pthread_mutex_unlock(&vl.lock);
	}
}

void vrrp_loop_run(struct thread_master *m)
{
	if (vl.epfd >= 0)
		thread_add_event(m, vrrp_loop_main, m, 0, NULL);
}

unsigned long vrrp_loop_wakeups(void)
{
	return vl.wakeups;
}

/*
 * libfrr 8.4's thread_add_read() writes a byte to the loop's wake-up pipe every time, also when
 * the loop's own thread adds the task, from a task it is running. That thread is not in poll(),
 * so the byte wakes nobody; it only makes the next poll() return at once to read it. So tasks
 * that re-add themselves, on the loop's own thread, read the pipe empty as they end. That loses
 * no wake-up: thread_fetch() builds its poll set, timeout and event queue from the task lists
 * when it next runs, so a task added before the read is seen without its byte, and one another
 * thread adds after it writes a byte of its own. From any other thread the pipe is left alone.
 */
void vrrp_loop_unpoke(struct thread_master *m)
{
	unsigned char trash[64];
	ssize_t n;

	if (!pthread_equal(pthread_self(), m->owner))
		return;
	/* The pipe is non-blocking; a full buffer may mean more bytes behind it. */
	do {
		n = read(m->io_pipe[0], trash, sizeof(trash));
		if (n > 0)
			vrrp_loop_unpoke_count += n;
	} while (n == (ssize_t)sizeof(trash));
}

unsigned long vrrp_loop_unpoked(void)
{
	return vrrp_loop_unpoke_count;
}
