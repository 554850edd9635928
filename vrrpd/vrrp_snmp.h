// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Inside the SNMP module (vrrpd_snmp.so): what its MIB side (vrrp_snmp.c) and its event side
 * (vrrp_snmp_trap.c) share. The module's own per-row memory: what the daemon does not keep
 * and the MIB wants (up time, why it last became Master, the last protocol error, the last
 * counter discontinuity, the trap rate limit).
 */
#ifndef VRRP_SNMP_H
#define VRRP_SNMP_H

#include "lib/thread.h"
#include "lib/typesafe.h"

#include "vrrp.h"
#include "vrrp_snmp_map.h"

PREDECL_HASH(vrrp_snmp_recs);

/* The counters whose decrease shows a discontinuity (`clear vrrp counters`). */
struct vrrp_snmp_snap {
	uint32_t adver_rx;
	uint32_t transitions;
	uint32_t prio0_rx;
	uint32_t prio0_tx;
	uint64_t drops;
};

struct vrrp_snmp_rec {
	struct vrrp_snmp_recs_item item;
	/* The key; only compared, never followed unless the instance is known to exist. */
	const struct vrrp_af *af;
	/* Whose it was: an instance freed and another made at the same address is a new row. */
	const struct interface *ifp;
	uint8_t vrid;
	/* Monotonic us: when it last left Initialize (0 while in Initialize). */
	uint64_t up_since;
	enum vrrp_snmp_master_reason master_reason;
	enum vrrp_snmp_proto_err proto_err;
	/* adver_rx when it last entered Backup, to tell a preemption from a silent Master. */
	uint32_t rx_at_backup;
	/* Monotonic us of the last vrrpv3ProtoError sent for this row. */
	uint64_t trap_last;
	/* Monotonic us of the last discontinuity of the row's counters (0: none). */
	uint64_t discontinuity;
	struct vrrp_snmp_snap snap;
	/* Mark of the last sweep that found the instance alive. */
	uint32_t sweep;
};

/* Monotonic microseconds, the module's clock. */
uint64_t vrrp_snmp_now(void);
/* Whether the instance is a row of the MIB's tables: a family that runs or has addresses, on
 * an interface with an ifIndex. */
bool vrrp_snmp_row_exists(const struct vrrp_af *af);
/* The row's index (without an address). */
void vrrp_snmp_row_key(const struct vrrp_af *af, struct vrrp_snmp_key *k);
/* The module's record of an instance, made on first use; counter discontinuities are noticed
 * here. */
struct vrrp_snmp_rec *vrrp_snmp_rec_get(const struct vrrp_af *af);

/* The event side: hooks, records and the trap queue. */
void vrrp_snmp_events_init(struct thread_master *tm);

#endif /* VRRP_SNMP_H */
