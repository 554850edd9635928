// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration callbacks. Validation rejects bad input with a message before anything changes;
 * apply copies the whole virtual router (or the global settings) from the candidate into the
 * table in one step and asks for a reconcile after the transaction, so neither the order of
 * leaf callbacks nor the size of the transaction matters.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/ipaddr.h"
#include "lib/northbound.h"
#include "lib/vrf.h"
#include "lib/yang.h"

#include "vrrp.h"
#include "vrrp_cfgload.h"
#include "vrrp_engine.h"
#include "vrrp_nb.h"
#include "vrrp_sync.h"
#include "vrrp_track.h"
#include "vrrp_unicast.h"

struct interface *vrrp_nb_ifp_of(const struct lyd_node *ifnode)
{
	struct interface *ifp;

	if (!ifnode)
		return NULL;
	ifp = nb_running_get_entry(ifnode, NULL, false);
	/* Not committed yet (created in the same transaction): zebra may know it all the same. */
	return ifp ? ifp : if_lookup_by_name(yang_dnode_get_string(ifnode, "./name"), VRF_DEFAULT);
}

/*
 * XPath: /frr-interface:lib/interface/frr-vrrpd:vrrp/vrrp-group
 */
int vrrp_nb_group_create(struct nb_cb_create_args *args)
{
	struct interface *ifp;
	struct vrrp_vr *vr;
	uint8_t vrid = yang_dnode_get_uint8(args->dnode, "./virtual-router-id");

	switch (args->event) {
	case NB_EV_VALIDATE:
		ifp = vrrp_nb_ifp_of(yang_dnode_get(args->dnode, "../.."));
		vr = ifp ? vrrp_vr_lookup(ifp, vrid) : NULL;
		if (vr && vr->autoconf) {
			snprintf(
				args->errmsg, args->errmsg_len,
				"VRID %u on %s was created by 'vrrp autoconfigure'; turn autoconfiguration off first",
				vrid, ifp->name);
			return NB_ERR_VALIDATION;
		}
		return NB_OK;
	case NB_EV_PREPARE:
	case NB_EV_ABORT:
		return NB_OK;
	case NB_EV_APPLY:
		break;
	}

	ifp = nb_running_get_entry(args->dnode, NULL, true);
	vr = vrrp_vr_create(ifp, vrid);
	nb_running_set_entry(args->dnode, vr);
	return NB_OK;
}

int vrrp_nb_group_destroy(struct nb_cb_destroy_args *args)
{
	struct vrrp_vr *vr;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	vr = nb_running_unset_entry(args->dnode);
	vrrp_vr_destroy(vr);
	return NB_OK;
}

struct vrrp_addr_collect {
	struct ipaddr addrs[256];
	unsigned int n;
};

static int vrrp_collect_addr(const struct lyd_node *dnode, void *arg)
{
	struct vrrp_addr_collect *c = arg;

	if (c->n < array_size(c->addrs))
		yang_dnode_get_ip(&c->addrs[c->n++], dnode, NULL);
	return YANG_ITER_CONTINUE;
}

static uint8_t vrrp_track_decrement(const struct lyd_node *dnode)
{
	return yang_dnode_exists(dnode, "./priority-decrement")
		       ? yang_dnode_get_uint8(dnode, "./priority-decrement")
		       : 0;
}

static int vrrp_load_track_if(const struct lyd_node *dnode, void *arg)
{
	vrrp_track_load_interface(arg, yang_dnode_get_string(dnode, "./interface"),
				  vrrp_track_decrement(dnode));
	return YANG_ITER_CONTINUE;
}

static int vrrp_load_track_route(const struct lyd_node *dnode, void *arg)
{
	struct prefix p;

	yang_dnode_get_prefix(&p, dnode, "./prefix");
	vrrp_track_load_route(arg, &p, vrrp_track_decrement(dnode));
	return YANG_ITER_CONTINUE;
}

/* The trackers as configured: kept ones keep their state, the others come and go. */
static void vrrp_vr_load_tracks(struct vrrp_vr *vr, const struct lyd_node *dnode)
{
	vrrp_track_load_begin(vr);
	yang_dnode_iterate(vrrp_load_track_if, vr, dnode,
			   "./vrrpd-ext:track/interfaces/interface");
	yang_dnode_iterate(vrrp_load_track_route, vr, dnode, "./vrrpd-ext:track/networks/network");
	vrrp_track_load_end(vr);
}

/* The announcement policy: an absent leaf is "not set here", so the global default applies. */
static void vrrp_vr_load_garp(struct vrrp_garp_config *c, const struct lyd_node *dnode)
{
	const struct lyd_node *g = yang_dnode_get(dnode, "./vrrpd-ext:gratuitous-arp");

	*c = (struct vrrp_garp_config){VRRP_GARP_UNSET, VRRP_GARP_UNSET, VRRP_GARP_UNSET};
	if (g && yang_dnode_exists(g, "./repeat"))
		c->repeat = yang_dnode_get_uint8(g, "./repeat");
	if (g && yang_dnode_exists(g, "./delay"))
		c->delay = yang_dnode_get_uint16(g, "./delay");
	if (g && yang_dnode_exists(g, "./refresh"))
		c->refresh = yang_dnode_get_uint32(g, "./refresh");
}

/* The unicast peers, each to the table of its own family. */
static void vrrp_vr_load_peers(struct vrrp_vr *vr, const struct lyd_node *dnode,
			       struct vrrp_addr_collect *c)
{
	struct ipaddr by_af[VRRP_AFI_MAX][array_size(c->addrs)];
	unsigned int n[VRRP_AFI_MAX] = {};

	c->n = 0;
	yang_dnode_iterate(vrrp_collect_addr, c, dnode, "./vrrpd-ext:unicast-peer");
	for (unsigned int i = 0; i < c->n; i++) {
		const struct vrrp_family *fam =
			vrrp_family_by_af(IS_IPADDR_V4(&c->addrs[i]) ? AF_INET : AF_INET6);

		by_af[fam->afi][n[fam->afi]++] = c->addrs[i];
	}
	for (int a = 0; a < VRRP_AFI_MAX; a++)
		vrrp_unicast_set(&vr->af[a], by_af[a], n[a]);
}

/* Copy one virtual router's configuration from the data tree into the table. */
static void vrrp_vr_load(struct vrrp_vr *vr, const struct lyd_node *dnode)
{
	struct vrrp_vr_config *cfg = &vr->cfg;
	struct vrrp_addr_collect *c = XCALLOC(MTYPE_TMP, sizeof(*c));

	cfg->version = yang_dnode_get_enum(dnode, "./version");
	/* A value equal to the YANG default is "not set here", so `vrrp default` applies. */
	cfg->priority = yang_dnode_is_default(dnode, "./priority")
				? 0
				: yang_dnode_get_uint8(dnode, "./priority");
	cfg->adver_interval = yang_dnode_is_default(dnode, "./advertisement-interval")
				      ? 0
				      : yang_dnode_get_uint16(dnode, "./advertisement-interval");
	cfg->preempt = yang_dnode_is_default(dnode, "./preempt")
			       ? -1
			       : yang_dnode_get_bool(dnode, "./preempt");
	cfg->shutdown = yang_dnode_is_default(dnode, "./shutdown")
				? -1
				: yang_dnode_get_bool(dnode, "./shutdown");
	cfg->accept_mode = yang_dnode_get_bool(dnode, "./accept-mode");
	cfg->cksum_pseudo =
		yang_dnode_get_bool(dnode, "./vrrpd-ext:checksum-with-ipv4-pseudoheader");
	cfg->macvlan_create = yang_dnode_get_bool(dnode, "./vrrpd-ext:macvlan-autocreate");
	cfg->cksum_auto = yang_dnode_get_bool(dnode, "./vrrpd-ext:checksum-auto");
	cfg->preempt_hold = yang_dnode_exists(dnode, "./vrrpd-ext:preempt-hold-time")
				    ? yang_dnode_get_uint16(dnode, "./vrrpd-ext:preempt-hold-time")
				    : 0;

	vrrp_sync_set(vr, yang_dnode_exists(dnode, "./vrrpd-ext:sync-group")
				  ? yang_dnode_get_string(dnode, "./vrrpd-ext:sync-group")
				  : NULL);

	yang_dnode_iterate(vrrp_collect_addr, c, dnode, "./v4/virtual-address");
	vrrp_vr_set_addrs(&vr->af[VRRP_AFI_V4], c->addrs, c->n);
	c->n = 0;
	if (yang_dnode_exists(dnode, "./v6"))
		yang_dnode_iterate(vrrp_collect_addr, c, dnode, "./v6/virtual-address");
	vrrp_vr_set_addrs(&vr->af[VRRP_AFI_V6], c->addrs, c->n);
	vrrp_vr_load_peers(vr, dnode, c);
	XFREE(MTYPE_TMP, c);
	vrrp_vr_load_tracks(vr, dnode);
	vrrp_vr_load_garp(&cfg->garp, dnode);
}

void vrrp_nb_group_apply_finish(struct nb_cb_apply_finish_args *args)
{
	struct vrrp_vr *vr = nb_running_get_entry(args->dnode, NULL, true);

	vrrp_cfgload_reloads++;
	vrrp_vr_load(vr, args->dnode);
	vrrp_nb_notify_load_vr(vr, args->dnode);
	/*
	 * Reconciled once the transaction is applied, not here: a commit carrying a whole file
	 * may still change the defaults this router uses, and the global settings' own
	 * apply_finish may come after it.
	 */
	vrrp_vr_mark(vr);
}

/*
 * XPath: version, priority, preempt, accept-mode, advertisement-interval, shutdown. YANG checks
 * their ranges; apply_finish of the group applies them together.
 */
int vrrp_nb_leaf_modify(struct nb_cb_modify_args *args)
{
	return NB_OK;
}

/* Why an address cannot be a virtual address, or NULL if it can. */
const char *vrrp_vaddr_problem(const struct ipaddr *ip)
{
	if (IS_IPADDR_V4(ip)) {
		uint32_t a = ntohl(ip->ipaddr_v4.s_addr);

		if (a == INADDR_ANY)
			return "the unspecified address";
		if (IN_MULTICAST(a))
			return "a multicast address";
		if (a == INADDR_BROADCAST || IN_EXPERIMENTAL(a))
			return "a reserved or broadcast address";
		if ((a >> 24) == IN_LOOPBACKNET)
			return "a loopback address";
		return NULL;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&ip->ipaddr_v6))
		return "the unspecified address";
	if (IN6_IS_ADDR_MULTICAST(&ip->ipaddr_v6))
		return "a multicast address";
	if (IN6_IS_ADDR_LOOPBACK(&ip->ipaddr_v6))
		return "a loopback address";
	if (IN6_IS_ADDR_V4MAPPED(&ip->ipaddr_v6))
		return "an IPv4-mapped address";
	return NULL;
}

/*
 * Whether node is the first of its kind met in a walk (*seen NULL, the name matches: *seen takes
 * its schema) or of the kind met before. Comparing schema pointers keeps the name comparisons
 * out of the walk's inner loops.
 */
static bool vrrp_schema_is(const struct lyd_node *node, const struct lysc_node **seen,
			   const char *name)
{
	if (*seen)
		return node->schema == *seen;
	if (strcmp(node->schema->name, name))
		return false;
	*seen = node->schema;
	return true;
}

/*
 * Whether the virtual-address leaf addr holds ip, whose text is want. An IPv4 address that
 * inet_pton() accepts has one spelling, inet_ntop()'s, so comparing the text is exact and
 * spares a parse per address; IPv6 ones are parsed, as they may be spelt many ways.
 */
static bool vrrp_vaddr_is(const struct lyd_node *addr, const struct ipaddr *ip, const char *want)
{
	struct ipaddr other;

	if (IS_IPADDR_V4(ip))
		return !strcmp(lyd_get_value(addr), want);
	yang_dnode_get_ip(&other, addr, NULL);
	return !ipaddr_cmp(&other, ip);
}

/*
 * The VRID of a router in an interface's vrrp container (vrrp) that has virtual address ip,
 * other than the node self, or 0. A walk of the tree: an XPath over the interface's routers
 * costs libyang more than linear time, and this runs for every address, so the walk itself is
 * kept cheap (schema pointers, IPv4 addresses by their text).
 */
uint8_t vrrp_vaddr_owner(const struct lyd_node *vrrp, const struct ipaddr *ip,
			 const struct lyd_node *self)
{
	const char *fam = IS_IPADDR_V4(ip) ? "v4" : "v6";
	const struct lysc_node *s_group = NULL, *s_af = NULL, *s_addr = NULL;
	const struct lyd_node *group, *af, *addr;
	char want[INET6_ADDRSTRLEN];

	ipaddr2str(ip, want, sizeof(want));
	LY_LIST_FOR (lyd_child(vrrp), group) {
		if (!vrrp_schema_is(group, &s_group, "vrrp-group"))
			continue;
		LY_LIST_FOR (lyd_child(group), af) {
			if (!vrrp_schema_is(af, &s_af, fam))
				continue;
			LY_LIST_FOR (lyd_child(af), addr) {
				if (addr == self ||
				    !vrrp_schema_is(addr, &s_addr, "virtual-address"))
					continue;
				if (vrrp_vaddr_is(addr, ip, want))
					return yang_dnode_get_uint8(group, "./virtual-router-id");
			}
		}
	}
	return 0;
}

/*
 * XPath: .../vrrp-group/v4/virtual-address and .../vrrp-group/v6/virtual-address
 */
int vrrp_nb_vaddr_create(struct nb_cb_create_args *args)
{
	struct ipaddr addr;
	const char *problem;
	char buf[INET6_ADDRSTRLEN];
	uint8_t other_vrid;

	if (args->event != NB_EV_VALIDATE)
		return NB_OK;

	yang_dnode_get_ip(&addr, args->dnode, NULL);
	ipaddr2str(&addr, buf, sizeof(buf));
	problem = vrrp_vaddr_problem(&addr);
	if (problem) {
		snprintf(args->errmsg, args->errmsg_len,
			 "%s cannot be a virtual address: it is %s", buf, problem);
		return NB_ERR_VALIDATION;
	}

	/* Two virtual routers answering for one address on a link would fight over it. */
	other_vrid = vrrp_vaddr_owner(lyd_parent(lyd_parent(lyd_parent(args->dnode))), &addr,
				      args->dnode);
	if (other_vrid) {
		snprintf(args->errmsg, args->errmsg_len,
			 "%s is already a virtual address of VRID %u on this interface", buf,
			 other_vrid);
		return NB_ERR_VALIDATION;
	}
	return NB_OK;
}

int vrrp_nb_vaddr_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

int vrrp_nb_leaf_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:unicast-peer
 */
int vrrp_nb_peer_create(struct nb_cb_create_args *args)
{
	struct ipaddr addr;
	const char *problem;
	char buf[INET6_ADDRSTRLEN];

	if (args->event != NB_EV_VALIDATE)
		return NB_OK;
	yang_dnode_get_ip(&addr, args->dnode, NULL);
	ipaddr2str(&addr, buf, sizeof(buf));
	problem = vrrp_unicast_problem(&addr);
	if (problem) {
		snprintf(args->errmsg, args->errmsg_len, "%s cannot be a unicast peer: it is %s",
			 buf, problem);
		return NB_ERR_VALIDATION;
	}
	if (IS_IPADDR_V6(&addr) && yang_dnode_get_enum(args->dnode, "../version") == 2) {
		snprintf(
			args->errmsg, args->errmsg_len,
			"%s cannot be a unicast peer of a VRRP version 2 router, which runs IPv4 only",
			buf);
		return NB_ERR_VALIDATION;
	}
	return NB_OK;
}

int vrrp_nb_peer_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

/* The tracker's virtual router: its interface's name and VRF, and its VRID. */
static void vrrp_track_owner(const struct lyd_node *list, const char **parent, vrf_id_t *vrf_id,
			     uint8_t *vrid)
{
	const struct lyd_node *ifnode = yang_dnode_get(list, "../../../../..");
	const struct interface *ifp = nb_running_get_entry(ifnode, NULL, false);

	*parent = yang_dnode_get_string(ifnode, "./name");
	*vrf_id = ifp ? ifp->vrf->vrf_id : VRF_DEFAULT;
	*vrid = yang_dnode_get_uint8(list, "../../../virtual-router-id");
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:track/interfaces/interface
 */
int vrrp_nb_track_if_create(struct nb_cb_create_args *args)
{
	const char *parent, *problem;
	vrf_id_t vrf_id;
	uint8_t vrid;

	if (args->event != NB_EV_VALIDATE)
		return NB_OK;
	vrrp_track_owner(args->dnode, &parent, &vrf_id, &vrid);
	problem = vrrp_track_interface_problem(parent, vrf_id, vrid,
					       yang_dnode_get_string(args->dnode, "./interface"),
					       args->errmsg, args->errmsg_len);
	return problem ? NB_ERR_VALIDATION : NB_OK;
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:track/networks/network
 *
 * libyang stores a prefix key with its host bits cleared, so by now 10.1.2.3/24 would be
 * 10.1.2.0/24; the CLI, which still has the typed text, refuses host bits (vrrp_vty.c).
 */
int vrrp_nb_track_route_create(struct nb_cb_create_args *args)
{
	return NB_OK;
}

/* Both lists: apply_finish of the group drops the tracker. */
int vrrp_nb_track_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

/*
 * XPath: /vrrpd-ext:vrrp/... (global settings). apply_finish reloads them all at once.
 */
int vrrp_nb_global_create(struct nb_cb_create_args *args)
{
	return NB_OK;
}

int vrrp_nb_global_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

int vrrp_nb_global_modify(struct nb_cb_modify_args *args)
{
	return NB_OK;
}

void vrrp_nb_global_apply_finish(struct nb_cb_apply_finish_args *args)
{
	const struct lyd_node *d = args->dnode;
	struct vrrp_globals *g = &vrrp_globals;

	g->autoconfigure = yang_dnode_exists(d, "./autoconfigure");
	g->autoconfigure_version = g->autoconfigure
					   ? yang_dnode_get_uint8(d, "./autoconfigure/version")
					   : VRRP_DEFAULT_VERSION;
	g->priority = yang_dnode_get_uint8(d, "./defaults/priority");
	g->adver_interval = yang_dnode_get_uint16(d, "./defaults/advertisement-interval");
	g->preempt = yang_dnode_get_bool(d, "./defaults/preempt");
	g->shutdown = yang_dnode_get_bool(d, "./defaults/shutdown");
	g->macvlan_create = yang_dnode_get_bool(d, "./defaults/macvlan-autocreate");
	g->macvlan_create_delay =
		yang_dnode_exists(d, "./defaults/macvlan-autocreate-delay")
			? yang_dnode_get_uint16(d, "./defaults/macvlan-autocreate-delay")
			: 0;
	g->startup_delay = yang_dnode_exists(d, "./startup-delay")
				   ? yang_dnode_get_uint16(d, "./startup-delay")
				   : 0;
	g->graceful_restart = yang_dnode_get_bool(d, "./graceful-restart");
	g->garp.repeat = yang_dnode_get_uint8(d, "./defaults/gratuitous-arp/repeat");
	g->garp.delay = yang_dnode_get_uint16(d, "./defaults/gratuitous-arp/delay");
	g->garp.refresh = yang_dnode_get_uint32(d, "./defaults/gratuitous-arp/refresh");
	vrrp_nb_notify_load_global(d);

	/*
	 * Autoconfigured routers now, as later lines of a file being read are checked against
	 * them; defaults apply to every router that does not set its own value, once after the
	 * transaction, with the routers it created.
	 */
	vrrp_autoconfig();
	vrrp_reconcile_soon();
}
