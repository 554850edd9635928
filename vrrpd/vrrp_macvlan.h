// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The macvlan interfaces that carry the virtual MACs: create, configure, address and remove them
 * through the kernel directly (libnl-3). Zebra only ever sees the result.
 *
 * Every function is a synchronous netlink request. It returns 0 (or an ifindex) on success,
 * otherwise -errno as the kernel reported it, after logging one flog_err(EC_VRRP_MACVLAN) line
 * naming the operation and the interface, except where a comment says the error is silent.
 */
#ifndef VRRP_MACVLAN_H
#define VRRP_MACVLAN_H

#include "lib/if.h"
#include "lib/ipaddr.h"
#include "lib/prefix.h"

/*
 * Ownership marker written to IFLA_IFALIAS of every macvlan this daemon creates, so that a new
 * instance recognises its predecessor's interfaces, even after kill -9:
 *   "vrrpd:<parent ifname>:<vrid>:<4|6>"
 * Interface names cannot contain ':' (dev_valid_name()), so the fields split unambiguously.
 */
#define VRRP_MACVLAN_ALIAS_PREFIX "vrrpd:"
/* The kernel's limit for IFLA_IFALIAS (IFALIASZ), including the terminating NUL. */
#define VRRP_MACVLAN_ALIAS_MAX 256

/*
 * Write the marker of (parent, vrid, family) into buf; returns its length, -EINVAL for a parent
 * name that is empty or has a ':', or -ENAMETOOLONG.
 */
int vrrp_macvlan_alias_make(char *buf, size_t len, const char *parent, uint8_t vrid, bool ipv6);
/*
 * Parse a marker; false if alias is not one. parent receives the parent name (parent_len >=
 * INTERFACE_NAMSIZ is always enough), vrid and ipv6 the rest. Any output may be NULL.
 */
bool vrrp_macvlan_alias_parse(const char *alias, char *parent, size_t parent_len, uint8_t *vrid,
			      bool *ipv6);

/*
 * Create macvlan `name` on `parent` in bridge mode with MAC `vmac`, enslaved to the parent's VRF
 * if it has one, and return its ifindex. Then, before bringing it up: write `alias`, and set the
 * IPv6 address generation mode, random for an IPv6 virtual router (its link-local is the
 * advertisement source and must differ between routers sharing the VMAC), none for IPv4 (no
 * link-local at all, so a Backup never sends DAD or MLD from the shared VMAC).
 *
 * If `name` exists already and is a macvlan on `parent` carrying `alias` (an instance of this
 * daemon left it; a marker of the same VRID and family naming the parent's former name counts,
 * and is rewritten), it is reused: brought up and its ifindex returned when its MAC, mode and
 * address generation mode are right, otherwise deleted and created again. Any other interface
 * of that name is left untouched and -EEXIST is returned, with the reason logged.
 * If a later step fails, the new interface is deleted again, so no unmarked macvlan is left.
 */
int vrrp_macvlan_create(const char *name, ifindex_t parent, const struct ethaddr *vmac, bool ipv6,
			const char *alias);
/* Delete the interface. -ENODEV (already gone) is returned silently. */
int vrrp_macvlan_delete(ifindex_t ifindex);
/* Set the interface administratively up. */
int vrrp_macvlan_set_up(ifindex_t ifindex); /* -ENODEV silently */
/*
 * The kernel's protodown reason bit that zebra 8.4 uses for all of FRR (its default
 * frr_protodown_r_bit, 7). A link whose only reason is this bit is, to zebra, down for FRR's
 * own reasons, not for an "external" one.
 */
#define VRRP_PROTODOWN_REASON_BIT (1u << 7)
/*
 * Set or clear protodown, and with it zebra's reason bit and nothing else (RTM_SETLINK,
 * IFLA_PROTO_DOWN with IFLA_PROTO_DOWN_REASON). Clearing fails with -EBUSY while another reason
 * bit holds the link down. Every call has the kernel report the link again, changed or not.
 * -ENODEV silently.
 */
int vrrp_macvlan_set_protodown(ifindex_t ifindex, bool down);
/*
 * If the kernel says the interface is in protodown and operationally up all the same, set
 * protodown on again, which takes the carrier away. Returns 1 if it did, 0 if there was nothing
 * to do. The kernel hands a macvlan its parent's carrier on every parent state change,
 * protodown or not, and nothing else would notice. -ENODEV silently.
 */
int vrrp_macvlan_hold_down(ifindex_t ifindex);
/*
 * Whether the kernel runs the interface out of protodown, i.e. it answers for its addresses
 * with its MAC: 1 yes, 0 no, -errno (-ENODEV if it does not exist).
 */
int vrrp_macvlan_live(ifindex_t ifindex);
/* The ifindex of the interface called name, or -errno (-ENODEV if there is none). */
int vrrp_macvlan_lookup(const char *name);
/*
 * Keep IPv6 addresses (the link-local source and the virtual addresses) while the macvlan is
 * in protodown: the kernel otherwise flushes them on carrier loss, and a new Master would have
 * to wait for them to come back. Writes net.ipv6.conf.<ifname>.keep_addr_on_down=1.
 */
int vrrp_macvlan_keep_addrs(const char *ifname);
/*
 * net.ipv4.conf.<parent>.arp_ignore=1: the parent answers ARP only for its own addresses. By
 * default Linux answers for any local address on any interface, so a Backup's parent would
 * answer for the virtual addresses on its macvlan with its own MAC (RFC 9568 6.4.2: MUST NOT).
 * Raises only 0 to 1; any other value (2, 3, 8: stricter) is the administrator's and stays.
 */
int vrrp_macvlan_parent_arp(const char *parent);
/*
 * Add or delete an address (p->prefixlen is the subnet length). IPv6 addresses are added
 * without DAD: a virtual address is shared by design. Adding an address that exists returns
 * -EEXIST, deleting one that does not returns -EADDRNOTAVAIL, both silently.
 */
int vrrp_macvlan_addr_add(ifindex_t ifindex, const struct prefix *p);
int vrrp_macvlan_addr_del(ifindex_t ifindex, const struct prefix *p);

/* What libfrr keeps of a link, as zebra would report it. */
struct vrrp_link_info {
	char name[IFNAMSIZ];
	/* The kernel's ifi_flags (IFF_UP, IFF_RUNNING, ...). */
	uint64_t flags;
	unsigned int mtu;
	/* IFLA_LINK: the parent of a macvlan, IFINDEX_INTERNAL if none. */
	ifindex_t link;
	uint8_t hw_addr[ETH_ALEN];
	/* Whether the link has an Ethernet address at all. */
	bool has_hw_addr;
};
/* The kernel's current view of ifindex. -ENODEV silently. */
int vrrp_macvlan_link_info(ifindex_t ifindex, struct vrrp_link_info *out);

/* Copy the kernel's IFLA_IFALIAS of ifindex into buf, "" when it has none. Returns 0. */
int vrrp_macvlan_get_alias(ifindex_t ifindex, char *buf, size_t len);

typedef void (*vrrp_macvlan_walk_fn)(ifindex_t ifindex, const char *name, ifindex_t parent,
				     const char *alias, void *arg);
/*
 * Call cb for every macvlan in this namespace whose alias starts with alias_prefix, from a
 * snapshot taken before the first call, so cb may delete interfaces. parent is IFLA_LINK
 * (IFINDEX_INTERNAL if the parent lives in another namespace). Returns the number of calls.
 */
int vrrp_macvlan_walk_owned(const char *alias_prefix, vrrp_macvlan_walk_fn cb, void *arg);

/* Close the netlink socket; the next call opens a new one. */
/*
 * The addresses of one family the kernel has on an interface, up to max, tentative ones
 * included. Zebra reports none for an interface in protodown, but a starting Backup needs its
 * IPv6 source and autoconfiguration needs the macvlan's addresses. Returns how many, or -errno.
 */
int vrrp_macvlan_addrs(ifindex_t ifindex, int family, struct ipaddr *out, int max);
void vrrp_macvlan_fini(void);

#endif /* VRRP_MACVLAN_H */
