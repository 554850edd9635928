// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unicast peers (see vrrp_unicast.h): validation, the sorted per-family peer tables and their
 * counters, and the IPv6 unicast source.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/json.h"
#include "lib/memory.h"
#include "lib/prefix.h"

#include "vrrp.h"
#include "vrrp_nb.h"
#include "vrrp_unicast.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_PEERS, "VRRP unicast peers");

/* A virtual address's problems (vrrp_vaddr_problem()), said for a peer, and IPv4 link-local. */
const char *vrrp_unicast_problem(const struct ipaddr *ip)
{
	const char *problem;

	if (IS_IPADDR_V4(ip) ? IN_MULTICAST(ntohl(ip->ipaddr_v4.s_addr))
			     : IN6_IS_ADDR_MULTICAST(&ip->ipaddr_v6))
		return "a multicast address; unicast peers replace the multicast group";
	problem = vrrp_vaddr_problem(ip);
	if (problem)
		return problem;
	/* 169.254/16 is not routed and keepalived refuses it as a peer too. */
	if (IS_IPADDR_V4(ip) && (ntohl(ip->ipaddr_v4.s_addr) >> 16) == 0xa9fe)
		return "an IPv4 link-local address";
	return NULL;
}

int vrrp_unicast_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	if (a->ipa_type != b->ipa_type)
		return IS_IPADDR_V4(a) ? -1 : 1;
	return memcmp(&a->ip.addr, &b->ip.addr, IS_IPADDR_V4(a) ? 4 : 16);
}

int vrrp_unicast_find(const struct vrrp_af *af, const uint8_t *addr)
{
	for (unsigned int i = 0; i < af->npeers; i++)
		if (!memcmp(&af->peers[i].addr.ip.addr, addr, af->fam->codec->addrlen))
			return (int)i;
	return -1;
}

static int vrrp_ipaddr_qcmp(const void *a, const void *b)
{
	return vrrp_unicast_cmp(a, b);
}

void vrrp_unicast_set(struct vrrp_af *af, const struct ipaddr *addrs, unsigned int n)
{
	XFREE(MTYPE_VRRP_PEERS, af->peers_cfg);
	af->npeers_cfg = n;
	if (!n)
		return;
	af->peers_cfg = XCALLOC(MTYPE_VRRP_PEERS, n * sizeof(*af->peers_cfg));
	memcpy(af->peers_cfg, addrs, n * sizeof(*addrs));
	qsort(af->peers_cfg, n, sizeof(*af->peers_cfg), vrrp_ipaddr_qcmp);
}

bool vrrp_unicast_configured(const struct vrrp_af *af)
{
	return af->npeers_cfg > 0;
}

static bool vrrp_unicast_in_effect(const struct vrrp_af *af)
{
	if (af->npeers != af->npeers_cfg)
		return false;
	for (unsigned int i = 0; i < af->npeers; i++)
		if (vrrp_unicast_cmp(&af->peers[i].addr, &af->peers_cfg[i]))
			return false;
	return true;
}

void vrrp_unicast_apply(struct vrrp_af *af)
{
	unsigned int n = af->npeers_cfg;
	struct vrrp_peer *p;

	if (vrrp_unicast_in_effect(af))
		return;
	p = n ? XCALLOC(MTYPE_VRRP_PEERS, n * sizeof(*p)) : NULL;
	for (unsigned int i = 0; i < n; i++) {
		int old = vrrp_unicast_find(af, (const uint8_t *)&af->peers_cfg[i].ip.addr);

		p[i].addr = af->peers_cfg[i];
		/* A peer that stays keeps what it was counted so far. */
		if (old >= 0)
			p[i].adver_rx = af->peers[old].adver_rx;
	}
	XFREE(MTYPE_VRRP_PEERS, af->peers);
	af->peers = p;
	af->npeers = n;
}

void vrrp_unicast_free(struct vrrp_vr *vr)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		XFREE(MTYPE_VRRP_PEERS, vr->af[i].peers);
		XFREE(MTYPE_VRRP_PEERS, vr->af[i].peers_cfg);
		vr->af[i].npeers = vr->af[i].npeers_cfg = 0;
	}
}

void vrrp_unicast_clear(struct vrrp_af *af)
{
	for (unsigned int i = 0; i < af->npeers; i++)
		af->peers[i].adver_rx = 0;
}

bool vrrp_unicast_source6(const struct vrrp_af *af, struct ipaddr *src)
{
	bool want_ll = af->npeers_cfg && IN6_IS_ADDR_LINKLOCAL(&af->peers_cfg[0].ipaddr_v6);
	struct connected *c;
	struct listnode *node;

	/*
	 * The macvlan's link-local is random and new with every macvlan, so no peer could name
	 * it; the parent's addresses are the ones an operator knows. The peer's scope decides
	 * which, so both ends configure the same kind of address.
	 */
	for (ALL_LIST_ELEMENTS_RO(af->vr->ifp->connected, node, c)) {
		if (c->address->family != AF_INET6 ||
		    IN6_IS_ADDR_LINKLOCAL(&c->address->u.prefix6) != want_ll)
			continue;
		src->ipa_type = IPADDR_V6;
		src->ipaddr_v6 = c->address->u.prefix6;
		return true;
	}
	return false;
}

struct json_object *vrrp_unicast_json(const struct vrrp_af *af)
{
	struct json_object *arr = json_object_new_array();
	char buf[INET6_ADDRSTRLEN];

	for (unsigned int i = 0; i < af->npeers; i++) {
		struct json_object *p = json_object_new_object();

		json_object_string_add(p, "address",
				       ipaddr2str(&af->peers[i].addr, buf, sizeof(buf)));
		json_object_int_add(p, "adverRx", af->peers[i].adver_rx);
		json_object_array_add(arr, p);
	}
	return arr;
}
