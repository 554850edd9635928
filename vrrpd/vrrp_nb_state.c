// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Operational state getters of frr-vrrpd: the vrrp-group list and the per-family state leaves.
 * The same getter serves v4 and v6; the family comes from the requested path. Also vrrpd-ext's
 * tracker lists and their state, and the unicast peers' counters.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/northbound.h"
#include "lib/vrf.h"
#include "lib/yang.h"

#include "vrrp.h"
#include "vrrp_exec.h"
#include "vrrp_nb.h"
#include "vrrp_notify.h"
#include "vrrp_track.h"
#include "vrrp_unicast.h"

/*
 * XPath: /frr-interface:lib/interface/frr-vrrpd:vrrp/vrrp-group
 */
const void *vrrp_nb_group_get_next(struct nb_cb_get_next_args *args)
{
	const struct interface *ifp = args->parent_list_entry;
	const struct vrrp_vr *prev = args->list_entry;

	if (!ifp)
		return NULL;

	for (unsigned int vrid = prev ? prev->vrid + 1 : 1; vrid <= 255; vrid++) {
		struct vrrp_vr *vr = vrrp_vr_lookup(ifp, vrid);

		if (vr)
			return vr;
	}
	return NULL;
}

int vrrp_nb_group_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vrrp_vr *vr = args->list_entry;

	args->keys->num = 1;
	snprintf(args->keys->key[0], sizeof(args->keys->key[0]), "%u", vr->vrid);
	return NB_OK;
}

const void *vrrp_nb_group_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vrrp_vr_lookup(args->parent_list_entry, strtoul(args->keys->key[0], NULL, 10));
}

/*
 * libfrr 8.4 finds no list entry for a path that starts inside a list (its walk to the lists
 * starts at the top of the tree it builds from the path, not at the bottom), and hands the
 * callbacks NULL. A leaf's getter has its XPath: the router is then found by the keys in it.
 * Iterators have no XPath and answer with nothing.
 */
static bool vrrp_nb_key(const char *xpath, const char *list, char *buf, size_t len)
{
	const char *p = strstr(xpath, list), *end;

	if (!p)
		return false;
	p += strlen(list);
	end = strchr(p, '\'');
	if (!end || (size_t)(end - p) >= len)
		return false;
	memcpy(buf, p, end - p);
	buf[end - p] = '\0';
	return true;
}

static const struct vrrp_vr *vrrp_nb_vr(const struct nb_cb_get_elem_args *args)
{
	char name[INTERFACE_NAMSIZ], vrid[4];
	struct interface *ifp;

	if (args->list_entry)
		return args->list_entry;
	if (!vrrp_nb_key(args->xpath, "/interface[name='", name, sizeof(name)) ||
	    !vrrp_nb_key(args->xpath, "/vrrp-group[virtual-router-id='", vrid, sizeof(vrid)))
		return NULL;
	ifp = if_lookup_by_name(name, VRF_DEFAULT);
	return ifp ? vrrp_vr_lookup(ifp, strtoul(vrid, NULL, 10)) : NULL;
}

/* The family a state path belongs to: ".../vrrp-group/v6/..." or ".../v4/..."; NULL if the
 * router is not found. */
static const struct vrrp_af *vrrp_nb_af(const struct nb_cb_get_elem_args *args)
{
	const struct vrrp_vr *vr = vrrp_nb_vr(args);
	char want[8];

	if (!vr)
		return NULL;

	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		snprintf(want, sizeof(want), "/%s/", vr->af[i].fam->key);
		if (strstr(args->xpath, want))
			return &vr->af[i];
	}
	return &vr->af[0];
}

struct yang_data *vrrp_nb_current_priority_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint8(args->xpath, vrrp_vr_run_priority(af->vr)) : NULL;
}

struct yang_data *vrrp_nb_vrrp_interface_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af && af->mvl_ifp ? yang_data_new_string(args->xpath, af->mvl_ifp->name) : NULL;
}

struct yang_data *vrrp_nb_source_address_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return !af || IS_IPADDR_NONE(&af->src) ? NULL : yang_data_new_ip(args->xpath, &af->src);
}

struct yang_data *vrrp_nb_state_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_enum(args->xpath, af->fsm.state) : NULL;
}

struct yang_data *vrrp_nb_master_adver_interval_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint16(args->xpath, af->fsm.master_adver_interval) : NULL;
}

struct yang_data *vrrp_nb_skew_time_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint16(args->xpath, af->fsm.skew_time) : NULL;
}

struct yang_data *vrrp_nb_transitions_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint32(args->xpath, af->stats.transitions) : NULL;
}

struct yang_data *vrrp_nb_adver_tx_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint32(args->xpath, af->stats.adver_tx) : NULL;
}

struct yang_data *vrrp_nb_adver_rx_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint32(args->xpath, af->stats.adver_rx) : NULL;
}

struct yang_data *vrrp_nb_announce_tx_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint32(args->xpath, af->stats.announce_tx) : NULL;
}

struct yang_data *vrrp_nb_prio0_rx_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint32(args->xpath, af->stats.prio0_rx) : NULL;
}

struct yang_data *vrrp_nb_prio0_tx_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint32(args->xpath, af->stats.prio0_tx) : NULL;
}

struct yang_data *vrrp_nb_last_event_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_enum(args->xpath, af->last_reason) : NULL;
}

struct yang_data *vrrp_nb_last_transition_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	if (!af || !af->last_change)
		return NULL;
	return yang_data_new_date_and_time(args->xpath, af->last_change);
}

struct yang_data *vrrp_nb_cksum_rx_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	if (!af)
		return NULL;
	return yang_data_new_uint32(args->xpath, strstr(args->xpath, "pseudoheader")
							 ? af->stats.rx_cksum_pseudo
							 : af->stats.rx_cksum_plain);
}

struct yang_data *vrrp_nb_resumes_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint32(args->xpath, af->stats.resumes) : NULL;
}

struct yang_data *vrrp_nb_last_adv_source_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);
	struct ipaddr m;
	uint8_t prio;

	if (!af)
		return NULL;
	vrrp_exec_master(af, &m, &prio);
	return IS_IPADDR_NONE(&m) ? NULL : yang_data_new_ip(args->xpath, &m);
}

struct yang_data *vrrp_nb_last_adv_priority_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);
	struct ipaddr m;
	uint8_t prio;

	if (!af)
		return NULL;
	vrrp_exec_master(af, &m, &prio);
	return IS_IPADDR_NONE(&m) ? NULL : yang_data_new_uint8(args->xpath, prio);
}

/* The YANG leaf of a drop reason is its JSON key in kebab case: badChecksum -> bad-checksum. */
static bool vrrp_nb_drop_leaf_is(const char *leaf, const char *key)
{
	for (; *key; key++, leaf++) {
		if (isupper((unsigned char)*key)) {
			if (*leaf++ != '-' || *leaf != tolower((unsigned char)*key))
				return false;
		} else if (*leaf != *key) {
			return false;
		}
	}
	return *leaf == '\0';
}

/*
 * XPath: .../vrrp-group/{v4,v6}/vrrpd-ext:rx-drops/<reason>
 */
struct yang_data *vrrp_nb_rx_drop_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);
	const char *leaf = strrchr(args->xpath, '/');

	for (unsigned int r = 1; af && leaf && r < VRRP_DROP_MAX; r++)
		if (vrrp_nb_drop_leaf_is(leaf + 1, vrrp_drop_name(r)))
			return yang_data_new_uint32(args->xpath, af->drops[r]);
	return NULL;
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:notify/counters/<leaf>
 */
struct yang_data *vrrp_nb_notify_counter_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_vr *vr = vrrp_nb_vr(args);
	const char *leaf = strrchr(args->xpath, '/');
	uint32_t val;

	if (!vr || !leaf || !vrrp_notify_counter(vr, leaf + 1, &val))
		return NULL;
	return yang_data_new_uint32(args->xpath, val);
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:track/interfaces/interface and .../networks/network
 */
const void *vrrp_nb_track_if_get_next(struct nb_cb_get_next_args *args)
{
	return vrrp_track_next(args->parent_list_entry, VRRP_TRACK_INTERFACE, args->list_entry);
}

const void *vrrp_nb_track_net_get_next(struct nb_cb_get_next_args *args)
{
	return vrrp_track_next(args->parent_list_entry, VRRP_TRACK_ROUTE, args->list_entry);
}

int vrrp_nb_track_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vrrp_track *t = args->list_entry;

	args->keys->num = 1;
	if (t->kind == VRRP_TRACK_INTERFACE)
		strlcpy(args->keys->key[0], t->ifname, sizeof(args->keys->key[0]));
	else
		prefix2str(&t->prefix, args->keys->key[0], sizeof(args->keys->key[0]));
	return NB_OK;
}

const void *vrrp_nb_track_if_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vrrp_track_find(args->parent_list_entry, VRRP_TRACK_INTERFACE, args->keys->key[0]);
}

const void *vrrp_nb_track_net_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vrrp_track_find(args->parent_list_entry, VRRP_TRACK_ROUTE, args->keys->key[0]);
}

struct yang_data *vrrp_nb_track_state_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_track *t = args->list_entry;

	return yang_data_new_string(args->xpath, t->in.failed ? "down" : "up");
}

struct yang_data *vrrp_nb_track_last_change_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_track *t = args->list_entry;

	return yang_data_new_date_and_time(args->xpath, t->since);
}

/*
 * XPath: .../vrrp-group/{v4,v6}/vrrpd-ext:unicast-peers/peer. The list's parent entry is the
 * group, so each family has its own iterators.
 */
static const void *vrrp_nb_peer_next(const struct vrrp_vr *vr, enum vrrp_afi afi,
				     const struct vrrp_peer *prev)
{
	const struct vrrp_af *af;
	unsigned int i;

	if (!vr)
		return NULL;
	af = &vr->af[afi];
	i = prev ? (unsigned int)(prev - af->peers) + 1 : 0;
	return i < af->npeers ? &af->peers[i] : NULL;
}

const void *vrrp_nb_peer4_get_next(struct nb_cb_get_next_args *args)
{
	return vrrp_nb_peer_next(args->parent_list_entry, VRRP_AFI_V4, args->list_entry);
}

const void *vrrp_nb_peer6_get_next(struct nb_cb_get_next_args *args)
{
	return vrrp_nb_peer_next(args->parent_list_entry, VRRP_AFI_V6, args->list_entry);
}

int vrrp_nb_peer_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vrrp_peer *p = args->list_entry;

	args->keys->num = 1;
	ipaddr2str(&p->addr, args->keys->key[0], sizeof(args->keys->key[0]));
	return NB_OK;
}

static const void *vrrp_nb_peer_lookup(const struct vrrp_vr *vr, enum vrrp_afi afi,
				       const char *key)
{
	const struct vrrp_af *af;
	struct ipaddr ip;
	int i;

	if (!vr)
		return NULL;
	af = &vr->af[afi];
	if (str2ipaddr(key, &ip) || ip.ipa_type != (afi == VRRP_AFI_V4 ? IPADDR_V4 : IPADDR_V6))
		return NULL;
	i = vrrp_unicast_find(af, (const uint8_t *)&ip.ip.addr);
	return i < 0 ? NULL : &af->peers[i];
}

const void *vrrp_nb_peer4_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vrrp_nb_peer_lookup(args->parent_list_entry, VRRP_AFI_V4, args->keys->key[0]);
}

const void *vrrp_nb_peer6_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vrrp_nb_peer_lookup(args->parent_list_entry, VRRP_AFI_V6, args->keys->key[0]);
}

struct yang_data *vrrp_nb_peer_address_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_peer *p = args->list_entry;

	return yang_data_new_ip(args->xpath, &p->addr);
}

struct yang_data *vrrp_nb_peer_adver_rx_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_peer *p = args->list_entry;

	return yang_data_new_uint32(args->xpath, p->adver_rx);
}

/*
 * XPath: .../vrrp-group/{v4,v6}/vrrpd-ext:checksum-group-pkts-rcvd
 */
struct yang_data *vrrp_nb_cksum_group_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vrrp_af *af = vrrp_nb_af(args);

	return af ? yang_data_new_uint32(args->xpath, af->stats.rx_cksum_group) : NULL;
}
