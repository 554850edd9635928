// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual-router table: creation, lookup and destruction of virtual routers, the settings
 * they inherit from the global defaults, and the effective priority their inputs make.
 */
#include <zebra.h>

#include "lib/jhash.h"
#include "lib/if.h"
#include "lib/memory.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_af.h"
#include "vrrp_engine.h"
#include "vrrp_history.h"
#include "vrrp_sync.h"
#include "vrrp_guardian.h"
#include "vrrp_notify.h"
#include "vrrp_unicast.h"

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
	.garp = {.repeat = VRRP_GARP_DEFAULT_REPEAT,
		 .delay = VRRP_GARP_DEFAULT_DELAY,
		 .refresh = VRRP_GARP_DEFAULT_REFRESH},
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
	vr->cfg.garp =
		(struct vrrp_garp_config){VRRP_GARP_UNSET, VRRP_GARP_UNSET, VRRP_GARP_UNSET};

	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		struct vrrp_af *af = &vr->af[i];

		af->vr = vr;
		af->afi = i;
		af->fam = vrrp_family(i);
		/* RFC 9568 7.3: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6. */
		af->vmac = (struct ethaddr){
			.octet = {0x00, 0x00, 0x5e, 0x00, af->fam->vmac_octet, vrid}};
		af->src.ipa_type = IPADDR_NONE;
		af->master_src.ipa_type = IPADDR_NONE;
		af->fsm.state = VRRP_STATE_INITIALIZE;
		af->rx_ifindex = IFINDEX_INTERNAL;
		af->own_ifindex = IFINDEX_INTERNAL;
		af->seen_ifindex = IFINDEX_INTERNAL;
		af->handed_over = IFINDEX_INTERNAL;
		af->handover_to = IFINDEX_INTERNAL;
		af->guard_slot = -1;
		/* Advertisements that wait unread when it falls due count first (vrrp_timer.h). */
		af->t_master_down.after_rx = true;
	}

	vrrp_prio_inputs_init(&vr->inputs);
	vrrp_vrs_add(&vrrp_vrs, vr);
	return vr;
}

void vrrp_vr_destroy(struct vrrp_vr *vr)
{
	struct vrrp_prio_input *in;

	vrrp_notify_vr_removing(vr);
	vrrp_vr_stop(vr);
	vrrp_sync_set(vr, NULL);
	vrrp_vrs_del(&vrrp_vrs, vr);
	/* The inputs belong to their trackers, which are told the router is gone. */
	while ((in = vrrp_prio_inputs_pop(&vr->inputs)))
		if (in->detach)
			in->detach(in);
	vrrp_prio_inputs_fini(&vr->inputs);
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		XFREE(MTYPE_VRRP_ADDRS, vr->af[i].addrs);
		XFREE(MTYPE_VRRP_ADDRS, vr->af[i].mvl_addrs);
		XFREE(MTYPE_VRRP_ADDRS, vr->af[i].mvl_added);
		XFREE(MTYPE_VRRP_ADDRS, vr->af[i].tx_addrs);
		vrrp_history_free(&vr->af[i]);
		/* A graceful restart leaves the guardian holding the live Masters. */
		if (!vrrp_engine_detaching())
			vrrp_guardian_slot_put(vr->af[i].guard_slot);
	}
	vrrp_unicast_free(vr);
	/* Leaving its sync group and its trackers may have queued it again since the stop. */
	vrrp_vr_unmark(vr);
	vrrp_notify_vr_free(vr);
	XFREE(MTYPE_VRRP_VR, vr);
}

void vrrp_vr_set_addrs(struct vrrp_af *af, const struct ipaddr *addrs, unsigned int n)
{
	if (n == af->naddrs && (!n || !memcmp(af->addrs, addrs, n * sizeof(*addrs))))
		return;
	af->addr_gen++;
	XFREE(MTYPE_VRRP_ADDRS, af->addrs);
	af->naddrs = n;
	af->addr_first_set = false;
	if (n) {
		af->addrs = XCALLOC(MTYPE_VRRP_ADDRS, n * sizeof(*addrs));
		memcpy(af->addrs, addrs, n * sizeof(*addrs));
	}
	for (unsigned int i = 0; i < n; i++)
		af->addr_first_set |= af->fam->addr_first(&addrs[i]);
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

void vrrp_vr_garp(const struct vrrp_vr *vr, struct vrrp_garp_policy *p)
{
	const struct vrrp_garp_config *c = &vr->cfg.garp;
	const struct vrrp_garp_policy *g = &vrrp_globals.garp;

	p->repeat = c->repeat != VRRP_GARP_UNSET ? c->repeat : g->repeat;
	p->delay = c->delay != VRRP_GARP_UNSET ? c->delay : g->delay;
	p->refresh = c->refresh != VRRP_GARP_UNSET ? (uint32_t)c->refresh : g->refresh;
}

bool vrrp_if_vmac(const struct interface *ifp, enum vrrp_afi *afi, uint8_t *vrid)
{
	static const uint8_t oui[4] = {0x00, 0x00, 0x5e, 0x00};
	const struct vrrp_family *fam;

	if (ifp->hw_addr_len != ETH_ALEN || memcmp(ifp->hw_addr, oui, sizeof(oui)))
		return false;
	fam = vrrp_family_by_vmac(ifp->hw_addr[4]);
	if (!fam)
		return false;
	*afi = fam->afi;
	*vrid = ifp->hw_addr[5];
	return *vrid != 0;
}

struct vrrp_vr *vrrp_vmac_router(const struct interface *ifp, enum vrrp_afi *afi)
{
	struct interface *parent;
	uint8_t vrid;

	if (!vrrp_if_vmac(ifp, afi, &vrid) || ifp->link_ifindex == IFINDEX_INTERNAL)
		return NULL;
	parent = if_lookup_by_index(ifp->link_ifindex, ifp->vrf->vrf_id);
	return parent ? vrrp_vr_lookup(parent, vrid) : NULL;
}

bool vrrp_af_enabled(const struct vrrp_af *af)
{
	return af->fam->codec->versions & (1u << af->vr->cfg.version);
}

uint8_t vrrp_vr_effective_priority(const struct vrrp_vr *vr, const char **why)
{
	const struct vrrp_prio_input *in;
	uint8_t conf = vrrp_vr_priority(vr);
	int prio = conf;

	frr_each (vrrp_prio_inputs_const, &vr->inputs, in) {
		if (!in->failed)
			continue;
		if (!in->decrement) {
			if (why)
				*why = in->name;
			return 0;
		}
		prio -= in->decrement;
	}
	/* The owner stays the owner (RFC 9568 6.1); nobody else may reach 255. */
	if (conf == VRRP_FSM_PRIO_OWNER)
		return conf;
	return MIN(MAX(prio, 1), VRRP_FSM_PRIO_OWNER - 1);
}

uint8_t vrrp_vr_run_priority(const struct vrrp_vr *vr)
{
	uint8_t eff = vrrp_vr_effective_priority(vr, NULL);

	return eff ? eff : vrrp_vr_priority(vr);
}

void vrrp_vr_input_add(struct vrrp_vr *vr, struct vrrp_prio_input *in)
{
	vrrp_prio_inputs_add_tail(&vr->inputs, in);
}

void vrrp_vr_input_del(struct vrrp_vr *vr, struct vrrp_prio_input *in)
{
	vrrp_prio_inputs_del(&vr->inputs, in);
}

void vrrp_vr_inputs_refresh(struct vrrp_vr *vr)
{
	struct vrrp_prio_input *in;

	frr_each (vrrp_prio_inputs, &vr->inputs, in)
		if (in->refresh)
			in->refresh(in);
}

bool vrrp_vr_inputs_concern(const struct vrrp_vr *vr, const struct interface *ifp)
{
	const struct vrrp_prio_input *in;

	frr_each (vrrp_prio_inputs_const, &vr->inputs, in)
		if (in->concerns && in->concerns(in, ifp))
			return true;
	return false;
}

const char *vrrp_af_tag(const struct vrrp_af *af)
{
	static char buf[INTERFACE_NAMSIZ + 32];

	snprintf(buf, sizeof(buf), "[VRID %u] [%s] %s", af->vr->vrid, af->fam->codec->name,
		 af->vr->ifp->name);
	return buf;
}

const char *vrrp_tx_error_name(enum vrrp_tx_error e)
{
	static const char *const names[VRRP_TXERR_MAX] = {
		[VRRP_TXERR_LINK_DOWN] = "linkDown",
		[VRRP_TXERR_NO_BUFFER] = "noBuffer",
		[VRRP_TXERR_OTHER] = "other",
	};

	return e < VRRP_TXERR_MAX ? names[e] : "unknown";
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

size_t vrrp_vr_count(void)
{
	return vrrp_vrs_count(&vrrp_vrs);
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
