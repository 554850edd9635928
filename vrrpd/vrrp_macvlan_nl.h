// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Inside the macvlan adapter only: its netlink session (vrrp_macvlan_nl.c), shared by the
 * operations in vrrp_macvlan.c. Nothing outside the adapter includes this.
 */
#ifndef VRRP_MACVLAN_NL_H
#define VRRP_MACVLAN_NL_H

#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "lib/if.h"

/* The socket, open between mvl_begin() and mvl_end(). */
extern struct nl_sock *mvl_sk;
/* The errno of the kernel's last error reply on mvl_sk (libnl loses some). */
extern int mvl_syserr;

/* Start a request: open the socket and forget the previous request's error. */
int mvl_begin(void);
/* The errno (positive) closest to a libnl error code. */
int mvl_nlerr2errno(int nlerr);
/* Finish a request: 0, or -errno preferring the kernel's own (closes a broken socket). */
int mvl_end(int nlerr);
/* The interface's name for the log; the kernel's, or "ifindex N" once it is gone. */
const char *mvl_ifname(ifindex_t ifindex, char *buf, size_t len);
/* The one log line of a failed operation: "cannot <op> macvlan <name>: <error>". */
void mvl_log(const char *op, const char *name, const char *extra, int rc);
/* An ifindex argument the kernel would misread (0 selects by name) is refused up front. */
int mvl_check_ifindex(const char *op, ifindex_t ifindex);
/* The kernel's current view of one link, by ifindex, or by name if ifindex is 0. */
int mvl_link_get(ifindex_t ifindex, const char *name, struct rtnl_link **out);
/* Apply the attributes set in changes to the link ifindex. */
int mvl_link_change(ifindex_t ifindex, struct rtnl_link *changes);
int mvl_link_delete(ifindex_t ifindex);

#endif /* VRRP_MACVLAN_NL_H */
