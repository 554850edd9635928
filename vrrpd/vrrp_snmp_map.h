// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pure half of the SNMP module (vrrpd_snmp.so): the layout of RFC 6527's VRRPv3-MIB
 * (object identifiers, columns, enumerations), row indexes as OIDs, and how this daemon's
 * states, transition reasons and per-reason drop counters map onto the MIB's objects. No
 * net-snmp, no libfrr, no clock: the module (vrrp_snmp.c, vrrp_snmp_trap.c) and the unit test
 * (tests/unit/test_snmp_map.c) share it.
 */
#ifndef VRRP_SNMP_MAP_H
#define VRRP_SNMP_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrp_fsm.h"
#include "vrrp_packet.h"
#include "vrrp_rx.h"

/* A sub-identifier: net-snmp's `oid` is an unsigned long on Linux (the module checks it). */
typedef unsigned long vrrp_snmp_oid;

/* vrrpv3MIB ::= { mib-2 207 } */
#define VRRP_SNMP_MIB_OID 1, 3, 6, 1, 2, 1, 207
#define VRRP_SNMP_MIB_OID_LEN 7

/* Below vrrpv3MIB: vrrpv3Notifications { 0 }, vrrpv3Objects { 1 }. */
#define VRRP_SNMP_NOTIFICATIONS 0
/* vrrpv3OperationsEntry ::= { vrrpv3OperationsTable 1 }, the table { vrrpv3Operations 1 }. */
#define VRRP_SNMP_OPS_ENTRY 1, 1, 1, 1
/* vrrpv3AssociatedIpAddrEntry ::= { vrrpv3AssociatedIpAddrTable 1 } ({ vrrpv3Operations 2 }). */
#define VRRP_SNMP_ADDR_ENTRY 1, 1, 2, 1
/* vrrpv3Statistics ::= { vrrpv3Objects 2 }: four scalars, then the table { 5 }. */
#define VRRP_SNMP_STATS 1, 2
#define VRRP_SNMP_STATS_ENTRY 1, 2, 5, 1
/* The entries' OIDs above are this long below vrrpv3MIB; a column adds one. */
#define VRRP_SNMP_ENTRY_OID_LEN 4

/* Columns of vrrpv3OperationsEntry. */
enum vrrp_snmp_ops_col {
	VRRP_SNMP_OPS_VRID = 1,	    /* not-accessible (index) */
	VRRP_SNMP_OPS_INET_TYPE,    /* not-accessible (index) */
	VRRP_SNMP_OPS_MASTER_IP,    /* InetAddress */
	VRRP_SNMP_OPS_PRIMARY_IP,   /* InetAddress */
	VRRP_SNMP_OPS_VMAC,	    /* MacAddress */
	VRRP_SNMP_OPS_STATUS,	    /* INTEGER, enum vrrp_snmp_status */
	VRRP_SNMP_OPS_PRIORITY,	    /* Unsigned32 */
	VRRP_SNMP_OPS_ADDR_COUNT,   /* Integer32 */
	VRRP_SNMP_OPS_ADV_INTERVAL, /* TimeInterval, centiseconds */
	VRRP_SNMP_OPS_PREEMPT,	    /* TruthValue */
	VRRP_SNMP_OPS_ACCEPT,	    /* TruthValue */
	VRRP_SNMP_OPS_UP_TIME,	    /* TimeTicks */
	VRRP_SNMP_OPS_ROW_STATUS,   /* RowStatus */
};

/* Columns of vrrpv3AssociatedIpAddrEntry. */
enum vrrp_snmp_addr_col {
	VRRP_SNMP_ADDR_ADDRESS = 1, /* not-accessible (index) */
	VRRP_SNMP_ADDR_ROW_STATUS,
};

/* The scalars of vrrpv3Statistics (Counter64, then a TimeStamp). */
enum vrrp_snmp_scalar {
	VRRP_SNMP_ROUTER_CHECKSUM_ERRORS = 1,
	VRRP_SNMP_ROUTER_VERSION_ERRORS,
	VRRP_SNMP_ROUTER_VRID_ERRORS,
	VRRP_SNMP_GLOBAL_DISCONTINUITY,
};

/* Columns of vrrpv3StatisticsEntry (AUGMENTS vrrpv3OperationsEntry: same rows). */
enum vrrp_snmp_stats_col {
	VRRP_SNMP_ST_MASTER_TRANSITIONS = 1, /* Counter32 */
	VRRP_SNMP_ST_NEW_MASTER_REASON,	     /* INTEGER, enum vrrp_snmp_master_reason */
	VRRP_SNMP_ST_RCVD_ADVERTS,	     /* Counter64 from here to 11 */
	VRRP_SNMP_ST_ADV_INTERVAL_ERRORS,
	VRRP_SNMP_ST_IP_TTL_ERRORS,
	VRRP_SNMP_ST_PROTO_ERR_REASON, /* INTEGER, enum vrrp_snmp_proto_err */
	VRRP_SNMP_ST_RCVD_PRI0,
	VRRP_SNMP_ST_SENT_PRI0,
	VRRP_SNMP_ST_RCVD_INVALID_TYPE,
	VRRP_SNMP_ST_ADDR_LIST_ERRORS,
	VRRP_SNMP_ST_PKT_LENGTH_ERRORS,
	VRRP_SNMP_ST_DISCONTINUITY, /* TimeStamp */
	VRRP_SNMP_ST_REFRESH_RATE,  /* Unsigned32, milliseconds */
};

/* Notifications, below vrrpv3Notifications. */
enum vrrp_snmp_trap {
	VRRP_SNMP_TRAP_NEW_MASTER = 1,
	VRRP_SNMP_TRAP_PROTO_ERROR = 2,
};

/* InetAddressType (RFC 4001) of the index. */
#define VRRP_SNMP_INET_IPV4 1
#define VRRP_SNMP_INET_IPV6 2

/* vrrpv3OperationsStatus. */
enum vrrp_snmp_status {
	VRRP_SNMP_STATUS_INITIALIZE = 1,
	VRRP_SNMP_STATUS_BACKUP = 2,
	VRRP_SNMP_STATUS_MASTER = 3,
};

/* vrrpv3StatisticsNewMasterReason. */
enum vrrp_snmp_master_reason {
	VRRP_SNMP_NOT_MASTER = 0,
	VRRP_SNMP_MASTER_PRIORITY = 1,
	VRRP_SNMP_MASTER_PREEMPTED = 2,
	VRRP_SNMP_MASTER_NO_RESPONSE = 3,
};

/* vrrpv3StatisticsProtoErrReason. */
enum vrrp_snmp_proto_err {
	VRRP_SNMP_NO_ERROR = 0,
	VRRP_SNMP_IP_TTL_ERROR = 1,
	VRRP_SNMP_VERSION_ERROR = 2,
	VRRP_SNMP_CHECKSUM_ERROR = 3,
	VRRP_SNMP_VRID_ERROR = 4,
};

/* TruthValue (SNMPv2-TC) and RowStatus active(1). */
#define VRRP_SNMP_TRUE 1
#define VRRP_SNMP_FALSE 2
#define VRRP_SNMP_ROW_ACTIVE 1

/* At most one vrrpv3ProtoError per row in this many microseconds. */
#define VRRP_SNMP_PROTO_TRAP_INTERVAL_US (10ULL * 1000 * 1000)

/* The MIB counters that our per-reason drop counters feed. */
enum vrrp_snmp_counter {
	VRRP_SNMP_CNT_NONE = 0, /* not a MIB counter (still in `show vrrp`) */
	/* Per row (vrrpv3StatisticsTable). */
	VRRP_SNMP_CNT_ADV_INTERVAL,
	VRRP_SNMP_CNT_IP_TTL,
	VRRP_SNMP_CNT_INVALID_TYPE,
	VRRP_SNMP_CNT_ADDR_LIST,
	VRRP_SNMP_CNT_PKT_LENGTH,
	/* Router-wide scalars. */
	VRRP_SNMP_CNT_CHECKSUM,
	VRRP_SNMP_CNT_VERSION,
	VRRP_SNMP_CNT_VRID,
	VRRP_SNMP_CNT_MAX,
};

/* Which MIB counter a drop reason (VRRP_DROP_*, codec or daemon) counts in. */
enum vrrp_snmp_counter vrrp_snmp_drop_counter(unsigned int reason);
/* The sum of the drops[VRRP_DROP_MAX] that feed counter c; 0 for drops == NULL. */
uint64_t vrrp_snmp_drop_sum(const uint32_t *drops, enum vrrp_snmp_counter c);
/* The vrrpv3StatisticsProtoErrReason a drop sets; VRRP_SNMP_NO_ERROR: no protocol error. */
enum vrrp_snmp_proto_err vrrp_snmp_drop_proto_err(unsigned int reason);

enum vrrp_snmp_status vrrp_snmp_status(enum vrrp_state state);
/*
 * Why an instance became Master, from the state machine's reason: the address owner (and a
 * Master resumed after a restart, which holds the role by its own priority) says priority; a
 * Master_Down_Timer expiry is preempted when the Backup had been hearing (and, preempting,
 * discarding) a lower-priority Master, and masterNoResponse otherwise. NOT_MASTER for reasons
 * that do not make a Master.
 */
enum vrrp_snmp_master_reason vrrp_snmp_master_reason(enum vrrp_reason reason, bool preempted);
/*
 * Whether a Backup that now becomes Master on its timer preempted: it received
 * advertisements since it entered Backup (adver_rx went from rx_at_backup to rx_now), and the
 * Master it heard last (master_prio, 0 if none) had a lower priority than its own.
 */
bool vrrp_snmp_preempted(uint32_t rx_now, uint32_t rx_at_backup, uint8_t master_prio,
			 uint8_t own_prio);

/* The bit of af->actions[] that counts entries into Master (see vrrp_snmp_map.c). */
unsigned int vrrp_snmp_master_entry_action(void);

/* A row's index, as the MIB orders it. */
struct vrrp_snmp_key {
	uint32_t ifindex;
	uint8_t vrid;
	uint8_t inet_type; /* VRRP_SNMP_INET_IPV4 / _IPV6 */
	/* vrrpv3AssociatedIpAddrTable only: the address, an InetAddress (length first). */
	uint8_t addrlen; /* 4 or 16 */
	uint8_t addr[16];
};

/* Longest index: ifIndex, VRID, type, length and 16 address octets. */
#define VRRP_SNMP_INDEX_MAX 20

/* Write the index of k (with the address when with_addr) to out; returns its length. */
size_t vrrp_snmp_index(const struct vrrp_snmp_key *k, bool with_addr, vrrp_snmp_oid *out);
/* Lexicographic order of two OIDs, as SNMP walks them: < 0, 0, > 0. */
int vrrp_snmp_oid_cmp(const vrrp_snmp_oid *a, size_t alen, const vrrp_snmp_oid *b, size_t blen);

/*
 * Rate limit: true (and *last = now) when nothing passed in the last `interval` us, or never
 * (*last == 0).
 */
bool vrrp_snmp_rate_ok(uint64_t *last, uint64_t now, uint64_t interval);
/*
 * A TimeStamp: the sysUpTime (centiseconds) at monotonic time `event` (us), given the uptime
 * now. 0 for no event, or for one before the agent's own start.
 */
uint32_t vrrp_snmp_timestamp(uint64_t event, uint64_t now, uint32_t uptime_cs);
/* TimeTicks (centiseconds) from `since` to `now` (us); 0 when since is 0 or in the future. */
uint32_t vrrp_snmp_ticks(uint64_t since, uint64_t now);

#endif /* VRRP_SNMP_MAP_H */
