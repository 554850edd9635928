// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The macvlan adapter's reads of the kernel's view: a link's running and protodown state (which
 * libnl-3's parser does not give), what libfrr keeps of it, its alias, its addresses, the walk
 * over our own macvlans; and protodown, which libnl-3 cannot set either: the plain setter and the
 * hold-down that depends on the state read. Other changes live in vrrp_macvlan.c.
 */
#include <zebra.h>

#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "lib/privs.h"

#include "vrrp_macvlan.h"
#include "vrrp_macvlan_nl.h"
#include "vrrp_privs.h"

/* A dump the kernel marks as interrupted by a concurrent change is simply taken again. */
#define MVL_DUMP_TRIES 3

/* What the kernel says of a link beyond libnl-3's parser, which ignores IFLA_PROTO_DOWN. */
struct mvl_state {
	bool found;
	bool running;
	bool proto_down;
};

static int mvl_state_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct mvl_state *st = arg;
	struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return NL_SKIP;
	ifi = nlmsg_data(nlh);
	st->found = true;
	st->running = ifi->ifi_flags & IFF_RUNNING;
	st->proto_down = tb[IFLA_PROTO_DOWN] && nla_get_u8(tb[IFLA_PROTO_DOWN]);
	return NL_OK;
}

static int mvl_ack_cb(struct nl_msg *msg, void *arg)
{
	*(bool *)arg = true;
	return NL_STOP;
}

/* A link request for attributes libnl-3 has no accessor for, built by hand; NULL if no memory. */
static struct nl_msg *mvl_link_msg(int type, ifindex_t ifindex)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	struct nl_msg *msg = nlmsg_alloc_simple(type, NLM_F_REQUEST | NLM_F_ACK);

	if (msg && nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int mvl_link_state(ifindex_t ifindex, struct mvl_state *st)
{
	struct nl_msg *msg;
	struct nl_cb *cb, *sk_cb;
	bool acked = false;
	int rc, err;

	memset(st, 0, sizeof(*st));
	rc = mvl_begin();
	if (rc)
		return rc;
	msg = mvl_link_msg(RTM_GETLINK, ifindex);
	/* nl_socket_get_cb() takes a reference; without the put the socket's cb never goes. */
	sk_cb = nl_socket_get_cb(mvl_sk);
	cb = nl_cb_clone(sk_cb);
	nl_cb_put(sk_cb);
	if (!msg || !cb) {
		nlmsg_free(msg);
		if (cb)
			nl_cb_put(cb);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, mvl_state_cb, st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, mvl_ack_cb, &acked);
	err = nl_send_auto(mvl_sk, msg);
	nlmsg_free(msg);
	/* The reply, then the acknowledgement; an error reply sets mvl_syserr instead. */
	while (err >= 0 && !acked && !mvl_syserr)
		err = nl_recvmsgs(mvl_sk, cb);
	nl_cb_put(cb);
	rc = mvl_end(err);
	if (!rc && mvl_syserr)
		rc = -mvl_syserr;
	if (!rc && !st->found)
		rc = -ENODEV;
	return rc;
}

int vrrp_macvlan_set_protodown(ifindex_t ifindex, bool down)
{
	char name[IF_NAMESIZE + 16];
	struct nlattr *reason;
	struct nl_msg *msg;
	int rc, err = 0;

	rc = mvl_check_ifindex("set protodown on", ifindex);
	if (rc)
		return rc;
	rc = mvl_begin();
	if (rc)
		return rc;
	msg = mvl_link_msg(RTM_SETLINK, ifindex);
	if (!msg)
		return -ENOMEM;
	/*
	 * The reason goes first: the kernel refuses to clear protodown while any reason bit is
	 * set, and it applies the nest before the flag. Only zebra's own bit is touched, so zebra
	 * files the change under no foreign ("external") reason, and anyone else's bit still
	 * keeps the link down.
	 */
	reason = nla_nest_start(msg, IFLA_PROTO_DOWN_REASON);
	if (!reason ||
	    nla_put_u32(msg, IFLA_PROTO_DOWN_REASON_MASK, VRRP_PROTODOWN_REASON_BIT) < 0 ||
	    nla_put_u32(msg, IFLA_PROTO_DOWN_REASON_VALUE, down ? VRRP_PROTODOWN_REASON_BIT : 0) <
		    0 ||
	    nla_nest_end(msg, reason) < 0 || nla_put_u8(msg, IFLA_PROTO_DOWN, down) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	frr_with_privs (&vrrp_privs) {
		err = nl_send_sync(mvl_sk, msg); /* frees msg */
	}
	rc = mvl_end(err);
	if (rc && rc != -ENODEV)
		mvl_log(down ? "set protodown on" : "clear protodown on",
			mvl_ifname(ifindex, name, sizeof(name)), NULL, rc);
	return rc;
}

int vrrp_macvlan_hold_down(ifindex_t ifindex)
{
	char name[IF_NAMESIZE + 16];
	struct mvl_state st;
	int rc;

	rc = mvl_check_ifindex("set protodown on", ifindex);
	if (rc)
		return rc;
	/*
	 * Only a link in protodown that runs all the same is bypassed. Reports of the link lag
	 * the kernel under load, and one still in flight from before our protodown reached the
	 * kernel is no reason to act: every change made here has the kernel report the link
	 * again, and zebra forwards that, so acting on stale reports feeds itself.
	 */
	rc = mvl_link_state(ifindex, &st);
	if (rc) {
		if (rc != -ENODEV)
			mvl_log("read the state of", mvl_ifname(ifindex, name, sizeof(name)), NULL,
				rc);
		return rc;
	}
	if (!st.running || !st.proto_down)
		return 0;
	rc = vrrp_macvlan_set_protodown(ifindex, true);
	return rc ? rc : 1;
}

int vrrp_macvlan_lookup(const char *name)
{
	struct rtnl_link *link = NULL;
	int rc;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE)
		return -EINVAL;
	rc = mvl_link_get(0, name, &link);
	if (rc)
		return rc;
	rc = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return rc;
}

int vrrp_macvlan_live(ifindex_t ifindex)
{
	struct mvl_state st;
	int rc;

	rc = mvl_check_ifindex("read the state of", ifindex);
	if (!rc)
		rc = mvl_link_state(ifindex, &st);
	if (rc)
		return rc;
	return st.running && !st.proto_down;
}

int vrrp_macvlan_link_info(ifindex_t ifindex, struct vrrp_link_info *out)
{
	struct rtnl_link *link;
	struct nl_addr *hw;
	char name[IF_NAMESIZE + 16];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = mvl_check_ifindex("read", ifindex);
	if (rc)
		return rc;
	rc = mvl_link_get(ifindex, NULL, &link);
	if (rc) {
		if (rc != -ENODEV)
			mvl_log("read", mvl_ifname(ifindex, name, sizeof(name)), NULL, rc);
		return rc;
	}
	strlcpy(out->name, rtnl_link_get_name(link) ?: "", sizeof(out->name));
	out->flags = rtnl_link_get_flags(link);
	out->mtu = rtnl_link_get_mtu(link);
	out->link = rtnl_link_get_link(link);
	hw = rtnl_link_get_addr(link);
	if (hw && nl_addr_get_len(hw) == ETH_ALEN) {
		memcpy(out->hw_addr, nl_addr_get_binary_addr(hw), ETH_ALEN);
		out->has_hw_addr = true;
	}
	rtnl_link_put(link);
	return 0;
}

int vrrp_macvlan_get_alias(ifindex_t ifindex, char *buf, size_t len)
{
	struct rtnl_link *link;
	const char *alias;
	char name[IF_NAMESIZE + 16];
	int rc;

	if (len)
		buf[0] = '\0';
	rc = mvl_check_ifindex("read the alias of", ifindex);
	if (rc)
		return rc;
	rc = mvl_link_get(ifindex, NULL, &link);
	if (rc) {
		mvl_log("read the alias of", mvl_ifname(ifindex, name, sizeof(name)), NULL, rc);
		return rc;
	}
	alias = rtnl_link_get_ifalias(link);
	if (alias && len)
		strlcpy(buf, alias, len);
	rtnl_link_put(link);
	return 0;
}

int vrrp_macvlan_addrs(ifindex_t ifindex, int family, struct ipaddr *out, int max)
{
	struct nl_cache *cache = NULL;
	struct nl_object *obj;
	size_t alen = family == AF_INET ? 4 : 16;
	int rc, n = 0;

	rc = mvl_begin();
	if (rc)
		return rc;
	rc = mvl_end(rtnl_addr_alloc_cache(mvl_sk, &cache));
	if (rc)
		return rc;
	for (obj = nl_cache_get_first(cache); obj && n < max; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *a = (struct rtnl_addr *)obj;
		struct nl_addr *local = rtnl_addr_get_local(a);

		if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_family(a) != family ||
		    !local || nl_addr_get_len(local) != alen)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].ipa_type = family == AF_INET ? IPADDR_V4 : IPADDR_V6;
		memcpy(&out[n].ip.addr, nl_addr_get_binary_addr(local), alen);
		n++;
	}
	nl_cache_free(cache);
	return n;
}

int vrrp_macvlan_walk_owned(const char *alias_prefix, vrrp_macvlan_walk_fn cb, void *arg)
{
	struct nl_cache *cache = NULL;
	struct nl_object *obj;
	size_t plen;
	int rc = 0, n = 0;

	if (!alias_prefix)
		alias_prefix = "";
	plen = strlen(alias_prefix);
	for (int i = 0; i < MVL_DUMP_TRIES; i++) {
		rc = mvl_begin();
		if (rc)
			break;
		rc = mvl_end(rtnl_link_alloc_cache(mvl_sk, AF_UNSPEC, &cache));
		if (rc != -EAGAIN)
			break;
	}
	if (rc) {
		mvl_log("list", "interfaces", NULL, rc);
		return rc;
	}

	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_link *link = (struct rtnl_link *)obj;
		const char *kind = rtnl_link_get_type(link);
		const char *alias = rtnl_link_get_ifalias(link);
		ifindex_t parent = rtnl_link_get_link(link);
		int32_t nsid;

		if (!kind || strcmp(kind, "macvlan") || !alias ||
		    strncmp(alias, alias_prefix, plen))
			continue;
		/* IFLA_LINK then names an interface of another namespace. */
		if (rtnl_link_get_link_netnsid(link, &nsid) == 0)
			parent = IFINDEX_INTERNAL;
		cb(rtnl_link_get_ifindex(link), rtnl_link_get_name(link), parent, alias, arg);
		n++;
	}
	nl_cache_free(cache);
	return n;
}
