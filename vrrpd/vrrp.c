// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual-router table: creation, lookup and destruction of virtual routers, the settings
 * they inherit from the global defaults, and reconciliation after a change.
 */
#include <zebra.h>

#include "lib/jhash.h"
#include "lib/if.h"
#include "lib/memory.h"

#include "vrrp.h"
#include "vrrp_engine.h"

DEFINE_MGROUP(VRRPD, "vrrpd");
DEFINE_MTYPE_STATIC(VRRPD, VRRP_VR, "VRRP virtual router");
DEFINE_MTYPE(VRRPD, VRRP_ADDRS, "VRRP virtual addresses");

struct vrrp_globals vrrp_globals = {
	.autoconfigure = false,
	.autoconfigure_version = VRRP_DEFAULT_VERSION,
	.priority = VRRP_DEFAULT_PRIORITY,
	.adver_interval = VRRP_DEFAULT_ADVINT,
	.preempt = VRRP_DEFAULT_PREEMPT,
	.shutdown = VRRP_DEFAULT_SHUTDOWN,
	.macvlan_create = true,
};

static int vrrp_vr_cmp(const struct vrrp_vr *a, const struct vrrp_vr *b)
{
	if (a->ifp != b->ifp)
		return a->ifp < b->ifp ? -1 : 1;
	return numcmp(a->vrid, b->vrid);
}

static uint32_t vrrp_vr_hash(const struct vrrp_vr *vr)
{
	return jhash_2words((uint32_t)(uintptr_t)vr->ifp, vr->vrid, 0x56525250);
}

DECLARE_HASH(vrrp_vrs, struct vrrp_vr, hitem, vrrp_vr_cmp, vrrp_vr_hash);

static struct vrrp_vrs_head vrrp_vrs;

struct vrrp_vr *vrrp_vr_lookup(const struct interface *ifp, uint8_t vrid)
{
	struct vrrp_vr key = {.ifp = (struct interface *)ifp, .vrid = vrid};

	return vrrp_vrs_find(&vrrp_vrs, &key);
}

struct vrrp_vr *vrrp_vr_create(struct interface *ifp, uint8_t vrid)
{
	struct vrrp_vr *vr = XCALLOC(MTYPE_VRRP_VR, sizeof(*vr));

	vr->ifp = ifp;
	vr->vrid = vrid;
	vr->cfg.version = VRRP_DEFAULT_VERSION;
	vr->cfg.preempt = -1;
	vr->cfg.shutdown = -1;
	vr->cfg.accept_mode = true;
	vr->cfg.cksum_pseudo = true;
	vr->cfg.macvlan_create = true;

	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		struct vrrp_af *af = &vr->af[i];

		af->vr = vr;
		af->afi = i;
		/* RFC 9568 §7.3: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6.
		 */
		af->vmac = (struct ethaddr){
			.octet = {0x00, 0x00, 0x5e, 0x00, i == VRRP_AFI_V4 ? 0x01 : 0x02, vrid}};
		af->src.ipa_type = IPADDR_NONE;
		af->fsm.state = VRRP_STATE_INITIALIZE;
		af->rx_ifindex = IFINDEX_INTERNAL;
		af->own_ifindex = IFINDEX_INTERNAL;
		af->seen_ifindex = IFINDEX_INTERNAL;
	}

	vrrp_vrs_add(&vrrp_vrs, vr);
	return vr;
}

void vrrp_vr_destroy(struct vrrp_vr *vr)
{
	vrrp_vr_stop(vr);
	vrrp_vrs_del(&vrrp_vrs, vr);
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		XFREE(MTYPE_VRRP_ADDRS, vr->af[i].addrs);
		XFREE(MTYPE_VRRP_ADDRS, vr->af[i].mvl_addrs);
	}
	XFREE(MTYPE_VRRP_VR, vr);
}

void vrrp_vr_set_addrs(struct vrrp_af *af, const struct ipaddr *addrs, unsigned int n)
{
	if (n == af->naddrs && (!n || !memcmp(af->addrs, addrs, n * sizeof(*addrs))))
		return;
	af->addr_gen++;
	XFREE(MTYPE_VRRP_ADDRS, af->addrs);
	af->naddrs = n;
	if (n) {
		af->addrs = XCALLOC(MTYPE_VRRP_ADDRS, n * sizeof(*addrs));
		memcpy(af->addrs, addrs, n * sizeof(*addrs));
	}
}

uint8_t vrrp_vr_priority(const struct vrrp_vr *vr)
{
	return vr->cfg.priority ? vr->cfg.priority : vrrp_globals.priority;
}

uint16_t vrrp_vr_adver_interval(const struct vrrp_vr *vr)
{
	return vr->cfg.adver_interval ? vr->cfg.adver_interval : vrrp_globals.adver_interval;
}

bool vrrp_vr_preempt(const struct vrrp_vr *vr)
{
	return vr->cfg.preempt >= 0 ? vr->cfg.preempt : vrrp_globals.preempt;
}

bool vrrp_vr_shutdown(const struct vrrp_vr *vr)
{
	return vr->cfg.shutdown >= 0 ? vr->cfg.shutdown : vrrp_globals.shutdown;
}

bool vrrp_vr_macvlan_create(const struct vrrp_vr *vr)
{
	return vr->cfg.macvlan_create && vrrp_globals.macvlan_create;
}

bool vrrp_if_vmac(const struct interface *ifp, enum vrrp_afi *afi, uint8_t *vrid)
{
	static const uint8_t oui[4] = {0x00, 0x00, 0x5e, 0x00};

	if (ifp->hw_addr_len != ETH_ALEN || memcmp(ifp->hw_addr, oui, sizeof(oui)))
		return false;
	if (ifp->hw_addr[4] != 0x01 && ifp->hw_addr[4] != 0x02)
		return false;
	*afi = ifp->hw_addr[4] == 0x01 ? VRRP_AFI_V4 : VRRP_AFI_V6;
	*vrid = ifp->hw_addr[5];
	return *vrid != 0;
}

bool vrrp_af_enabled(const struct vrrp_af *af)
{
	return af->afi == VRRP_AFI_V4 || af->vr->cfg.version == 3;
}

static int vrrp_vr_sort_cmp(const void *a, const void *b)
{
	const struct vrrp_vr *va = *(const struct vrrp_vr *const *)a;
	const struct vrrp_vr *vb = *(const struct vrrp_vr *const *)b;
	int r = strcmp(va->ifp->name, vb->ifp->name);

	return r ? r : numcmp(va->vrid, vb->vrid);
}

struct vrrp_vr **vrrp_vr_sorted(const char *ifname, uint8_t vrid, size_t *count)
{
	struct vrrp_vr **list;
	struct vrrp_vr *vr;
	size_t n = 0;

	list = XCALLOC(MTYPE_TMP, (vrrp_vrs_count(&vrrp_vrs) + 1) * sizeof(*list));
	frr_each (vrrp_vrs, &vrrp_vrs, vr) {
		if (ifname && strcmp(vr->ifp->name, ifname))
			continue;
		if (vrid && vr->vrid != vrid)
			continue;
		list[n++] = vr;
	}
	qsort(list, n, sizeof(*list), vrrp_vr_sort_cmp);
	*count = n;
	return list;
}

void vrrp_vr_foreach(void (*fn)(struct vrrp_vr *vr, void *arg), void *arg)
{
	struct vrrp_vr *vr;

	frr_each_safe (vrrp_vrs, &vrrp_vrs, vr)
		fn(vr, arg);
}

void vrrp_if_delete(struct interface *ifp)
{
	struct vrrp_vr *vr;

	frr_each_safe (vrrp_vrs, &vrrp_vrs, vr)
		if (vr->ifp == ifp && vr->autoconf)
			vrrp_vr_destroy(vr);
}

void vrrp_init(void)
{
	vrrp_vrs_init(&vrrp_vrs);
}

void vrrp_fini(void)
{
	struct vrrp_vr *vr;

	while ((vr = vrrp_vrs_first(&vrrp_vrs)))
		vrrp_vr_destroy(vr);
	vrrp_vrs_fini(&vrrp_vrs);
}
