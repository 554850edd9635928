// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Multicast IPv4 advertisements sent as whole Ethernet frames on the macvlan's parent (see
 * vrrp_txframe.c for why).
 */
#ifndef VRRP_TXFRAME_H
#define VRRP_TXFRAME_H

#include "lib/if.h"

#include "vrrp_packet.h"

/* True when the macvlan mvl has a MAC and its parent lower an ifindex, all a frame needs. */
bool vrrp_txframe_usable(const struct interface *mvl, const struct interface *lower);

/*
 * Send the VRRP message msg from src to the IPv4 group on lower, mvl's parent, in the frame a
 * send on mvl would give (vrrp_ipv4_frame_hdr(), source MAC mvl's). The caller has checked
 * mvl's link.
 * Returns 0, -ENETDOWN or -ENXIO for a parent that is down or gone (not logged), or another
 * -errno after a flog_err.
 */
int vrrp_txframe_send4(const struct interface *mvl, const struct interface *lower,
		       const union vrrp_addr *src, const union vrrp_addr *group,
		       const uint8_t *msg, size_t len);

/* Close the socket (it reopens on the next send). */
void vrrp_txframe_fini(void);

#endif /* VRRP_TXFRAME_H */
