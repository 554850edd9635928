// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Announcements of a new Active router: gratuitous ARP for IPv4 and unsolicited Neighbor
 * Advertisements for IPv6 (RFC 9568 6.4.2), sent out of the macvlan that carries the virtual MAC.
 */
#ifndef VRRP_ANNOUNCE_H
#define VRRP_ANNOUNCE_H

#include "lib/if.h"
#include "lib/prefix.h"

/*
 * One gratuitous ARP for vip out of mvl: Ethernet broadcast from vmac, an ARP request whose
 * sender hardware address is vmac, sender and target protocol addresses are vip and target
 * hardware address is zero (RFC 9568 6.4.2 with errata 7947/7949, RFC 5227 2.3). Returns 0,
 * -ENETDOWN while mvl cannot transmit (down, protodown), -ENXIO if it is gone (neither is
 * logged), or another -errno after a flog_err.
 */
int vrrp_garp_send(struct interface *mvl, const struct ethaddr *vmac, struct in_addr vip);

/*
 * One unsolicited Neighbor Advertisement for vip out of mvl to ff02::1, from vip, hop limit
 * 255: R=1, S=0, O=1, target vip, target link-layer address option vmac (RFC 9568 6.4.2,
 * RFC 4861 7.2.6). The source MAC is mvl's own address. Same return values as vrrp_garp_send().
 */
int vrrp_una_send(struct interface *mvl, const struct ethaddr *vmac, const struct in6_addr *vip);

/* Close the announcement sockets (they reopen on the next send). */
void vrrp_announce_fini(void);

#endif /* VRRP_ANNOUNCE_H */
