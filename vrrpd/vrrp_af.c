// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The two families' operations (see vrrp_af.h). This file and the socket and netlink adapters
 * are the only places that know what IPv4 and IPv6 are.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/prefix.h"

#include "vrrp.h"
#include "vrrp_af.h"
#include "vrrp_io.h"
#include "vrrp_unicast.h"

static bool vrrp_af_has_addr(const struct vrrp_af *af, const struct ipaddr *ip)
{
	for (unsigned int i = 0; i < af->naddrs; i++)
		if (!ipaddr_cmp(&af->addrs[i], ip))
			return true;
	return false;
}

static bool vrrp4_find_source(const struct vrrp_af *af, struct interface *mvl, struct ipaddr *src,
			      char *buf, size_t len)
{
	struct connected *c;
	struct listnode *node;

	for (ALL_LIST_ELEMENTS_RO(af->vr->ifp->connected, node, c)) {
		if (c->address->family != AF_INET || CHECK_FLAG(c->flags, ZEBRA_IFA_SECONDARY))
			continue;
		src->ipa_type = IPADDR_V4;
		src->ipaddr_v4 = c->address->u.prefix4;
		return true;
	}
	snprintf(buf, len, "no IPv4 address on %s", af->vr->ifp->name);
	return false;
}

static bool vrrp6_find_source(const struct vrrp_af *af, struct interface *mvl, struct ipaddr *src,
			      char *buf, size_t len)
{
	struct connected *c;
	struct listnode *node;

	/* Unicast leaves from the parent, from an address the peers can name. */
	if (vrrp_unicast_configured(af)) {
		if (vrrp_unicast_source6(af, src))
			return true;
		snprintf(buf, len, "no IPv6 %s address on %s for the unicast peers",
			 IN6_IS_ADDR_LINKLOCAL(&af->peers_cfg[0].ipaddr_v6) ? "link-local"
									    : "global",
			 af->vr->ifp->name);
		return false;
	}
	/* The macvlan's own link-local, never a virtual one: every router has those. */
	for (ALL_LIST_ELEMENTS_RO(mvl->connected, node, c)) {
		struct ipaddr ip = {.ipa_type = IPADDR_V6};

		if (c->address->family != AF_INET6 ||
		    !IN6_IS_ADDR_LINKLOCAL(&c->address->u.prefix6))
			continue;
		ip.ipaddr_v6 = c->address->u.prefix6;
		if (vrrp_af_has_addr(af, &ip))
			continue;
		*src = ip;
		return true;
	}
	/*
	 * In protodown zebra shows no addresses, and it shows no tentative one either: a
	 * link-local still in duplicate address detection when the macvlan goes into protodown
	 * stays tentative until it comes out, and nothing would ask again. Ask the kernel.
	 */
	{
		struct ipaddr ip[16];
		int n = vrrp_io->addrs(mvl->ifindex, AF_INET6, ip, array_size(ip));

		for (int i = 0; i < n; i++)
			if (IN6_IS_ADDR_LINKLOCAL(&ip[i].ipaddr_v6) &&
			    !vrrp_af_has_addr(af, &ip[i])) {
				*src = ip[i];
				return true;
			}
	}
	snprintf(buf, len, "no link-local address on %s", mvl->name);
	return false;
}

static int vrrp4_announce(struct interface *mvl, const struct ethaddr *vmac,
			  const struct ipaddr *vip)
{
	return vrrp_io->garp(mvl, vmac, vip->ipaddr_v4);
}

static int vrrp6_announce(struct interface *mvl, const struct ethaddr *vmac,
			  const struct ipaddr *vip)
{
	return vrrp_io->una(mvl, vmac, &vip->ipaddr_v6);
}

/* The parent must not answer ARP for the macvlan's addresses (RFC 9568 6.4.2). */
static void vrrp4_mvl_prepare(const struct vrrp_af *af, struct interface *mvl)
{
	vrrp_io->parent_arp(af->vr->ifp->name);
}

/* Protodown must not flush the link-local source and the virtual addresses. */
static void vrrp6_mvl_prepare(const struct vrrp_af *af, struct interface *mvl)
{
	vrrp_io->mvl_keep_addrs(mvl->name);
}

static void vrrp4_vip_prefix(const struct ipaddr *vip, struct prefix *p)
{
	p->family = AF_INET;
	p->prefixlen = IPV4_MAX_BITLEN;
	p->u.prefix4 = vip->ipaddr_v4;
}

/* A link-local virtual address belongs to fe80::/64 like every other link-local. */
static void vrrp6_vip_prefix(const struct ipaddr *vip, struct prefix *p)
{
	p->family = AF_INET6;
	p->prefixlen = IN6_IS_ADDR_LINKLOCAL(&vip->ipaddr_v6) ? 64 : IPV6_MAX_BITLEN;
	p->u.prefix6 = vip->ipaddr_v6;
}

static bool vrrp4_addr_first(const struct ipaddr *vip)
{
	return false;
}

static bool vrrp6_addr_first(const struct ipaddr *vip)
{
	return IN6_IS_ADDR_LINKLOCAL(&vip->ipaddr_v6);
}

const struct vrrp_family vrrp_family_ipv4 = {
	.afi = VRRP_AFI_V4,
	.codec = &vrrp_af_ipv4,
	.key = "v4",
	.digit = '4',
	.vmac_octet = 0x01,
	.mvl_linklocal = false,
	.src_unset = "",
	.announce_key = "garpTx",
	.master_radv = false,
	.src_sticky = false,
	.src_on_parent = true,
	.find_source = vrrp4_find_source,
	.announce = vrrp4_announce,
	.mvl_prepare = vrrp4_mvl_prepare,
	.vip_prefix = vrrp4_vip_prefix,
	.addr_first = vrrp4_addr_first,
};

const struct vrrp_family vrrp_family_ipv6 = {
	.afi = VRRP_AFI_V6,
	.codec = &vrrp_af_ipv6,
	.key = "v6",
	.digit = '6',
	.vmac_octet = 0x02,
	.mvl_linklocal = true,
	.src_unset = "::",
	.announce_key = "neighborAdverTx",
	.master_radv = true,
	.src_sticky = true,
	.src_on_parent = false,
	.find_source = vrrp6_find_source,
	.announce = vrrp6_announce,
	.mvl_prepare = vrrp6_mvl_prepare,
	.vip_prefix = vrrp6_vip_prefix,
	.addr_first = vrrp6_addr_first,
};

static const struct vrrp_family *const vrrp_families[VRRP_AFI_MAX] = {
	[VRRP_AFI_V4] = &vrrp_family_ipv4,
	[VRRP_AFI_V6] = &vrrp_family_ipv6,
};

const struct vrrp_family *vrrp_family(enum vrrp_afi afi)
{
	return afi < VRRP_AFI_MAX ? vrrp_families[afi] : NULL;
}

const struct vrrp_family *vrrp_family_by_af(int family)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++)
		if (vrrp_families[i]->codec->family == family)
			return vrrp_families[i];
	return NULL;
}

const struct vrrp_family *vrrp_family_by_vmac(uint8_t octet)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++)
		if (vrrp_families[i]->vmac_octet == octet)
			return vrrp_families[i];
	return NULL;
}
