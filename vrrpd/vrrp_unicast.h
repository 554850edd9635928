// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unicast peers (`vrrp N unicast-peer ADDRESS`, keepalived's unicast_peer): which addresses
 * may be peers, the per-family peer table of a virtual router with its per-peer counters, and
 * the lookups the send and receive paths make. A family with peers sends each advertisement
 * to every peer instead of to the group and accepts advertisements only from its peers.
 */
#ifndef VRRP_UNICAST_H
#define VRRP_UNICAST_H

#include "lib/ipaddr.h"

#include "vrrp.h"

struct json_object;

/* One configured peer of a family and what was received from it. */
struct vrrp_peer {
	struct ipaddr addr;
	/* Advertisements accepted from this peer. */
	uint32_t adver_rx;
};

/* Why an address cannot be a unicast peer, or NULL if it can. */
const char *vrrp_unicast_problem(const struct ipaddr *ip);

/* Replace a family's configured peers with addrs (any order); nothing is in effect yet. */
void vrrp_unicast_set(struct vrrp_af *af, const struct ipaddr *addrs, unsigned int n);
/*
 * Put the configured peers in effect (reconcile, after any stop): the table is sorted, so show
 * prints a stable order, and a peer that stays keeps its counter. A no-op when nothing changed.
 */
void vrrp_unicast_apply(struct vrrp_af *af);
/* Whether the configured peers make a family run unicast. */
bool vrrp_unicast_configured(const struct vrrp_af *af);
/* Forget every peer of a router (it is being freed). */
void vrrp_unicast_free(struct vrrp_vr *vr);
/* Index of the peer with these address bytes (the family's length), or -1. */
int vrrp_unicast_find(const struct vrrp_af *af, const uint8_t *addr);
/* Zero the per-peer counters (`clear vrrp counters`). */
void vrrp_unicast_clear(struct vrrp_af *af);

/*
 * The unicast source of IPv6 advertisements for the configured peers: the parent's link-local
 * when the first peer is link-local, else the parent's first global address. False when the
 * parent has none.
 */
bool vrrp_unicast_source6(const struct vrrp_af *af, struct ipaddr *src);

/* Ordering of two addresses for the sorted table and running-config: IPv4 first, then bytes. */
int vrrp_unicast_cmp(const struct ipaddr *a, const struct ipaddr *b);

/* `show vrrp json`: the family's "unicastPeers" array. */
struct json_object *vrrp_unicast_json(const struct vrrp_af *af);

#endif /* VRRP_UNICAST_H */
