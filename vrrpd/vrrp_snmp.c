// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrpd_snmp.so, the SNMP module of vrrpd, loaded as FRR's daemons load theirs (`vrrpd -M
 * snmp`, then the `agentx` command, or `-M snmp:agentx`) and served through Debian's
 * libfrrsnmp as an AgentX subagent. This file owns the module's entry point and the read side
 * of RFC 6527's VRRPv3-MIB: vrrpv3OperationsTable, vrrpv3AssociatedIpAddrTable,
 * vrrpv3StatisticsTable and the router-wide counters, all read-only, computed from the daemon's
 * state at each request. Notifications are in vrrp_snmp_trap.c, the mappings in
 * vrrp_snmp_map.c.
 */
#include <zebra.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "lib/hook.h"
#include "lib/if.h"
#include "lib/libfrr.h"
#include "lib/log.h"
#include "lib/module.h"
#include "lib/smux.h"
#include "lib/version.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_errors.h"
#include "vrrp_snmp.h"

_Static_assert(sizeof(oid) == sizeof(vrrp_snmp_oid), "net-snmp's oid is not an unsigned long");

static oid vrrp_snmp_mib[] = {VRRP_SNMP_MIB_OID};

static FindVarMethod vrrp_snmp_ops, vrrp_snmp_addr, vrrp_snmp_scalar, vrrp_snmp_stats;

/* clang-format off */
/* A column of a table entry, its name relative to vrrpv3MIB. */
#define VRRP_SNMP_COL(col, type, fn, entry) \
	{ col, type, RONLY, fn, VRRP_SNMP_ENTRY_OID_LEN + 1, { entry, col } }
#define OPS(col, type) VRRP_SNMP_COL(col, type, vrrp_snmp_ops, VRRP_SNMP_OPS_ENTRY)
#define STATS(col, type) VRRP_SNMP_COL(col, type, vrrp_snmp_stats, VRRP_SNMP_STATS_ENTRY)
#define SCALAR(n, type) { n, type, RONLY, vrrp_snmp_scalar, 3, { VRRP_SNMP_STATS, n } }

/* In OID order. The index columns (not-accessible) are not served. */
static struct variable vrrp_snmp_vars[] = {
	OPS(VRRP_SNMP_OPS_MASTER_IP, ASN_OCTET_STR),
	OPS(VRRP_SNMP_OPS_PRIMARY_IP, ASN_OCTET_STR),
	OPS(VRRP_SNMP_OPS_VMAC, ASN_OCTET_STR),
	OPS(VRRP_SNMP_OPS_STATUS, ASN_INTEGER),
	OPS(VRRP_SNMP_OPS_PRIORITY, ASN_UNSIGNED),
	OPS(VRRP_SNMP_OPS_ADDR_COUNT, ASN_INTEGER),
	OPS(VRRP_SNMP_OPS_ADV_INTERVAL, ASN_INTEGER),
	OPS(VRRP_SNMP_OPS_PREEMPT, ASN_INTEGER),
	OPS(VRRP_SNMP_OPS_ACCEPT, ASN_INTEGER),
	OPS(VRRP_SNMP_OPS_UP_TIME, ASN_TIMETICKS),
	OPS(VRRP_SNMP_OPS_ROW_STATUS, ASN_INTEGER),
	VRRP_SNMP_COL(VRRP_SNMP_ADDR_ROW_STATUS, ASN_INTEGER, vrrp_snmp_addr, VRRP_SNMP_ADDR_ENTRY),
	SCALAR(VRRP_SNMP_ROUTER_CHECKSUM_ERRORS, ASN_COUNTER64),
	SCALAR(VRRP_SNMP_ROUTER_VERSION_ERRORS, ASN_COUNTER64),
	SCALAR(VRRP_SNMP_ROUTER_VRID_ERRORS, ASN_COUNTER64),
	SCALAR(VRRP_SNMP_GLOBAL_DISCONTINUITY, ASN_TIMETICKS),
	STATS(VRRP_SNMP_ST_MASTER_TRANSITIONS, ASN_COUNTER),
	STATS(VRRP_SNMP_ST_NEW_MASTER_REASON, ASN_INTEGER),
	STATS(VRRP_SNMP_ST_RCVD_ADVERTS, ASN_COUNTER64),
	STATS(VRRP_SNMP_ST_ADV_INTERVAL_ERRORS, ASN_COUNTER64),
	STATS(VRRP_SNMP_ST_IP_TTL_ERRORS, ASN_COUNTER64),
	STATS(VRRP_SNMP_ST_PROTO_ERR_REASON, ASN_INTEGER),
	STATS(VRRP_SNMP_ST_RCVD_PRI0, ASN_COUNTER64),
	STATS(VRRP_SNMP_ST_SENT_PRI0, ASN_COUNTER64),
	STATS(VRRP_SNMP_ST_RCVD_INVALID_TYPE, ASN_COUNTER64),
	STATS(VRRP_SNMP_ST_ADDR_LIST_ERRORS, ASN_COUNTER64),
	STATS(VRRP_SNMP_ST_PKT_LENGTH_ERRORS, ASN_COUNTER64),
	STATS(VRRP_SNMP_ST_DISCONTINUITY, ASN_TIMETICKS),
	STATS(VRRP_SNMP_ST_REFRESH_RATE, ASN_UNSIGNED),
};
/* clang-format on */

/* Values handed back to net-snmp, which copies them before the next call. */
static long vrrp_snmp_long;
static struct counter64 vrrp_snmp_c64;
static uint8_t vrrp_snmp_octets[16];

static u_char *vrrp_snmp_int(long v, size_t *var_len)
{
	vrrp_snmp_long = v;
	*var_len = sizeof(vrrp_snmp_long);
	return (u_char *)&vrrp_snmp_long;
}

static u_char *vrrp_snmp_counter64(uint64_t v, size_t *var_len)
{
	vrrp_snmp_c64.high = v >> 32;
	vrrp_snmp_c64.low = v & 0xffffffffU;
	*var_len = sizeof(vrrp_snmp_c64);
	return (u_char *)&vrrp_snmp_c64;
}

static u_char *vrrp_snmp_bytes(const void *p, size_t len, size_t *var_len)
{
	memcpy(vrrp_snmp_octets, p, len);
	*var_len = len;
	return vrrp_snmp_octets;
}

/* An InetAddress of the row's family: zeros while the address is not known. */
static u_char *vrrp_snmp_inet(const struct vrrp_af *af, const struct ipaddr *a, size_t *var_len)
{
	size_t len = af->afi == VRRP_AFI_V4 ? 4 : 16;

	memset(vrrp_snmp_octets, 0, sizeof(vrrp_snmp_octets));
	if (a && a->ipa_type != IPADDR_NONE)
		memcpy(vrrp_snmp_octets, &a->ip.addr, len);
	*var_len = len;
	return vrrp_snmp_octets;
}

/* Finding a row: the exact one asked for, or the first after the OID asked for. */
struct vrrp_snmp_find {
	const oid *req;
	size_t reqlen;
	const oid *col;
	size_t collen;
	bool exact;
	bool with_addr;
	const struct vrrp_af *af;
	const struct ipaddr *addr;
	oid best[MAX_OID_LEN];
	size_t bestlen;
};

static void vrrp_snmp_consider(struct vrrp_snmp_find *f, const struct vrrp_af *af,
			       const struct ipaddr *addr)
{
	struct vrrp_snmp_key k;
	oid o[MAX_OID_LEN];
	size_t n;
	int c;

	vrrp_snmp_row_key(af, &k);
	if (addr) {
		k.addrlen = addr->ipa_type == IPADDR_V4 ? 4 : 16;
		memcpy(k.addr, &addr->ip.addr, k.addrlen);
	}
	memcpy(o, f->col, f->collen * sizeof(oid));
	n = f->collen + vrrp_snmp_index(&k, f->with_addr, o + f->collen);
	c = vrrp_snmp_oid_cmp(o, n, f->req, f->reqlen);
	if (f->exact ? c != 0 : c <= 0)
		return;
	if (f->af && vrrp_snmp_oid_cmp(o, n, f->best, f->bestlen) >= 0)
		return;
	f->af = af;
	f->addr = addr;
	memcpy(f->best, o, n * sizeof(oid));
	f->bestlen = n;
}

static void vrrp_snmp_find_vr(struct vrrp_vr *vr, void *arg)
{
	struct vrrp_snmp_find *f = arg;

	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		const struct vrrp_af *af = &vr->af[i];

		if (!vrrp_snmp_row_exists(af))
			continue;
		if (!f->with_addr) {
			vrrp_snmp_consider(f, af, NULL);
			continue;
		}
		for (unsigned int a = 0; a < af->naddrs; a++)
			vrrp_snmp_consider(f, af, &af->addrs[a]);
	}
}

/* The row a request names (exact) or the next one, whose OID then replaces the request's. */
static const struct vrrp_af *vrrp_snmp_find(struct variable *v, oid *name, size_t *length,
					    int exact, bool with_addr)
{
	struct vrrp_snmp_find f = {
		.req = name,
		.reqlen = *length,
		.col = v->name,
		.collen = v->namelen,
		.exact = exact,
		.with_addr = with_addr,
	};

	vrrp_vr_foreach(vrrp_snmp_find_vr, &f);
	if (!f.af)
		return NULL;
	if (!exact) {
		memcpy(name, f.best, f.bestlen * sizeof(oid));
		*length = f.bestlen;
	}
	return f.af;
}

/* vrrpv3OperationsMasterIpAddr: ourselves as Master, the Master we hear as Backup. */
static const struct ipaddr *vrrp_snmp_master_ip(const struct vrrp_af *af)
{
	switch (af->fsm.state) {
	case VRRP_STATE_MASTER:
		return &af->src;
	case VRRP_STATE_BACKUP:
		return &af->master_src;
	default:
		return NULL;
	}
}

static u_char *vrrp_snmp_ops(struct variable *v, oid *name, size_t *length, int exact,
			     size_t *var_len, WriteMethod **write_method)
{
	const struct vrrp_af *af;
	const struct vrrp_vr *vr;
	struct vrrp_snmp_rec *r;

	*write_method = NULL;
	af = vrrp_snmp_find(v, name, length, exact, false);
	if (!af)
		return NULL;
	vr = af->vr;
	switch (v->magic) {
	case VRRP_SNMP_OPS_MASTER_IP:
		return vrrp_snmp_inet(af, vrrp_snmp_master_ip(af), var_len);
	case VRRP_SNMP_OPS_PRIMARY_IP:
		return vrrp_snmp_inet(af, &af->src, var_len);
	case VRRP_SNMP_OPS_VMAC:
		return vrrp_snmp_bytes(af->vmac.octet, ETH_ALEN, var_len);
	case VRRP_SNMP_OPS_STATUS:
		return vrrp_snmp_int(vrrp_snmp_status(af->fsm.state), var_len);
	case VRRP_SNMP_OPS_PRIORITY:
		return vrrp_snmp_int(vrrp_vr_run_priority(vr), var_len);
	case VRRP_SNMP_OPS_ADDR_COUNT:
		return vrrp_snmp_int(af->naddrs, var_len);
	case VRRP_SNMP_OPS_ADV_INTERVAL:
		return vrrp_snmp_int(vrrp_vr_adver_interval(vr), var_len);
	case VRRP_SNMP_OPS_PREEMPT:
		return vrrp_snmp_int(vrrp_vr_preempt(vr) ? VRRP_SNMP_TRUE : VRRP_SNMP_FALSE,
				     var_len);
	case VRRP_SNMP_OPS_ACCEPT:
		return vrrp_snmp_int(vr->cfg.accept_mode ? VRRP_SNMP_TRUE : VRRP_SNMP_FALSE,
				     var_len);
	case VRRP_SNMP_OPS_UP_TIME:
		r = vrrp_snmp_rec_get(af);
		if (af->fsm.state == VRRP_STATE_INITIALIZE)
			return vrrp_snmp_int(0, var_len);
		/* Not seen leaving Initialize: at least since its last transition. */
		if (!r->up_since)
			return vrrp_snmp_int(MAX(time(NULL) - af->last_change, 0) * 100, var_len);
		return vrrp_snmp_int(vrrp_snmp_ticks(r->up_since, vrrp_snmp_now()), var_len);
	case VRRP_SNMP_OPS_ROW_STATUS:
		return vrrp_snmp_int(VRRP_SNMP_ROW_ACTIVE, var_len);
	}
	return NULL;
}

/* vrrpv3AssociatedIpAddrTable: one row per virtual address; only its RowStatus is served. */
static u_char *vrrp_snmp_addr(struct variable *v, oid *name, size_t *length, int exact,
			      size_t *var_len, WriteMethod **write_method)
{
	*write_method = NULL;
	if (!vrrp_snmp_find(v, name, length, exact, true))
		return NULL;
	return vrrp_snmp_int(VRRP_SNMP_ROW_ACTIVE, var_len);
}

static u_char *vrrp_snmp_stats(struct variable *v, oid *name, size_t *length, int exact,
			       size_t *var_len, WriteMethod **write_method)
{
	const struct vrrp_af *af;
	struct vrrp_snmp_rec *r;
	unsigned int col = v->magic;

	*write_method = NULL;
	af = vrrp_snmp_find(v, name, length, exact, false);
	if (!af)
		return NULL;
	r = vrrp_snmp_rec_get(af);
	switch (col) {
	case VRRP_SNMP_ST_MASTER_TRANSITIONS:
		return vrrp_snmp_int(af->actions[vrrp_snmp_master_entry_action()], var_len);
	case VRRP_SNMP_ST_NEW_MASTER_REASON:
		return vrrp_snmp_int(r->master_reason, var_len);
	case VRRP_SNMP_ST_RCVD_ADVERTS:
		return vrrp_snmp_counter64(af->stats.adver_rx, var_len);
	case VRRP_SNMP_ST_ADV_INTERVAL_ERRORS:
		return vrrp_snmp_counter64(
			vrrp_snmp_drop_sum(af->drops, VRRP_SNMP_CNT_ADV_INTERVAL), var_len);
	case VRRP_SNMP_ST_IP_TTL_ERRORS:
		return vrrp_snmp_counter64(vrrp_snmp_drop_sum(af->drops, VRRP_SNMP_CNT_IP_TTL),
					   var_len);
	case VRRP_SNMP_ST_PROTO_ERR_REASON:
		return vrrp_snmp_int(r->proto_err, var_len);
	case VRRP_SNMP_ST_RCVD_PRI0:
		return vrrp_snmp_counter64(af->stats.prio0_rx, var_len);
	case VRRP_SNMP_ST_SENT_PRI0:
		return vrrp_snmp_counter64(af->stats.prio0_tx, var_len);
	case VRRP_SNMP_ST_RCVD_INVALID_TYPE:
		return vrrp_snmp_counter64(
			vrrp_snmp_drop_sum(af->drops, VRRP_SNMP_CNT_INVALID_TYPE), var_len);
	case VRRP_SNMP_ST_ADDR_LIST_ERRORS:
		return vrrp_snmp_counter64(vrrp_snmp_drop_sum(af->drops, VRRP_SNMP_CNT_ADDR_LIST),
					   var_len);
	case VRRP_SNMP_ST_PKT_LENGTH_ERRORS:
		return vrrp_snmp_counter64(vrrp_snmp_drop_sum(af->drops, VRRP_SNMP_CNT_PKT_LENGTH),
					   var_len);
	case VRRP_SNMP_ST_DISCONTINUITY:
		return vrrp_snmp_int(vrrp_snmp_timestamp(r->discontinuity, vrrp_snmp_now(),
							 netsnmp_get_agent_uptime()),
				     var_len);
	case VRRP_SNMP_ST_REFRESH_RATE:
		/* The counters move at most once an advertisement interval. */
		return vrrp_snmp_int(vrrp_vr_adver_interval(af->vr) * VRRP_MS_PER_CS, var_len);
	}
	return NULL;
}

/* The router-wide counters: every instance's drops and the drops no instance claimed. */
struct vrrp_snmp_global {
	uint64_t count[VRRP_SNMP_CNT_MAX];
};

static void vrrp_snmp_global_add(struct vrrp_snmp_global *g, const uint32_t *drops)
{
	for (int c = VRRP_SNMP_CNT_CHECKSUM; c <= VRRP_SNMP_CNT_VRID; c++)
		g->count[c] += vrrp_snmp_drop_sum(drops, c);
}

static void vrrp_snmp_global_vr(struct vrrp_vr *vr, void *arg)
{
	for (int i = 0; i < VRRP_AFI_MAX; i++)
		vrrp_snmp_global_add(arg, vr->af[i].drops);
}

static uint64_t vrrp_snmp_global_discontinuity;
static struct vrrp_snmp_global vrrp_snmp_global_seen;

static void vrrp_snmp_global(struct vrrp_snmp_global *g)
{
	struct vrf *vrf = vrf_lookup_by_id(VRF_DEFAULT);
	struct interface *ifp;

	memset(g, 0, sizeof(*g));
	vrrp_vr_foreach(vrrp_snmp_global_vr, g);
	if (vrf)
		FOR_ALL_INTERFACES (vrf, ifp)
			for (int i = 0; i < VRRP_AFI_MAX; i++)
				vrrp_snmp_global_add(g, vrrp_if_drops(ifp, i));
	/* A sum goes down when counters are cleared or a router or interface goes away. */
	for (int c = 0; c < VRRP_SNMP_CNT_MAX; c++)
		if (g->count[c] < vrrp_snmp_global_seen.count[c])
			vrrp_snmp_global_discontinuity = vrrp_snmp_now();
	vrrp_snmp_global_seen = *g;
}

static u_char *vrrp_snmp_scalar(struct variable *v, oid *name, size_t *length, int exact,
				size_t *var_len, WriteMethod **write_method)
{
	struct vrrp_snmp_global g;

	if (smux_header_generic(v, name, length, exact, var_len, write_method) == MATCH_FAILED)
		return NULL;
	vrrp_snmp_global(&g);
	switch (v->magic) {
	case VRRP_SNMP_ROUTER_CHECKSUM_ERRORS:
		return vrrp_snmp_counter64(g.count[VRRP_SNMP_CNT_CHECKSUM], var_len);
	case VRRP_SNMP_ROUTER_VERSION_ERRORS:
		return vrrp_snmp_counter64(g.count[VRRP_SNMP_CNT_VERSION], var_len);
	case VRRP_SNMP_ROUTER_VRID_ERRORS:
		return vrrp_snmp_counter64(g.count[VRRP_SNMP_CNT_VRID], var_len);
	case VRRP_SNMP_GLOBAL_DISCONTINUITY:
		return vrrp_snmp_int(vrrp_snmp_timestamp(vrrp_snmp_global_discontinuity,
							 vrrp_snmp_now(),
							 netsnmp_get_agent_uptime()),
				     var_len);
	}
	return NULL;
}

/* Module set-up. */

static int vrrp_snmp_late_init(struct thread_master *tm)
{
	const char *args = THIS_MODULE->load_args;

	smux_init(tm);
	REGISTER_MIB("mibII/vrrpv3", vrrp_snmp_vars, variable, vrrp_snmp_mib);
	vrrp_snmp_events_init(tm);
	/* The router-wide counters start with the daemon. */
	vrrp_snmp_global_discontinuity = vrrp_snmp_now();
	/* `-M snmp:agentx` enables AgentX without the command, which vtysh does not send to
	 * vrrpd from an integrated frr.conf. */
	if (args && !strcmp(args, "agentx"))
		smux_agentx_enable();
	else if (args && *args)
		flog_warn(EC_VRRP_CONFIG, "SNMP: unknown module argument \"%s\" (only \"agentx\")",
			  args);
	return 0;
}

static int vrrp_snmp_module_init(void)
{
	hook_register(frr_late_init, vrrp_snmp_late_init);
	return 0;
}

FRR_MODULE_SETUP(.name = "vrrpd_snmp", .version = FRR_VERSION,
		 .description = "vrrpd AgentX SNMP module (VRRPv3-MIB, RFC 6527)",
		 .init = vrrp_snmp_module_init, );
