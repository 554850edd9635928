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

/*
 * Loading one virtual router's configuration is a single walk over the group's children. With
 * an XPath lookup per leaf it was a fourteenth of the CPU of loading a whole file, which applies
 * a thousand routers in one commit.
 */
struct vrrp_load {
	struct vrrp_vr *vr;
	struct ipaddr addrs[VRRP_AFI_MAX][256];
	unsigned int naddrs[VRRP_AFI_MAX];
	struct ipaddr peers[256];
	unsigned int npeers;
	const char *sync_group;
};

/* Whether node is module's (NULL: frr-vrrpd's) name. */
static bool vrrp_node_is(const struct lyd_node *node, const char *module, const char *name)
{
	return !strcmp(node->schema->name, name) &&
	       !strcmp(node->schema->module->name, module ? module : "frr-vrrpd");
}

static void vrrp_collect(struct ipaddr *addrs, unsigned int *n, unsigned int max,
			 const struct lyd_node *dnode)
{
	if (*n < max)
		yang_dnode_get_ip(&addrs[(*n)++], dnode, NULL);
}

/* A child (entry) of a tracker list: its key leaf, and the decrement (0 when absent). */
static const struct lyd_node *vrrp_track_entry(const struct lyd_node *entry, const char *key,
					       uint8_t *decrement)
{
	const struct lyd_node *n, *k = NULL;

	*decrement = 0;
	LY_LIST_FOR (lyd_child(entry), n) {
		if (!strcmp(n->schema->name, key))
			k = n;
		else if (!strcmp(n->schema->name, "priority-decrement"))
			*decrement = yang_dnode_get_uint8(n, NULL);
	}
	return k;
}

/* The trackers as configured (the track container's children): kept ones keep their state. */
static void vrrp_load_tracks(struct vrrp_vr *vr, const struct lyd_node *track)
{
	const struct lyd_node *kind, *entry, *key;
	uint8_t dec;
	struct prefix p;

	LY_LIST_FOR (lyd_child(track), kind) {
		bool route = !strcmp(kind->schema->name, "networks");

		if (!route && strcmp(kind->schema->name, "interfaces"))
			continue;
		LY_LIST_FOR (lyd_child(kind), entry) {
			key = vrrp_track_entry(entry, route ? "prefix" : "interface", &dec);
			if (!key)
				continue;
			if (!route) {
				vrrp_track_load_interface(vr, yang_dnode_get_string(key, NULL),
							  dec);
				continue;
			}
			yang_dnode_get_prefix(&p, key, NULL);
			vrrp_track_load_route(vr, &p, dec);
		}
	}
}

/* The announcement policy: an absent leaf is "not set here", so the global default applies. */
static void vrrp_load_garp(struct vrrp_garp_config *c, const struct lyd_node *g)
{
	const struct lyd_node *n;

	LY_LIST_FOR (lyd_child(g), n) {
		if (!strcmp(n->schema->name, "repeat"))
			c->repeat = yang_dnode_get_uint8(n, NULL);
		else if (!strcmp(n->schema->name, "delay"))
			c->delay = yang_dnode_get_uint16(n, NULL);
		else if (!strcmp(n->schema->name, "refresh"))
			c->refresh = yang_dnode_get_uint32(n, NULL);
	}
}

/* A value equal to the YANG default is "not set here", so `vrrp default` applies. */
static int vrrp_load_tristate(const struct lyd_node *n)
{
	return yang_dnode_is_default(n, NULL) ? -1 : yang_dnode_get_bool(n, NULL);
}

/* One child of the group that is a leaf of frr-vrrpd's (the key and the others are skipped). */
static void vrrp_load_base_leaf(struct vrrp_vr_config *cfg, const struct lyd_node *n)
{
	const char *name = n->schema->name;

	if (!strcmp(name, "version"))
		cfg->version = yang_dnode_get_enum(n, NULL);
	else if (!strcmp(name, "priority"))
		cfg->priority = yang_dnode_is_default(n, NULL) ? 0 : yang_dnode_get_uint8(n, NULL);
	else if (!strcmp(name, "advertisement-interval"))
		cfg->adver_interval =
			yang_dnode_is_default(n, NULL) ? 0 : yang_dnode_get_uint16(n, NULL);
	else if (!strcmp(name, "preempt"))
		cfg->preempt = vrrp_load_tristate(n);
	else if (!strcmp(name, "shutdown"))
		cfg->shutdown = vrrp_load_tristate(n);
	else if (!strcmp(name, "accept-mode"))
		cfg->accept_mode = yang_dnode_get_bool(n, NULL);
}

/* One child of the group that vrrpd-ext adds. */
static void vrrp_load_ext(struct vrrp_load *l, const struct lyd_node *n)
{
	struct vrrp_vr_config *cfg = &l->vr->cfg;
	const char *name = n->schema->name;

	if (!strcmp(name, "checksum-with-ipv4-pseudoheader"))
		cfg->cksum_pseudo = yang_dnode_get_bool(n, NULL);
	else if (!strcmp(name, "macvlan-autocreate"))
		cfg->macvlan_create = yang_dnode_get_bool(n, NULL);
	else if (!strcmp(name, "checksum-auto"))
		cfg->cksum_auto = yang_dnode_get_bool(n, NULL);
	else if (!strcmp(name, "preempt-hold-time"))
		cfg->preempt_hold = yang_dnode_get_uint16(n, NULL);
	else if (!strcmp(name, "sync-group"))
		l->sync_group = yang_dnode_get_string(n, NULL);
	else if (!strcmp(name, "unicast-peer"))
		vrrp_collect(l->peers, &l->npeers, array_size(l->peers), n);
	else if (!strcmp(name, "track"))
		vrrp_load_tracks(l->vr, n);
	else if (!strcmp(name, "gratuitous-arp"))
		vrrp_load_garp(&cfg->garp, n);
}

/* The unicast peers, each to the table of its own family. */
static void vrrp_load_peers(struct vrrp_load *l)
{
	struct ipaddr by_af[VRRP_AFI_MAX][array_size(l->peers)];
	unsigned int n[VRRP_AFI_MAX] = {};

	for (unsigned int i = 0; i < l->npeers; i++) {
		const struct vrrp_family *fam =
			vrrp_family_by_af(IS_IPADDR_V4(&l->peers[i]) ? AF_INET : AF_INET6);

		by_af[fam->afi][n[fam->afi]++] = l->peers[i];
	}
	for (int a = 0; a < VRRP_AFI_MAX; a++)
		vrrp_unicast_set(&l->vr->af[a], by_af[a], n[a]);
}

/* Copy one virtual router's configuration from the data tree into the table. */
static void vrrp_vr_load(struct vrrp_vr *vr, const struct lyd_node *dnode)
{
	struct vrrp_vr_config *cfg = &vr->cfg;
	struct vrrp_load *l = XCALLOC(MTYPE_TMP, sizeof(*l));
	const struct lyd_node *n, *a;

	l->vr = vr;
	/* What an absent node means; the leaves with a YANG default are always there. */
	cfg->preempt_hold = 0;
	cfg->garp = (struct vrrp_garp_config){VRRP_GARP_UNSET, VRRP_GARP_UNSET, VRRP_GARP_UNSET};
	vrrp_track_load_begin(vr);
	LY_LIST_FOR (lyd_child(dnode), n) {
		bool v4 = vrrp_node_is(n, NULL, "v4");

		if (v4 || vrrp_node_is(n, NULL, "v6")) {
			int afi = v4 ? VRRP_AFI_V4 : VRRP_AFI_V6;

			LY_LIST_FOR (lyd_child(n), a)
				if (!strcmp(a->schema->name, "virtual-address"))
					vrrp_collect(l->addrs[afi], &l->naddrs[afi],
						     array_size(l->addrs[afi]), a);
		} else if (!strcmp(n->schema->module->name, "frr-vrrpd"))
			vrrp_load_base_leaf(cfg, n);
		else if (!strcmp(n->schema->module->name, "vrrpd-ext"))
			vrrp_load_ext(l, n);
	}
	vrrp_sync_set(vr, l->sync_group);
	for (int afi = 0; afi < VRRP_AFI_MAX; afi++)
		vrrp_vr_set_addrs(&vr->af[afi], l->addrs[afi], l->naddrs[afi]);
	vrrp_load_peers(l);
	vrrp_track_load_end(vr);
	XFREE(MTYPE_TMP, l);
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
 * A group's v4 or v6 container (fam), or NULL. Once the walk knows its schema, libyang's hash of
 * the group's children finds it without passing the dozen leaves before it.
 */
static const struct lyd_node *vrrp_group_af(const struct lyd_node *group,
					    const struct lysc_node **s_af, const char *fam)
{
	struct lyd_node *af;

	if (*s_af)
		return lyd_find_sibling_val(lyd_child(group), *s_af, NULL, 0, &af) ? NULL : af;
	LY_LIST_FOR (lyd_child(group), af)
		if (vrrp_schema_is(af, s_af, fam))
			return af;
	return NULL;
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
		af = vrrp_group_af(group, &s_af, fam);
		LY_LIST_FOR (af ? lyd_child(af) : NULL, addr) {
			if (addr == self || !vrrp_schema_is(addr, &s_addr, "virtual-address"))
				continue;
			if (vrrp_vaddr_is(addr, ip, want))
				return yang_dnode_get_uint8(group, "./virtual-router-id");
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
