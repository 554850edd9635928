// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the protocol's file descriptors are waited for: the protocol thread, or libfrr's loop.
 */
#ifndef VRRP_LOOP_H
#define VRRP_LOOP_H

#include "lib/thread.h"

typedef void (*vrrp_watch_fn)(void *arg);

/* A file descriptor the protocol reads when it is readable; owned by the caller. */
struct vrrp_watch {
	int fd;
	vrrp_watch_fn fn;
	void *arg;
	/* The read task, when the descriptor is on libfrr's loop. */
	struct thread *t;
	bool on_epoll;
};

/*
 * The daemon's choice, made once before any watch exists: with `own_thread`, watches are served
 * by the protocol thread, which vrrp_loop_run() starts; otherwise (unit tests, a daemon without
 * epoll) by read tasks on `m`.
 */
void vrrp_loop_init(struct thread_master *m, bool own_thread);
/* No protocol thread after all (before the first watch): the timers have no timerfd. */
void vrrp_loop_single(const char *why);
bool vrrp_loop_threaded(void);
/* Whether the protocol's descriptors are on an epoll set of their own (thread or fallback). */
bool vrrp_loop_epoll(void);
/*
 * fn runs on the main thread before each libfrr task, under the lock, once the protocol has its
 * epoll set: what the protocol thread let wait is read before anything looks at state.
 */
void vrrp_loop_set_before_task(void (*fn)(void));
/*
 * fn runs at the end of each protocol wake-up, after its handlers, on the thread that ran them
 * and under the lock: work they queued that should not wait for the main loop. One slot.
 */
void vrrp_loop_set_after_pass(void (*fn)(void));
/* Whether the caller is a handler of a protocol wake-up (so its work may go to the pass end). */
bool vrrp_loop_in_pass(void);

/* Call w->fn(w->arg) whenever fd is readable, until vrrp_loop_unwatch(); fn may unwatch any
 * watch, its own included, and free it. */
void vrrp_loop_watch(struct thread_master *m, struct vrrp_watch *w, int fd, vrrp_watch_fn fn,
		     void *arg);
void vrrp_loop_unwatch(struct vrrp_watch *w);

/*
 * From frr_run()'s first task: start the protocol thread, then run libfrr's loop in its place,
 * each task under the protocol lock. Never returns while the daemon runs.
 */
void vrrp_loop_run(struct thread_master *m);
/* Start the protocol thread (vrrp_loop_run() does; tests call it alone). If it cannot start,
 * the epoll set becomes a read task on `m`. */
void vrrp_loop_start(struct thread_master *m);
/* The fallback of vrrp_loop_start(): the epoll set read by a task of m, on m's thread. */
void vrrp_loop_start_here(struct thread_master *m);
/* Stop and join the protocol thread; after it, the main thread is alone. Idempotent. */
void vrrp_loop_stop(void);

/* The protocol lock, for code the main thread runs outside a task (signal handlers). */
void vrrp_loop_lock(void);
void vrrp_loop_unlock(void);

/* Wake-ups of the protocol thread so far (one epoll_wait() return each). */
unsigned long vrrp_loop_wakeups(void);

/*
 * Read away the wake-up bytes that tasks added from the loop's own thread wrote; called at the
 * end of a task that re-adds itself (a socket or timerfd read). From any other thread, nothing.
 */
void vrrp_loop_unpoke(struct thread_master *m);

/* Wake-up bytes read away so far; for tests. */
unsigned long vrrp_loop_unpoked(void);

#endif /* VRRP_LOOP_H */
