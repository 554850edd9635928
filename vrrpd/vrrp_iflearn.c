// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The macvlans this daemon knows from the kernel before zebra reports them (see
 * vrrp_iflearn.h): making their libfrr interfaces from our own read of the link after creating
 * it, and checking zebra's later reports of them against the kernel until zebra has caught up.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/typesafe.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_debug.h"
#include "vrrp_iflearn.h"
#include "vrrp_io.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_IFLEARN, "VRRP interface known before zebra");

/* The flags the daemon decides on: administratively up, and the carrier. */
#define VRRP_IFLEARN_FLAGS ((uint64_t)(IFF_UP | IFF_RUNNING))

PREDECL_HASH(vrrp_learned);
struct vrrp_learned_ent {
	struct vrrp_learned_item hitem;
	ifindex_t ifindex;
};

static int vrrp_learned_cmp(const struct vrrp_learned_ent *a, const struct vrrp_learned_ent *b)
{
	return numcmp(a->ifindex, b->ifindex);
}

static uint32_t vrrp_learned_hash(const struct vrrp_learned_ent *e)
{
	return (uint32_t)e->ifindex * 2654435761u;
}

DECLARE_HASH(vrrp_learned, struct vrrp_learned_ent, hitem, vrrp_learned_cmp, vrrp_learned_hash);

static struct vrrp_learned_head vrrp_learned;

static struct vrrp_learned_ent *vrrp_learned_get(ifindex_t ifindex)
{
	struct vrrp_learned_ent key = {.ifindex = ifindex};

	return vrrp_learned_find(&vrrp_learned, &key);
}

static void vrrp_learned_forget(ifindex_t ifindex)
{
	struct vrrp_learned_ent *e = vrrp_learned_get(ifindex);

	if (!e)
		return;
	vrrp_learned_del(&vrrp_learned, e);
	XFREE(MTYPE_VRRP_IFLEARN, e);
}

/* Copy what zebra's interface report carries and the daemon uses. */
static void vrrp_iflearn_apply(struct interface *ifp, const struct vrrp_link_info *li)
{
	ifp->flags = li->flags;
	ifp->mtu = li->mtu;
	ifp->mtu6 = li->mtu;
	ifp->link_ifindex = li->link;
	ifp->ll_type = ZEBRA_LLT_ETHER;
	if (li->has_hw_addr) {
		memcpy(ifp->hw_addr, li->hw_addr, ETH_ALEN);
		ifp->hw_addr_len = ETH_ALEN;
	}
}

struct interface *vrrp_iflearn_created(ifindex_t ifindex, struct interface *parent)
{
	struct vrrp_link_info li;
	struct interface *ifp, *same;
	struct vrrp_learned_ent *e;

	if (vrrp_io->link_info(ifindex, &li) < 0 || !li.name[0])
		return NULL;
	/* Zebra has not yet reported an older link of that name or index gone: leave it be. */
	ifp = if_lookup_by_name(li.name, parent->vrf->vrf_id);
	same = if_lookup_by_index(ifindex, parent->vrf->vrf_id);
	if ((ifp && ifp->ifindex != IFINDEX_INTERNAL && ifp->ifindex != ifindex) ||
	    (same && same != ifp))
		return NULL;
	if (ifp && ifp->ifindex == ifindex)
		return ifp; /* zebra was first: nothing to learn */
	ifp = if_get_by_name(li.name, parent->vrf->vrf_id, parent->vrf->name);
	if (!ifp || if_set_index(ifp, ifindex) < 0)
		return NULL;
	vrrp_iflearn_apply(ifp, &li);
	if (!vrrp_learned_get(ifindex)) {
		e = XCALLOC(MTYPE_VRRP_IFLEARN, sizeof(*e));
		e->ifindex = ifindex;
		vrrp_learned_add(&vrrp_learned, e);
	}
	VRRP_DEBUG(zebra, "interface %s (ifindex %d) known from the kernel before zebra's report",
		   ifp->name, ifindex);
	return ifp;
}

void vrrp_iflearn_reported(struct interface *ifp)
{
	struct vrrp_link_info li;
	int rc;

	if (!vrrp_learned_get(ifp->ifindex))
		return;
	rc = vrrp_io->link_info(ifp->ifindex, &li);
	if (rc < 0) {
		/* Gone, or unreadable: zebra's word stands, and its deletion follows. */
		vrrp_learned_forget(ifp->ifindex);
		return;
	}
	if ((ifp->flags & VRRP_IFLEARN_FLAGS) == (li.flags & VRRP_IFLEARN_FLAGS)) {
		VRRP_DEBUG(zebra, "zebra has caught up with interface %s", ifp->name);
		vrrp_learned_forget(ifp->ifindex);
		return;
	}
	VRRP_DEBUG(zebra, "zebra's report of %s is older than the kernel's state; keeping that",
		   ifp->name);
	vrrp_iflearn_apply(ifp, &li);
}

void vrrp_iflearn_gone(struct interface *ifp)
{
	vrrp_learned_forget(ifp->ifindex);
}

bool vrrp_iflearn_pending(const struct interface *ifp)
{
	return ifp->ifindex != IFINDEX_INTERNAL && vrrp_learned_get(ifp->ifindex);
}

void vrrp_iflearn_init(void)
{
	vrrp_learned_init(&vrrp_learned);
}

void vrrp_iflearn_fini(void)
{
	struct vrrp_learned_ent *e;

	while ((e = vrrp_learned_pop(&vrrp_learned)))
		XFREE(MTYPE_VRRP_IFLEARN, e);
	vrrp_learned_fini(&vrrp_learned);
}
