// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The protocol's hot tasks on libfrr's event loop, without waking the loop for nothing.
 */
#ifndef VRRP_LOOP_H
#define VRRP_LOOP_H

#include "lib/thread.h"

/*
 * Read away the wake-up bytes that tasks added from the loop's own thread wrote; called at the
 * end of a task that re-adds itself (a socket or timerfd read). From any other thread, nothing.
 */
void vrrp_loop_unpoke(struct thread_master *m);

/* Wake-up bytes read away so far; for tests. */
unsigned long vrrp_loop_unpoked(void);

#endif /* VRRP_LOOP_H */
