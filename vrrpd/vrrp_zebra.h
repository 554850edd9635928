// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zclient session with zebra: interface and address events in, router advertisement and
 * nexthop-tracking requests out (protodown goes to the kernel directly: vrrp_protodown.c).
 */
#ifndef VRRP_ZEBRA_H
#define VRRP_ZEBRA_H

#include "lib/if.h"
#include "lib/thread.h"

void vrrp_zebra_init(struct thread_master *master);
void vrrp_zebra_fini(void);
/*
 * IPv6 Master: zebra sends router advertisements from the macvlan (RFC 9568 6.4.3 MUST), as
 * FRR's vrrpd asks it to, with its 16 s maximum interval; off again when no longer Master.
 */
#define VRRP_RADV_INTERVAL 16
void vrrp_zebra_radv(struct interface *ifp, bool enable);
/* Nexthop tracking for route trackers (vrrp_track.c), resolving over a default route. */
void vrrp_zebra_nht_register(const struct prefix *p, vrf_id_t vrf_id);
void vrrp_zebra_nht_unregister(const struct prefix *p, vrf_id_t vrf_id);

#endif /* VRRP_ZEBRA_H */
