// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The macvlan adapter: the only code of the daemon that uses libnl. It creates, configures,
 * addresses and removes the virtual MAC interfaces with synchronous requests on one
 * NETLINK_ROUTE socket; its reads of the kernel's view are in vrrp_macvlan_link.c.
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
#include <netlink/route/link/inet.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/macvlan.h>

#include "lib/log.h"
#include "lib/privs.h"

#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_macvlan.h"
#include "vrrp_macvlan_nl.h"
#include "vrrp_privs.h"

/*
 * IPV4_DEVCONF_PROMOTE_SECONDARIES of <linux/ip.h>, which cannot be included next to
 * <netinet/ip.h>; the value is kernel ABI.
 */
#define MVL_IPV4_DEVCONF_PROMOTE_SECONDARIES 20

int vrrp_macvlan_alias_make(char *buf, size_t len, const char *parent, uint8_t vrid, bool ipv6)
{
	int n;

	/* An empty name or one with ':' (no valid interface name has one) would not parse back. */
	if (!parent || !*parent || strchr(parent, ':'))
		return -EINVAL;
	n = snprintf(buf, len, VRRP_MACVLAN_ALIAS_PREFIX "%s:%u:%c", parent, vrid,
		     ipv6 ? '6' : '4');
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : n;
}

bool vrrp_macvlan_alias_parse(const char *alias, char *parent, size_t parent_len, uint8_t *vrid,
			      bool *ipv6)
{
	const char *p, *colon;
	unsigned int v = 0;
	size_t plen, ndigits = 0;

	if (!alias || strncmp(alias, VRRP_MACVLAN_ALIAS_PREFIX, strlen(VRRP_MACVLAN_ALIAS_PREFIX)))
		return false;
	p = alias + strlen(VRRP_MACVLAN_ALIAS_PREFIX);
	colon = strchr(p, ':');
	if (!colon)
		return false;
	plen = colon - p;
	if (plen == 0 || plen >= IF_NAMESIZE)
		return false;
	for (p = colon + 1; isdigit((unsigned char)*p); p++, ndigits++)
		v = v * 10 + (*p - '0');
	if (ndigits == 0 || ndigits > 3 || v < 1 || v > 255 || *p != ':')
		return false;
	if ((p[1] != '4' && p[1] != '6') || p[2] != '\0')
		return false;
	if (parent) {
		if (plen >= parent_len)
			return false;
		memcpy(parent, colon - plen, plen);
		parent[plen] = '\0';
	}
	if (vrid)
		*vrid = v;
	if (ipv6)
		*ipv6 = p[1] == '6';
	return true;
}

static bool mvl_mac_is(struct rtnl_link *link, const struct ethaddr *mac)
{
	struct nl_addr *a = rtnl_link_get_addr(link);

	return a && nl_addr_get_len(a) == ETH_ALEN &&
	       !memcmp(nl_addr_get_binary_addr(a), mac->octet, ETH_ALEN);
}

static uint8_t mvl_addr_gen_mode(bool ipv6)
{
	return ipv6 ? IN6_ADDR_GEN_MODE_RANDOM : IN6_ADDR_GEN_MODE_NONE;
}

/* Whether a macvlan left by an earlier instance still has everything create would set. */
static bool mvl_is_configured(struct rtnl_link *link, const struct ethaddr *vmac, bool ipv6,
			      ifindex_t master)
{
	uint8_t mode;
	uint32_t promote;

	if (!mvl_mac_is(link, vmac) || rtnl_link_macvlan_get_mode(link) != MACVLAN_MODE_BRIDGE ||
	    (ifindex_t)rtnl_link_get_master(link) != master)
		return false;
	if (rtnl_link_inet6_get_addr_gen_mode(link, &mode) == 0 && mode != mvl_addr_gen_mode(ipv6))
		return false;
	if (!ipv6 &&
	    rtnl_link_inet_get_conf(link, MVL_IPV4_DEVCONF_PROMOTE_SECONDARIES, &promote) == 0 &&
	    !promote)
		return false;
	return true;
}

static int mvl_up(ifindex_t ifindex)
{
	struct rtnl_link *changes;
	int rc;

	changes = rtnl_link_alloc();
	if (!changes)
		return -ENOMEM;
	rtnl_link_set_flags(changes, IFF_UP);
	rc = mvl_link_change(ifindex, changes);
	rtnl_link_put(changes);
	return rc;
}

static int mvl_set_alias(ifindex_t ifindex, const char *name, const char *alias)
{
	struct rtnl_link *changes;
	int rc;

	changes = rtnl_link_alloc();
	if (!changes)
		rc = -ENOMEM;
	else {
		rtnl_link_set_ifalias(changes, alias);
		rc = mvl_link_change(ifindex, changes);
		rtnl_link_put(changes);
	}
	if (rc)
		mvl_log("set the alias of", name, NULL, rc);
	return rc;
}

static int mvl_sysctl(const char *path, const char *value);

/*
 * An IPv4 macvlan needs no IPv6, and with it every carrier change (each protodown) would have
 * the kernel walk its whole IPv6 routing table for the macvlan's multicast and local routes,
 * under the lock every link change takes: with a thousand macvlans that walk dominated a flap
 * storm. Set before the link goes up, so those routes are never made.
 */
static void mvl_no_ipv6(const char *name)
{
	char path[128];
	int rc;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	rc = mvl_sysctl(path, "1\n");
	/* Without IPv6 in the kernel there is nothing to disable. */
	if (rc && rc != -ENOENT)
		VRRP_DEBUG(zebra, "macvlan %s: disable_ipv6 not set: %s", name,
			   safe_strerror(-rc));
}

/* Bring the new link up; the IPv4 one without IPv6 first (mvl_no_ipv6()). */
static int mvl_raise_new(ifindex_t ifindex, const char *name, bool ipv6)
{
	int rc;

	if (!ipv6)
		mvl_no_ipv6(name);
	rc = mvl_up(ifindex);
	if (rc)
		mvl_log("bring up", name,
			rc == -EADDRINUSE ? " (the parent or another macvlan on it has this MAC)"
					  : NULL,
			rc);
	return rc;
}

/*
 * The alias, promote_secondaries (IPv4) and the address generation mode in one request: each
 * request on a link costs the kernel a notification to every listener, zebra included, and
 * with hundreds of routers created at once that is most of the time to start. False if the
 * kernel refused the request as a whole; the caller then sets them one at a time.
 */
static bool mvl_configure_at_once(ifindex_t ifindex, bool ipv6, const char *alias)
{
	struct rtnl_link *changes = rtnl_link_alloc();
	int rc;

	if (!changes)
		return false;
	rtnl_link_set_ifalias(changes, alias);
	rc = ipv6 ? 0 : rtnl_link_inet_set_conf(changes, MVL_IPV4_DEVCONF_PROMOTE_SECONDARIES, 1);
	if (rc >= 0)
		rc = rtnl_link_inet6_set_addr_gen_mode(changes, mvl_addr_gen_mode(ipv6));
	if (rc >= 0)
		rc = mvl_link_change(ifindex, changes);
	rtnl_link_put(changes);
	return rc == 0;
}

/*
 * Everything create does after the link exists, in an order that matters: the alias first, so
 * ownership is recorded as early as possible; the address generation mode before the link
 * goes up, because the kernel makes the link-local only when it comes up.
 */
static int mvl_configure(ifindex_t ifindex, const char *name, bool ipv6, const char *alias)
{
	struct rtnl_link *changes;
	int rc;

	if (mvl_configure_at_once(ifindex, ipv6, alias))
		return mvl_raise_new(ifindex, name, ipv6);
	rc = mvl_set_alias(ifindex, name, alias);
	if (rc)
		return rc;

	/* IPv4: removing the first address of a subnet must not remove the other VIPs in it. */
	if (!ipv6) {
		changes = rtnl_link_alloc();
		rc = !changes ? -NLE_NOMEM
			      : rtnl_link_inet_set_conf(changes,
							MVL_IPV4_DEVCONF_PROMOTE_SECONDARIES, 1);
		rc = rc < 0 ? -mvl_nlerr2errno(rc) : mvl_link_change(ifindex, changes);
		if (changes)
			rtnl_link_put(changes);
		if (rc) {
			mvl_log("set promote_secondaries on", name, NULL, rc);
			return rc;
		}
	}

	changes = rtnl_link_alloc();
	rc = !changes ? -NLE_NOMEM
		      : rtnl_link_inet6_set_addr_gen_mode(changes, mvl_addr_gen_mode(ipv6));
	rc = rc < 0 ? -mvl_nlerr2errno(rc) : mvl_link_change(ifindex, changes);
	if (changes)
		rtnl_link_put(changes);
	if (rc && ipv6) {
		mvl_log("set addrgenmode random on", name, NULL, rc);
		return rc;
	}
	/* Without IPv6 in the kernel an IPv4 macvlan has no link-local anyway. */
	if (rc)
		VRRP_DEBUG(zebra, "macvlan %s: addrgenmode none not set: %s", name,
			   safe_strerror(-rc));
	return mvl_raise_new(ifindex, name, ipv6);
}

/* Enslave the macvlan to the parent's VRF, as routes through it must live in that table. */
static int mvl_parent_vrf(struct rtnl_link *parent, ifindex_t *vrf)
{
	struct rtnl_link *master;
	const char *kind;
	int rc;

	*vrf = IFINDEX_INTERNAL;
	if (rtnl_link_get_master(parent) <= 0)
		return 0;
	rc = mvl_link_get(rtnl_link_get_master(parent), NULL, &master);
	if (rc == -ENODEV)
		return 0;
	if (rc)
		return rc;
	kind = rtnl_link_get_type(master);
	if (kind && !strcmp(kind, "vrf"))
		*vrf = rtnl_link_get_master(parent);
	rtnl_link_put(master);
	return 0;
}

static int mvl_create_new(const char *name, struct rtnl_link *parent, ifindex_t vrf,
			  const struct ethaddr *vmac, bool ipv6, const char *alias)
{
	struct rtnl_link *link, *created;
	struct nl_addr *mac;
	char on[IF_NAMESIZE + 8];
	ifindex_t ifindex;
	int rc, err = 0;

	snprintf(on, sizeof(on), " on %s", rtnl_link_get_name(parent));
	link = rtnl_link_macvlan_alloc();
	mac = nl_addr_build(AF_LLC, vmac->octet, ETH_ALEN);
	if (!link || !mac) {
		rc = -ENOMEM;
		goto out;
	}
	rtnl_link_set_name(link, name);
	rtnl_link_set_link(link, rtnl_link_get_ifindex(parent));
	/* The VMAC goes in the create request, so the interface never has a random MAC. */
	rtnl_link_set_addr(link, mac);
	rtnl_link_macvlan_set_mode(link, MACVLAN_MODE_BRIDGE);
	if (vrf != IFINDEX_INTERNAL)
		rtnl_link_set_master(link, vrf);

	rc = mvl_begin();
	if (rc)
		goto out;
	frr_with_privs (&vrrp_privs) {
		err = rtnl_link_add(mvl_sk, link, NLM_F_CREATE | NLM_F_EXCL);
	}
	rc = mvl_end(err);
	if (rc)
		goto out;

	rc = mvl_link_get(0, name, &created);
	if (rc)
		goto out;
	ifindex = rtnl_link_get_ifindex(created);
	rtnl_link_put(created);

	rc = mvl_configure(ifindex, name, ipv6, alias);
	if (rc) {
		/* configure logged why; leave nothing behind that a restart could not claim. */
		int drc = mvl_link_delete(ifindex);

		if (drc && drc != -ENODEV)
			mvl_log("delete the half-made", name, NULL, drc);
		goto done;
	}
	VRRP_DEBUG(zebra, "macvlan %s (ifindex %d) created%s, MAC %pEA, alias %s", name, ifindex,
		   on, vmac, alias);
	rc = ifindex;
	goto done;
out:
	if (rc)
		mvl_log("create", name, on, rc);
done:
	if (mac)
		nl_addr_put(mac);
	if (link)
		rtnl_link_put(link);
	return rc;
}

/*
 * Whether an existing alias marks the interface create is asked for: the same text, or markers
 * of the same VRID and family whose parent names differ, as after the parent was renamed (the
 * caller has checked the parent by ifindex).
 */
static bool mvl_same_owner(const char *old, const char *want)
{
	uint8_t ovrid, wvrid;
	bool ov6, wv6;

	if (!old)
		return false;
	if (!strcmp(old, want))
		return true;
	return vrrp_macvlan_alias_parse(old, NULL, 0, &ovrid, &ov6) &&
	       vrrp_macvlan_alias_parse(want, NULL, 0, &wvrid, &wv6) && ovrid == wvrid &&
	       ov6 == wv6;
}

/*
 * `name` exists already. Reuse it if it is our own macvlan on this parent (return its ifindex),
 * refuse anything else (-EEXIST), or tell the caller to make it again (*recreate).
 */
static int mvl_reuse(struct rtnl_link *old, const char *name, struct rtnl_link *parent,
		     ifindex_t vrf, const struct ethaddr *vmac, bool ipv6, const char *alias,
		     bool *recreate)
{
	const char *kind = rtnl_link_get_type(old);
	const char *old_alias = rtnl_link_get_ifalias(old);
	ifindex_t ifindex = rtnl_link_get_ifindex(old);
	int rc;

	*recreate = false;
	if (!kind || strcmp(kind, "macvlan")) {
		flog_err(EC_VRRP_MACVLAN,
			 "cannot create macvlan %s: name taken by a%s %s interface", name,
			 kind && strchr("aeiou", kind[0]) ? "n" : "", kind ? kind : "physical");
		return -EEXIST;
	}
	if (rtnl_link_get_link(old) != rtnl_link_get_ifindex(parent)) {
		flog_err(EC_VRRP_MACVLAN,
			 "cannot create macvlan %s on %s: name taken by a macvlan on ifindex %d",
			 name, rtnl_link_get_name(parent), rtnl_link_get_link(old));
		return -EEXIST;
	}
	if (!mvl_same_owner(old_alias, alias)) {
		flog_err(EC_VRRP_MACVLAN,
			 "cannot create macvlan %s: name taken by a macvlan vrrpd did not create "
			 "(alias \"%s\")",
			 name, old_alias ? old_alias : "");
		return -EEXIST;
	}
	if (!mvl_is_configured(old, vmac, ipv6, vrf)) {
		VRRP_DEBUG(zebra, "macvlan %s (ifindex %d) is ours but changed; making it again",
			   name, ifindex);
		rc = mvl_link_delete(ifindex);
		if (rc && rc != -ENODEV) {
			mvl_log("delete the stale", name, NULL, rc);
			return rc;
		}
		*recreate = true;
		return 0;
	}
	/* The parent was renamed since: the marker follows. */
	if (strcmp(old_alias, alias)) {
		rc = mvl_set_alias(ifindex, name, alias);
		if (rc)
			return rc;
	}
	rc = vrrp_macvlan_set_up(ifindex);
	if (rc)
		return rc;
	VRRP_DEBUG(zebra, "macvlan %s (ifindex %d) left by an earlier vrrpd, reused", name,
		   ifindex);
	return ifindex;
}

int vrrp_macvlan_create(const char *name, ifindex_t parent, const struct ethaddr *vmac, bool ipv6,
			const char *alias)
{
	struct rtnl_link *plink = NULL, *old = NULL;
	ifindex_t vrf;
	bool recreate;
	char pname[32];
	int rc;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE || parent <= 0 || !vmac || !alias ||
	    strlen(alias) >= VRRP_MACVLAN_ALIAS_MAX) {
		flog_err(EC_VRRP_MACVLAN, "cannot create macvlan %s: invalid arguments",
			 name ? name : "(null)");
		return -EINVAL;
	}

	rc = mvl_link_get(parent, NULL, &plink);
	if (rc) {
		snprintf(pname, sizeof(pname), " on ifindex %d", parent);
		mvl_log("create", name, pname, rc);
		return rc;
	}
	rc = mvl_parent_vrf(plink, &vrf);
	if (rc) {
		snprintf(pname, sizeof(pname), " on %s", rtnl_link_get_name(plink));
		mvl_log("create", name, pname, rc);
		goto out;
	}

	rc = mvl_link_get(0, name, &old);
	if (rc == 0) {
		rc = mvl_reuse(old, name, plink, vrf, vmac, ipv6, alias, &recreate);
		rtnl_link_put(old);
		if (!recreate)
			goto out;
	} else if (rc != -ENODEV) {
		mvl_log("look up", name, NULL, rc);
		goto out;
	}
	rc = mvl_create_new(name, plink, vrf, vmac, ipv6, alias);
out:
	rtnl_link_put(plink);
	return rc;
}

int vrrp_macvlan_delete(ifindex_t ifindex)
{
	char name[IF_NAMESIZE + 16];
	int rc;

	rc = mvl_check_ifindex("delete", ifindex);
	if (rc)
		return rc;
	mvl_ifname(ifindex, name, sizeof(name));
	rc = mvl_link_delete(ifindex);
	if (rc && rc != -ENODEV)
		mvl_log("delete", name, NULL, rc);
	else if (!rc)
		VRRP_DEBUG(zebra, "macvlan %s (ifindex %d) deleted", name, ifindex);
	return rc;
}

/* Write one net sysctl; writable with CAP_NET_ADMIN in the interface's namespace. */
static int mvl_sysctl(const char *path, const char *value)
{
	int fd, rc = 0;

	frr_with_privs (&vrrp_privs) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value))
			rc = -errno;
		if (fd >= 0)
			close(fd);
	}
	return rc;
}

int vrrp_macvlan_keep_addrs(const char *ifname)
{
	char path[128];
	int rc;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/keep_addr_on_down", ifname);
	rc = mvl_sysctl(path, "1\n");
	if (rc)
		flog_err(EC_VRRP_MACVLAN, "cannot keep IPv6 addresses of %s across protodown: %s",
			 ifname, safe_strerror(-rc));
	return rc;
}

/* The first character of a net sysctl: its value when it is a single digit. */
static int mvl_sysctl_digit(const char *path)
{
	char c = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return (c >= '0' && c <= '9') ? c - '0' : -EINVAL;
}

int vrrp_macvlan_parent_arp(const char *parent)
{
	char path[128];
	int rc;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/arp_ignore", parent);
	/* Every value but 0 already keeps the parent from answering for the macvlan's addresses;
	 * a stricter one the administrator chose stays. */
	rc = mvl_sysctl_digit(path);
	if (rc > 0)
		return 0;
	rc = mvl_sysctl(path, "1\n");
	if (rc)
		flog_err(
			EC_VRRP_MACVLAN,
			"cannot set arp_ignore on %s (a Backup would answer ARP for the virtual addresses): %s",
			parent, safe_strerror(-rc));
	return rc;
}

int vrrp_macvlan_set_up(ifindex_t ifindex)
{
	char name[IF_NAMESIZE + 16];
	int rc;

	rc = mvl_check_ifindex("bring up", ifindex);
	if (rc)
		return rc;
	rc = mvl_up(ifindex);
	/* Gone already: its deletion is on its way from zebra, and the caller recreates it. */
	if (rc && rc != -ENODEV)
		mvl_log("bring up", mvl_ifname(ifindex, name, sizeof(name)), NULL, rc);
	return rc;
}

static int mvl_addr(bool add, ifindex_t ifindex, const struct prefix *p)
{
	struct rtnl_addr *addr = NULL;
	struct nl_addr *local = NULL;
	char name[IF_NAMESIZE + 16], op[PREFIX_STRLEN + 32];
	int rc, err = 0;

	if (ifindex <= 0 || !p || (p->family != AF_INET && p->family != AF_INET6) ||
	    p->prefixlen > (p->family == AF_INET ? IPV4_MAX_BITLEN : IPV6_MAX_BITLEN)) {
		rc = -EINVAL;
		goto out;
	}
	addr = rtnl_addr_alloc();
	local = nl_addr_build(p->family, &p->u.prefix, p->family == AF_INET ? 4 : 16);
	if (!addr || !local) {
		rc = -ENOMEM;
		goto out;
	}
	nl_addr_set_prefixlen(local, p->prefixlen);
	rtnl_addr_set_ifindex(addr, ifindex);
	err = rtnl_addr_set_local(addr, local);
	if (err < 0) {
		rc = -mvl_nlerr2errno(err);
		goto out;
	}
	/* A virtual address is shared by design; DAD would fail it for good on a brief overlap. */
	if (p->family == AF_INET6)
		rtnl_addr_set_flags(addr, IFA_F_NODAD);

	rc = mvl_begin();
	if (rc)
		goto out;
	frr_with_privs (&vrrp_privs) {
		if (add)
			err = rtnl_addr_add(mvl_sk, addr, NLM_F_EXCL);
		else
			err = rtnl_addr_delete(mvl_sk, addr, 0);
	}
	rc = mvl_end(err);
out:
	if (rc && rc != (add ? -EEXIST : -EADDRNOTAVAIL)) {
		if (p)
			snprintfrr(op, sizeof(op), "%s %pFX %s", add ? "add" : "delete", p,
				   add ? "to" : "from");
		else
			snprintf(op, sizeof(op), "%s a null address %s", add ? "add" : "delete",
				 add ? "to" : "from");
		mvl_log(op, mvl_ifname(ifindex, name, sizeof(name)), NULL, rc);
	}
	if (!rc)
		VRRP_DEBUG(zebra, "macvlan %s: %s %pFX", mvl_ifname(ifindex, name, sizeof(name)),
			   add ? "added" : "deleted", p);
	if (local)
		nl_addr_put(local);
	if (addr)
		rtnl_addr_put(addr);
	return rc;
}

int vrrp_macvlan_addr_add(ifindex_t ifindex, const struct prefix *p)
{
	return mvl_addr(true, ifindex, p);
}

int vrrp_macvlan_addr_del(ifindex_t ifindex, const struct prefix *p)
{
	return mvl_addr(false, ifindex, p);
}
