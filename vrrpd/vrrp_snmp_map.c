// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRPv3-MIB mappings (see vrrp_snmp_map.h): drop reasons to MIB counters and protocol-error
 * reasons, states and transition reasons to the MIB's enumerations, row indexes, OID order,
 * the trap rate limit and TimeStamps. doc/snmp.rst has the same mapping as a table.
 */
#include <zebra.h>

#include "vrrp_snmp_map.h"

/* Indexed by drop reason; a reason missing here is not a MIB counter. */
static const uint8_t vrrp_snmp_counters[VRRP_DROP_MAX] = {
	[VRRP_DROP_TTL] = VRRP_SNMP_CNT_IP_TTL,
	/* Shorter than the header: the MIB's own definition of a length error. */
	[VRRP_DROP_TRUNCATED] = VRRP_SNMP_CNT_PKT_LENGTH,
	[VRRP_DROP_VERSION] = VRRP_SNMP_CNT_VERSION,
	[VRRP_DROP_TYPE] = VRRP_SNMP_CNT_INVALID_TYPE,
	/* No address, or an IPv6 list without its link-local first: the list is wrong. */
	[VRRP_DROP_ADDR_COUNT] = VRRP_SNMP_CNT_ADDR_LIST,
	[VRRP_DROP_V6_FIRST_NOT_LL] = VRRP_SNMP_CNT_ADDR_LIST,
	/* The length does not fit the address count. */
	[VRRP_DROP_LENGTH] = VRRP_SNMP_CNT_PKT_LENGTH,
	[VRRP_DROP_CHECKSUM] = VRRP_SNMP_CNT_CHECKSUM,
	/* Interval 0, or a VRRPv2 interval other than ours (RFC 3768 7.1). */
	[VRRP_DROP_INTERVAL] = VRRP_SNMP_CNT_ADV_INTERVAL,
	[VRRP_DROP_INTERVAL_MISMATCH] = VRRP_SNMP_CNT_ADV_INTERVAL,
	[VRRP_DROP_UNKNOWN_VRID] = VRRP_SNMP_CNT_VRID,
	/* Another version than the router's is one it does not support. */
	[VRRP_DROP_VERSION_MISMATCH] = VRRP_SNMP_CNT_VERSION,
	/*
	 * VRRP_DROP_IP_HEADER (not VRRP's), VRRP_DROP_AUTH (VRRPv2 only),
	 * VRRP_DROP_QUEUE_OVERFLOW (lost unread, so of no known kind) and the unicast reasons
	 * (RFC 6527 knows no unicast peers): none.
	 */
};

enum vrrp_snmp_counter vrrp_snmp_drop_counter(unsigned int reason)
{
	if (reason >= VRRP_DROP_MAX)
		return VRRP_SNMP_CNT_NONE;
	return vrrp_snmp_counters[reason];
}

uint64_t vrrp_snmp_drop_sum(const uint32_t *drops, enum vrrp_snmp_counter c)
{
	uint64_t sum = 0;

	if (!drops || c == VRRP_SNMP_CNT_NONE)
		return 0;
	for (unsigned int r = 0; r < VRRP_DROP_MAX; r++)
		if (vrrp_snmp_counters[r] == c)
			sum += drops[r];
	return sum;
}

enum vrrp_snmp_proto_err vrrp_snmp_drop_proto_err(unsigned int reason)
{
	switch (reason) {
	case VRRP_DROP_TTL:
		return VRRP_SNMP_IP_TTL_ERROR;
	case VRRP_DROP_VERSION:
	case VRRP_DROP_VERSION_MISMATCH:
		return VRRP_SNMP_VERSION_ERROR;
	case VRRP_DROP_CHECKSUM:
		return VRRP_SNMP_CHECKSUM_ERROR;
	case VRRP_DROP_UNKNOWN_VRID:
		return VRRP_SNMP_VRID_ERROR;
	default:
		return VRRP_SNMP_NO_ERROR;
	}
}

enum vrrp_snmp_status vrrp_snmp_status(enum vrrp_state state)
{
	switch (state) {
	case VRRP_STATE_MASTER:
		return VRRP_SNMP_STATUS_MASTER;
	case VRRP_STATE_BACKUP:
		return VRRP_SNMP_STATUS_BACKUP;
	default:
		return VRRP_SNMP_STATUS_INITIALIZE;
	}
}

enum vrrp_snmp_master_reason vrrp_snmp_master_reason(enum vrrp_reason reason, bool preempted)
{
	switch (reason) {
	case VRRP_REASON_OWNER:
	case VRRP_REASON_RESUMED:
		return VRRP_SNMP_MASTER_PRIORITY;
	case VRRP_REASON_MASTER_TIMEOUT:
		return preempted ? VRRP_SNMP_MASTER_PREEMPTED : VRRP_SNMP_MASTER_NO_RESPONSE;
	default:
		return VRRP_SNMP_NOT_MASTER;
	}
}

bool vrrp_snmp_preempted(uint32_t rx_now, uint32_t rx_at_backup, uint8_t master_prio,
			 uint8_t own_prio)
{
	return rx_now > rx_at_backup && master_prio && master_prio < own_prio;
}

/*
 * The state machine asks for protodown-off only when it enters Master (vrrp_fsm.c,
 * enter_master(); tests/unit/test_snmp_map.c checks every state and event), so the count of
 * that action is vrrpv3StatisticsMasterTransitions, cleared with the other counters.
 */
unsigned int vrrp_snmp_master_entry_action(void)
{
	return __builtin_ctz(VRRP_ACT_PROTODOWN_OFF);
}

size_t vrrp_snmp_index(const struct vrrp_snmp_key *k, bool with_addr, vrrp_snmp_oid *out)
{
	size_t n = 0;

	out[n++] = k->ifindex;
	out[n++] = k->vrid;
	out[n++] = k->inet_type;
	if (!with_addr)
		return n;
	/* An InetAddress is an OCTET STRING without IMPLIED: its length comes first. */
	out[n++] = k->addrlen;
	for (unsigned int i = 0; i < k->addrlen && i < sizeof(k->addr); i++)
		out[n++] = k->addr[i];
	return n;
}

int vrrp_snmp_oid_cmp(const vrrp_snmp_oid *a, size_t alen, const vrrp_snmp_oid *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	if (alen == blen)
		return 0;
	return alen < blen ? -1 : 1;
}

bool vrrp_snmp_rate_ok(uint64_t *last, uint64_t now, uint64_t interval)
{
	if (*last && now - *last < interval)
		return false;
	*last = now ? now : 1;
	return true;
}

uint32_t vrrp_snmp_timestamp(uint64_t event, uint64_t now, uint32_t uptime_cs)
{
	uint64_t ago;

	if (!event || event > now)
		return 0;
	ago = (now - event) / 10000;
	if (ago >= uptime_cs)
		return 0;
	return uptime_cs - (uint32_t)ago;
}

uint32_t vrrp_snmp_ticks(uint64_t since, uint64_t now)
{
	if (!since || since > now)
		return 0;
	return (uint32_t)((now - since) / 10000);
}
