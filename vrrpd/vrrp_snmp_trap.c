// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event side of the SNMP module: the per-row records (vrrp_snmp.h) kept from the daemon's
 * state-change and dropped-packet hooks, and the two notifications of VRRPv3-MIB,
 * vrrpv3NewMaster and vrrpv3ProtoError (at most one per row in 10 s). The hooks run inside the
 * protocol step; they only note what happened and queue the trap, which an event of the loop
 * sends after the step, with the values of the moment it happened.
 */
#include <zebra.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "lib/hook.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/smux.h"
#include "lib/thread.h"

#include "vrrp.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_exec.h"
#include "vrrp_snmp.h"
#include "vrrp_timer.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_SNMP_REC, "VRRP SNMP per-row state");

/* Records of instances that no longer exist are dropped this often. */
#define VRRP_SNMP_SWEEP_US (60ULL * 1000 * 1000)
/* Packets for a VRID nobody has set the rows of their interface at most once a second. */
#define VRRP_SNMP_VRID_ERR_US (1000ULL * 1000)
/* Traps waiting for the event loop; more in one step are dropped (and counted in the log). */
#define VRRP_SNMP_QUEUE_LEN 64

static int vrrp_snmp_rec_cmp(const struct vrrp_snmp_rec *a, const struct vrrp_snmp_rec *b)
{
	return numcmp((uintptr_t)a->af, (uintptr_t)b->af);
}

static uint32_t vrrp_snmp_rec_hash(const struct vrrp_snmp_rec *r)
{
	uintptr_t p = (uintptr_t)r->af;

	return (uint32_t)(p >> 4) ^ (uint32_t)((uint64_t)p >> 32);
}

DECLARE_HASH(vrrp_snmp_recs, struct vrrp_snmp_rec, item, vrrp_snmp_rec_cmp, vrrp_snmp_rec_hash);

static struct vrrp_snmp_recs_head vrrp_snmp_recs;
static uint32_t vrrp_snmp_sweep_mark;
static uint64_t vrrp_snmp_sweep_last;

struct vrrp_snmp_trap_msg {
	enum vrrp_snmp_trap type;
	vrrp_snmp_oid index[VRRP_SNMP_INDEX_MAX];
	size_t indexlen;
	/* vrrpv3NewMaster: vrrpv3OperationsMasterIpAddr. */
	uint8_t addr[16];
	size_t addrlen;
	/* vrrpv3StatisticsNewMasterReason or vrrpv3StatisticsProtoErrReason. */
	long reason;
};

static struct thread_master *vrrp_snmp_tm;
static struct thread *vrrp_snmp_t_flush;
static struct vrrp_snmp_trap_msg vrrp_snmp_queue[VRRP_SNMP_QUEUE_LEN];
static unsigned int vrrp_snmp_queued;
static unsigned int vrrp_snmp_lost;

uint64_t vrrp_snmp_now(void)
{
	return vrrp_now_us();
}

bool vrrp_snmp_row_exists(const struct vrrp_af *af)
{
	const struct interface *ifp = af->vr->ifp;

	return ifp && ifp->ifindex > 0 && vrrp_af_enabled(af) &&
	       (af->naddrs || af->fsm.state != VRRP_STATE_INITIALIZE);
}

void vrrp_snmp_row_key(const struct vrrp_af *af, struct vrrp_snmp_key *k)
{
	memset(k, 0, sizeof(*k));
	k->ifindex = af->vr->ifp->ifindex;
	k->vrid = af->vr->vrid;
	k->inet_type = af->afi == VRRP_AFI_V4 ? VRRP_SNMP_INET_IPV4 : VRRP_SNMP_INET_IPV6;
}

static void vrrp_snmp_snap(const struct vrrp_af *af, struct vrrp_snmp_snap *s)
{
	s->adver_rx = af->stats.adver_rx;
	s->transitions = af->stats.transitions;
	s->prio0_rx = af->stats.prio0_rx;
	s->prio0_tx = af->stats.prio0_tx;
	s->drops = 0;
	for (unsigned int i = 0; i < VRRP_DROP_MAX; i++)
		s->drops += af->drops[i];
}

/* A counter that went down was cleared (`clear vrrp counters`): a discontinuity. */
static void vrrp_snmp_rec_check(struct vrrp_snmp_rec *r, const struct vrrp_af *af, uint64_t now)
{
	struct vrrp_snmp_snap s;

	vrrp_snmp_snap(af, &s);
	if (s.adver_rx < r->snap.adver_rx || s.transitions < r->snap.transitions ||
	    s.prio0_rx < r->snap.prio0_rx || s.prio0_tx < r->snap.prio0_tx ||
	    s.drops < r->snap.drops)
		r->discontinuity = now;
	r->snap = s;
}

static void vrrp_snmp_mark_alive(struct vrrp_vr *vr, void *arg)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		struct vrrp_snmp_rec key = {.af = &vr->af[i]}, *r;

		r = vrrp_snmp_recs_find(&vrrp_snmp_recs, &key);
		if (r)
			r->sweep = vrrp_snmp_sweep_mark;
	}
}

/* Forget the records of instances that were freed. */
static void vrrp_snmp_sweep(uint64_t now)
{
	struct vrrp_snmp_rec *r;

	if (!vrrp_snmp_rate_ok(&vrrp_snmp_sweep_last, now, VRRP_SNMP_SWEEP_US))
		return;
	vrrp_snmp_sweep_mark++;
	vrrp_vr_foreach(vrrp_snmp_mark_alive, NULL);
	frr_each_safe (vrrp_snmp_recs, &vrrp_snmp_recs, r) {
		if (r->sweep == vrrp_snmp_sweep_mark)
			continue;
		vrrp_snmp_recs_del(&vrrp_snmp_recs, r);
		XFREE(MTYPE_VRRP_SNMP_REC, r);
	}
}

struct vrrp_snmp_rec *vrrp_snmp_rec_get(const struct vrrp_af *af)
{
	struct vrrp_snmp_rec key = {.af = af}, *r;
	uint64_t now = vrrp_snmp_now();

	vrrp_snmp_sweep(now);
	r = vrrp_snmp_recs_find(&vrrp_snmp_recs, &key);
	if (r && r->ifp == af->vr->ifp && r->vrid == af->vr->vrid) {
		vrrp_snmp_rec_check(r, af, now);
		return r;
	}
	if (!r) {
		r = XCALLOC(MTYPE_VRRP_SNMP_REC, sizeof(*r));
		r->af = af;
		vrrp_snmp_recs_add(&vrrp_snmp_recs, r);
	}
	r->ifp = af->vr->ifp;
	r->vrid = af->vr->vrid;
	r->up_since = 0;
	r->master_reason = VRRP_SNMP_NOT_MASTER;
	r->proto_err = VRRP_SNMP_NO_ERROR;
	r->rx_at_backup = 0;
	r->trap_last = 0;
	/* The row's counters start now, as far as the management system can tell. */
	r->discontinuity = now;
	vrrp_snmp_snap(af, &r->snap);
	r->sweep = vrrp_snmp_sweep_mark;
	return r;
}

/* Trap queue. */

static void vrrp_snmp_send(const struct vrrp_snmp_trap_msg *m)
{
	/* snmpTrapOID.0 (SNMPv2-MIB) */
	static const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
	oid notification[] = {VRRP_SNMP_MIB_OID, VRRP_SNMP_NOTIFICATIONS, m->type};
	oid stats_entry[] = {VRRP_SNMP_MIB_OID, VRRP_SNMP_STATS_ENTRY, 0};
	oid ops_entry[] = {VRRP_SNMP_MIB_OID, VRRP_SNMP_OPS_ENTRY, 0};
	oid name[MAX_OID_LEN];
	size_t len = array_size(stats_entry);
	netsnmp_variable_list *vars = NULL;

	snmp_varlist_add_variable(&vars, trap_oid, array_size(trap_oid), ASN_OBJECT_ID,
				  (const u_char *)notification, sizeof(notification));
	if (m->type == VRRP_SNMP_TRAP_NEW_MASTER) {
		ops_entry[len - 1] = VRRP_SNMP_OPS_MASTER_IP;
		memcpy(name, ops_entry, sizeof(ops_entry));
		memcpy(name + len, m->index, m->indexlen * sizeof(oid));
		snmp_varlist_add_variable(&vars, name, len + m->indexlen, ASN_OCTET_STR, m->addr,
					  m->addrlen);
		stats_entry[len - 1] = VRRP_SNMP_ST_NEW_MASTER_REASON;
	} else {
		stats_entry[len - 1] = VRRP_SNMP_ST_PROTO_ERR_REASON;
	}
	memcpy(name, stats_entry, sizeof(stats_entry));
	memcpy(name + len, m->index, m->indexlen * sizeof(oid));
	snmp_varlist_add_variable(&vars, name, len + m->indexlen, ASN_INTEGER,
				  (const u_char *)&m->reason, sizeof(m->reason));
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

static void vrrp_snmp_flush(struct thread *t)
{
	unsigned int n = vrrp_snmp_queued;

	vrrp_snmp_queued = 0;
	if (!smux_enabled())
		return;
	for (unsigned int i = 0; i < n; i++)
		vrrp_snmp_send(&vrrp_snmp_queue[i]);
	if (vrrp_snmp_lost) {
		flog_warn(EC_VRRP_CONFIG, "SNMP: %u notifications dropped (more than %u at once)",
			  vrrp_snmp_lost, VRRP_SNMP_QUEUE_LEN);
		vrrp_snmp_lost = 0;
	}
	smux_events_update();
}

/* A slot for a trap about af, with its index filled in; NULL if none. */
static struct vrrp_snmp_trap_msg *vrrp_snmp_queue_add(const struct vrrp_af *af,
						      enum vrrp_snmp_trap type)
{
	struct vrrp_snmp_trap_msg *m;
	struct vrrp_snmp_key k;

	if (!smux_enabled())
		return NULL;
	if (vrrp_snmp_queued == VRRP_SNMP_QUEUE_LEN) {
		vrrp_snmp_lost++;
		return NULL;
	}
	m = &vrrp_snmp_queue[vrrp_snmp_queued++];
	memset(m, 0, sizeof(*m));
	m->type = type;
	vrrp_snmp_row_key(af, &k);
	m->indexlen = vrrp_snmp_index(&k, false, m->index);
	thread_add_event(vrrp_snmp_tm, vrrp_snmp_flush, NULL, 0, &vrrp_snmp_t_flush);
	return m;
}

/* Hooks. */

static void vrrp_snmp_new_master(const struct vrrp_af *af, const struct vrrp_state_event *e,
				 struct vrrp_snmp_rec *r)
{
	struct vrrp_snmp_trap_msg *m;
	bool preempted;

	preempted = vrrp_snmp_preempted(af->stats.adver_rx, r->rx_at_backup, af->master_prio,
					e->priority);
	r->master_reason = vrrp_snmp_master_reason(e->reason, preempted);
	m = vrrp_snmp_queue_add(af, VRRP_SNMP_TRAP_NEW_MASTER);
	if (!m)
		return;
	m->addrlen = af->afi == VRRP_AFI_V4 ? 4 : 16;
	if (e->master.ipa_type != IPADDR_NONE)
		memcpy(m->addr, &e->master.ip.addr, m->addrlen);
	m->reason = r->master_reason;
	VRRP_DEBUG(proto, "%s: SNMP: vrrpv3NewMaster queued (reason %d)", vrrp_af_tag(af),
		   r->master_reason);
}

static int vrrp_snmp_state_change(const struct vrrp_af *af, const struct vrrp_state_event *e)
{
	struct vrrp_snmp_rec *r = vrrp_snmp_rec_get(af);

	switch (e->new_state) {
	case VRRP_STATE_INITIALIZE:
		r->up_since = 0;
		return 0;
	case VRRP_STATE_BACKUP:
		r->rx_at_backup = af->stats.adver_rx;
		break;
	case VRRP_STATE_MASTER:
		vrrp_snmp_new_master(af, e, r);
		break;
	case VRRP_STATE_MAX:
		return 0;
	}
	if (e->old_state == VRRP_STATE_INITIALIZE)
		r->up_since = vrrp_snmp_now();
	return 0;
}

static void vrrp_snmp_proto_error(const struct vrrp_af *af, enum vrrp_snmp_proto_err pe, bool trap)
{
	struct vrrp_snmp_rec *r = vrrp_snmp_rec_get(af);
	struct vrrp_snmp_trap_msg *m;

	r->proto_err = pe;
	if (!trap || !smux_enabled() ||
	    !vrrp_snmp_rate_ok(&r->trap_last, vrrp_snmp_now(), VRRP_SNMP_PROTO_TRAP_INTERVAL_US))
		return;
	m = vrrp_snmp_queue_add(af, VRRP_SNMP_TRAP_PROTO_ERROR);
	if (m)
		m->reason = pe;
}

/*
 * A VRID that no virtual router of the interface has: the error of every row on it, and one
 * trap, for the lowest VRID.
 */
static void vrrp_snmp_vrid_error(const struct interface *parent, enum vrrp_afi afi)
{
	static uint64_t last;
	bool trap = true;

	if (!vrrp_snmp_rate_ok(&last, vrrp_snmp_now(), VRRP_SNMP_VRID_ERR_US))
		return;
	for (unsigned int vrid = 1; vrid <= 255; vrid++) {
		struct vrrp_vr *vr = vrrp_vr_lookup(parent, vrid);

		if (!vr || !vrrp_snmp_row_exists(&vr->af[afi]))
			continue;
		vrrp_snmp_proto_error(&vr->af[afi], VRRP_SNMP_VRID_ERROR, trap);
		trap = false;
	}
}

static int vrrp_snmp_rx_dropped(const struct interface *parent, enum vrrp_afi afi,
				const struct vrrp_af *af, enum vrrp_drop reason)
{
	enum vrrp_snmp_proto_err pe = vrrp_snmp_drop_proto_err(reason);

	if (pe == VRRP_SNMP_NO_ERROR)
		return 0;
	if (!af)
		vrrp_snmp_vrid_error(parent, afi);
	else if (vrrp_snmp_row_exists(af))
		vrrp_snmp_proto_error(af, pe, true);
	return 0;
}

void vrrp_snmp_events_init(struct thread_master *tm)
{
	vrrp_snmp_tm = tm;
	vrrp_snmp_recs_init(&vrrp_snmp_recs);
	hook_register(vrrp_state_change, vrrp_snmp_state_change);
	hook_register(vrrp_rx_dropped, vrrp_snmp_rx_dropped);
}
