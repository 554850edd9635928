// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The protocol engine: reconciliation of each virtual router with its configuration and with the
 * interfaces zebra reports, the receive path (IP checks, demultiplexing by VRID, codec), and the
 * one executor that runs the state machine and applies its actions (send, announce, timers,
 * protodown, counters, logs). It is the only writer of an instance's protocol state.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/jhash.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/prefix.h"
#include "lib/thread.h"
#include "lib/typesafe.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_io.h"
#include "vrrp_macvlan.h"
#include "vrrp_timer.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_IFSTAT, "VRRP per-interface drop counters");
DEFINE_MTYPE_STATIC(VRRPD, VRRP_MVL_ENT, "VRRP macvlan index entry");

static struct thread_master *vrrp_master;

static void vrrp_reconcile_later(unsigned long msec);

/* A failed macvlan creation is retried no more often than this, so the log stays readable. */
#define VRRP_CREATE_RETRY_US (5ULL * 1000 * 1000)
/* How long a running instance waits for its deleted macvlan to come back before stopping. */
#define VRRP_MVL_LOST_US (2ULL * 1000 * 1000)

/* Leftover macvlans of an earlier run are removed this long after start, once the configuration
 * (which `vtysh -b` may push some seconds after start) has had time to claim them. */
#define VRRP_GC_DELAY_S 10

/* Rate limit for warnings about a misconfigured peer (RFC 9568 7.1: log, rate-limited). */
#define VRRP_WARN_INTERVAL_US (60ULL * 1000 * 1000)

static const char *const vrrp_daemon_drop_names[] = {
	[VRRP_DROP_UNKNOWN_VRID - VRRP_DROP_CODEC_MAX] = "unknownVrid",
	[VRRP_DROP_VERSION_MISMATCH - VRRP_DROP_CODEC_MAX] = "versionMismatch",
	[VRRP_DROP_INTERVAL_MISMATCH - VRRP_DROP_CODEC_MAX] = "intervalMismatch",
};

const char *vrrp_drop_name(unsigned int reason)
{
	if (reason < VRRP_DROP_CODEC_MAX)
		return vrrp_drop_key(reason);
	if (reason < VRRP_DROP_MAX)
		return vrrp_daemon_drop_names[reason - VRRP_DROP_CODEC_MAX];
	return "unknown";
}

const struct vrrp_af_ops *vrrp_af_ops(enum vrrp_afi afi)
{
	return afi == VRRP_AFI_V4 ? &vrrp_af_ipv4 : &vrrp_af_ipv6;
}

static const char *vrrp_afi_name(enum vrrp_afi afi)
{
	return vrrp_af_ops(afi)->name;
}

/* Per (parent ifindex, family) drop counters for packets no virtual router could claim. */
PREDECL_HASH(vrrp_ifstats);
struct vrrp_ifstat {
	struct vrrp_ifstats_item item;
	ifindex_t ifindex;
	enum vrrp_afi afi;
	uint32_t drops[VRRP_DROP_MAX];
};

static int vrrp_ifstat_cmp(const struct vrrp_ifstat *a, const struct vrrp_ifstat *b)
{
	if (a->ifindex != b->ifindex)
		return numcmp(a->ifindex, b->ifindex);
	return numcmp(a->afi, b->afi);
}

static uint32_t vrrp_ifstat_hash(const struct vrrp_ifstat *s)
{
	return (uint32_t)s->ifindex * 2 + s->afi;
}

DECLARE_HASH(vrrp_ifstats, struct vrrp_ifstat, item, vrrp_ifstat_cmp, vrrp_ifstat_hash);
static struct vrrp_ifstats_head vrrp_ifstats;

static struct vrrp_ifstat *vrrp_ifstat_get(ifindex_t ifindex, enum vrrp_afi afi, bool create)
{
	struct vrrp_ifstat key = {.ifindex = ifindex, .afi = afi}, *s;

	s = vrrp_ifstats_find(&vrrp_ifstats, &key);
	if (!s && create) {
		s = XCALLOC(MTYPE_VRRP_IFSTAT, sizeof(*s));
		*s = key;
		vrrp_ifstats_add(&vrrp_ifstats, s);
	}
	return s;
}

const uint32_t *vrrp_if_drops(const struct interface *ifp, enum vrrp_afi afi)
{
	struct vrrp_ifstat *s = vrrp_ifstat_get(ifp->ifindex, afi, false);

	return s ? s->drops : NULL;
}

void vrrp_if_clear_drops(const struct interface *ifp)
{
	struct vrrp_ifstat *s;

	frr_each (vrrp_ifstats, &vrrp_ifstats, s)
		if (!ifp || s->ifindex == ifp->ifindex)
			memset(s->drops, 0, sizeof(s->drops));
}

/* Addresses and interfaces. */

static void vrrp_addr_from_ipaddr(union vrrp_addr *out, const struct ipaddr *ip)
{
	memset(out, 0, sizeof(*out));
	if (IS_IPADDR_V4(ip))
		out->v4 = ip->ipaddr_v4;
	else if (IS_IPADDR_V6(ip))
		out->v6 = ip->ipaddr_v6;
}

/*
 * Which interface carries which virtual MAC on which parent. Rebuilt in one pass over the
 * interfaces when a link event has made it stale and a virtual router needs it: a burst of
 * events (every macvlan created, raised, addressed and protodown-toggled) costs one pass per
 * reconciliation, not one per virtual router per event.
 */
PREDECL_HASH(vrrp_mvls);
struct vrrp_mvl_ent {
	struct vrrp_mvls_item hitem;
	ifindex_t parent;
	struct ethaddr mac;
	struct interface *ifp;
};

static int vrrp_mvl_ent_cmp(const struct vrrp_mvl_ent *a, const struct vrrp_mvl_ent *b)
{
	if (a->parent != b->parent)
		return numcmp(a->parent, b->parent);
	return memcmp(a->mac.octet, b->mac.octet, ETH_ALEN);
}

static uint32_t vrrp_mvl_ent_hash(const struct vrrp_mvl_ent *e)
{
	return jhash(e->mac.octet, ETH_ALEN, e->parent);
}

DECLARE_HASH(vrrp_mvls, struct vrrp_mvl_ent, hitem, vrrp_mvl_ent_cmp, vrrp_mvl_ent_hash);

static struct vrrp_mvls_head vrrp_mvls;
static bool vrrp_mvls_stale = true;

static void vrrp_mvls_clear(void)
{
	struct vrrp_mvl_ent *e;

	while ((e = vrrp_mvls_pop(&vrrp_mvls)))
		XFREE(MTYPE_VRRP_MVL_ENT, e);
}

static void vrrp_mvls_build(void)
{
	struct vrf *vrf;
	struct interface *ifp;

	vrrp_mvls_clear();
	RB_FOREACH (vrf, vrf_id_head, &vrfs_by_id)
		FOR_ALL_INTERFACES (vrf, ifp) {
			struct vrrp_mvl_ent key = {}, *e;
			enum vrrp_afi afi;
			uint8_t vrid;

			if (!vrrp_if_vmac(ifp, &afi, &vrid) || ifp->ifindex == IFINDEX_INTERNAL ||
			    ifp->link_ifindex == IFINDEX_INTERNAL ||
			    ifp->link_ifindex == ifp->ifindex)
				continue;
			key.parent = ifp->link_ifindex;
			memcpy(key.mac.octet, ifp->hw_addr, ETH_ALEN);
			e = vrrp_mvls_find(&vrrp_mvls, &key);
			if (e) {
				/* Several are a misconfiguration; a stable choice
				 * keeps us from flapping. */
				if (strcmp(ifp->name, e->ifp->name) < 0)
					e->ifp = ifp;
				continue;
			}
			e = XCALLOC(MTYPE_VRRP_MVL_ENT, sizeof(*e));
			*e = key;
			e->ifp = ifp;
			vrrp_mvls_add(&vrrp_mvls, e);
		}
	vrrp_mvls_stale = false;
}

/* The child of the parent that carries the virtual MAC (the macvlan), if zebra knows one. */
static struct interface *vrrp_find_macvlan(const struct vrrp_af *af)
{
	struct vrrp_mvl_ent key = {.parent = af->vr->ifp->ifindex, .mac = af->vmac}, *e;

	if (vrrp_mvls_stale)
		vrrp_mvls_build();
	e = vrrp_mvls_find(&vrrp_mvls, &key);
	return e ? e->ifp : NULL;
}

static bool vrrp_af_has_addr(const struct vrrp_af *af, const struct ipaddr *ip)
{
	for (unsigned int i = 0; i < af->naddrs; i++)
		if (!ipaddr_cmp(&af->addrs[i], ip))
			return true;
	return false;
}

/* IPv4: the parent's first primary address (RFC 9568 7.2). IPv6: the macvlan's link-local. */
static bool vrrp_find_source(const struct vrrp_af *af, struct interface *mvl, struct ipaddr *src)
{
	struct connected *c;
	struct listnode *node;

	if (af->afi == VRRP_AFI_V6) {
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
		/* In protodown zebra shows no addresses; ask the kernel. */
		if (!if_is_operative(mvl)) {
			struct ipaddr ip[16];
			int n = vrrp_io->addrs(mvl->ifindex, AF_INET6, ip, array_size(ip));

			for (int i = 0; i < n; i++)
				if (IN6_IS_ADDR_LINKLOCAL(&ip[i].ipaddr_v6) &&
				    !vrrp_af_has_addr(af, &ip[i])) {
					*src = ip[i];
					return true;
				}
		}
		return false;
	}
	for (ALL_LIST_ELEMENTS_RO(af->vr->ifp->connected, node, c)) {
		if (c->address->family != AF_INET || CHECK_FLAG(c->flags, ZEBRA_IFA_SECONDARY))
			continue;
		src->ipa_type = IPADDR_V4;
		src->ipaddr_v4 = c->address->u.prefix4;
		return true;
	}
	return false;
}

/* RFC 9568 5.2.9 wants a link-local first; a router configured with one follows the rule. */
static bool vrrp_af_has_ll(const struct vrrp_af *af)
{
	for (unsigned int i = 0; i < af->naddrs; i++)
		if (IS_IPADDR_V6(&af->addrs[i]) && IN6_IS_ADDR_LINKLOCAL(&af->addrs[i].ipaddr_v6))
			return true;
	return false;
}

/* Sending. */

/*
 * Whether to try sending now. Zebra's view of the macvlan coming out of protodown can lag the
 * kernel by a busy zebra's latency, so the socket layer's own check of the kernel's link state
 * decides: a send to a macvlan that is still down fails with -ENETDOWN and is retried when
 * zebra reports it up, or at the next advertisement.
 */
static bool vrrp_mvl_ready(const struct vrrp_af *af)
{
	return af->mvl_ifp != NULL;
}

static void vrrp_send_advert(struct vrrp_af *af, uint8_t priority)
{
	const struct vrrp_af_ops *ops = vrrp_af_ops(af->afi);
	struct vrrp_vr *vr = af->vr;
	struct vrrp_pkt pkt = {.af = ops, .version = af->fcfg.version, .vrid = vr->vrid};
	struct vrrp_rx_meta meta = {};
	uint8_t buf[VRRP_PKT_MAX_LEN];
	unsigned int n = 0;
	size_t len;
	int rc;

	if (!vrrp_mvl_ready(af)) {
		/* Priority 0 is only worth sending now; a regular advert goes out once it can. */
		if (priority)
			af->advert_pending = true;
		return;
	}
	af->advert_pending = false;

	pkt.type = VRRP_TYPE_ADVERTISEMENT;
	pkt.priority = priority;
	pkt.adver_int = pkt.version == 2 ? vrrp_v2_adver_int_from_cs(af->fcfg.adver_interval)
					 : af->fcfg.adver_interval;
	/* Link-local addresses first (RFC 9568 5.2.9), then the rest in configured order. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned int i = 0; i < af->naddrs && n < VRRP_MAX_ADDRS; i++) {
			const struct ipaddr *ip = &af->addrs[i];
			bool ll = IS_IPADDR_V6(ip) && IN6_IS_ADDR_LINKLOCAL(&ip->ipaddr_v6);

			if (ll != (pass == 0))
				continue;
			memcpy(pkt.addr.bytes + n * ops->addrlen, &ip->ip.addr, ops->addrlen);
			n++;
		}
	pkt.naddr = n;
	vrrp_addr_from_ipaddr(&meta.src, &af->src);

	len = vrrp_pkt_build(&pkt, &meta, vr->cfg.cksum_pseudo, buf, sizeof(buf));
	if (!len) {
		flog_err(EC_VRRP_PACKET, "[VRID %u] [%s] could not build an advertisement",
			 vr->vrid, ops->name);
		return;
	}
	rc = vrrp_io->send(ops->family, af->mvl_ifp, &meta.src, buf, len, !af->link_verified);
	if (rc == -ENETDOWN || rc == -ENXIO) {
		af->link_verified = false;
		if (priority)
			af->advert_pending = true;
		return;
	}
	if (rc == 0) {
		af->link_verified = true;
		af->stats.adver_tx++;
		if (DEBUG_MODE_CHECK(&vrrp_dbg_pkt, DEBUG_MODE_ALL)) {
			char s[96];

			vrrp_pkt_str(&pkt, s, sizeof(s));
			zlog_debug("[VRID %u] [%s] sent %s on %s", vr->vrid, ops->name, s,
				   af->mvl_ifp->name);
		}
	}
}

static void vrrp_announce(struct vrrp_af *af)
{
	if (!vrrp_mvl_ready(af)) {
		af->announce_pending = true;
		return;
	}
	af->announce_pending = false;
	af->addr_gen_announced = af->addr_gen;
	for (unsigned int i = 0; i < af->naddrs; i++) {
		const struct ipaddr *ip = &af->addrs[i];
		int rc;

		if (af->afi == VRRP_AFI_V4)
			rc = vrrp_io->garp(af->mvl_ifp, &af->vmac, ip->ipaddr_v4);
		else
			rc = vrrp_io->una(af->mvl_ifp, &af->vmac, &ip->ipaddr_v6);
		if (rc == 0)
			af->stats.announce_tx++;
		else if (rc == -ENETDOWN || rc == -ENXIO) {
			/* Not out of protodown yet: announce everything once it is. */
			af->announce_pending = true;
			return;
		}
	}
}

/* The executor. */

static void vrrp_adver_timer(void *arg);
static void vrrp_master_down_timer(void *arg);

/*
 * How early an advertisement may leave to share a wake-up with another router's timer: 1 % of
 * the interval, at most 0.5 ms. Deadlines stay absolute, so this costs no drift, and the peers'
 * Master_Down_Interval (three intervals) does not notice.
 */
#define VRRP_ADVER_EARLY_MAX_US 500

static uint32_t vrrp_adver_early_us(const struct vrrp_af *af)
{
	/* The interval is in centiseconds (10,000 us); 1 % of it is 100 us per centisecond. */
	uint32_t us = af->fcfg.adver_interval * 100U;

	return MIN(us, VRRP_ADVER_EARLY_MAX_US);
}

static void vrrp_run_at(struct vrrp_af *af, enum vrrp_event ev, const struct vrrp_fsm_rx *rx,
			uint64_t now)
{
	struct vrrp_vr *vr = af->vr;
	struct vrrp_fsm_out out;
	enum vrrp_state old = af->fsm.state;
	uint32_t a;

	vrrp_fsm_step(&af->fcfg, &af->fsm, ev, rx, now, &out);
	a = out.actions;

	/* A release must leave before the macvlan goes down (RFC 9568 6.4.3). */
	if (a & VRRP_ACT_SEND_ADVERT_PRIO0)
		vrrp_send_advert(af, 0);

	af->fsm = out.next;
	/* Deadlines are absolute (vrrp_timer.c), so nothing drifts. */
	if (a & VRRP_ACT_CANCEL_ADVER)
		vrrp_timer_cancel(&af->t_adver);
	if (a & VRRP_ACT_CANCEL_MASTER_DOWN)
		vrrp_timer_cancel(&af->t_master_down);
	if (a & VRRP_ACT_ARM_ADVER)
		vrrp_timer_arm(&af->t_adver, out.next.adver_deadline, vrrp_adver_early_us(af),
			       vrrp_adver_timer, af);
	if (a & VRRP_ACT_ARM_MASTER_DOWN)
		vrrp_timer_arm(&af->t_master_down, out.next.master_down_deadline, 0,
			       vrrp_master_down_timer, af);
	/* The macvlan's link changes under us: the next send asks the kernel again. */
	if (a & (VRRP_ACT_PROTODOWN_ON | VRRP_ACT_PROTODOWN_OFF))
		af->link_verified = false;
	if (a & VRRP_ACT_PROTODOWN_ON) {
		af->advert_pending = af->announce_pending = false;
		if (af->mvl_ifp) {
			vrrp_io->protodown(af->mvl_ifp, true);
			if (af->afi == VRRP_AFI_V6 && old == VRRP_STATE_MASTER)
				vrrp_io->radv(af->mvl_ifp, false);
		}
	}
	if (a & VRRP_ACT_PROTODOWN_OFF && af->mvl_ifp) {
		vrrp_io->protodown(af->mvl_ifp, false);
		if (af->afi == VRRP_AFI_V6)
			vrrp_io->radv(af->mvl_ifp, true);
	}
	if (a & VRRP_ACT_SEND_ADVERT)
		vrrp_send_advert(af, af->fcfg.priority);
	if (a & VRRP_ACT_ANNOUNCE)
		vrrp_announce(af);

	if (old != af->fsm.state) {
		af->stats.transitions++;
		zlog_info("[VRID %u] [%s] %s on %s: %s -> %s (%s)", vr->vrid,
			  vrrp_afi_name(af->afi), vrrp_event_str(ev), vr->ifp->name,
			  vrrp_state_str(old), vrrp_state_str(af->fsm.state), out.why);
	} else if (a) {
		VRRP_DEBUG(proto, "[VRID %u] [%s] %s in %s: %s", vr->vrid, vrrp_afi_name(af->afi),
			   vrrp_event_str(ev), vrrp_state_str(old), out.why);
	}
}

static void vrrp_run(struct vrrp_af *af, enum vrrp_event ev, const struct vrrp_fsm_rx *rx)
{
	vrrp_run_at(af, ev, rx, vrrp_now_us());
}

static void vrrp_adver_timer(void *arg)
{
	struct vrrp_af *af = arg;
	uint64_t now = vrrp_now_us();

	/* Run early to share a wake-up: step as of the deadline, so the period stays exact. */
	vrrp_run_at(af, VRRP_EV_ADVER_TIMER, NULL, MAX(now, af->t_adver.deadline));
}

static void vrrp_master_down_timer(void *arg)
{
	vrrp_run(arg, VRRP_EV_MASTER_DOWN_TIMER, NULL);
}

/* Receiving. */

static void vrrp_warn(struct vrrp_af *af, const char *fmt, const char *detail)
{
	uint64_t now = vrrp_now_us();

	if (af->warn_time && now - af->warn_time < VRRP_WARN_INTERVAL_US)
		return;
	af->warn_time = now;
	flog_warn(EC_VRRP_PACKET, "[VRID %u] [%s] %s on %s: %s (logged at most once a minute)",
		  af->vr->vrid, vrrp_afi_name(af->afi), fmt, af->vr->ifp->name, detail);
}

static void vrrp_rx_drop(struct interface *parent, enum vrrp_afi afi, struct vrrp_af *af,
			 unsigned int reason, const struct vrrp_rx_meta *meta)
{
	char src[INET6_ADDRSTRLEN] = "?";

	if (af)
		af->drops[reason]++;
	else
		vrrp_ifstat_get(parent->ifindex, afi, true)->drops[reason]++;
	if (DEBUG_MODE_CHECK(&vrrp_dbg_pkt, DEBUG_MODE_ALL)) {
		inet_ntop(vrrp_af_ops(afi)->family, meta->src.bytes, src, sizeof(src));
		zlog_debug("[%s] dropped packet from %s on %s: %s", vrrp_afi_name(afi), src,
			   parent->name, vrrp_drop_name(reason));
	}
}

static void vrrp_rx(struct interface *parent, int family, const uint8_t *buf, size_t len,
		    const struct vrrp_rx_meta *meta_in)
{
	enum vrrp_afi afi = family == AF_INET ? VRRP_AFI_V4 : VRRP_AFI_V6;
	const struct vrrp_af_ops *ops = vrrp_af_ops(afi);
	struct vrrp_rx_meta meta = *meta_in;
	const uint8_t *msg = buf;
	size_t mlen = len;
	struct vrrp_pkt pkt;
	struct vrrp_fsm_rx rx;
	struct vrrp_vr *vr;
	struct vrrp_af *af;
	enum vrrp_drop drop;
	union vrrp_addr own;

	if (afi == VRRP_AFI_V4) {
		drop = vrrp_ipv4_strip(buf, len, &meta, &msg, &mlen);
		if (drop) {
			vrrp_rx_drop(parent, afi, NULL, drop, &meta);
			return;
		}
	}
	/* The VRID byte selects the instance, whose settings the rest of the checks need. */
	if (mlen < VRRP_HDR_LEN) {
		vrrp_rx_drop(parent, afi, NULL, VRRP_DROP_TRUNCATED, &meta);
		return;
	}
	vr = vrrp_vr_lookup(parent, msg[1]);
	af = vr ? &vr->af[afi] : NULL;
	if (!af || !vrrp_af_enabled(af) || !af->naddrs) {
		vrrp_rx_drop(parent, afi, NULL, VRRP_DROP_UNKNOWN_VRID, &meta);
		return;
	}

	drop = vrrp_pkt_parse(ops, msg, mlen, &meta, vr->cfg.cksum_pseudo, &pkt);
	/* FRR 8.4 peers send IPv6 lists as configured; only a router with a link-local VIP,
	 * which puts it first itself, insists on the rule (RFC 9568 5.2.9, erratum 8300). */
	if (drop == VRRP_DROP_V6_FIRST_NOT_LL && !vrrp_af_has_ll(af))
		drop = VRRP_DROP_NONE;
	if (drop) {
		vrrp_rx_drop(parent, afi, af, drop, &meta);
		return;
	}
	if (pkt.version != vr->cfg.version) {
		vrrp_rx_drop(parent, afi, af, VRRP_DROP_VERSION_MISMATCH, &meta);
		vrrp_warn(af, "advertisement of another VRRP version", "dropped");
		return;
	}
	if (af->fsm.state == VRRP_STATE_INITIALIZE)
		return;

	vrrp_addr_from_ipaddr(&own, &af->src);
	/* Our own advertisement, looped back by a bridge: not a peer. */
	if (!memcmp(meta.src.bytes, own.bytes, ops->addrlen))
		return;

	if (pkt.version == 2 &&
	    pkt.adver_int != vrrp_v2_adver_int_from_cs(af->fcfg.adver_interval)) {
		/* RFC 3768 7.1: MUST discard on an interval mismatch. */
		vrrp_rx_drop(parent, afi, af, VRRP_DROP_INTERVAL_MISMATCH, &meta);
		vrrp_warn(af, "VRRPv2 advertisement interval differs from ours", "dropped");
		return;
	}
	if (pkt.version == 3 && pkt.priority && pkt.adver_int != af->fcfg.adver_interval &&
	    af->fsm.state == VRRP_STATE_MASTER)
		/* RFC 9568 7.1: SHOULD log a mismatch, but not drop. */
		vrrp_warn(af, "advertisement interval differs from ours", "accepted");

	af->stats.adver_rx++;
	if (DEBUG_MODE_CHECK(&vrrp_dbg_pkt, DEBUG_MODE_ALL)) {
		char s[96], src[INET6_ADDRSTRLEN];

		vrrp_pkt_str(&pkt, s, sizeof(s));
		inet_ntop(ops->family, meta.src.bytes, src, sizeof(src));
		zlog_debug("[VRID %u] [%s] received %s from %s on %s", vr->vrid, ops->name, s, src,
			   parent->name);
	}

	rx.priority = pkt.priority;
	rx.adver_interval = vrrp_pkt_adver_int_cs(&pkt);
	rx.addr_cmp = memcmp(meta.src.bytes, own.bytes, ops->addrlen);
	vrrp_run(af, VRRP_EV_RX_ADVERT, &rx);
}

/* Macvlan interfaces: adopt what exists, create what is missing, remove what we made. */

static void vrrp_mvl_name(const struct vrrp_af *af, char *buf, size_t len)
{
	snprintf(buf, len, "vrrp%c-%d-%u", af->afi == VRRP_AFI_V4 ? '4' : '6',
		 af->vr->ifp->ifindex, af->vr->vrid);
}

/* Decide once per macvlan whether we made it: our marker in its ifalias survives restarts. */
static void vrrp_mvl_check_owner(struct vrrp_af *af, struct interface *mvl)
{
	char alias[VRRP_MACVLAN_ALIAS_MAX], parent[IFNAMSIZ];
	uint8_t vrid;
	bool v6;

	if (af->seen_ifindex == mvl->ifindex)
		return;
	af->seen_ifindex = mvl->ifindex;
	if (af->afi == VRRP_AFI_V6)
		vrrp_io->mvl_keep_addrs(mvl->name);
	else
		vrrp_io->parent_arp(af->vr->ifp->name);
	if (vrrp_io->get_alias(mvl->ifindex, alias, sizeof(alias)) == 0 &&
	    vrrp_macvlan_alias_parse(alias, parent, sizeof(parent), &vrid, &v6) &&
	    vrid == af->vr->vrid && v6 == (af->afi == VRRP_AFI_V6))
		af->own_ifindex = mvl->ifindex;
	else if (af->own_ifindex == mvl->ifindex)
		af->own_ifindex = IFINDEX_INTERNAL;
	VRRP_DEBUG(zebra, "[VRID %u] [%s] using %s macvlan %s", af->vr->vrid,
		   vrrp_afi_name(af->afi), af->own_ifindex == mvl->ifindex ? "our" : "an existing",
		   mvl->name);
}

/* Create the macvlan; zebra reports it shortly and the next reconcile binds it. */
static const char *vrrp_mvl_create(struct vrrp_af *af, char *buf, size_t len)
{
	struct vrrp_vr *vr = af->vr;
	char name[IFNAMSIZ + 8], alias[VRRP_MACVLAN_ALIAS_MAX];
	uint64_t now = vrrp_now_us();
	int rc;

	vrrp_mvl_name(af, name, sizeof(name));
	if (af->create_time && now - af->create_time < VRRP_CREATE_RETRY_US) {
		snprintf(buf, len, "waiting for macvlan %s", name);
		return buf;
	}
	af->create_time = now;
	vrrp_macvlan_alias_make(alias, sizeof(alias), vr->ifp->name, vr->vrid,
				af->afi == VRRP_AFI_V6);
	rc = vrrp_io->mvl_create(name, vr->ifp->ifindex, &af->vmac, af->afi == VRRP_AFI_V6, alias);
	if (rc < 0) {
		snprintf(buf, len, "cannot create macvlan %s: %s", name, safe_strerror(-rc));
		return buf;
	}
	af->own_ifindex = rc;
	zlog_info("[VRID %u] [%s] created macvlan %s on %s", vr->vrid, vrrp_afi_name(af->afi),
		  name, vr->ifp->name);
	snprintf(buf, len, "waiting for macvlan %s", name);
	return buf;
}

/* The prefix a virtual address gets: the parent's subnet that holds it, else a host route. */
static void vrrp_vip_prefix(const struct vrrp_af *af, const struct ipaddr *vip, struct prefix *p)
{
	struct connected *c;
	struct listnode *node;

	memset(p, 0, sizeof(*p));
	if (IS_IPADDR_V4(vip)) {
		p->family = AF_INET;
		p->prefixlen = IPV4_MAX_BITLEN;
		p->u.prefix4 = vip->ipaddr_v4;
	} else {
		p->family = AF_INET6;
		p->prefixlen = IN6_IS_ADDR_LINKLOCAL(&vip->ipaddr_v6) ? 64 : IPV6_MAX_BITLEN;
		p->u.prefix6 = vip->ipaddr_v6;
	}
	for (ALL_LIST_ELEMENTS_RO(af->vr->ifp->connected, node, c))
		if (c->address->family == p->family && c->address->prefixlen < p->prefixlen &&
		    prefix_match(c->address, p)) {
			p->prefixlen = c->address->prefixlen;
			break;
		}
}

/* The macvlan's entry for the address of p, whatever its prefix length, or NULL. */
static struct connected *vrrp_mvl_addr(const struct interface *mvl, const struct prefix *p)
{
	struct connected *c;
	struct listnode *node;

	for (ALL_LIST_ELEMENTS_RO(mvl->connected, node, c))
		if (c->address->family == p->family &&
		    !memcmp(&c->address->u.prefix, &p->u.prefix, p->family == AF_INET ? 4 : 16))
			return c;
	return NULL;
}

static bool vrrp_prefix_in(const struct prefix *list, unsigned int n, const struct prefix *p)
{
	for (unsigned int i = 0; i < n; i++)
		if (prefix_same(&list[i], p))
			return true;
	return false;
}

/*
 * Put every virtual address on the macvlan, with the parent's prefix length. On a macvlan we
 * made, also remove addresses that are no longer wanted; one made by someone else keeps whatever
 * else it carries. What was added is remembered, because zebra reports no addresses of an
 * interface in protodown.
 */
static void vrrp_mvl_sync_addrs(struct vrrp_af *af, struct interface *mvl)
{
	bool own = af->own_ifindex == mvl->ifindex;
	bool visible = if_is_operative(mvl);
	struct prefix *want = NULL;

	if (af->mvl_addrs_ifindex != mvl->ifindex) {
		af->n_mvl_addrs = 0;
		af->mvl_addrs_ifindex = mvl->ifindex;
	}
	if (af->naddrs)
		want = XCALLOC(MTYPE_VRRP_ADDRS, af->naddrs * sizeof(*want));
	for (unsigned int i = 0; i < af->naddrs; i++)
		vrrp_vip_prefix(af, &af->addrs[i], &want[i]);

	for (unsigned int i = 0; own && i < af->n_mvl_addrs; i++)
		if (!vrrp_prefix_in(want, af->naddrs, &af->mvl_addrs[i]))
			vrrp_io->addr_del(mvl->ifindex, &af->mvl_addrs[i]);
	for (unsigned int i = 0; i < af->naddrs; i++)
		/* A visible macvlan missing an address lost it to someone else: put it back. */
		if (!vrrp_prefix_in(af->mvl_addrs, af->n_mvl_addrs, &want[i]) ||
		    (visible && !vrrp_mvl_addr(mvl, &want[i])))
			vrrp_io->addr_add(mvl->ifindex, &want[i]);

	XFREE(MTYPE_VRRP_ADDRS, af->mvl_addrs);
	af->mvl_addrs = want;
	af->n_mvl_addrs = af->naddrs;
}

/* Remove the macvlan we made for this family, if any. */
static void vrrp_mvl_release(struct vrrp_af *af)
{
	if (af->own_ifindex == IFINDEX_INTERNAL)
		return;
	zlog_info("[VRID %u] [%s] removing macvlan (ifindex %d) made for %s", af->vr->vrid,
		  vrrp_afi_name(af->afi), af->own_ifindex, af->vr->ifp->name);
	vrrp_io->mvl_delete(af->own_ifindex);
	XFREE(MTYPE_VRRP_ADDRS, af->mvl_addrs);
	af->n_mvl_addrs = 0;
	af->own_ifindex = IFINDEX_INTERNAL;
	af->seen_ifindex = IFINDEX_INTERNAL;
	af->mvl_ifp = NULL;
}

/* Whether a family wants a macvlan at all (addresses configured, family usable). */
static bool vrrp_af_wants_mvl(const struct vrrp_af *af)
{
	return vrrp_af_enabled(af) && af->naddrs;
}

static void vrrp_gc_one(ifindex_t ifindex, const char *name, ifindex_t parent, const char *alias,
			void *arg)
{
	struct interface *pifp = if_lookup_by_index(parent, VRF_DEFAULT);
	char pname[IFNAMSIZ];
	uint8_t vrid;
	bool v6;
	struct vrrp_vr *vr;

	if (!vrrp_macvlan_alias_parse(alias, pname, sizeof(pname), &vrid, &v6))
		return;
	vr = pifp ? vrrp_vr_lookup(pifp, vrid) : NULL;
	if (vr && vrrp_af_wants_mvl(&vr->af[v6 ? VRRP_AFI_V6 : VRRP_AFI_V4]))
		return;
	zlog_info("removing macvlan %s left by an earlier run (%s)", name, alias);
	vrrp_io->mvl_delete(ifindex);
}

static void vrrp_gc_timer(struct thread *t)
{
	vrrp_io->walk_owned(VRRP_MACVLAN_ALIAS_PREFIX, vrrp_gc_one, NULL);
}

/* Reconciliation. */

static void vrrp_rx_release(struct vrrp_af *af)
{
	if (af->rx_ifindex == IFINDEX_INTERNAL)
		return;
	vrrp_io->rx_unref(af->vr->ifp, vrrp_af_ops(af->afi)->family);
	af->rx_ifindex = IFINDEX_INTERNAL;
}

static bool vrrp_rx_hold(struct vrrp_af *af)
{
	struct interface *parent = af->vr->ifp;

	if (af->rx_ifindex == parent->ifindex)
		return true;
	vrrp_rx_release(af);
	if (vrrp_io->rx_ref(parent, vrrp_af_ops(af->afi)->family) < 0)
		return false;
	af->rx_ifindex = parent->ifindex;
	return true;
}

/*
 * Why a family cannot run now, or NULL. Finds (or creates) the macvlan and the source address
 * into *mvl and *src without touching the running instance's binding, which a stop still needs
 * for its priority-0 advertisement.
 */
static const char *vrrp_af_check(struct vrrp_af *af, struct interface **mvl, struct ipaddr *src,
				 bool *transient, char *buf, size_t len)
{
	struct vrrp_vr *vr = af->vr;
	struct interface *ifp = vr->ifp;
	char mac[ETHER_ADDR_STRLEN];

	*mvl = NULL;
	*transient = false;
	src->ipa_type = IPADDR_NONE;
	if (!vrrp_af_enabled(af))
		return "VRRPv2 has no IPv6";
	if (vrrp_vr_shutdown(vr))
		return "administratively shut down";
	if (!af->naddrs)
		return "no virtual addresses configured";
	if (ifp->ifindex == IFINDEX_INTERNAL) {
		snprintf(buf, len, "interface %s does not exist", ifp->name);
		return buf;
	}
	if (!if_is_operative(ifp)) {
		snprintf(buf, len, "interface %s is down", ifp->name);
		return buf;
	}
	*mvl = vrrp_find_macvlan(af);
	if (!*mvl) {
		if (vrrp_vr_macvlan_create(vr)) {
			/* A macvlan we create is back in milliseconds. */
			*transient = true;
			return vrrp_mvl_create(af, buf, len);
		}
		snprintf(buf, len, "no macvlan with MAC %s on %s",
			 prefix_mac2str(&af->vmac, mac, sizeof(mac)), ifp->name);
		return buf;
	}
	af->create_time = 0;
	vrrp_mvl_check_owner(af, *mvl);
	if (!if_is_up(*mvl)) {
		/* Ours to manage; someone else's is left as its owner set it. Up again, or deleted
		 * and about to be recreated: either way back in milliseconds. */
		if (af->own_ifindex == (*mvl)->ifindex) {
			int rc = vrrp_io->mvl_set_up((*mvl)->ifindex);

			*transient = rc == 0 || rc == -ENODEV;
		}
		snprintf(buf, len, "macvlan %s is administratively down", (*mvl)->name);
		return buf;
	}
	if (vrrp_vr_macvlan_create(vr) || af->own_ifindex == (*mvl)->ifindex)
		vrrp_mvl_sync_addrs(af, *mvl);
	/* A running IPv6 instance keeps its source while DAD briefly hides the link-local. */
	if (af->afi == VRRP_AFI_V6 && af->fsm.state != VRRP_STATE_INITIALIZE &&
	    af->mvl_ifp == *mvl && !IS_IPADDR_NONE(&af->src)) {
		*src = af->src;
		return NULL;
	}
	if (!vrrp_find_source(af, *mvl, src)) {
		if (af->afi == VRRP_AFI_V4)
			snprintf(buf, len, "no IPv4 address on %s", ifp->name);
		else
			snprintf(buf, len, "no link-local address on %s", (*mvl)->name);
		return buf;
	}
	return NULL;
}

static void vrrp_af_stop(struct vrrp_af *af)
{
	if (af->fsm.state != VRRP_STATE_INITIALIZE)
		vrrp_run(af, VRRP_EV_SHUTDOWN, NULL);
	vrrp_timer_cancel(&af->t_adver);
	vrrp_timer_cancel(&af->t_master_down);
	af->advert_pending = af->announce_pending = false;
	vrrp_rx_release(af);
}

/* A recreated macvlan replaces the lost one under a running instance. */
static void vrrp_mvl_rebind(struct vrrp_af *af, struct interface *mvl, const struct ipaddr *src)
{
	af->mvl_lost = false;
	af->mvl_ifp = mvl;
	af->src = *src;
	af->why_down[0] = '\0';
	zlog_info("[VRID %u] [%s] continuing as %s on recreated macvlan %s", af->vr->vrid,
		  vrrp_afi_name(af->afi), vrrp_state_str(af->fsm.state), mvl->name);
	/* A new interface starts without protodown: set it for what the state needs. */
	if (af->fsm.state == VRRP_STATE_MASTER) {
		vrrp_io->protodown(mvl, false);
		if (af->afi == VRRP_AFI_V6)
			vrrp_io->radv(mvl, true);
		vrrp_send_advert(af, af->fcfg.priority);
		vrrp_announce(af);
	} else {
		vrrp_io->protodown(mvl, true);
	}
}

static void vrrp_af_reconcile(struct vrrp_af *af)
{
	struct vrrp_vr *vr = af->vr;
	struct vrrp_fsm_config fc = {
		.version = vr->cfg.version,
		.priority = vrrp_vr_priority(vr),
		.preempt = vrrp_vr_preempt(vr),
		.adver_interval = vrrp_vr_adver_interval(vr),
	};
	char buf[sizeof(af->why_down)];
	struct interface *mvl;
	struct ipaddr src;
	bool transient;
	const char *why;

	/* VRRPv2 carries whole seconds (RFC 3768 5.3.7); run with what goes on the wire. */
	if (fc.version == 2)
		fc.adver_interval = vrrp_v2_adver_int_from_cs(fc.adver_interval) * 100;

	/* Something about the interfaces changed, or may have: check the link at the next send. */
	af->link_verified = false;
	why = vrrp_af_check(af, &mvl, &src, &transient, buf, sizeof(buf));
	/*
	 * Our macvlan went down or away under a running instance and is being restored: keep the
	 * state (sends wait for the macvlan) for a short while instead of a full re-election.
	 */
	if (why && transient && af->fsm.state != VRRP_STATE_INITIALIZE) {
		uint64_t now = vrrp_now_us();

		if (!af->mvl_lost) {
			af->mvl_lost = true;
			af->mvl_lost_time = now;
			vrrp_reconcile_later(VRRP_MVL_LOST_US / 1000 + 100);
		}
		if (now - af->mvl_lost_time < VRRP_MVL_LOST_US) {
			strlcpy(af->why_down, why, sizeof(af->why_down));
			return;
		}
	}
	if (!why && af->mvl_lost && af->fsm.state != VRRP_STATE_INITIALIZE) {
		vrrp_mvl_rebind(af, mvl, &src);
		return;
	}
	af->mvl_lost = false;
	/* Stop on the old binding: the release must leave from the old macvlan and source. */
	if (af->fsm.state != VRRP_STATE_INITIALIZE &&
	    (why || mvl != af->mvl_ifp || ipaddr_cmp(&src, &af->src)))
		vrrp_af_stop(af);
	af->mvl_ifp = mvl;
	af->src = src;
	if (why && !vrrp_af_wants_mvl(af))
		vrrp_mvl_release(af);
	if (why) {
		af->fcfg = fc;
		vrrp_fsm_init(&af->fcfg, &af->fsm);
		if (strcmp(af->why_down, why)) {
			strlcpy(af->why_down, why, sizeof(af->why_down));
			/* Only a family the operator gave addresses to is expected to run. */
			if (vrrp_af_enabled(af) && af->naddrs)
				zlog_info("[VRID %u] [%s] not running on %s: %s", vr->vrid,
					  vrrp_afi_name(af->afi), vr->ifp->name, why);
		}
		return;
	}
	if (af->why_down[0]) {
		af->why_down[0] = '\0';
		VRRP_DEBUG(proto, "[VRID %u] [%s] ready on %s via %s", vr->vrid,
			   vrrp_afi_name(af->afi), vr->ifp->name, af->mvl_ifp->name);
	}
	if (!vrrp_rx_hold(af)) {
		snprintf(af->why_down, sizeof(af->why_down), "cannot open a VRRP socket on %s",
			 vr->ifp->name);
		return;
	}

	if (af->fsm.state == VRRP_STATE_INITIALIZE) {
		af->fcfg = fc;
		vrrp_run(af, VRRP_EV_STARTUP, NULL);
	} else if (fc.version != af->fcfg.version) {
		vrrp_run(af, VRRP_EV_SHUTDOWN, NULL);
		af->fcfg = fc;
		vrrp_run(af, VRRP_EV_STARTUP, NULL);
	} else if (fc.priority != af->fcfg.priority || fc.preempt != af->fcfg.preempt ||
		   fc.adver_interval != af->fcfg.adver_interval) {
		af->fcfg = fc;
		vrrp_run(af, VRRP_EV_CONFIG_CHANGE, NULL);
	}

	/*
	 * A Backup's macvlan stays down. The kernel hands a macvlan its parent's carrier on every
	 * parent state change (a link flap, an ARP flag toggle), protodown or not, and zebra,
	 * which holds protodown on already, sees nothing to do; then the Backup would answer for
	 * the virtual addresses with the virtual MAC. Restore it directly.
	 */
	if (af->fsm.state == VRRP_STATE_BACKUP && if_is_operative(af->mvl_ifp) &&
	    vrrp_io->mvl_hold_down(af->mvl_ifp->ifindex) > 0)
		vrrp_warn(af, "macvlan was up in Backup",
			  "the kernel gave it its parent's carrier in protodown; set again");
	if (af->fsm.state != VRRP_STATE_MASTER)
		return;
	/* Work that waited for the macvlan to come out of protodown, or new addresses. */
	if (af->advert_pending)
		vrrp_send_advert(af, af->fcfg.priority);
	if (af->announce_pending || af->addr_gen_announced != af->addr_gen)
		vrrp_announce(af);
}

void vrrp_vr_reconcile(struct vrrp_vr *vr)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++)
		vrrp_af_reconcile(&vr->af[i]);
}

/* Virtual routers an interface event asked to reconcile, in the order of the events. */
DECLARE_DLIST(vrrp_dirty, struct vrrp_vr, ditem);
static struct vrrp_dirty_head vrrp_dirty;
static bool vrrp_dirty_all;
static struct thread *vrrp_t_reconcile;

static void vrrp_undirty(struct vrrp_vr *vr)
{
	if (!vr->dirty)
		return;
	vrrp_dirty_del(&vrrp_dirty, vr);
	vr->dirty = false;
}

static void vrrp_reconcile_one(struct vrrp_vr *vr, void *arg)
{
	vrrp_undirty(vr);
	vrrp_vr_reconcile(vr);
}

void vrrp_reconcile_all(void)
{
	vrrp_dirty_all = false;
	vrrp_autoconfig();
	vrrp_vr_foreach(vrrp_reconcile_one, NULL);
}

static void vrrp_reconcile_event(struct thread *t)
{
	struct vrrp_vr *vr;

	/* Autoconfiguration may create or remove routers for any interface event. */
	if (vrrp_dirty_all || vrrp_globals.autoconfigure) {
		vrrp_reconcile_all();
		return;
	}
	while ((vr = vrrp_dirty_pop(&vrrp_dirty))) {
		vr->dirty = false;
		vrrp_vr_reconcile(vr);
	}
}

static void vrrp_reconcile_schedule(void)
{
	thread_add_event(vrrp_master, vrrp_reconcile_event, NULL, 0, &vrrp_t_reconcile);
}

void vrrp_reconcile_soon(void)
{
	vrrp_dirty_all = true;
	vrrp_reconcile_schedule();
}

static void vrrp_mark(struct vrrp_vr *vr)
{
	if (!vr || vr->dirty)
		return;
	vr->dirty = true;
	vrrp_dirty_add_tail(&vrrp_dirty, vr);
}

static void vrrp_mark_related(struct vrrp_vr *vr, void *arg)
{
	struct interface *ifp = arg;

	if (vr->ifp == ifp || vr->af[VRRP_AFI_V4].mvl_ifp == ifp ||
	    vr->af[VRRP_AFI_V6].mvl_ifp == ifp)
		vrrp_mark(vr);
}

void vrrp_if_changed(struct interface *ifp, bool link)
{
	enum vrrp_afi afi;
	uint8_t vrid;

	if (link)
		vrrp_mvls_stale = true;
	vrrp_vr_foreach(vrrp_mark_related, ifp);
	if (vrrp_if_vmac(ifp, &afi, &vrid) && ifp->link_ifindex != IFINDEX_INTERNAL) {
		struct interface *parent = if_lookup_by_index(ifp->link_ifindex, ifp->vrf->vrf_id);

		if (parent)
			vrrp_mark(vrrp_vr_lookup(parent, vrid));
	}
	vrrp_reconcile_schedule();
}

static struct thread *vrrp_t_reconcile_later;

static void vrrp_reconcile_later_event(struct thread *t)
{
	vrrp_reconcile_all();
}

static void vrrp_reconcile_later(unsigned long msec)
{
	THREAD_OFF(vrrp_t_reconcile_later);
	thread_add_timer_msec(vrrp_master, vrrp_reconcile_later_event, NULL, msec,
			      &vrrp_t_reconcile_later);
}

void vrrp_vr_stop(struct vrrp_vr *vr)
{
	vrrp_undirty(vr);
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		vrrp_af_stop(&vr->af[i]);
		vrrp_mvl_release(&vr->af[i]);
	}
}

static void vrrp_if_gone_one(struct vrrp_vr *vr, void *arg)
{
	struct interface *ifp = arg;

	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		struct vrrp_af *af = &vr->af[i];

		if (af->mvl_ifp != ifp && vr->ifp != ifp)
			continue;
		/* The macvlan is gone, so there is nothing to protodown or remove. */
		if (af->mvl_ifp == ifp)
			af->mvl_ifp = NULL;
		if (af->own_ifindex == ifp->ifindex || vr->ifp == ifp)
			af->own_ifindex = IFINDEX_INTERNAL;
		if (af->seen_ifindex == ifp->ifindex)
			af->seen_ifindex = IFINDEX_INTERNAL;
		/* A macvlan we can recreate at once does not stop the protocol. */
		if (vr->ifp != ifp && vrrp_vr_macvlan_create(vr) &&
		    af->fsm.state != VRRP_STATE_INITIALIZE) {
			zlog_warn("[VRID %u] [%s] macvlan %s was deleted; recreating it", vr->vrid,
				  vrrp_afi_name(af->afi), ifp->name);
			continue;
		}
		vrrp_af_stop(af);
	}
}

void vrrp_engine_if_gone(struct interface *ifp)
{
	vrrp_vr_foreach(vrrp_if_gone_one, ifp);
}

static void vrrp_resync_one(struct vrrp_vr *vr, void *arg)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		struct vrrp_af *af = &vr->af[i];
		bool master = af->fsm.state == VRRP_STATE_MASTER;

		if (!af->mvl_ifp || af->fsm.state == VRRP_STATE_INITIALIZE)
			continue;
		vrrp_io->protodown(af->mvl_ifp, !master);
		if (af->afi == VRRP_AFI_V6 && master)
			vrrp_io->radv(af->mvl_ifp, true);
	}
}

void vrrp_engine_zebra_connected(void)
{
	/*
	 * A restarted zebra knows nothing of our protodown and RA requests, and requests made
	 * while it was away were lost: state them again for every running instance.
	 */
	vrrp_vr_foreach(vrrp_resync_one, NULL);
	vrrp_reconcile_soon();
}

void vrrp_vr_clear_counters(struct vrrp_vr *vr)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		memset(&vr->af[i].stats, 0, sizeof(vr->af[i].stats));
		memset(vr->af[i].drops, 0, sizeof(vr->af[i].drops));
	}
}

static struct thread *vrrp_t_gc;

void vrrp_engine_init(struct thread_master *master)
{
	vrrp_master = master;
	vrrp_timer_init(master);
	vrrp_ifstats_init(&vrrp_ifstats);
	vrrp_mvls_init(&vrrp_mvls);
	vrrp_dirty_init(&vrrp_dirty);
	vrrp_io->sock_init(master, vrrp_rx);
	thread_add_timer(master, vrrp_gc_timer, NULL, VRRP_GC_DELAY_S, &vrrp_t_gc);
}

void vrrp_engine_fini(void)
{
	struct vrrp_ifstat *s;

	while ((s = vrrp_ifstats_pop(&vrrp_ifstats)))
		XFREE(MTYPE_VRRP_IFSTAT, s);
	vrrp_ifstats_fini(&vrrp_ifstats);
	vrrp_mvls_clear();
	vrrp_mvls_fini(&vrrp_mvls);
	vrrp_dirty_fini(&vrrp_dirty);
	THREAD_OFF(vrrp_t_gc);
	THREAD_OFF(vrrp_t_reconcile);
	THREAD_OFF(vrrp_t_reconcile_later);
	vrrp_io->fini();
	vrrp_timer_fini();
}
