// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The outside world as the protocol core sees it. Every call the core makes into the socket,
 * announcement, macvlan and zebra adapters goes through one table, so unit tests swap the kernel
 * and zebra for fakes and still run the real reconcile and executor. vrrp_io_kernel points at
 * the real adapters; each entry behaves as the adapter function it names documents.
 */
#ifndef VRRP_IO_H
#define VRRP_IO_H

#include "lib/if.h"
#include "lib/ipaddr.h"
#include "lib/prefix.h"
#include "lib/thread.h"

#include "vrrp_macvlan.h"
#include "vrrp_packet.h"
#include "vrrp_protodown.h"
#include "vrrp_sock.h"

struct vrrp_io {
	/* vrrp_sock.c */
	void (*sock_init)(struct thread_master *master, vrrp_sock_rx_fn rx);
	int (*rx_ref)(struct interface *parent, int family);
	void (*rx_unref)(struct interface *parent, int family);
	int (*send)(int family, struct interface *ifp, const struct interface *lower,
		    const union vrrp_addr *src, const union vrrp_addr *dst, const uint8_t *buf,
		    size_t len, bool check_link);
	/* What the receive sockets hold, delivered now; may be NULL. */
	void (*rx_drain)(void);
	/* Which advertisements of vrid may wait (vrrp_sock_rx_quiet()); may be NULL. */
	void (*rx_quiet)(struct interface *parent, int family, uint8_t vrid,
			 const struct vrrp_rx_quiet *q);
	/* vrrp_announce.c */
	int (*garp)(struct interface *mvl, const struct ethaddr *vmac, struct in_addr vip);
	int (*una)(struct interface *mvl, const struct ethaddr *vmac, const struct in6_addr *vip);
	/* vrrp_protodown.c; protodown_init may be NULL (fakes apply at once) */
	void (*protodown_init)(struct thread_master *master, vrrp_protodown_done_fn done);
	void (*protodown)(struct interface *ifp, bool down);
	/* vrrp_zebra.c */
	void (*radv)(struct interface *ifp, bool enable);
	/* Nexthop tracking of a prefix, resolved over a default route too; zebra answers each
	 * registration at once and every change after it (vrrp_track_route_update()). */
	void (*nht_register)(const struct prefix *p, vrf_id_t vrf_id);
	void (*nht_unregister)(const struct prefix *p, vrf_id_t vrf_id);
	/* vrrp_macvlan.c */
	int (*mvl_create)(const char *name, ifindex_t parent, const struct ethaddr *vmac,
			  bool ipv6, const char *alias);
	int (*mvl_delete)(ifindex_t ifindex);
	int (*mvl_set_up)(ifindex_t ifindex);
	int (*mvl_hold_down)(ifindex_t ifindex);
	int (*mvl_live)(ifindex_t ifindex);
	int (*mvl_lookup)(const char *name);
	int (*mvl_keep_addrs)(const char *ifname);
	int (*parent_arp)(const char *parent);
	int (*addr_add)(ifindex_t ifindex, const struct prefix *p);
	int (*addr_del)(ifindex_t ifindex, const struct prefix *p);
	int (*get_alias)(ifindex_t ifindex, char *buf, size_t len);
	int (*link_info)(ifindex_t ifindex, struct vrrp_link_info *out);
	int (*addrs)(ifindex_t ifindex, int family, struct ipaddr *out, int max);
	int (*walk_owned)(const char *alias_prefix, vrrp_macvlan_walk_fn cb, void *arg);
	/* Close every socket of every adapter (daemon exit). */
	void (*fini)(void);
};

extern const struct vrrp_io vrrp_io_kernel;
/* The table in use: &vrrp_io_kernel unless a test installed fakes before vrrp_engine_init(). */
extern const struct vrrp_io *vrrp_io;

#endif /* VRRP_IO_H */
