// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `show vrrp [interface IF] [(1-255)] [json]` and `show vrrp ... summary`. Labels, their order,
 * units and JSON keys are those of FRR's vrrpd, so people and scripts that read its output keep
 * working. The summary prints Initialize as Initialize, where FRR prints it as Backup.
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/if.h"
#include "lib/json.h"
#include "lib/prefix.h"
#include "lib/termtable.h"
#include "lib/vrf.h"
#include "lib/vty.h"

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_exec.h"
#include "vrrp_history.h"
#include "vrrp_sync.h"
#include "vrrp_notify.h"
#include "vrrp_unicast.h"
#include "vrrp_vty.h"

#define VRRP_STR "Virtual Router Redundancy Protocol\n"
#define VRRP_VRID_STR "Virtual Router ID\n"

/* What both output formats print for one address family, already formatted. */
struct vrrp_af_view {
	const char *ifname; /* macvlan, or NULL */
	char vmac[ETHER_ADDR_STRLEN];
	char src[INET6_ADDRSTRLEN];
	const char *state;
	unsigned int mai_ms, skew_ms, mdi_ms;
};

static void vrrp_af_view(const struct vrrp_af *af, struct vrrp_af_view *v)
{
	v->ifname = af->mvl_ifp ? af->mvl_ifp->name : NULL;
	prefix_mac2str(&af->vmac, v->vmac, sizeof(v->vmac));
	v->src[0] = '\0';
	if (!IS_IPADDR_NONE(&af->src))
		ipaddr2str(&af->src, v->src, sizeof(v->src));
	else
		/* FRR shows the unset IPv6 source as "::" and the unset IPv4 one as empty. */
		strlcpy(v->src, af->fam->src_unset, sizeof(v->src));
	v->state = vrrp_state_str(af->fsm.state);
	v->mai_ms = af->fsm.master_adver_interval * VRRP_MS_PER_CS;
	v->skew_ms = af->fsm.skew_time * VRRP_MS_PER_CS;
	v->mdi_ms = af->fsm.master_down_interval * VRRP_MS_PER_CS;
}

static void vrrp_show_addrs(struct ttable *tt, const struct vrrp_af *af)
{
	char buf[INET6_ADDRSTRLEN];

	for (unsigned int i = 0; i < af->naddrs; i++)
		ttable_add_row(tt, "%s|%s", "..................................",
			       ipaddr2str(&af->addrs[i], buf, sizeof(buf)));
}

/* "badChecksum 2, badTtl 1", or "0" when nothing was dropped. */
static void vrrp_drops_str(const uint32_t *drops, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int r = 1; drops && r < VRRP_DROP_MAX; r++)
		if (drops[r])
			off += snprintf(buf + off, off < len ? len - off : 0, "%s%s %u",
					off ? ", " : "", vrrp_drop_name(r), drops[r]);
	if (!buf[0])
		strlcpy(buf, "0", len);
}

/* "linkDown 3", or "0" when every send worked. */
static void vrrp_tx_errors_str(const uint32_t *errs, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int e = 0; e < VRRP_TXERR_MAX; e++)
		if (errs[e])
			off += snprintf(buf + off, off < len ? len - off : 0, "%s%s %u",
					off ? ", " : "", vrrp_tx_error_name(e), errs[e]);
	if (!buf[0])
		strlcpy(buf, "0", len);
}

/* What is left of a running preempt delay, in ms; 0 when none runs. */
static uint32_t vrrp_preempt_left_ms(const struct vrrp_af *af)
{
	uint64_t d = af->fsm.preempt_hold_deadline, now = vrrp_now_us();

	return d > now ? (uint32_t)((d - now) / 1000) : 0;
}

/* ISO 8601 in UTC ("2026-12-01T03:12:44Z"), or "" before the first transition. */
static const char *vrrp_time_str(time_t t, char *buf, size_t len)
{
	struct tm tm;

	buf[0] = '\0';
	if (t && gmtime_r(&t, &tm))
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* "Sync group  lan-wan (2 members)" and, per family, what holds it. */
static void vrrp_show_sync(struct ttable *tt, const struct vrrp_vr *vr)
{
	char why[128];

	if (!vrrp_sync_name(vr)) {
		ttable_add_row(tt, "%s|%s", "Sync group", "None");
		return;
	}
	ttable_add_row(tt, "%s|%s (%u members)", "Sync group", vrrp_sync_name(vr),
		       vrrp_sync_size(vr));
	for (int i = 0; i < VRRP_AFI_MAX; i++)
		if (vrrp_sync_holds(&vr->af[i], why, sizeof(why)))
			ttable_add_row(tt, "Sync group holds (%s)|%s", vr->af[i].fam->key, why);
}

/* "10.10.10.10, priority 200" as this instance sees the Master, or "-". */
static const char *vrrp_master_str(const struct vrrp_af *af, char *buf, size_t len)
{
	struct ipaddr m;
	uint8_t prio;
	char a[INET6_ADDRSTRLEN];

	vrrp_exec_master(af, &m, &prio);
	if (IS_IPADDR_NONE(&m))
		return "-";
	snprintf(buf, len, "%s%s, priority %u", ipaddr2str(&m, a, sizeof(a)),
		 af->fsm.state == VRRP_STATE_MASTER ? " (this router)" : "", prio);
	return buf;
}

/* Only a family with unicast peers prints them, so multicast routers show what they did. */
static void vrrp_show_peers(struct ttable *tt, const struct vrrp_af *af)
{
	const char *fam = af->fam->key;
	char buf[INET6_ADDRSTRLEN];

	if (!af->npeers)
		return;
	for (unsigned int i = 0; i < af->npeers; i++)
		ttable_add_row(tt, "Unicast peer (%s)|%s, %u advertisements received", fam,
			       ipaddr2str(&af->peers[i].addr, buf, sizeof(buf)),
			       af->peers[i].adver_rx);
	ttable_add_row(tt, "Rx old unicast checksum (%s)|%u", fam, af->stats.rx_cksum_group);
}

static void vrrp_show_af_extra(struct ttable *tt, const struct vrrp_af *af)
{
	const char *fam = af->fam->key;
	char drops[512], when[32];

	ttable_add_row(tt, "Not running (%s)|%s", fam, af->why_down[0] ? af->why_down : "-");
	vrrp_drops_str(af->drops, drops, sizeof(drops));
	ttable_add_row(tt, "Rx drops (%s)|%s", fam, drops);
	vrrp_drops_str(vrrp_if_drops(af->vr->ifp, af->afi), drops, sizeof(drops));
	ttable_add_row(tt, "Interface rx drops (%s)|%s", fam, drops);
	ttable_add_row(tt, "Priority zero Rx (%s)|%u", fam, af->stats.prio0_rx);
	ttable_add_row(tt, "Priority zero Tx (%s)|%u", fam, af->stats.prio0_tx);
	vrrp_tx_errors_str(af->tx_errors, drops, sizeof(drops));
	ttable_add_row(tt, "Tx errors (%s)|%s", fam, drops);
	if (af->afi == VRRP_AFI_V4)
		ttable_add_row(tt,
			       "Rx checksum modes (v4)|pseudo-header %u, RFC 9568 %u, sending %s",
			       af->stats.rx_cksum_pseudo, af->stats.rx_cksum_plain,
			       vrrp_exec_tx_cksum_pseudo(af) ? "pseudo-header" : "RFC 9568");
	if (af->last_change)
		ttable_add_row(tt, "Last transition (%s)|%s at %s", fam,
			       vrrp_reason_str(af->last_reason),
			       vrrp_time_str(af->last_change, when, sizeof(when)));
	else
		ttable_add_row(tt, "Last transition (%s)|-", fam);
	ttable_add_row(tt, "Resumed after restart (%s)|%u", fam, af->stats.resumes);
	ttable_add_row(tt, "Master (%s)|%s", fam, vrrp_master_str(af, drops, sizeof(drops)));
	ttable_add_row(tt, "Preempt delay left (%s)|%u ms", fam, vrrp_preempt_left_ms(af));
	vrrp_show_peers(tt, af);
}

/* "down, decrement 20" or "up, stops the router". */
static const char *vrrp_input_str(const struct vrrp_prio_input *in, char *buf, size_t len)
{
	if (in->decrement)
		snprintf(buf, len, "%s, decrement %u", in->failed ? "down" : "up", in->decrement);
	else
		snprintf(buf, len, "%s, stops the router", in->failed ? "down" : "up");
	return buf;
}

/* One row per tracked object: "Tracked interface wan0  down, decrement 20". */
static void vrrp_show_inputs(struct ttable *tt, const struct vrrp_vr *vr)
{
	const struct vrrp_prio_input *in;
	char buf[64];

	frr_each (vrrp_prio_inputs_const, &vr->inputs, in)
		ttable_add_row(tt, "Tracked %s|%s", in->name,
			       vrrp_input_str(in, buf, sizeof(buf)));
}

static struct json_object *vrrp_inputs_json(const struct vrrp_vr *vr)
{
	struct json_object *arr = json_object_new_array(), *j;
	const struct vrrp_prio_input *in;

	frr_each (vrrp_prio_inputs_const, &vr->inputs, in) {
		j = json_object_new_object();
		json_object_string_add(j, "object", in->name);
		json_object_string_add(j, "state", in->failed ? "down" : "up");
		/* 0: a failure stops the router rather than lowering its priority. */
		json_object_int_add(j, "decrement", in->decrement);
		json_object_array_add(arr, j);
	}
	return arr;
}

/*
 * The announcement policy in effect, one short row per setting: ttable pads every row to its
 * widest cell, so one long value would change the trailing blanks of FRR's rows.
 */
static void vrrp_show_garp(struct ttable *tt, const struct vrrp_vr *vr)
{
	struct vrrp_garp_policy p;
	char d[16] = "off", r[16] = "off";

	vrrp_vr_garp(vr, &p);
	if (p.delay)
		snprintf(d, sizeof(d), "%u s", p.delay);
	if (p.refresh)
		snprintf(r, sizeof(r), "%u s", p.refresh);
	ttable_add_row(tt, "Gratuitous ARP repeat|%u", p.repeat);
	ttable_add_row(tt, "Gratuitous ARP delay|%s", d);
	ttable_add_row(tt, "Gratuitous ARP refresh|%s", r);
}

static struct json_object *vrrp_garp_json(const struct vrrp_vr *vr)
{
	struct json_object *j = json_object_new_object();
	struct vrrp_garp_policy p;

	vrrp_vr_garp(vr, &p);
	json_object_int_add(j, "repeat", p.repeat);
	json_object_int_add(j, "delay", p.delay);
	json_object_int_add(j, "refresh", p.refresh);
	return j;
}

static void vrrp_show_text(struct vty *vty, const struct vrrp_vr *vr)
{
	const struct vrrp_af *a4 = &vr->af[VRRP_AFI_V4], *a6 = &vr->af[VRRP_AFI_V6];
	struct vrrp_af_view v4, v6;
	struct ttable *tt = ttable_new(&ttable_styles[TTSTYLE_BLANK]);
	uint8_t prio = vrrp_vr_priority(vr), eff = vrrp_vr_run_priority(vr);
	char *out;

	vrrp_af_view(a4, &v4);
	vrrp_af_view(a6, &v6);

	ttable_add_row(tt, "%s|%u", "Virtual Router ID", vr->vrid);
	ttable_add_row(tt, "%s|%u", "Protocol Version", vr->cfg.version);
	ttable_add_row(tt, "%s|%s", "Autoconfigured", vr->autoconf ? "Yes" : "No");
	ttable_add_row(tt, "%s|%s", "Shutdown", vrrp_vr_shutdown(vr) ? "Yes" : "No");
	ttable_add_row(tt, "%s|%s", "Interface", vr->ifp->name);
	ttable_add_row(tt, "%s|%s", "VRRP interface (v4)", v4.ifname ?: "None");
	ttable_add_row(tt, "%s|%s", "VRRP interface (v6)", v6.ifname ?: "None");
	ttable_add_row(tt, "%s|%s", "Primary IP (v4)", v4.src);
	ttable_add_row(tt, "%s|%s", "Primary IP (v6)", v6.src);
	ttable_add_row(tt, "%s|%s", "Virtual MAC (v4)", v4.vmac);
	ttable_add_row(tt, "%s|%s", "Virtual MAC (v6)", v6.vmac);
	ttable_add_row(tt, "%s|%s", "Status (v4)", v4.state);
	ttable_add_row(tt, "%s|%s", "Status (v6)", v6.state);
	ttable_add_row(tt, "%s|%u", "Priority", prio);
	ttable_add_row(tt, "%s|%u", "Effective Priority (v4)", eff);
	ttable_add_row(tt, "%s|%u", "Effective Priority (v6)", eff);
	ttable_add_row(tt, "%s|%s", "Preempt Mode", vrrp_vr_preempt(vr) ? "Yes" : "No");
	ttable_add_row(tt, "%s|%s", "Accept Mode", vr->cfg.accept_mode ? "Yes" : "No");
	ttable_add_row(tt, "%s|%u ms", "Advertisement Interval",
		       vrrp_vr_adver_interval(vr) * VRRP_MS_PER_CS);
	ttable_add_row(tt, "%s|%u ms (stale)", "Master Advertisement Interval (v4) Rx", v4.mai_ms);
	ttable_add_row(tt, "%s|%u ms (stale)", "Master Advertisement Interval (v6) Rx", v6.mai_ms);
	ttable_add_row(tt, "%s|%u", "Advertisements Tx (v4)", a4->stats.adver_tx);
	ttable_add_row(tt, "%s|%u", "Advertisements Tx (v6)", a6->stats.adver_tx);
	ttable_add_row(tt, "%s|%u", "Advertisements Rx (v4)", a4->stats.adver_rx);
	ttable_add_row(tt, "%s|%u", "Advertisements Rx (v6)", a6->stats.adver_rx);
	ttable_add_row(tt, "%s|%u", "Gratuitous ARP Tx (v4)", a4->stats.announce_tx);
	ttable_add_row(tt, "%s|%u", "Neigh. Adverts Tx (v6)", a6->stats.announce_tx);
	ttable_add_row(tt, "%s|%u", "State transitions (v4)", a4->stats.transitions);
	ttable_add_row(tt, "%s|%u", "State transitions (v6)", a6->stats.transitions);
	ttable_add_row(tt, "%s|%u ms", "Skew Time (v4)", v4.skew_ms);
	ttable_add_row(tt, "%s|%u ms", "Skew Time (v6)", v6.skew_ms);
	ttable_add_row(tt, "%s|%u ms", "Master Down Interval (v4)", v4.mdi_ms);
	ttable_add_row(tt, "%s|%u ms", "Master Down Interval (v6)", v6.mdi_ms);
	ttable_add_row(tt, "%s|%u", "IPv4 Addresses", a4->naddrs);
	vrrp_show_addrs(tt, a4);
	ttable_add_row(tt, "%s|%u", "IPv6 Addresses", a6->naddrs);
	vrrp_show_addrs(tt, a6);
	/* Rows FRR 8.4 does not have come last, so parsers of its output keep working. */
	ttable_add_row(tt, "%s|%s", "Checksum with IPv4 Pseudoheader",
		       vr->cfg.cksum_pseudo ? "Yes" : "No");
	ttable_add_row(tt, "%s|%s", "Checksum auto", vr->cfg.cksum_auto ? "Yes" : "No");
	if (vr->cfg.preempt_hold)
		ttable_add_row(tt, "%s|%u s", "Preempt Delay", vr->cfg.preempt_hold);
	else
		ttable_add_row(tt, "%s|%s", "Preempt Delay", "None");
	vrrp_show_sync(tt, vr);
	vrrp_show_af_extra(tt, a4);
	vrrp_show_af_extra(tt, a6);
	vrrp_show_inputs(tt, vr);
	vrrp_notify_show(tt, vr);
	vrrp_show_garp(tt, vr);

	out = ttable_dump(tt, "\n");
	vty_out(vty, "\n%s\n", out);
	XFREE(MTYPE_TMP, out);
	ttable_del(tt);
}

/* Every reason, zero or not, so scripts can read any key without checking it exists. */
static struct json_object *vrrp_drops_json(const uint32_t *drops)
{
	struct json_object *j = json_object_new_object();

	for (unsigned int r = 1; r < VRRP_DROP_MAX; r++)
		json_object_int_add(j, vrrp_drop_name(r), drops ? drops[r] : 0);
	return j;
}

static struct json_object *vrrp_tx_errors_json(const uint32_t *errs)
{
	struct json_object *j = json_object_new_object();

	for (unsigned int e = 0; e < VRRP_TXERR_MAX; e++)
		json_object_int_add(j, vrrp_tx_error_name(e), errs[e]);
	return j;
}

/* How often the executor applied each state-machine action, by the action's name. */
static struct json_object *vrrp_actions_json(const uint32_t *actions)
{
	struct json_object *j = json_object_new_object();

	for (unsigned int bit = 0; bit < VRRP_ACT_COUNT; bit++)
		json_object_int_add(j, vrrp_action_str(1u << bit), actions[bit]);
	return j;
}

static struct json_object *vrrp_af_json(const struct vrrp_af *af, uint8_t prio)
{
	struct json_object *j = json_object_new_object();
	struct json_object *stats = json_object_new_object();
	struct json_object *addrs = json_object_new_array();
	struct vrrp_af_view v;
	char buf[INET6_ADDRSTRLEN];
	struct ipaddr m;
	uint8_t mprio;
	char held[128];

	vrrp_af_view(af, &v);
	json_object_string_add(j, "interface", v.ifname ?: "");
	json_object_string_add(j, "vmac", v.vmac);
	json_object_string_add(j, "primaryAddress", v.src);
	json_object_string_add(j, "status", v.state);
	json_object_int_add(j, "effectivePriority", prio);
	json_object_int_add(j, "masterAdverInterval", v.mai_ms);
	json_object_int_add(j, "skewTime", v.skew_ms);
	json_object_int_add(j, "masterDownInterval", v.mdi_ms);

	json_object_int_add(stats, "adverTx", af->stats.adver_tx);
	json_object_int_add(stats, "adverRx", af->stats.adver_rx);
	json_object_int_add(stats, af->fam->announce_key, af->stats.announce_tx);
	json_object_int_add(stats, "transitions", af->stats.transitions);
	json_object_int_add(stats, "resumes", af->stats.resumes);
	json_object_object_add(j, "stats", stats);

	for (unsigned int i = 0; i < af->naddrs; i++)
		json_object_array_add(addrs, json_object_new_string(
						     ipaddr2str(&af->addrs[i], buf, sizeof(buf))));
	json_object_object_add(j, "addresses", addrs);

	/* Keys FRR 8.4 does not have follow its own. */
	json_object_string_add(j, "notRunningReason", af->why_down);
	json_object_object_add(j, "rxDrops", vrrp_drops_json(af->drops));
	json_object_object_add(j, "interfaceRxDrops",
			       vrrp_drops_json(vrrp_if_drops(af->vr->ifp, af->afi)));
	json_object_int_add(j, "priorityZeroRx", af->stats.prio0_rx);
	json_object_int_add(j, "priorityZeroTx", af->stats.prio0_tx);
	json_object_int_add(j, "rxChecksumPseudoheader", af->stats.rx_cksum_pseudo);
	json_object_int_add(j, "rxChecksumRfc9568", af->stats.rx_cksum_plain);
	json_object_boolean_add(j, "txChecksumPseudoheader", vrrp_exec_tx_cksum_pseudo(af));
	json_object_object_add(j, "txErrors", vrrp_tx_errors_json(af->tx_errors));
	json_object_object_add(j, "actions", vrrp_actions_json(af->actions));
	json_object_string_add(j, "lastTransitionReason", vrrp_reason_str(af->last_reason));
	json_object_string_add(j, "lastTransitionTime",
			       vrrp_time_str(af->last_change, buf, sizeof(buf)));
	json_object_int_add(j, "preemptDelayRemaining", vrrp_preempt_left_ms(af));
	vrrp_exec_master(af, &m, &mprio);
	json_object_string_add(j, "masterAddress",
			       IS_IPADDR_NONE(&m) ? "" : ipaddr2str(&m, buf, sizeof(buf)));
	json_object_int_add(j, "masterPriority", mprio);
	held[0] = '\0';
	vrrp_sync_holds(af, held, sizeof(held));
	json_object_string_add(j, "syncGroupHeldBy", held);
	if (af->npeers) {
		json_object_object_add(j, "unicastPeers", vrrp_unicast_json(af));
		json_object_int_add(j, "rxChecksumOldUnicast", af->stats.rx_cksum_group);
	}
	return j;
}

static struct json_object *vrrp_show_json(const struct vrrp_vr *vr)
{
	struct json_object *j = json_object_new_object();
	uint8_t prio = vrrp_vr_run_priority(vr);

	json_object_int_add(j, "vrid", vr->vrid);
	json_object_int_add(j, "version", vr->cfg.version);
	json_object_boolean_add(j, "autoconfigured", vr->autoconf);
	json_object_boolean_add(j, "shutdown", vrrp_vr_shutdown(vr));
	json_object_boolean_add(j, "preemptMode", vrrp_vr_preempt(vr));
	json_object_boolean_add(j, "acceptMode", vr->cfg.accept_mode);
	json_object_string_add(j, "interface", vr->ifp->name);
	json_object_int_add(j, "advertisementInterval",
			    vrrp_vr_adver_interval(vr) * VRRP_MS_PER_CS);
	for (int i = 0; i < VRRP_AFI_MAX; i++)
		json_object_object_add(j, vr->af[i].fam->key, vrrp_af_json(&vr->af[i], prio));
	/* The key FRR 8.5 introduced for the same setting. */
	json_object_boolean_add(j, "checksumWithIpv4Pseudoheader", vr->cfg.cksum_pseudo);
	json_object_boolean_add(j, "checksumAuto", vr->cfg.cksum_auto);
	json_object_int_add(j, "preemptDelay", vr->cfg.preempt_hold);
	json_object_string_add(j, "syncGroup", vrrp_sync_name(vr) ?: "");
	vrrp_notify_json(j, vr);
	json_object_object_add(j, "tracked", vrrp_inputs_json(vr));
	json_object_object_add(j, "gratuitousArp", vrrp_garp_json(vr));
	return j;
}

/*
 * An interface filter must name an interface that exists, or the empty answer would mislead.
 * JSON keeps FRR's empty array, which scripts already handle.
 */
static bool vrrp_show_check_if(struct vty *vty, const char *ifname)
{
	if (!ifname || if_lookup_by_name(ifname, VRF_DEFAULT))
		return true;
	vty_out(vty, "%% Interface %s does not exist\n", ifname);
	return false;
}

/* vtysh's extract.pl reads this file without clippy's output. */
#ifndef VTYSH_EXTRACT_PL
#include "vrrp_show_clippy.c"
#endif

/* clang-format off */
DEFPY(vrrp_vrid_show, vrrp_vrid_show_cmd,
      "show vrrp [interface INTERFACE$ifn] [(1-255)$vrid] [json$json]",
      SHOW_STR VRRP_STR INTERFACE_STR
      "Only show VRRP instances on this interface\n"
      VRRP_VRID_STR JSON_STR)
{
	struct vrrp_vr **list;
	struct json_object *arr = NULL;
	size_t n;

	if (!json && !vrrp_show_check_if(vty, ifn))
		return CMD_WARNING;

	list = vrrp_vr_sorted(ifn, vrid, &n);
	if (json)
		arr = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		if (json)
			json_object_array_add(arr, vrrp_show_json(list[i]));
		else
			vrrp_show_text(vty, list[i]);
	}
	if (json) {
		vty_out(vty, "%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY));
		json_object_free(arr);
	}
	XFREE(MTYPE_TMP, list);
	return CMD_SUCCESS;
}

DEFPY(vrrp_vrid_show_summary, vrrp_vrid_show_summary_cmd,
      "show vrrp [interface INTERFACE$ifn] [(1-255)$vrid] summary",
      SHOW_STR VRRP_STR INTERFACE_STR
      "Only show VRRP instances on this interface\n"
      VRRP_VRID_STR
      "Summarize all VRRP instances\n")
{
	struct vrrp_vr **list;
	struct ttable *tt;
	char *out;
	size_t n;

	if (!vrrp_show_check_if(vty, ifn))
		return CMD_WARNING;

	list = vrrp_vr_sorted(ifn, vrid, &n);
	tt = ttable_new(&ttable_styles[TTSTYLE_BLANK]);
	ttable_add_row(tt, "Interface|VRID|Priority|IPv4|IPv6|State (v4)|State (v6)");
	ttable_rowseps(tt, 0, BOTTOM, true, '-');
	for (size_t i = 0; i < n; i++) {
		const struct vrrp_vr *vr = list[i];

		ttable_add_row(tt, "%s|%u|%u|%u|%u|%s|%s", vr->ifp->name, vr->vrid,
			       vrrp_vr_priority(vr), vr->af[VRRP_AFI_V4].naddrs,
			       vr->af[VRRP_AFI_V6].naddrs,
			       vrrp_state_str(vr->af[VRRP_AFI_V4].fsm.state),
			       vrrp_state_str(vr->af[VRRP_AFI_V6].fsm.state));
	}
	out = ttable_dump(tt, "\n");
	vty_out(vty, "\n%s\n", out);
	XFREE(MTYPE_TMP, out);
	ttable_del(tt);
	XFREE(MTYPE_TMP, list);
	return CMD_SUCCESS;
}
/* One remembered transition: "2026-12-01T03:12:44Z  Backup -> Master  master-timeout ...". */
static void vrrp_event_row(struct ttable *tt, const struct vrrp_state_event *e)
{
	char when[32], m[INET6_ADDRSTRLEN], pm[INET6_ADDRSTRLEN];

	vrrp_time_str(e->when.tv_sec, when, sizeof(when));
	ttable_add_row(tt, "%s|%s|%s|%s|%u|%s|%u|%s|%u", when, vrrp_state_str(e->old_state),
		       vrrp_state_str(e->new_state), vrrp_reason_str(e->reason), e->priority,
		       IS_IPADDR_NONE(&e->master) ? "-" : ipaddr2str(&e->master, m, sizeof(m)),
		       e->master_priority,
		       IS_IPADDR_NONE(&e->prev_master)
			       ? "-"
			       : ipaddr2str(&e->prev_master, pm, sizeof(pm)),
		       e->prev_master_priority);
}

static struct json_object *vrrp_event_json(const struct vrrp_state_event *e)
{
	struct json_object *j = json_object_new_object();
	char buf[INET6_ADDRSTRLEN];

	json_object_string_add(j, "time", vrrp_time_str(e->when.tv_sec, buf, sizeof(buf)));
	json_object_double_add(j, "timestamp", e->when.tv_sec + e->when.tv_usec / 1e6);
	json_object_string_add(j, "from", vrrp_state_str(e->old_state));
	json_object_string_add(j, "to", vrrp_state_str(e->new_state));
	json_object_string_add(j, "event", vrrp_event_str(e->event));
	json_object_string_add(j, "reason", vrrp_reason_str(e->reason));
	json_object_int_add(j, "priority", e->priority);
	json_object_string_add(j, "master",
			       IS_IPADDR_NONE(&e->master) ? ""
							  : ipaddr2str(&e->master, buf, sizeof(buf)));
	json_object_int_add(j, "masterPriority", e->master_priority);
	json_object_string_add(j, "previousMaster",
			       IS_IPADDR_NONE(&e->prev_master)
				       ? ""
				       : ipaddr2str(&e->prev_master, buf, sizeof(buf)));
	json_object_int_add(j, "previousMasterPriority", e->prev_master_priority);
	return j;
}

static void vrrp_events_of(struct vty *vty, const struct vrrp_vr *vr, struct json_object *arr)
{
	struct json_object *j = NULL;
	struct ttable *tt;
	char *out;

	if (arr) {
		j = json_object_new_object();
		json_object_string_add(j, "interface", vr->ifp->name);
		json_object_int_add(j, "vrid", vr->vrid);
	}
	for (int i = 0; i < VRRP_AFI_MAX; i++) {
		const struct vrrp_af *af = &vr->af[i];
		unsigned int n = vrrp_history_count(af);

		if (j) {
			struct json_object *evs = json_object_new_array();

			for (unsigned int k = 0; k < n; k++)
				json_object_array_add(evs, vrrp_event_json(vrrp_history_get(af, k)));
			json_object_object_add(j, af->fam->key, evs);
			continue;
		}
		if (!n)
			continue;
		vty_out(vty, "\n%s VRID %u (%s)\n", vr->ifp->name, vr->vrid, af->fam->key);
		tt = ttable_new(&ttable_styles[TTSTYLE_BLANK]);
		ttable_add_row(tt, "Time|From|To|Reason|Priority|Master|Priority|Previous "
				   "Master|Priority");
		ttable_rowseps(tt, 0, BOTTOM, true, '-');
		for (unsigned int k = 0; k < n; k++)
			vrrp_event_row(tt, vrrp_history_get(af, k));
		out = ttable_dump(tt, "\n");
		vty_out(vty, "%s", out);
		XFREE(MTYPE_TMP, out);
		ttable_del(tt);
	}
	if (j)
		json_object_array_add(arr, j);
}

/* Not in Debian's vtysh either: the last VRRP_HISTORY_LEN transitions of each instance. */
DEFPY(vrrp_vrid_show_events, vrrp_vrid_show_events_cmd,
      "show vrrp [interface INTERFACE$ifn] [(1-255)$vrid] events [json$json]",
      SHOW_STR VRRP_STR INTERFACE_STR
      "Only show VRRP instances on this interface\n"
      VRRP_VRID_STR
      "Recent state changes: when, why, and who was Master\n"
      JSON_STR)
{
	struct json_object *arr = json ? json_object_new_array() : NULL;
	struct vrrp_vr **list;
	size_t n;

	if (!json && !vrrp_show_check_if(vty, ifn))
		return CMD_WARNING;
	list = vrrp_vr_sorted(ifn, vrid, &n);
	for (size_t i = 0; i < n; i++)
		vrrp_events_of(vty, list[i], arr);
	if (arr) {
		vty_out(vty, "%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY));
		json_object_free(arr);
	}
	XFREE(MTYPE_TMP, list);
	return CMD_SUCCESS;
}

/*
 * Not in Debian's vtysh (its grammar is FRR 8.4's): reachable on the daemon's own vty
 * (telnet port 2619) or through a vtysh built with this daemon's commands.
 */
DEFPY(vrrp_clear_counters, vrrp_clear_counters_cmd,
      "clear vrrp [interface INTERFACE$ifn] [(1-255)$vrid] counters",
      CLEAR_STR VRRP_STR INTERFACE_STR
      "Only clear VRRP instances on this interface\n"
      VRRP_VRID_STR
      "Packet, transition and notification counters\n")
{
	struct vrrp_vr **list;
	size_t n;

	if (!vrrp_show_check_if(vty, ifn))
		return CMD_WARNING;
	list = vrrp_vr_sorted(ifn, vrid, &n);
	for (size_t i = 0; i < n; i++) {
		vrrp_vr_clear_counters(list[i]);
		vrrp_notify_clear_counters(list[i]);
	}
	vrrp_if_clear_drops(ifn ? if_lookup_by_name(ifn, VRF_DEFAULT) : NULL);
	XFREE(MTYPE_TMP, list);
	return CMD_SUCCESS;
}
/* clang-format on */

void vrrp_show_init(void)
{
	install_element(VIEW_NODE, &vrrp_vrid_show_cmd);
	install_element(VIEW_NODE, &vrrp_vrid_show_summary_cmd);
	install_element(VIEW_NODE, &vrrp_vrid_show_events_cmd);
	install_element(ENABLE_NODE, &vrrp_clear_counters_cmd);
}
