// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Macvlans known from the kernel's answer to their creation, before zebra reports them: the
 * libfrr interface is made at once, so a router starts without waiting for zebra.
 */
#ifndef VRRP_IFLEARN_H
#define VRRP_IFLEARN_H

#include "lib/if.h"

/*
 * Make (or update) the libfrr interface of the link ifindex that we have just created on
 * parent, from the kernel's view of it, as zebra's report would. NULL, and nothing changed,
 * when the kernel cannot say or libfrr holds a different interface under that name or index
 * (zebra is behind on an older link): the router then waits for zebra as before.
 */
struct interface *vrrp_iflearn_created(ifindex_t ifindex, struct interface *parent);
/*
 * Zebra reported ifp (added, up or down). Until a report agrees with the kernel, zebra's is
 * older than what we already applied (zebra reports the link as created, down, before it is
 * raised): the kernel's current flags are put back. From the first report that agrees on,
 * zebra alone keeps the interface.
 */
void vrrp_iflearn_reported(struct interface *ifp);
/* Zebra reported ifp deleted: its report wins, and ifp is forgotten here. */
void vrrp_iflearn_gone(struct interface *ifp);
/* Whether ifp was made from the kernel and zebra has not yet caught up. */
bool vrrp_iflearn_pending(const struct interface *ifp);
void vrrp_iflearn_init(void);
void vrrp_iflearn_fini(void);

#endif /* VRRP_IFLEARN_H */
