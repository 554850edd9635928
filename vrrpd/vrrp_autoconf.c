// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `vrrp autoconfigure`: virtual routers for macvlan interfaces that already carry a VRRP virtual
 * MAC (00:00:5e:00:01:VRID or 00:00:5e:00:02:VRID), as FRR's vrrpd does. They take their
 * addresses from the macvlan, are not part of the configuration, and go away with the macvlan
 * or when autoconfiguration is turned off.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/log.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_debug.h"
#include "vrrp_io.h"
#include "vrrp_macvlan.h"

/* The family and VRID a virtual MAC stands for, or false for any other MAC. */
/*
 * The macvlan's addresses of its family, read from the kernel (zebra hides them while the
 * macvlan is in protodown). IPv6 link-locals are left out: they are the source.
 */
static void vrrp_autoconf_addrs(struct vrrp_af *af, const struct interface *mvl)
{
	struct ipaddr addrs[VRRP_MAX_ADDRS];
	int n, k = 0;

	n = vrrp_io->addrs(mvl->ifindex, af->fam->codec->family, addrs, array_size(addrs));
	if (n < 0)
		return;
	for (int i = 0; i < n; i++)
		/* The addresses a family puts first are IPv6 link-locals. */
		if (!af->fam->addr_first(&addrs[i]))
			addrs[k++] = addrs[i];
	vrrp_vr_set_addrs(af, addrs, k);
}

/* Whether an autoconfigured router still has a macvlan of either family. */
static bool vrrp_autoconf_alive(const struct vrrp_vr *vr)
{
	struct interface *ifp;
	enum vrrp_afi afi;
	uint8_t vrid;

	FOR_ALL_INTERFACES (vr->ifp->vrf, ifp)
		if (ifp->link_ifindex == vr->ifp->ifindex && vrrp_if_vmac(ifp, &afi, &vrid) &&
		    vrid == vr->vrid)
			return true;
	return false;
}

static void vrrp_autoconf_prune(struct vrrp_vr *vr, void *arg)
{
	if (!vr->autoconf)
		return;
	if (vrrp_globals.autoconfigure && vrrp_autoconf_alive(vr))
		return;
	VRRP_DEBUG(auto, "[VRID %u] removing autoconfigured virtual router on %s", vr->vrid,
		   vr->ifp->name);
	vrrp_vr_destroy(vr);
}

void vrrp_autoconfig(void)
{
	struct vrf *vrf = vrf_lookup_by_id(VRF_DEFAULT);
	struct interface *mvl, *parent;
	enum vrrp_afi afi;
	uint8_t vrid;

	vrrp_vr_foreach(vrrp_autoconf_prune, NULL);
	if (!vrrp_globals.autoconfigure || !vrf)
		return;

	FOR_ALL_INTERFACES (vrf, mvl) {
		struct vrrp_vr *vr;

		if (!vrrp_if_vmac(mvl, &afi, &vrid) || mvl->link_ifindex == IFINDEX_INTERNAL)
			continue;
		parent = if_lookup_by_index(mvl->link_ifindex, vrf->vrf_id);
		if (!parent || parent == mvl)
			continue;
		vr = vrrp_vr_lookup(parent, vrid);
		/* Configured routers win: autoconfiguration only fills gaps. */
		if (vr && !vr->autoconf)
			continue;
		if (!vr) {
			vr = vrrp_vr_create(parent, vrid);
			vr->autoconf = true;
			vr->cfg.macvlan_create = false;
			zlog_info("[VRID %u] autoconfigured a virtual router on %s from %s", vrid,
				  parent->name, mvl->name);
		}
		vr->cfg.version = vrrp_globals.autoconfigure_version;
		vrrp_autoconf_addrs(&vr->af[afi], mvl);
	}
}
