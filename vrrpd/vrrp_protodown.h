// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The protodown adapter: our macvlans' protodown, set in the kernel directly over netlink with
 * zebra's reason bit, and coalesced per interface so a burst of requests becomes at most one
 * kernel change (see doc/macvlan.rst, "Protodown of a Backup's macvlan").
 */
#ifndef VRRP_PROTODOWN_H
#define VRRP_PROTODOWN_H

#include "lib/if.h"
#include "lib/thread.h"

/* Put the kernel's protodown of ifindex to down: 0 or -errno (-ENODEV: it is gone). */
typedef int (*vrrp_protodown_apply_fn)(ifindex_t ifindex, bool down);
/* Called after a request reached the kernel, so work waiting for the link can go on. */
typedef void (*vrrp_protodown_done_fn)(ifindex_t ifindex, vrf_id_t vrf_id, bool down);

struct vrrp_protodown_stats {
	uint64_t requests; /* vrrp_protodown_request() calls */
	uint64_t applied;  /* kernel changes made */
	uint64_t skipped;  /* requests the kernel already had when their turn came */
	uint64_t failed;   /* kernel changes refused */
};

/*
 * Serve requests from master's event loop. apply defaults to vrrp_macvlan_set_protodown(); done
 * may be NULL. Tests pass their own.
 */
void vrrp_protodown_init(struct thread_master *master, vrrp_protodown_apply_fn apply,
			 vrrp_protodown_done_fn done);
void vrrp_protodown_fini(void);
/*
 * Want protodown on ifp on or off. Nothing is done at once: at the end of the protocol wake-up
 * whose handler asks, or at the next one (which a request from the main thread rings for), the
 * last wish per interface is applied, and only where it differs from what this adapter last
 * put into the kernel. So a Backup that becomes Master and hears the real Master in the same
 * wake-up costs no kernel change, and zebra sees no interface event.
 */
void vrrp_protodown_request(struct interface *ifp, bool down);
/* Apply every pending request now (on the main thread: at exit, without a bell; tests). */
void vrrp_protodown_flush(void);
/*
 * Forget what the kernel was told: of one interface (it is gone, its ifindex may come back),
 * or of all (zebra restarted, and its start-up sweep rewrites protodown of every interface).
 * The next request for it reaches the kernel whatever it says.
 */
void vrrp_protodown_forget(ifindex_t ifindex);
void vrrp_protodown_forget_all(void);
const struct vrrp_protodown_stats *vrrp_protodown_stats(void);
/*
 * When this adapter's last word on ifindex, "protodown off", reached the kernel (monotonic
 * microseconds, vrrp_now_us()); 0 if its last word was something else or nothing.
 */
uint64_t vrrp_protodown_lifted_at(ifindex_t ifindex);

#endif /* VRRP_PROTODOWN_H */
