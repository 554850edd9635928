// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fake outside world of the engine's unit tests (see fake_io.h): the recording struct
 * vrrp_io, the scripted kernel state behind it (aliases, IPv6 addresses, leftover macvlans),
 * the interface world in libfrr's default VRF, advertisement injection, and the per-test set-up
 * of libfrr, the virtual-router table and the engine.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/checksum.h"
#include "lib/if.h"
#include "lib/privs.h"
#include "lib/thread.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_iflearn.h"
#include "vrrp_io.h"
#include "vrrp_macvlan.h"
#include "vrrp_timer.h"

#include "fake_io.h"

/* vrrp_main.c, which defines the daemon's privileges, is not in libvrrp.a. */
struct zebra_privs_t vrrp_privs;

struct fake_script fake_rc;
struct thread_master *fake_master;

#define FAKE_LOG_MAX 512
static struct fake_call fake_log[FAKE_LOG_MAX];
static int fake_nlog;
static vrrp_sock_rx_fn fake_rx_fn;

/* The kernel's side: what get_alias, addrs and walk_owned report. */
#define FAKE_KERNEL_MAX 32
struct fake_link {
	ifindex_t ifindex;
	char name[IFNAMSIZ];
	char alias[VRRP_MACVLAN_ALIAS_MAX];
	ifindex_t parent;
	/* Made by mvl_create with this MAC, and link_info answers for it. */
	bool known;
	struct ethaddr mac;
	bool owned_listed; /* reported by walk_owned */
	struct ipaddr addrs[4];
	int naddrs;
};
static struct fake_link fake_links[FAKE_KERNEL_MAX];
static int fake_nlinks;

/* The log. */

static struct fake_call *fake_record(enum fake_op op, int rc, const char *fmt, ...) PRINTFRR(3, 4);

static struct fake_call *fake_record(enum fake_op op, int rc, const char *fmt, ...)
{
	struct fake_call *c;
	va_list ap;

	assert_true(fake_nlog < FAKE_LOG_MAX);
	c = &fake_log[fake_nlog++];
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->rc = rc;
	va_start(ap, fmt);
	vsnprintfrr(c->text, sizeof(c->text), fmt, ap);
	va_end(ap);
	return c;
}

static bool fake_op_listed(const char *text, const char *ops)
{
	size_t n = strcspn(text, " ");
	const char *p = ops;

	while (*p) {
		size_t m = strcspn(p, " ");

		if (m == n && !strncmp(p, text, n))
			return true;
		p += m;
		p += strspn(p, " ");
	}
	return false;
}

static const char *fake_join(const char *ops)
{
	static char buf[FAKE_LOG_MAX * 64];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < fake_nlog; i++) {
		if (ops && !fake_op_listed(fake_log[i].text, ops))
			continue;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "; " : "",
				fake_log[i].text);
		assert_true(len < sizeof(buf));
	}
	return buf;
}

const char *fake_trace(void)
{
	return fake_join(NULL);
}

const char *fake_trace_only(const char *ops)
{
	return fake_join(ops);
}

void fake_clear(void)
{
	fake_nlog = 0;
}

int fake_count(enum fake_op op)
{
	int n = 0;

	for (int i = 0; i < fake_nlog; i++)
		n += fake_log[i].op == op;
	return n;
}

const struct fake_call *fake_nth(enum fake_op op, int nth)
{
	for (int i = 0; i < fake_nlog; i++)
		if (fake_log[i].op == op && nth-- == 0)
			return &fake_log[i];
	return NULL;
}

/* The kernel's side. */

static struct fake_link *fake_link(ifindex_t ifindex, bool create)
{
	for (int i = 0; i < fake_nlinks; i++)
		if (fake_links[i].ifindex == ifindex)
			return &fake_links[i];
	if (!create)
		return NULL;
	assert_true(fake_nlinks < FAKE_KERNEL_MAX);
	memset(&fake_links[fake_nlinks], 0, sizeof(fake_links[0]));
	fake_links[fake_nlinks].ifindex = ifindex;
	return &fake_links[fake_nlinks++];
}

void fake_set_alias(ifindex_t ifindex, const char *alias)
{
	strlcpy(fake_link(ifindex, true)->alias, alias, VRRP_MACVLAN_ALIAS_MAX);
}

void fake_set_alias_ours(ifindex_t ifindex, const char *parent, uint8_t vrid, bool ipv6)
{
	char alias[VRRP_MACVLAN_ALIAS_MAX];

	assert_true(vrrp_macvlan_alias_make(alias, sizeof(alias), parent, vrid, ipv6) > 0);
	fake_set_alias(ifindex, alias);
}

void fake_add_kernel_addr(ifindex_t ifindex, const char *ip)
{
	struct fake_link *l = fake_link(ifindex, true);

	assert_true(l->naddrs < (int)array_size(l->addrs));
	fake_ip(&l->addrs[l->naddrs++], ip);
}

void fake_add_owned(ifindex_t ifindex, const char *name, ifindex_t parent, const char *alias)
{
	struct fake_link *l = fake_link(ifindex, true);

	strlcpy(l->name, name, sizeof(l->name));
	strlcpy(l->alias, alias, sizeof(l->alias));
	l->parent = parent;
	l->owned_listed = true;
}

/* The adapters. */

static int fake_family_digit(int family)
{
	return family == AF_INET ? 4 : 6;
}

static void fake_sock_init(struct thread_master *master, vrrp_sock_rx_fn rx)
{
	fake_rx_fn = rx;
	fake_record(FAKE_SOCK_INIT, 0, "sock_init");
}

static int fake_rx_ref(struct interface *parent, int family)
{
	fake_record(FAKE_RX_REF, fake_rc.rx_ref_rc, "rx_ref %s %d", parent->name,
		    fake_family_digit(family));
	return fake_rc.rx_ref_rc;
}

static void fake_rx_unref(struct interface *parent, int family)
{
	fake_record(FAKE_RX_UNREF, 0, "rx_unref %s %d", parent->name, fake_family_digit(family));
}

/* "10.10.10.1,10.10.10.2" from a decoded advertisement. */
static void fake_pkt_addrs(const struct vrrp_pkt *pkt, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < pkt->naddr && n < len; i++) {
		char s[INET6_ADDRSTRLEN];

		inet_ntop(pkt->af->family, pkt->addr.bytes + i * pkt->af->addrlen, s, sizeof(s));
		n += snprintf(buf + n, len - n, "%s%s", i ? "," : "", s);
	}
}

static int fake_send(int family, struct interface *mvl, const struct interface *lower,
		     const union vrrp_addr *src, const union vrrp_addr *dst, const uint8_t *buf,
		     size_t len, bool check_link)
{
	const struct vrrp_af_ops *ops = family == AF_INET ? &vrrp_af_ipv4 : &vrrp_af_ipv6;
	struct vrrp_rx_meta meta = {.src = *src, .ttl = VRRP_TTL};
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN + 4] = "", addrs[512];
	struct vrrp_pkt pkt = {};
	enum vrrp_drop drop;
	struct fake_call *c;

	/* The daemon's default checksum mode; every test router keeps it. */
	/* The checksum must cover the unicast destination it was sent to. */
	if (dst) {
		meta.dst = *dst;
		strlcpy(d, " to ", sizeof(d));
		inet_ntop(family, dst->bytes, d + 4, sizeof(d) - 4);
	}
	drop = vrrp_pkt_parse(ops, buf, len, &meta, true, &pkt);
	inet_ntop(family, src->bytes, s, sizeof(s));
	/* A list without a link-local still parses completely; the line says it broke the rule. */
	if (drop && drop != VRRP_DROP_V6_FIRST_NOT_LL) {
		c = fake_record(FAKE_SEND, fake_rc.send_rc, "send %s BAD(%s) from %s%s", mvl->name,
				vrrp_drop_key(drop), s, d);
	} else {
		fake_pkt_addrs(&pkt, addrs, sizeof(addrs));
		c = fake_record(FAKE_SEND, fake_rc.send_rc,
				"send %s v%u vrid %u prio %u int %u %s from %s%s%s%s%s", mvl->name,
				pkt.version, pkt.vrid, pkt.priority, pkt.adver_int, addrs, s, d,
				check_link ? " check" : "", fake_rc.send_rc < 0 ? " FAILED" : "",
				drop ? " [firstAddrNotLinkLocal]" : "");
	}
	c->drop = drop;
	c->pkt = pkt;
	strlcpy(c->lower, lower ? lower->name : "", sizeof(c->lower));
	return fake_rc.send_rc;
}

static int fake_garp(struct interface *mvl, const struct ethaddr *vmac, struct in_addr vip)
{
	struct fake_call *c = fake_record(FAKE_GARP, fake_rc.garp_rc, "garp %s %pI4%s", mvl->name,
					  &vip, fake_rc.garp_rc ? " FAILED" : "");

	c->vmac = *vmac;
	return fake_rc.garp_rc;
}

static int fake_una(struct interface *mvl, const struct ethaddr *vmac, const struct in6_addr *vip)
{
	struct fake_call *c = fake_record(FAKE_UNA, fake_rc.una_rc, "una %s %pI6%s", mvl->name,
					  vip, fake_rc.una_rc ? " FAILED" : "");

	c->vmac = *vmac;
	return fake_rc.una_rc;
}

static void fake_protodown(struct interface *ifp, bool down)
{
	fake_record(FAKE_PROTODOWN, 0, "protodown %s %s", ifp->name, down ? "on" : "off");
}

static void fake_radv(struct interface *ifp, bool enable)
{
	fake_record(FAKE_RADV, 0, "radv %s %s", ifp->name, enable ? "on" : "off");
}

static void fake_nht_register(const struct prefix *p, vrf_id_t vrf_id)
{
	fake_record(FAKE_NHT_REGISTER, 0, "nht_register %pFX", p);
}

static void fake_nht_unregister(const struct prefix *p, vrf_id_t vrf_id)
{
	fake_record(FAKE_NHT_UNREGISTER, 0, "nht_unregister %pFX", p);
}

static int fake_mvl_create(const char *name, ifindex_t parent, const struct ethaddr *vmac,
			   bool ipv6, const char *alias)
{
	int rc = fake_rc.mvl_create_rc;

	fake_record(FAKE_MVL_CREATE, rc, "mvl_create %s parent %d %pEA %d alias %s rc %d", name,
		    parent, vmac, ipv6 ? 6 : 4, alias, rc);
	if (rc > 0)
		fake_set_alias(rc, alias);
	if (rc > 0 && fake_rc.mvl_create_known) {
		struct fake_link *l = fake_link(rc, true);

		strlcpy(l->name, name, sizeof(l->name));
		l->parent = parent;
		l->mac = *vmac;
		l->known = true;
	}
	if (rc > 0 && fake_rc.mvl_create_seq)
		fake_rc.mvl_create_rc++;
	return rc;
}

static int fake_mvl_delete(ifindex_t ifindex)
{
	struct fake_link *l = fake_link(ifindex, false);

	fake_record(FAKE_MVL_DELETE, 0, "mvl_delete %d", ifindex);
	/* The kernel forgets it; zebra reports the deletion later, if the test says so. */
	if (l)
		*l = fake_links[--fake_nlinks];
	return 0;
}

static int fake_mvl_set_up(ifindex_t ifindex)
{
	fake_record(FAKE_MVL_SET_UP, fake_rc.mvl_set_up_rc, "mvl_set_up %d", ifindex);
	return fake_rc.mvl_set_up_rc;
}

static int fake_hold_down(ifindex_t ifindex)
{
	fake_record(FAKE_HOLD_DOWN, fake_rc.hold_down_rc, "hold_down %d", ifindex);
	return fake_rc.hold_down_rc;
}

static int fake_mvl_live(ifindex_t ifindex)
{
	return fake_rc.mvl_live_rc;
}

static int fake_mvl_lookup(const char *name)
{
	for (int i = 0; i < fake_nlinks; i++)
		if (!strcmp(fake_links[i].name, name))
			return fake_links[i].ifindex;
	return -ENODEV;
}

static int fake_keep_addrs(const char *ifname)
{
	fake_record(FAKE_KEEP_ADDRS, 0, "keep_addrs %s", ifname);
	return 0;
}

static int fake_parent_arp(const char *parent)
{
	fake_record(FAKE_PARENT_ARP, 0, "parent_arp %s", parent);
	return 0;
}

static int fake_addr_add(ifindex_t ifindex, const struct prefix *p)
{
	char buf[PREFIX_STRLEN];

	fake_record(FAKE_ADDR_ADD, 0, "addr_add %d %pFX", ifindex, p);
	prefix2str(p, buf, sizeof(buf));
	if (fake_rc.addr_add_exists && !strcmp(buf, fake_rc.addr_add_exists))
		return -EEXIST;
	return 0;
}

static int fake_addr_del(ifindex_t ifindex, const struct prefix *p)
{
	fake_record(FAKE_ADDR_DEL, 0, "addr_del %d %pFX", ifindex, p);
	return 0;
}

static int fake_get_alias(ifindex_t ifindex, char *buf, size_t len)
{
	struct fake_link *l = fake_link(ifindex, false);

	strlcpy(buf, l ? l->alias : "", len);
	fake_record(FAKE_GET_ALIAS, 0, "get_alias %d", ifindex);
	return 0;
}

/* Only macvlans made with fake_rc.mvl_create_known have details; others are zebra's alone. */
static int fake_link_info(ifindex_t ifindex, struct vrrp_link_info *out)
{
	struct fake_link *l = fake_link(ifindex, false);

	memset(out, 0, sizeof(*out));
	if (!l || !l->known)
		return -ENODEV;
	strlcpy(out->name, l->name, sizeof(out->name));
	out->flags = IFF_UP | IFF_RUNNING | IFF_BROADCAST | IFF_MULTICAST;
	out->mtu = 1500;
	out->link = l->parent;
	memcpy(out->hw_addr, l->mac.octet, ETH_ALEN);
	out->has_hw_addr = true;
	return 0;
}

static int fake_addrs(ifindex_t ifindex, int family, struct ipaddr *out, int max)
{
	struct fake_link *l = fake_link(ifindex, false);
	int n = 0;

	for (int i = 0; l && i < l->naddrs && n < max; i++)
		if ((family == AF_INET) == IS_IPADDR_V4(&l->addrs[i]))
			out[n++] = l->addrs[i];
	fake_record(FAKE_ADDRS, n, "addrs %d %d", ifindex, fake_family_digit(family));
	return n;
}

static int fake_walk_owned(const char *alias_prefix, vrrp_macvlan_walk_fn cb, void *arg)
{
	struct fake_link snap[FAKE_KERNEL_MAX];
	int n = fake_nlinks, calls = 0;

	fake_record(FAKE_WALK_OWNED, 0, "walk_owned %s", alias_prefix);
	/* A snapshot, as the real walk takes, so cb may delete. */
	memcpy(snap, fake_links, sizeof(snap));
	for (int i = 0; i < n; i++)
		if (snap[i].owned_listed &&
		    !strncmp(snap[i].alias, alias_prefix, strlen(alias_prefix))) {
			cb(snap[i].ifindex, snap[i].name, snap[i].parent, snap[i].alias, arg);
			calls++;
		}
	return calls;
}

/* What the socket layer was told may wait: per family ([0] IPv4), per VRID; version 0 none. */
static struct vrrp_rx_quiet fake_quiet_tab[2][256];
static int fake_quiet_calls;

static void fake_rx_quiet(struct interface *parent, int family, uint8_t vrid,
			  const struct vrrp_rx_quiet *q)
{
	fake_quiet_tab[family == AF_INET6][vrid] = q ? *q : (struct vrrp_rx_quiet){};
	fake_quiet_calls++;
}

const struct vrrp_rx_quiet *fake_quiet(int family, uint8_t vrid)
{
	const struct vrrp_rx_quiet *q = &fake_quiet_tab[family == AF_INET6][vrid];

	return q->version ? q : NULL;
}

int fake_quiet_count(void)
{
	return fake_quiet_calls;
}

static void fake_fini(void)
{
	fake_record(FAKE_FINI, 0, "fini");
}

static const struct vrrp_io fake_io = {
	.sock_init = fake_sock_init,
	.rx_ref = fake_rx_ref,
	.rx_unref = fake_rx_unref,
	.send = fake_send,
	.rx_quiet = fake_rx_quiet,
	.garp = fake_garp,
	.una = fake_una,
	.protodown = fake_protodown,
	.radv = fake_radv,
	.nht_register = fake_nht_register,
	.nht_unregister = fake_nht_unregister,
	.mvl_create = fake_mvl_create,
	.mvl_delete = fake_mvl_delete,
	.mvl_set_up = fake_mvl_set_up,
	.mvl_hold_down = fake_hold_down,
	.mvl_live = fake_mvl_live,
	.mvl_lookup = fake_mvl_lookup,
	.mvl_keep_addrs = fake_keep_addrs,
	.parent_arp = fake_parent_arp,
	.addr_add = fake_addr_add,
	.addr_del = fake_addr_del,
	.get_alias = fake_get_alias,
	.link_info = fake_link_info,
	.addrs = fake_addrs,
	.walk_owned = fake_walk_owned,
	.fini = fake_fini,
};

/* The interface world. */

static void world_connected_add(struct interface *ifp, const char *prefix)
{
	struct prefix p;

	assert_int_equal(str2prefix(prefix, &p), 1);
	connected_add_by_prefix(ifp, &p, NULL);
}

void world_addr_add(struct interface *ifp, const char *prefix)
{
	world_connected_add(ifp, prefix);
	vrrp_if_changed(ifp, false);
}

static struct interface *world_if(const char *name, ifindex_t ifindex)
{
	struct interface *ifp = if_get_by_name(name, VRF_DEFAULT, VRF_DEFAULT_NAME);

	assert_non_null(ifp);
	assert_int_equal(if_set_index(ifp, ifindex), 0);
	ifp->hw_addr_len = ETH_ALEN;
	return ifp;
}

struct interface *world_parent(const char *name, ifindex_t ifindex)
{
	static const uint8_t mac[ETH_ALEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	struct interface *ifp = world_if(name, ifindex);

	memcpy(ifp->hw_addr, mac, ETH_ALEN);
	ifp->flags = IFF_UP | IFF_RUNNING | IFF_BROADCAST | IFF_MULTICAST;
	/* The router's configuration names it, so the lib keeps it when zebra deletes it. */
	ifp->configured = true;
	world_connected_add(ifp, PARENT_V4 "/24");
	world_connected_add(ifp, PARENT_LL "/64");
	vrrp_if_changed(ifp, true);
	return ifp;
}

static bool world_is_v6_mvl(const struct interface *ifp)
{
	return ifp->hw_addr[4] == 0x02;
}

/* Flags and visible addresses for a state; zebra shows no addresses of a macvlan without
 * carrier. */
static void world_apply_state(struct interface *mvl, enum world_mvl state)
{
	mvl->flags = state == MVL_ADMIN_DOWN ? 0 : IFF_UP | IFF_BROADCAST | IFF_MULTICAST;
	if (state == MVL_RUNNING)
		mvl->flags |= IFF_RUNNING;
	list_delete_all_node(mvl->connected);
	if (state == MVL_RUNNING && world_is_v6_mvl(mvl))
		world_connected_add(mvl, MVL_LL "/64");
}

struct interface *world_macvlan(const char *name, ifindex_t ifindex, struct interface *parent,
				enum vrrp_afi afi, uint8_t vrid, enum world_mvl state)
{
	struct interface *mvl = world_if(name, ifindex);
	const uint8_t mac[ETH_ALEN] = {0x00, 0x00, 0x5e, 0x00, afi == VRRP_AFI_V4 ? 0x01 : 0x02,
				       vrid};

	memcpy(mvl->hw_addr, mac, ETH_ALEN);
	mvl->link_ifindex = parent->ifindex;
	if (afi == VRRP_AFI_V6)
		fake_add_kernel_addr(ifindex, MVL_LL);
	world_apply_state(mvl, state);
	vrrp_if_changed(mvl, true);
	return mvl;
}

void world_set_state(struct interface *mvl, enum world_mvl state)
{
	world_apply_state(mvl, state);
	vrrp_if_changed(mvl, true);
}

void world_set_link(struct interface *ifp, bool up)
{
	if (up)
		ifp->flags |= IFF_UP | IFF_RUNNING;
	else
		ifp->flags &= ~(IFF_UP | IFF_RUNNING);
	vrrp_if_changed(ifp, true);
}

void world_delete(struct interface *ifp)
{
	/* What vrrp_zebra.c's destroy callback does, then what the lib does after it. */
	vrrp_if_changed(ifp, true);
	vrrp_engine_if_gone(ifp);
	vrrp_iflearn_gone(ifp);
	vrrp_if_delete(ifp);
	ifp->oldifindex = ifp->ifindex;
	if_set_index(ifp, IFINDEX_INTERNAL);
	if (!ifp->configured)
		if_delete(&ifp);
}

static void world_clear(void)
{
	struct vrf *vrf = vrf_lookup_by_id(VRF_DEFAULT);
	struct interface *ifp;

	while ((ifp = RB_MIN(if_name_head, &vrf->ifaces_by_name)))
		if_delete(&ifp);
}

/* Receiving. */

static const struct vrrp_af_ops *fake_ops(int family)
{
	return family == AF_INET ? &vrrp_af_ipv4 : &vrrp_af_ipv6;
}

size_t fake_adv_msg_off(const struct fake_adv *a)
{
	return a->family == AF_INET ? 20 : 0;
}

static void fake_ipv4_header(uint8_t *buf, size_t total, const struct vrrp_rx_meta *meta)
{
	uint16_t sum;

	memset(buf, 0, 20);
	buf[0] = 0x45;
	buf[1] = 0xc0;
	buf[2] = total >> 8;
	buf[3] = total & 0xff;
	buf[8] = meta->ttl;
	buf[9] = VRRP_IPPROTO;
	memcpy(buf + 12, meta->src.bytes, 4);
	memcpy(buf + 16, meta->dst.bytes, 4);
	sum = in_cksum(buf, 20);
	memcpy(buf + 10, &sum, 2);
}

size_t fake_adv_build(const struct fake_adv *a, uint8_t *buf, size_t len,
		      struct vrrp_rx_meta *meta)
{
	const struct vrrp_af_ops *ops = fake_ops(a->family);
	struct vrrp_pkt pkt = {
		.af = ops,
		.version = a->version ? a->version : 3,
		.type = VRRP_TYPE_ADVERTISEMENT,
		.vrid = a->vrid,
		.priority = a->prio,
		.adver_int = a->interval,
	};
	size_t off = fake_adv_msg_off(a), n;

	for (; pkt.naddr < array_size(a->addrs) && a->addrs[pkt.naddr]; pkt.naddr++)
		assert_int_equal(inet_pton(a->family, a->addrs[pkt.naddr],
					   pkt.addr.bytes + pkt.naddr * ops->addrlen),
				 1);
	memset(meta, 0, sizeof(*meta));
	assert_int_equal(inet_pton(a->family, a->src, meta->src.bytes), 1);
	meta->dst = ops->group;
	meta->ttl = a->ttl ? a->ttl : VRRP_TTL;
	n = vrrp_pkt_build(&pkt, meta, !a->rfc_cksum, buf + off, len - off);
	assert_true(n > 0);
	if (a->family == AF_INET)
		fake_ipv4_header(buf, off + n, meta);
	return off + n;
}

void fake_adv_fix_cksum(const struct fake_adv *a, uint8_t *buf, size_t len,
			const struct vrrp_rx_meta *meta)
{
	size_t off = fake_adv_msg_off(a);
	uint8_t *msg = buf + off;
	uint16_t sum;

	msg[6] = msg[7] = 0;
	sum = vrrp_pkt_cksum(fake_ops(a->family), msg, len - off, meta, !a->rfc_cksum);
	msg[6] = sum >> 8;
	msg[7] = sum & 0xff;
}

void fake_deliver(struct interface *parent, int family, const uint8_t *buf, size_t len,
		  const struct vrrp_rx_meta *meta)
{
	/* As the socket adapter does: IPv4 arrives with its header, which carries the metadata;
	 * the core gets the message, or the whole datagram with the header's drop reason. */
	struct vrrp_rx_meta m = {};
	const uint8_t *msg = buf;
	size_t mlen = len;
	enum vrrp_drop drop = VRRP_DROP_NONE;

	assert_non_null(fake_rx_fn);
	if (family == AF_INET6)
		m = *meta;
	else
		drop = vrrp_ipv4_strip(buf, len, &m, &msg, &mlen);
	if (drop) {
		msg = buf;
		mlen = len;
	}
	fake_rx_fn(parent, family, msg, mlen, &m, drop);
}

void fake_rx(struct interface *parent, const struct fake_adv *a)
{
	uint8_t buf[VRRP_PKT_MAX_LEN + 20];
	struct vrrp_rx_meta meta;
	size_t len = fake_adv_build(a, buf, sizeof(buf), &meta);

	fake_deliver(parent, a->family, buf, len, &meta);
}

/* Timers and the event loop. */

void fake_fire(struct vrrp_timer *t)
{
	uint64_t now = vrrp_now_us();

	assert_true(t->armed);
	assert_true(t->deadline <= now + 1000000);
	/* Waiting for a known deadline, not for the machine: the outcome never depends on load. */
	while ((now = vrrp_now_us()) < t->deadline)
		usleep(MIN(t->deadline - now, 1000));
	/* The dispatcher takes a timer out of its heap before calling it. */
	vrrp_timer_cancel(t);
	t->fn(t->arg);
}

static bool fake_stop;

static void fake_stop_fn(struct thread *t)
{
	fake_stop = true;
}

void fake_run_events(void)
{
	struct thread *t_stop = NULL;
	struct thread thread;
	int rounds = 0;

	/* Events are made ready before expired timers, so this runs after what is queued now. */
	fake_stop = false;
	thread_add_timer_msec(fake_master, fake_stop_fn, NULL, 0, &t_stop);
	while (!fake_stop && rounds++ < 100 && thread_fetch(fake_master, &thread))
		thread_call(&thread);
	THREAD_OFF(t_stop);
	assert_true(fake_stop);
}

bool fake_run_thread_timer(const char *fn)
{
	struct heap_head *hh = &fake_master->timer.hh;

	for (uint32_t i = 0; i < hh->count; i++) {
		struct thread *t = container_of(hh->array[i], struct thread, timeritem.hi);

		if (t->xref && !strcmp(t->xref->funcname, fn)) {
			t->func(t);
			return true;
		}
	}
	return false;
}

/* Set-up. */

void fake_ip(struct ipaddr *ip, const char *s)
{
	assert_int_equal(str2ipaddr(s, ip), 0);
}

void fake_set_vips(struct vrrp_af *af, const char *const *addrs)
{
	struct ipaddr ips[8];
	unsigned int n = 0;

	for (; addrs[n]; n++) {
		assert_true(n < array_size(ips));
		fake_ip(&ips[n], addrs[n]);
	}
	vrrp_vr_set_addrs(af, ips, n);
}

struct vrrp_vr *fake_vr(struct interface *parent, uint8_t vrid, enum vrrp_afi afi,
			const char *const *addrs)
{
	struct vrrp_vr *vr = vrrp_vr_create(parent, vrid);

	fake_set_vips(&vr->af[afi], addrs);
	return vr;
}

const char *const fake_vips4[] = {"10.10.10.1", "10.10.10.2", NULL};
/* A link-local second, so advertisements show it moved to the front (RFC 9568 5.2.9). */
const char *const fake_vips6[] = {"2001:db8::1", "fe80::1", NULL};

struct vrrp_vr *fake_scene(enum vrrp_afi afi, enum world_mvl state)
{
	struct interface *eth1 = if_lookup_by_name("eth1", VRF_DEFAULT);
	struct vrrp_vr *vr;

	if (!eth1)
		eth1 = world_parent("eth1", PARENT_IFINDEX);
	if (afi == VRRP_AFI_V4)
		world_macvlan("mv4", MV4_IFINDEX, eth1, afi, FAKE_VRID, state);
	else
		world_macvlan("mv6", MV6_IFINDEX, eth1, afi, FAKE_VRID, state);
	vr = vrrp_vr_lookup(eth1, FAKE_VRID);
	if (!vr)
		vr = vrrp_vr_create(eth1, FAKE_VRID);
	fake_set_vips(&vr->af[afi], afi == VRRP_AFI_V4 ? fake_vips4 : fake_vips6);
	return vr;
}

struct vrrp_vr *fake_router(enum vrrp_afi afi, enum world_mvl state)
{
	struct vrrp_vr *vr = fake_scene(afi, state);

	/* 10 ms advertisements: a Backup takes over 30 ms after start. */
	vr->cfg.adver_interval = 1;
	vrrp_vr_reconcile(vr);
	assert_int_equal(vr->af[afi].fsm.state, VRRP_STATE_BACKUP);
	fake_clear();
	return vr;
}

void fake_make_master(struct vrrp_af *af)
{
	assert_int_equal(af->fsm.state, VRRP_STATE_BACKUP);
	fake_fire(&af->t_master_down);
	assert_int_equal(af->fsm.state, VRRP_STATE_MASTER);
}

struct vrrp_af *fake_slow_backup(enum vrrp_afi afi)
{
	struct vrrp_vr *vr = fake_scene(afi, MVL_PROTODOWN);

	vrrp_vr_reconcile(vr);
	assert_int_equal(vr->af[afi].fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(vr->af[afi].fsm.master_adver_interval, 100);
	fake_clear();
	return &vr->af[afi];
}

struct vrrp_af *fake_master_af(enum vrrp_afi afi)
{
	struct vrrp_af *af = &fake_router(afi, MVL_PROTODOWN)->af[afi];

	fake_make_master(af);
	fake_clear();
	return af;
}

static struct vrrp_globals fake_globals_default;

void fake_setup(void)
{
	if (!fake_master) {
		fake_master = thread_master_create("test");
		vrf_init(NULL, NULL, NULL, NULL);
		fake_globals_default = vrrp_globals;
	}
	vrrp_globals = fake_globals_default;
	memset(&fake_rc, 0, sizeof(fake_rc));
	memset(fake_quiet_tab, 0, sizeof(fake_quiet_tab));
	fake_quiet_calls = 0;
	fake_nlinks = 0;
	fake_clear();
	vrrp_init();
	vrrp_io = &fake_io;
	vrrp_engine_init(fake_master);
	assert_int_equal(fake_count(FAKE_SOCK_INIT), 1);
	/* The daemon's first pass of its loop: the look for an earlier run's macvlans. */
	fake_run_events();
	fake_clear();
}

void fake_teardown(void)
{
	vrrp_fini();
	vrrp_engine_fini();
	world_clear();
	fake_clear();
}

int fake_test_setup(void **state)
{
	fake_setup();
	return 0;
}

int fake_test_teardown(void **state)
{
	fake_teardown();
	return 0;
}
