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
	[VRRP_DROP_NOT_PEER - VRRP_DROP_CODEC_MAX] = "notPeer",
	[VRRP_DROP_UNEXPECTED_UNICAST - VRRP_DROP_CODEC_MAX] = "unexpectedUnicast",
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

/* Whether dst is the family's group; an unknown destination (all zero) counts as the group. */
static bool vrrp_rx_to_group(const struct vrrp_af_ops *ops, const union vrrp_addr *dst)
{
	static const union vrrp_addr zero;

	return !memcmp(dst->bytes, ops->group.bytes, ops->addrlen) ||
	       !memcmp(dst->bytes, zero.bytes, ops->addrlen);
}

/* Index of src among the target's unicast peers, or -1. */
static int vrrp_rx_peer(const struct vrrp_af_ops *ops, const struct vrrp_rx_target *t,
			const union vrrp_addr *src)
{
	for (unsigned int i = 0; i < t->npeers; i++)
		if (!memcmp(t->peers + i * t->peer_stride, src->bytes, ops->addrlen))
			return (int)i;
	return -1;
}

/*
 * With peers, only they count, whatever the destination (a peer may still multicast); without,
 * only the group does, as before unicast existed.
 */
static unsigned int vrrp_rx_check_peer(const struct vrrp_af_ops *ops,
				       const struct vrrp_rx_meta *meta, struct vrrp_rx_result *res)
{
	if (!res->target.npeers)
		return vrrp_rx_to_group(ops, &meta->dst) ? VRRP_DROP_NONE
							 : VRRP_DROP_UNEXPECTED_UNICAST;
	res->peer = vrrp_rx_peer(ops, &res->target, &meta->src);
	return res->peer < 0 ? VRRP_DROP_NOT_PEER : VRRP_DROP_NONE;
}

/* The checks that need the instance's settings and state, after the codec's. */
static void vrrp_rx_check_instance(const struct vrrp_af_ops *ops, const struct vrrp_rx_meta *meta,
				   struct vrrp_rx_result *res)
{
	const struct vrrp_rx_target *t = &res->target;
	const struct vrrp_pkt *pkt = &res->pkt;
	unsigned int drop;

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
	drop = vrrp_rx_check_peer(ops, meta, res);
	if (drop) {
		vrrp_rx_verdict(res, VRRP_RX_DROP, drop);
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

/*
 * keepalived before 1.3.6 put the multicast group into the VRRPv3 pseudo-header of unicast
 * advertisements, and later versions still accept that "to maintain compatibility"; so do we.
 * Only for unicast, in pseudo-header mode (IPv6, or IPv4 with the pseudo-header).
 */
static enum vrrp_drop vrrp_rx_cksum_group(const struct vrrp_af_ops *ops, const uint8_t *msg,
					  size_t len, const struct vrrp_rx_meta *meta,
					  struct vrrp_rx_result *res)
{
	struct vrrp_rx_meta grp = *meta;
	struct vrrp_pkt alt;
	enum vrrp_drop d;

	if (res->pkt.version != 3 || vrrp_rx_to_group(ops, &meta->dst))
		return VRRP_DROP_CHECKSUM;
	/* An all-zero destination stands for the group in the codec. */
	memset(grp.dst.bytes, 0, sizeof(grp.dst.bytes));
	d = vrrp_pkt_parse(ops, msg, len, &grp, true, &alt);
	if (d == VRRP_DROP_CHECKSUM)
		return d;
	res->pkt = alt;
	res->cksum_group = true;
	if (res->cksum_v4) {
		res->cksum_other = !res->target.cksum_pseudo;
		res->cksum_pseudo = true;
	}
	return d;
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
	res->cksum_group = false;
	res->peer = -1;
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
	if (drop == VRRP_DROP_CHECKSUM)
		drop = vrrp_rx_cksum_group(ops, msg, len, meta, res);
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
