// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-family operations of the daemon: everything in which an IPv4 virtual router differs from
 * an IPv6 one outside the socket and netlink adapters. The core (reconcile, binding, executor,
 * show, northbound) calls through this table and never asks which family it runs.
 */
#ifndef VRRP_AF_H
#define VRRP_AF_H

#include "lib/if.h"
#include "lib/ipaddr.h"
#include "lib/prefix.h"

#include "vrrp_packet.h"

struct vrrp_af;

enum vrrp_afi {
	VRRP_AFI_V4 = 0,
	VRRP_AFI_V6,
	VRRP_AFI_MAX,
};

struct vrrp_family {
	enum vrrp_afi afi;
	/* The codec's side: group address, checksum, address length, receive strip. */
	const struct vrrp_af_ops *codec;
	/* "v4" / "v6": `show vrrp` labels, JSON objects, YANG containers. */
	const char *key;
	/* '4' / '6' in macvlan names (vrrp4-<ifindex>-<vrid>) and ownership markers. */
	char digit;
	/* Fifth octet of the virtual MAC, 00:00:5e:00:{01,02}:VRID (RFC 9568 7.3). */
	uint8_t vmac_octet;
	/* The macvlan needs its own random link-local (IPv6: the advertisement source). */
	bool mvl_linklocal;
	/* How `show vrrp` prints a source not known yet ("" / "::", as FRR does). */
	const char *src_unset;
	/* JSON key of the announcement counter ("garpTx" / "neighborAdverTx", FRR's keys). */
	const char *announce_key;
	/* A Master has zebra send router advertisements from its macvlan (RFC 9568 6.4.3). */
	bool master_radv;
	/* A running instance keeps its source while DAD briefly hides the link-local. */
	bool src_sticky;
	/* The advertisement source is the parent's (IPv4), so a Backup can start before its
	 * macvlan exists (vrrp_reconcile.c); IPv6 sends from the macvlan's own link-local. */
	bool src_on_parent;

	/*
	 * The advertisement source: IPv4 the parent's first primary address (RFC 9568 7.2),
	 * IPv6 the macvlan's own link-local, never a virtual one, or with unicast peers the
	 * parent's address of the first peer's scope (vrrp_unicast_source6()). False, with the
	 * reason in buf, when there is none yet.
	 */
	bool (*find_source)(const struct vrrp_af *af, struct interface *mvl, struct ipaddr *src,
			    char *buf, size_t len);
	/* Gratuitous ARP / unsolicited NA for one virtual address out of mvl. */
	int (*announce)(struct interface *mvl, const struct ethaddr *vmac,
			const struct ipaddr *vip);
	/* Host settings a macvlan of this family needs, once per macvlan bound. */
	void (*mvl_prepare)(const struct vrrp_af *af, struct interface *mvl);
	/* A virtual address as a prefix before the parent's subnet is applied. */
	void (*vip_prefix)(const struct ipaddr *vip, struct prefix *p);
	/* Whether a virtual address goes first in advertisements (IPv6 link-local, 5.2.9). */
	bool (*addr_first)(const struct ipaddr *vip);
};

extern const struct vrrp_family vrrp_family_ipv4;
extern const struct vrrp_family vrrp_family_ipv6;

/* The family of an index, or of an AF_INET / AF_INET6 value (NULL for anything else). */
const struct vrrp_family *vrrp_family(enum vrrp_afi afi);
const struct vrrp_family *vrrp_family_by_af(int family);
/* The family whose virtual MAC has this fifth octet, or NULL. */
const struct vrrp_family *vrrp_family_by_vmac(uint8_t octet);

#endif /* VRRP_AF_H */
