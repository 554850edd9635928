// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The executor (see vrrp_exec.h). It owns the send path (advertisements, announcements, their
 * counters and errors), the protocol timers' callbacks, the receive path after classification
 * (counters, rate-limited warnings, the state-machine step), the per-interface drop counters
 * and the state-change hook.
 */
#include <zebra.h>

#include "lib/hook.h"
#include "lib/if.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/typesafe.h"

#include "vrrp.h"
#include "vrrp_af.h"
#include "vrrp_debug.h"
#include "vrrp_engine.h"
#include "vrrp_errors.h"
#include "vrrp_exec.h"
#include "vrrp_history.h"
#include "vrrp_sync.h"
#include "vrrp_guardian.h"
#include "vrrp_garp.h"
#include "vrrp_io.h"
#include "vrrp_timer.h"
#include "vrrp_unicast.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_IFSTAT, "VRRP per-interface drop counters");
DEFINE_HOOK(vrrp_state_change, (const struct vrrp_af *af, const struct vrrp_state_event *e),
	    (af, e));
DEFINE_HOOK(vrrp_rx_dropped,
	    (const struct interface *parent, enum vrrp_afi afi, const struct vrrp_af *af,
	     enum vrrp_drop reason),
	    (parent, afi, af, reason));

/* Rate limit for warnings about a misconfigured peer (RFC 9568 7.1: log, rate-limited). */
#define VRRP_WARN_INTERVAL_US (60ULL * 1000 * 1000)

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

void vrrp_vr_clear_counters(struct vrrp_vr *vr)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		struct vrrp_af *af = &vr->af[i];

		memset(&af->stats, 0, sizeof(af->stats));
		memset(af->drops, 0, sizeof(af->drops));
		memset(af->actions, 0, sizeof(af->actions));
		memset(af->tx_errors, 0, sizeof(af->tx_errors));
		vrrp_unicast_clear(af);
	}
}

static void vrrp_warn(struct vrrp_af *af, const char *what, const char *detail)
{
	uint64_t now = vrrp_now_us();

	if (af->warn_time && now - af->warn_time < VRRP_WARN_INTERVAL_US)
		return;
	af->warn_time = now;
	flog_warn(EC_VRRP_PACKET, "%s: %s: %s (logged at most once a minute)", vrrp_af_tag(af),
		  what, detail);
}

/* Sending. */

/* Count a failed send; true when it failed because the macvlan cannot transmit yet. */
static bool vrrp_tx_failed(struct vrrp_af *af, int rc)
{
	enum vrrp_tx_error e;

	switch (-rc) {
	case ENETDOWN:
	case ENXIO:
		e = VRRP_TXERR_LINK_DOWN;
		break;
	case ENOBUFS:
	case EAGAIN:
	case ENOMEM:
		e = VRRP_TXERR_NO_BUFFER;
		break;
	default:
		e = VRRP_TXERR_OTHER;
	}
	af->tx_errors[e]++;
	return e == VRRP_TXERR_LINK_DOWN;
}

/* Follow the configured addresses, except to none: a release still names the last ones. */
static void vrrp_tx_addrs_update(struct vrrp_af *af)
{
	if (!af->naddrs || (af->tx_addrs && af->tx_addr_gen == af->addr_gen))
		return;
	XFREE(MTYPE_VRRP_ADDRS, af->tx_addrs);
	af->tx_addrs = XCALLOC(MTYPE_VRRP_ADDRS, af->naddrs * sizeof(*af->tx_addrs));
	memcpy(af->tx_addrs, af->addrs, af->naddrs * sizeof(*af->tx_addrs));
	af->n_tx_addrs = af->naddrs;
	af->tx_addr_gen = af->addr_gen;
}

bool vrrp_exec_tx_cksum_pseudo(const struct vrrp_af *af)
{
	return af->vr->cfg.cksum_auto ? af->tx_cksum_pseudo : af->vr->cfg.cksum_pseudo;
}

/* The message: link-local addresses first (RFC 9568 5.2.9), the rest in configured order. */
/* dst is a unicast peer, or NULL for the group; the checksum covers the one it goes to. */
static size_t vrrp_advert_build(struct vrrp_af *af, uint8_t priority, const struct ipaddr *dst,
				struct vrrp_rx_meta *meta, uint8_t *buf, size_t buflen)
{
	const struct vrrp_af_ops *ops = af->fam->codec;
	struct vrrp_pkt pkt = {.af = ops, .version = af->fcfg.version, .vrid = af->vr->vrid};
	unsigned int n = 0;

	pkt.type = VRRP_TYPE_ADVERTISEMENT;
	pkt.priority = priority;
	pkt.adver_int = pkt.version == 2 ? vrrp_v2_adver_int_from_cs(af->fcfg.adver_interval)
					 : af->fcfg.adver_interval;
	vrrp_tx_addrs_update(af);
	for (int pass = 0; pass < 2; pass++)
		for (unsigned int i = 0; i < af->n_tx_addrs && n < VRRP_MAX_ADDRS; i++) {
			const struct ipaddr *ip = &af->tx_addrs[i];

			if (af->fam->addr_first(ip) != (pass == 0))
				continue;
			memcpy(pkt.addr.bytes + n * ops->addrlen, &ip->ip.addr, ops->addrlen);
			n++;
		}
	pkt.naddr = n;
	memset(meta, 0, sizeof(*meta));
	memcpy(meta->src.bytes, &af->src.ip.addr, ops->addrlen);
	if (dst)
		memcpy(meta->dst.bytes, &dst->ip.addr, ops->addrlen);
	if (DEBUG_MODE_CHECK(&vrrp_dbg_pkt, DEBUG_MODE_ALL)) {
		char s[96];

		vrrp_pkt_str(&pkt, s, sizeof(s));
		if (dst)
			zlog_debug("%s: sending %s from %pIA to %pIA", vrrp_af_tag(af), s,
				   &af->src, dst);
		else
			zlog_debug("%s: sending %s from %pIA", vrrp_af_tag(af), s, &af->src);
	}
	return vrrp_pkt_build(&pkt, meta, vrrp_exec_tx_cksum_pseudo(af), buf, buflen);
}

/*
 * Tell the guardian how long this advertisement keeps the Backups waiting, so a daemon killed
 * now leaves no Master behind once they take over; priority 0 or any other state holds nothing.
 */
static void vrrp_guard_advert(struct vrrp_af *af, uint8_t priority)
{
	if (!priority || af->fsm.state != VRRP_STATE_MASTER) {
		vrrp_guardian_release(af->guard_slot);
		return;
	}
	if (af->guard_slot < 0)
		af->guard_slot = vrrp_guardian_slot_get();
	vrrp_guardian_hold(af->guard_slot, af->mvl_ifp->ifindex,
			   vrrp_guardian_hold_until(vrrp_now_us(), af->fcfg.adver_interval));
}

/*
 * One advertisement to a unicast peer dst, or to the group (dst NULL). Multicast leaves as
 * the macvlan's, so its source MAC is the virtual MAC (the adapter may put it on the parent
 * directly); unicast leaves from the parent, whose addresses the peers name and reach
 * (keepalived's vmac_xmit_base). 0, 1 (sent, link not confirmed) or -errno.
 */
static int vrrp_send_one(struct vrrp_af *af, uint8_t priority, const struct ipaddr *dst)
{
	struct interface *out = dst ? af->vr->ifp : af->mvl_ifp;
	struct vrrp_rx_meta meta;
	uint8_t buf[VRRP_PKT_MAX_LEN];
	size_t len;

	len = vrrp_advert_build(af, priority, dst, &meta, buf, sizeof(buf));
	if (!len) {
		flog_err(EC_VRRP_PACKET, "%s: could not build an advertisement", vrrp_af_tag(af));
		return -EINVAL;
	}
	return vrrp_io->send(af->fam->codec->family, out, dst ? NULL : af->vr->ifp, &meta.src,
			     dst ? &meta.dst : NULL, buf, len, !af->link_verified);
}

/*
 * Zebra's view of the macvlan coming out of protodown can lag the kernel by a busy zebra's
 * latency, so the socket layer's own check of the kernel's link state decides: a send to a
 * macvlan that is still down fails with -ENETDOWN and is retried when zebra reports it up, or
 * at the next advertisement. With unicast peers every peer gets its copy; one that fails does
 * not keep the others from theirs.
 */
static void vrrp_send_advert(struct vrrp_af *af, uint8_t priority)
{
	unsigned int n = af->npeers ? af->npeers : 1, sent = 0;
	bool link_down = false, unconfirmed = false;

	if (!af->mvl_ifp) {
		/* Priority 0 is only worth sending now; a regular advert goes out once it can. */
		if (priority)
			af->advert_pending = true;
		return;
	}
	af->advert_pending = false;
	/*
	 * The hold is extended before the send: a daemon killed between the two must not leave
	 * a hold older than the advertisement the Backups heard. A release (priority 0) waits
	 * until after its send, for the same reason.
	 */
	if (priority)
		vrrp_guard_advert(af, priority);
	for (unsigned int i = 0; i < n; i++) {
		int rc = vrrp_send_one(af, priority, af->npeers ? &af->peers[i].addr : NULL);

		if (rc >= 0) {
			sent++;
			/* Out, but ahead of the kernel's word that the link runs: ask again next
			 * time. */
			unconfirmed |= rc > 0;
		} else if (vrrp_tx_failed(af, rc))
			link_down = true;
	}
	if (link_down) {
		af->link_verified = false;
		if (priority)
			af->advert_pending = true;
	}
	if (!sent)
		return;
	if (!link_down && !unconfirmed)
		af->link_verified = true;
	af->stats.adver_tx++;
	if (!priority) {
		af->stats.prio0_tx++;
		vrrp_guard_advert(af, priority);
	}
}

/* One burst: the policy's repeat rounds over the addresses, back to back (see vrrp_garp.h). */
void vrrp_exec_announce(struct vrrp_af *af)
{
	unsigned int n = MAX(af->garp.policy.repeat, 1) * af->naddrs;

	if (!af->mvl_ifp) {
		af->announce_pending = true;
		return;
	}
	af->announce_pending = false;
	af->addr_gen_announced = af->addr_gen;
	for (unsigned int i = 0; i < n; i++) {
		int rc = af->fam->announce(af->mvl_ifp, &af->vmac, &af->addrs[i % af->naddrs]);

		if (rc == 0) {
			af->stats.announce_tx++;
		} else if (vrrp_tx_failed(af, rc)) {
			/* Not out of protodown yet: the whole burst once it is. */
			af->announce_pending = true;
			return;
		}
	}
}

static void vrrp_protodown(struct vrrp_af *af, bool down)
{
	vrrp_io->protodown(af->mvl_ifp, down);
}

/* The state machine. */

static void vrrp_adver_timer(void *arg);
static void vrrp_master_down_timer(void *arg);

static void vrrp_apply_timers(struct vrrp_af *af, uint32_t a)
{
	/* Deadlines are absolute (vrrp_timer.c), so nothing drifts. */
	if (a & VRRP_ACT_CANCEL_ADVER)
		vrrp_timer_cancel(&af->t_adver);
	if (a & VRRP_ACT_CANCEL_MASTER_DOWN)
		vrrp_timer_cancel(&af->t_master_down);
	if (a & VRRP_ACT_ARM_ADVER)
		vrrp_timer_arm(&af->t_adver, af->fsm.adver_deadline,
			       vrrp_fsm_adver_early_us(af->fcfg.adver_interval), vrrp_adver_timer,
			       af);
	if (a & VRRP_ACT_ARM_MASTER_DOWN)
		vrrp_timer_arm(&af->t_master_down, af->fsm.master_down_deadline, 0,
			       vrrp_master_down_timer, af);
}

static void vrrp_apply_link(struct vrrp_af *af, uint32_t a, enum vrrp_state old)
{
	/* The macvlan's link changes under us: the next send asks the kernel again. */
	if (a & (VRRP_ACT_PROTODOWN_ON | VRRP_ACT_PROTODOWN_OFF))
		af->link_verified = false;
	if (a & VRRP_ACT_PROTODOWN_ON) {
		af->advert_pending = af->announce_pending = false;
		if (af->mvl_ifp) {
			vrrp_protodown(af, true);
			if (af->fam->master_radv && old == VRRP_STATE_MASTER)
				vrrp_io->radv(af->mvl_ifp, false);
		}
	}
	if (a & VRRP_ACT_PROTODOWN_OFF && af->mvl_ifp) {
		vrrp_protodown(af, false);
		if (af->fam->master_radv)
			vrrp_io->radv(af->mvl_ifp, true);
	}
}

static void vrrp_count_actions(struct vrrp_af *af, uint32_t a)
{
	for (unsigned int bit = 0; bit < VRRP_ACT_COUNT; bit++)
		if (a & (1u << bit))
			af->actions[bit]++;
	if (a & VRRP_ACT_RX_PRIO0)
		af->stats.prio0_rx++;
}

/* The Master as this instance sees it in state st: itself, the last one heard, or none. */
static void vrrp_master_seen(const struct vrrp_af *af, enum vrrp_state st, struct ipaddr *addr,
			     uint8_t *prio)
{
	addr->ipa_type = IPADDR_NONE;
	*prio = 0;
	if (st == VRRP_STATE_MASTER) {
		*addr = af->src;
		*prio = af->fcfg.priority;
	} else if (st == VRRP_STATE_BACKUP && !IS_IPADDR_NONE(&af->master_src)) {
		*addr = af->master_src;
		*prio = af->master_prio;
	}
}

void vrrp_exec_master(const struct vrrp_af *af, struct ipaddr *addr, uint8_t *prio)
{
	vrrp_master_seen(af, af->fsm.state, addr, prio);
}

/* The event of a transition that just happened, for the hook's consumers; the Master before it
 * was filled in already. */
static void vrrp_state_event_fill(const struct vrrp_af *af, enum vrrp_state old,
				  enum vrrp_event ev, const char *why, struct vrrp_state_event *e)
{
	strlcpy(e->ifname, af->vr->ifp->name, sizeof(e->ifname));
	e->vrid = af->vr->vrid;
	e->afi = af->afi;
	e->old_state = old;
	e->new_state = af->fsm.state;
	e->event = ev;
	e->reason = af->last_reason;
	e->priority = af->fcfg.priority;
	e->why = why;
	gettimeofday(&e->when, NULL);
	vrrp_master_seen(af, af->fsm.state, &e->master, &e->master_priority);
}

static void vrrp_exec_at(struct vrrp_af *af, enum vrrp_event ev, const struct vrrp_fsm_rx *rx,
			 uint64_t now)
{
	struct vrrp_fsm_out out;
	struct vrrp_state_event e;
	enum vrrp_state old = af->fsm.state;
	bool prev_want = af->fsm.want_master;
	uint32_t a;

	vrrp_fsm_step(&af->fcfg, &af->fsm, ev, rx, now, &out);
	/* The Master before the step, which a transition may make someone else. */
	if (out.next.state != old) {
		memset(&e, 0, sizeof(e));
		vrrp_master_seen(af, old, &e.prev_master, &e.prev_master_priority);
	}
	a = out.actions;
	vrrp_count_actions(af, a);

	/* A release must leave before the macvlan goes down (RFC 9568 6.4.3). */
	if (a & VRRP_ACT_SEND_ADVERT_PRIO0)
		vrrp_send_advert(af, 0);
	af->fsm = out.next;
	vrrp_apply_timers(af, a);
	vrrp_apply_link(af, a, old);
	if (a & VRRP_ACT_SEND_ADVERT)
		vrrp_send_advert(af, af->fcfg.priority);
	if (a & VRRP_ACT_ANNOUNCE)
		vrrp_garp_takeover(af, now);

	/* The sync group re-evaluates when a member's state or wish moves. */
	if (old != af->fsm.state || out.next.want_master != prev_want)
		vrrp_sync_changed(af);
	if (old != af->fsm.state) {
		if (old == VRRP_STATE_MASTER) {
			vrrp_guardian_release(af->guard_slot);
			vrrp_garp_stop(af);
		}
		af->stats.transitions++;
		af->last_reason = vrrp_fsm_reason(old, af->fsm.state, ev);
		af->last_change = time(NULL);
		/* A Master the Backup no longer hears is not "the Master" any more. */
		if (af->fsm.state != VRRP_STATE_BACKUP)
			af->master_src.ipa_type = IPADDR_NONE;
		zlog_info("%s: %s: %s -> %s (%s)", vrrp_af_tag(af), vrrp_event_str(ev),
			  vrrp_state_str(old), vrrp_state_str(af->fsm.state), out.why);
		vrrp_state_event_fill(af, old, ev, out.why, &e);
		vrrp_history_add(af, &e);
		hook_call(vrrp_state_change, af, &e);
	} else if (a) {
		VRRP_DEBUG(proto, "%s: %s in %s: %s", vrrp_af_tag(af), vrrp_event_str(ev),
			   vrrp_state_str(old), out.why);
	}
	vrrp_exec_quiet(af, true);
}

/*
 * A Backup's advertisements may wait in the queue when all one could do is restart the
 * Master_Down_Timer, which runs from their arrival anyway. Not while a preempt delay or the
 * sync group waits on the next one, and not before the Master's interval is what the filter
 * compares: then every advertisement is read at once.
 */
void vrrp_exec_quiet(struct vrrp_af *af, bool may)
{
	struct vrrp_rx_quiet q = {};

	if (may && af->fsm.state == VRRP_STATE_BACKUP && !af->fsm.want_master &&
	    !af->fsm.preempt_hold_deadline && af->rx_ifindex != IFINDEX_INTERNAL) {
		q.version = af->fcfg.version;
		q.interval = af->fsm.master_adver_interval;
	}
	if (q.version == af->rx_quiet.version && q.interval == af->rx_quiet.interval)
		return;
	af->rx_quiet = q;
	if (vrrp_io->rx_quiet)
		vrrp_io->rx_quiet(af->vr->ifp, af->fam->codec->family, af->vr->vrid,
				  q.version ? &q : NULL);
}

void vrrp_exec_event(struct vrrp_af *af, enum vrrp_event ev, const struct vrrp_fsm_rx *rx)
{
	vrrp_exec_at(af, ev, rx, vrrp_now_us());
}

static void vrrp_adver_timer(void *arg)
{
	struct vrrp_af *af = arg;
	uint64_t now = vrrp_now_us();

	/* Run early to share a wake-up: step as of the deadline, so the period stays exact. */
	vrrp_exec_at(af, VRRP_EV_ADVER_TIMER, NULL, MAX(now, af->t_adver.deadline));
}

static void vrrp_master_down_timer(void *arg)
{
	vrrp_exec_event(arg, VRRP_EV_MASTER_DOWN_TIMER, NULL);
}

void vrrp_exec_configure(struct vrrp_af *af, const struct vrrp_fsm_config *fc)
{
	if (af->fsm.state == VRRP_STATE_INITIALIZE) {
		af->fcfg = *fc;
		af->tx_cksum_pseudo = af->vr->cfg.cksum_pseudo;
		vrrp_exec_event(af, VRRP_EV_STARTUP, NULL);
	} else if (fc->version != af->fcfg.version) {
		vrrp_exec_event(af, VRRP_EV_SHUTDOWN, NULL);
		af->fcfg = *fc;
		vrrp_exec_event(af, VRRP_EV_STARTUP, NULL);
	} else if (fc->priority != af->fcfg.priority || fc->preempt != af->fcfg.preempt ||
		   fc->adver_interval != af->fcfg.adver_interval ||
		   fc->hold_master != af->fcfg.hold_master) {
		af->fcfg = *fc;
		vrrp_exec_event(af, VRRP_EV_CONFIG_CHANGE, NULL);
	} else {
		/* The delays only shape later decisions: no event needed. */
		af->fcfg = *fc;
	}
}

void vrrp_exec_resume(struct vrrp_af *af, const struct vrrp_fsm_config *fc, bool announce)
{
	af->fcfg = *fc;
	af->tx_cksum_pseudo = af->vr->cfg.cksum_pseudo;
	/* The addresses were announced by the earlier run, unless some were missing. */
	af->addr_gen_announced = af->addr_gen;
	vrrp_exec_event(af, VRRP_EV_RESUME, NULL);
	if (af->fsm.state == VRRP_STATE_MASTER) {
		af->stats.resumes++;
		vrrp_garp_resume(af, vrrp_now_us(), announce);
	}
}

void vrrp_exec_idle(struct vrrp_af *af, const struct vrrp_fsm_config *fc)
{
	af->fcfg = *fc;
	vrrp_fsm_init(&af->fcfg, &af->fsm);
	vrrp_exec_quiet(af, true);
}

void vrrp_exec_stop(struct vrrp_af *af)
{
	/* A graceful restart leaves the state as the LAN sees it for the next run. */
	if (af->fsm.state != VRRP_STATE_INITIALIZE && !vrrp_engine_detaching())
		vrrp_exec_event(af, VRRP_EV_SHUTDOWN, NULL);
	vrrp_timer_cancel(&af->t_adver);
	vrrp_timer_cancel(&af->t_master_down);
	vrrp_garp_stop(af);
	af->advert_pending = af->announce_pending = false;
}

void vrrp_exec_link_changed(struct vrrp_af *af)
{
	af->link_verified = false;
}

void vrrp_exec_sync(struct vrrp_af *af, unsigned int what)
{
	bool master = af->fsm.state == VRRP_STATE_MASTER;

	if (!af->mvl_ifp || af->fsm.state == VRRP_STATE_INITIALIZE)
		return;
	if (what & VRRP_SYNC_ZEBRA) {
		vrrp_protodown(af, !master);
		if (master && af->fam->master_radv)
			vrrp_io->radv(af->mvl_ifp, true);
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
	if (!master)
		return;
	vrrp_garp_sync(af);
	/* Work that waited for the macvlan to come out of protodown, or new addresses. */
	if (what & VRRP_SYNC_SEND || af->advert_pending)
		vrrp_send_advert(af, af->fcfg.priority);
	if (what & VRRP_SYNC_SEND || af->announce_pending ||
	    af->addr_gen_announced != af->addr_gen)
		vrrp_exec_announce(af);
}

/* Receiving. */

bool vrrp_exec_rx_target(void *arg, uint8_t vrid, struct vrrp_rx_target *t)
{
	const struct vrrp_rx_where *w = arg;
	struct vrrp_vr *vr = vrrp_vr_lookup(w->parent, vrid);
	struct vrrp_af *af = vr ? &vr->af[w->afi] : NULL;

	if (!af || !vrrp_af_enabled(af) || !af->naddrs)
		return false;
	t->instance = af;
	t->version = vr->cfg.version;
	t->cksum_pseudo = vr->cfg.cksum_pseudo;
	t->strict_ll_first = af->addr_first_set;
	t->running = af->fsm.state != VRRP_STATE_INITIALIZE;
	t->master = af->fsm.state == VRRP_STATE_MASTER;
	t->adver_interval = af->fcfg.adver_interval;
	/* Only the family's length is compared, and only while running, when src is known. */
	memcpy(t->own.bytes, &af->src.ip, sizeof(t->own.bytes));
	t->npeers = af->npeers;
	t->peers = af->npeers ? (const uint8_t *)&af->peers[0].addr.ip.addr : NULL;
	t->peer_stride = sizeof(*af->peers);
	return true;
}

static void vrrp_rx_log(const struct vrrp_family *fam, struct interface *parent,
			const struct vrrp_rx_meta *meta, const struct vrrp_rx_result *res)
{
	char src[INET6_ADDRSTRLEN], s[96];

	inet_ntop(fam->codec->family, meta->src.bytes, src, sizeof(src));
	if (res->verdict == VRRP_RX_DROP || res->verdict == VRRP_RX_DROP_IF) {
		zlog_debug("[%s] dropped packet from %s on %s: %s", fam->codec->name, src,
			   parent->name, vrrp_drop_name(res->drop));
		return;
	}
	if (res->verdict != VRRP_RX_ACCEPT)
		return;
	vrrp_pkt_str(&res->pkt, s, sizeof(s));
	zlog_debug("[VRID %u] [%s] received %s from %s on %s", res->pkt.vrid, fam->codec->name, s,
		   src, parent->name);
}

void vrrp_exec_rx(struct interface *parent, int family, const uint8_t *msg, size_t len,
		  const struct vrrp_rx_meta *meta, enum vrrp_drop ip_drop)
{
	const struct vrrp_family *fam = vrrp_family_by_af(family);
	struct vrrp_rx_where where = {.parent = parent};
	struct vrrp_rx_result res;
	struct vrrp_af *af;

	if (!fam)
		return;
	where.afi = fam->afi;
	vrrp_rx_classify(fam->codec, msg, len, meta, ip_drop, vrrp_exec_rx_target, &where, &res);
	if (DEBUG_MODE_CHECK(&vrrp_dbg_pkt, DEBUG_MODE_ALL))
		vrrp_rx_log(fam, parent, meta, &res);
	if (res.verdict == VRRP_RX_DROP_IF) {
		vrrp_ifstat_get(parent->ifindex, fam->afi, true)->drops[res.drop]++;
		hook_call(vrrp_rx_dropped, parent, fam->afi, NULL, res.drop);
		return;
	}
	af = res.target.instance;
	if (res.warn)
		vrrp_warn(af, vrrp_rx_warn_str(res.warn),
			  res.verdict == VRRP_RX_ACCEPT ? "accepted" : "dropped");
	if (res.verdict == VRRP_RX_DROP) {
		af->drops[res.drop]++;
		hook_call(vrrp_rx_dropped, parent, fam->afi, af, res.drop);
	}
	if (res.verdict != VRRP_RX_ACCEPT)
		return;
	af->stats.adver_rx++;
	if (res.peer >= 0)
		af->peers[res.peer].adver_rx++;
	if (res.cksum_group)
		af->stats.rx_cksum_group++;
	if (res.cksum_v4) {
		if (res.cksum_pseudo)
			af->stats.rx_cksum_pseudo++;
		else
			af->stats.rx_cksum_plain++;
		/* Auto: speak as the peer does, so a pseudo-header-only peer hears us too. */
		if (res.rx.addr_cmp)
			af->tx_cksum_pseudo = res.cksum_pseudo;
	}
	/* RFC 8347 last-adv-source: the Master as a Backup sees it (a release names none). */
	if (res.rx.priority && res.rx.addr_cmp) {
		af->master_src.ipa_type = fam->codec->family == AF_INET ? IPADDR_V4 : IPADDR_V6;
		memcpy(&af->master_src.ip.addr, meta->src.bytes, fam->codec->addrlen);
		af->master_prio = res.rx.priority;
	} else if (!res.rx.priority) {
		af->master_src.ipa_type = IPADDR_NONE;
	}
	/* Received means queued by the kernel: the Master_Down timer restarts from then. */
	vrrp_exec_at(af, VRRP_EV_RX_ADVERT, &res.rx,
		     meta->arrival_us ? meta->arrival_us : vrrp_now_us());
}

void vrrp_exec_init(void)
{
	vrrp_ifstats_init(&vrrp_ifstats);
}

void vrrp_exec_fini(void)
{
	struct vrrp_ifstat *s;

	while ((s = vrrp_ifstats_pop(&vrrp_ifstats)))
		XFREE(MTYPE_VRRP_IFSTAT, s);
	vrrp_ifstats_fini(&vrrp_ifstats);
}
