// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The receive decision, pure: one VRRP message and its IP metadata in, either the instance and
 * the state-machine input it makes, or why it is dropped or ignored. No I/O, no clock, no
 * libfrr: the daemon's receive path and bench/rx_replay.c call the same function.
 */
#ifndef VRRP_RX_H
#define VRRP_RX_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrp_fsm.h"
#include "vrrp_packet.h"

/* Drop reasons found by the daemon rather than the codec, numbered after the codec's. */
enum vrrp_drop_daemon {
	/* No virtual router with this VRID and family on the receiving interface. */
	VRRP_DROP_UNKNOWN_VRID = VRRP_DROP_CODEC_MAX,
	/* The packet's version is not the one configured (RFC 9568 7.1). */
	VRRP_DROP_VERSION_MISMATCH,
	/* VRRPv2: the advertisement interval differs from ours (RFC 3768 7.1). */
	VRRP_DROP_INTERVAL_MISMATCH,
	/*
	 * Lost before the daemon read it: the kernel found the receive socket's queue full
	 * (SO_RXQ_OVFL). Counted on the interface when the next datagram is read.
	 */
	VRRP_DROP_QUEUE_OVERFLOW,
	/* The instance has unicast peers and the sender is none of them. */
	VRRP_DROP_NOT_PEER,
	/* Sent to one of our unicast addresses, but the instance has no unicast peers. */
	VRRP_DROP_UNEXPECTED_UNICAST,
	VRRP_DROP_MAX,
};

/* camelCase name of any drop reason, codec or daemon, for JSON, YANG and logs. */
const char *vrrp_drop_name(unsigned int reason);

/* What the checks need to know of the instance a VRID selects. */
struct vrrp_rx_target {
	void *instance; /* the caller's, handed back in the result */
	uint8_t version;
	bool cksum_pseudo;
	/* The instance has a link-local virtual address, so it insists on RFC 9568 5.2.9. */
	bool strict_ll_first;
	bool running; /* not in Initialize */
	bool master;
	uint16_t adver_interval; /* cs, as the state machine runs it */
	union vrrp_addr own;	 /* our advertisement source */
	/*
	 * Unicast peers: npeers addresses of the family's length, the first at peers and each
	 * next one peer_stride bytes on (the caller's table need not be packed); none: the
	 * instance runs multicast.
	 */
	const uint8_t *peers;
	size_t peer_stride;
	unsigned int npeers;
};

/* Fill *t for vrid on the receiving interface; false when no instance may claim it. */
typedef bool (*vrrp_rx_lookup_fn)(void *arg, uint8_t vrid, struct vrrp_rx_target *t);

enum vrrp_rx_verdict {
	/* Dropped before an instance claimed it: counted on the interface. */
	VRRP_RX_DROP_IF,
	/* Dropped, counted on the instance. */
	VRRP_RX_DROP,
	/* Valid, but not for the protocol now: the instance is not running, or it is our own. */
	VRRP_RX_IGNORE,
	/* Feed res->rx to the instance's state machine. */
	VRRP_RX_ACCEPT,
};

/* Misconfiguration worth a rate-limited warning (RFC 9568 7.1). */
enum vrrp_rx_warn {
	VRRP_RX_WARN_NONE = 0,
	VRRP_RX_WARN_VERSION,	  /* dropped: another VRRP version */
	VRRP_RX_WARN_V2_INTERVAL, /* dropped: VRRPv2 interval differs (RFC 3768 7.1) */
	VRRP_RX_WARN_INTERVAL,	  /* accepted: VRRPv3 Master hears another interval */
};

struct vrrp_rx_result {
	enum vrrp_rx_verdict verdict;
	unsigned int drop; /* VRRP_DROP_* for both drop verdicts */
	enum vrrp_rx_warn warn;
	struct vrrp_rx_target target; /* valid unless VRRP_RX_DROP_IF */
	struct vrrp_fsm_rx rx;	      /* valid for VRRP_RX_ACCEPT */
	/* The decoded message: header fields unless truncated, everything when accepted. */
	struct vrrp_pkt pkt;
	/*
	 * VRRPv3 over IPv4 only (else false): the checksum mode the sender used, which is the
	 * configured one unless only the other one checked out; then cksum_other is set too.
	 */
	bool cksum_v4;
	bool cksum_pseudo;
	bool cksum_other;
	/*
	 * A unicast advertisement whose VRRPv3 pseudo-header named the multicast group instead
	 * of the real destination (keepalived before 1.3.6, and its old_unicast_checksum).
	 */
	bool cksum_group;
	/* Index of the sending peer in target.peers for an accepted one, else -1. */
	int peer;
};

/*
 * Classify one message received on an interface. ip_drop is the IP layer's verdict (the socket
 * adapter validates the IPv4 header); meta holds source, destination and TTL / hop limit.
 */
void vrrp_rx_classify(const struct vrrp_af_ops *ops, const uint8_t *msg, size_t len,
		      const struct vrrp_rx_meta *meta, enum vrrp_drop ip_drop,
		      vrrp_rx_lookup_fn lookup, void *arg, struct vrrp_rx_result *res);

/* Human text of a warning, "" for none. */
const char *vrrp_rx_warn_str(enum vrrp_rx_warn warn);

#endif /* VRRP_RX_H */
