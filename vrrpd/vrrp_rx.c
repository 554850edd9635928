// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The receive decision (see vrrp_rx.h): the order of the checks of RFC 9568 7.1 and RFC 3768
 * 7.1 after the codec's, and which counter a drop belongs to.
 */
#include <string.h>

#include "vrrp_rx.h"

static const char *const vrrp_daemon_drop_names[] = {
	[VRRP_DROP_UNKNOWN_VRID - VRRP_DROP_CODEC_MAX] = "unknownVrid",
	[VRRP_DROP_VERSION_MISMATCH - VRRP_DROP_CODEC_MAX] = "versionMismatch",
	[VRRP_DROP_INTERVAL_MISMATCH - VRRP_DROP_CODEC_MAX] = "intervalMismatch",
	[VRRP_DROP_QUEUE_OVERFLOW - VRRP_DROP_CODEC_MAX] = "queueOverflow",
};

const char *vrrp_drop_name(unsigned int reason)
{
	if (reason < VRRP_DROP_CODEC_MAX)
		return vrrp_drop_key(reason);
	if (reason < VRRP_DROP_MAX)
		return vrrp_daemon_drop_names[reason - VRRP_DROP_CODEC_MAX];
	return "unknown";
}

const char *vrrp_rx_warn_str(enum vrrp_rx_warn warn)
{
	switch (warn) {
	case VRRP_RX_WARN_VERSION:
		return "advertisement of another VRRP version";
	case VRRP_RX_WARN_V2_INTERVAL:
		return "VRRPv2 advertisement interval differs from ours";
	case VRRP_RX_WARN_INTERVAL:
		return "advertisement interval differs from ours";
	case VRRP_RX_WARN_NONE:
		break;
	}
	return "";
}

static void vrrp_rx_verdict(struct vrrp_rx_result *res, enum vrrp_rx_verdict v, unsigned int drop)
{
	res->verdict = v;
	res->drop = drop;
}

/* The checks that need the instance's settings and state, after the codec's. */
static void vrrp_rx_check_instance(const struct vrrp_af_ops *ops, const struct vrrp_rx_meta *meta,
				   struct vrrp_rx_result *res)
{
	const struct vrrp_rx_target *t = &res->target;
	const struct vrrp_pkt *pkt = &res->pkt;

	if (pkt->version != t->version) {
		res->warn = VRRP_RX_WARN_VERSION;
		vrrp_rx_verdict(res, VRRP_RX_DROP, VRRP_DROP_VERSION_MISMATCH);
		return;
	}
	/* Our own advertisement, looped back by a bridge, is not a peer. */
	if (!t->running || !memcmp(meta->src.bytes, t->own.bytes, ops->addrlen)) {
		vrrp_rx_verdict(res, VRRP_RX_IGNORE, VRRP_DROP_NONE);
		return;
	}
	if (pkt->version == 2 && pkt->adver_int != vrrp_v2_adver_int_from_cs(t->adver_interval)) {
		/* RFC 3768 7.1: MUST discard on an interval mismatch. */
		res->warn = VRRP_RX_WARN_V2_INTERVAL;
		vrrp_rx_verdict(res, VRRP_RX_DROP, VRRP_DROP_INTERVAL_MISMATCH);
		return;
	}
	/* RFC 9568 7.1: SHOULD log a mismatch, but not drop. */
	if (pkt->version == 3 && pkt->priority && pkt->adver_int != t->adver_interval && t->master)
		res->warn = VRRP_RX_WARN_INTERVAL;

	res->rx.priority = pkt->priority;
	res->rx.adver_interval = vrrp_pkt_adver_int_cs(pkt);
	res->rx.addr_cmp = memcmp(meta->src.bytes, t->own.bytes, ops->addrlen);
	vrrp_rx_verdict(res, VRRP_RX_ACCEPT, VRRP_DROP_NONE);
}

void vrrp_rx_classify(const struct vrrp_af_ops *ops, const uint8_t *msg, size_t len,
		      const struct vrrp_rx_meta *meta, enum vrrp_drop ip_drop,
		      vrrp_rx_lookup_fn lookup, void *arg, struct vrrp_rx_result *res)
{
	enum vrrp_drop drop;

	res->warn = VRRP_RX_WARN_NONE;
	if (ip_drop) {
		vrrp_rx_verdict(res, VRRP_RX_DROP_IF, ip_drop);
		return;
	}
	/* The VRID byte selects the instance, whose settings the rest of the checks need. */
	if (len < VRRP_HDR_LEN) {
		vrrp_rx_verdict(res, VRRP_RX_DROP_IF, VRRP_DROP_TRUNCATED);
		return;
	}
	if (!lookup(arg, msg[1], &res->target)) {
		vrrp_rx_verdict(res, VRRP_RX_DROP_IF, VRRP_DROP_UNKNOWN_VRID);
		return;
	}
	drop = vrrp_pkt_parse(ops, msg, len, meta, res->target.cksum_pseudo, &res->pkt);
	res->cksum_v4 = ops->addrlen == 4 && res->pkt.version == 3;
	res->cksum_pseudo = res->target.cksum_pseudo;
	res->cksum_other = false;
	/*
	 * RFC 9568 5.2.8 checksums the message only; FRR 8.4, keepalived 2.2.7 and older
	 * vendors include the IPv4 pseudo-header. Accept either: the checksum guards against
	 * corruption, not forgery, and a second mode doubles a 2^-16 false accept to 2^-15.
	 */
	if (drop == VRRP_DROP_CHECKSUM && res->cksum_v4) {
		struct vrrp_pkt alt;
		enum vrrp_drop d =
			vrrp_pkt_parse(ops, msg, len, meta, !res->target.cksum_pseudo, &alt);

		if (d != VRRP_DROP_CHECKSUM) {
			drop = d;
			res->pkt = alt;
			res->cksum_pseudo = !res->target.cksum_pseudo;
			res->cksum_other = true;
		}
	}
	/* FRR 8.4 peers send IPv6 lists as configured; only a router with a link-local VIP,
	 * which puts it first itself, insists on the rule (RFC 9568 5.2.9, erratum 8300). */
	if (drop == VRRP_DROP_V6_FIRST_NOT_LL && !res->target.strict_ll_first)
		drop = VRRP_DROP_NONE;
	if (drop) {
		vrrp_rx_verdict(res, VRRP_RX_DROP, drop);
		return;
	}
	vrrp_rx_check_instance(ops, meta, res);
}
