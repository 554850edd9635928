// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guardian: a child process that outlives a daemon killed without a goodbye and puts the
 * macvlans it left as Master into protodown once their Backups may take over, unless a new
 * daemon has started by then. The daemon tells it what to hold through a table of slots in
 * memory shared with it; the guardian reads the table only after the daemon is gone.
 */
#ifndef VRRP_GUARDIAN_H
#define VRRP_GUARDIAN_H

#include "lib/if.h"

/* Slots in the table: more than the Masters one daemon runs (a VRID per family per interface). */
#define VRRP_GUARD_SLOTS 4096

/*
 * One Master's macvlan. ifindex 0 means free. hold_until is written before ifindex, so a slot
 * whose ifindex is set always carries a deadline meant for it.
 */
struct vrrp_guard_slot {
	ifindex_t ifindex;
	uint64_t hold_until_us; /* CLOCK_MONOTONIC microseconds, the clock of vrrp_now_us() */
};

/*
 * Fork the guardian; call once, after the pid file is written and locked and before the event
 * loop runs. pidfile is the daemon's: a new daemon holding its lock claims the macvlans.
 * Returns 0 or a negative errno (the daemon then runs without a guardian).
 */
int vrrp_guardian_start(const char *pidfile);

/* A slot for one instance, or -1 when the table is full or there is no guardian. */
int vrrp_guardian_slot_get(void);
/* Free a slot (clearing it); -1 is ignored. */
void vrrp_guardian_slot_put(int slot);
/* This macvlan is a live Master until hold_until_us. slot -1 is ignored. */
void vrrp_guardian_hold(int slot, ifindex_t mvl_ifindex, uint64_t hold_until_us);
/* The instance is no longer Master: nothing to hold. slot -1 is ignored. */
void vrrp_guardian_release(int slot);

/*
 * How long a Master's advertisement sent at now_us keeps its macvlan up: 1 ms short of three
 * advertisement intervals (centiseconds), before the earliest Master_Down_Interval of a Backup
 * (3 x interval + Skew_Time, RFC 9568 6.1) can end.
 */
uint64_t vrrp_guardian_hold_until(uint64_t now_us, uint16_t adver_interval_cs);

/* Seams for the unit tests, which run no guardian. */

/* Map the table without forking; 0 or a negative errno. vrrp_guardian_start() calls it. */
int vrrp_guardian_table_init(void);
/* Unmap it and forget every slot, so a forked test process can start from an empty one. */
void vrrp_guardian_table_fini(void);
/* The table, or NULL before vrrp_guardian_table_init(). */
const struct vrrp_guard_slot *vrrp_guardian_table(void);
/*
 * The live slots of table (n entries) copied to out (room for n), earliest deadline first;
 * returns how many. What the guardian does once the daemon is gone.
 */
size_t vrrp_guardian_snapshot(const struct vrrp_guard_slot *table, size_t n,
			      struct vrrp_guard_slot *out);
/* Whether a process other than dead_pid holds the write lock on pidfile. */
bool vrrp_guardian_claimed(const char *pidfile, pid_t dead_pid);

#endif /* VRRP_GUARDIAN_H */
