// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Re-adding the protocol's read tasks to libfrr's event loop without a second trip through it.
 *
 * libfrr 8.4's thread_add_read() writes a byte to the loop's wake-up pipe every time, also when
 * the loop's own thread adds the task, from a task it is running. That thread is not in poll(),
 * so the byte wakes nobody; it only makes the next poll() return at once to read it, a trip
 * through thread_fetch() of five system calls on every advertisement sent or received
 * (bench/README.md, Finding 4). So the hot tasks, on the loop's own thread, read the pipe empty
 * as they end. That loses no wake-up: thread_fetch() builds its poll set, timeout and event
 * queue from the task lists when it next runs, so a task added before the read is seen without
 * its byte, and one another thread adds after it writes a byte of its own. From any other
 * thread the pipe is left alone.
 */
#include <zebra.h>

#include "lib/thread.h"

#include "vrrp_loop.h"

static unsigned long vrrp_loop_unpoke_count;

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
