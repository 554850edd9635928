// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The notifier: a helper process forked by vrrp_main.c before libfrr drops privileges, so it
 * can run notify scripts as the configured user, and write the notify FIFO, outside the
 * protocol's event loop. It reads events from its end of a socketpair (vrrp_notify_msg.h),
 * runs each router's scripts one after the other (several routers in parallel, bounded), kills
 * a script's process group at its timeout, reaps every child, and reports how each script
 * ended. It ends once the daemon's end of the socketpair is closed and what it was sent is done
 * (VRRP_NOTIFIER_DRAIN_S at most). It uses plain system calls, never the daemon's log or
 * event loop.
 */
#ifndef VRRP_NOTIFIER_H
#define VRRP_NOTIFIER_H

#include <sys/types.h>

/* Scripts of different routers that may run at the same time. */
#define VRRP_NOTIFIER_PARALLEL 8
/* Events waiting for a script, per router and in all. */
#define VRRP_NOTIFIER_LANE_QUEUE 32
#define VRRP_NOTIFIER_QUEUE 512
/* After the daemon is gone, what is queued or running gets this long, then is ended. */
#define VRRP_NOTIFIER_DRAIN_S 10
/* From SIGTERM to a timed-out script's process group to SIGKILL. */
#define VRRP_NOTIFIER_KILL_GRACE_MS 1000

/*
 * Fork the notifier. default_user runs scripts that name no user and owns the FIFO (NULL:
 * the current user). Returns the daemon's end of the socketpair (non-blocking, close-on-exec)
 * and the notifier's pid in *pid, or -errno.
 */
int vrrp_notifier_fork(const char *default_user, pid_t *pid);

/*
 * The notifier's life on its end of the socketpair: never returns. The unit tests run it in a
 * child of their own.
 */
void vrrp_notifier_main(int fd, const char *default_user) __attribute__((noreturn));

#endif /* VRRP_NOTIFIER_H */
