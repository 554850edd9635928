// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the pure half of the SNMP module (vrrpd/vrrp_snmp_map.c): every drop reason's
 * MIB counter and protocol-error reason, the enumerations, row indexes and OID order, the trap
 * rate limit, TimeStamps, and the state machine's promise that protodown-off means "entered
 * Master", on which vrrpv3StatisticsMasterTransitions rests.
 */
#include <zebra.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vrrp_fsm.h"
#include "vrrp_snmp_map.h"

/* The mapping doc/snmp.rst documents, one line per reason, in enum order. */
static const struct {
	unsigned int reason;
	enum vrrp_snmp_counter counter;
	enum vrrp_snmp_proto_err err;
} expected[] = {
	{VRRP_DROP_NONE, VRRP_SNMP_CNT_NONE, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_IP_HEADER, VRRP_SNMP_CNT_NONE, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_TTL, VRRP_SNMP_CNT_IP_TTL, VRRP_SNMP_IP_TTL_ERROR},
	{VRRP_DROP_TRUNCATED, VRRP_SNMP_CNT_PKT_LENGTH, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_VERSION, VRRP_SNMP_CNT_VERSION, VRRP_SNMP_VERSION_ERROR},
	{VRRP_DROP_TYPE, VRRP_SNMP_CNT_INVALID_TYPE, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_ADDR_COUNT, VRRP_SNMP_CNT_ADDR_LIST, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_LENGTH, VRRP_SNMP_CNT_PKT_LENGTH, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_CHECKSUM, VRRP_SNMP_CNT_CHECKSUM, VRRP_SNMP_CHECKSUM_ERROR},
	{VRRP_DROP_INTERVAL, VRRP_SNMP_CNT_ADV_INTERVAL, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_AUTH, VRRP_SNMP_CNT_NONE, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_V6_FIRST_NOT_LL, VRRP_SNMP_CNT_ADDR_LIST, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_UNKNOWN_VRID, VRRP_SNMP_CNT_VRID, VRRP_SNMP_VRID_ERROR},
	{VRRP_DROP_VERSION_MISMATCH, VRRP_SNMP_CNT_VERSION, VRRP_SNMP_VERSION_ERROR},
	{VRRP_DROP_INTERVAL_MISMATCH, VRRP_SNMP_CNT_ADV_INTERVAL, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_QUEUE_OVERFLOW, VRRP_SNMP_CNT_NONE, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_NOT_PEER, VRRP_SNMP_CNT_NONE, VRRP_SNMP_NO_ERROR},
	{VRRP_DROP_UNEXPECTED_UNICAST, VRRP_SNMP_CNT_NONE, VRRP_SNMP_NO_ERROR},
};

static void test_drop_mapping(void **state)
{
	/* A new drop reason must be given its place in the MIB here and in the manual. */
	assert_int_equal(array_size(expected), VRRP_DROP_MAX);
	for (unsigned int i = 0; i < array_size(expected); i++) {
		assert_int_equal(expected[i].reason, i);
		assert_int_equal(vrrp_snmp_drop_counter(i), expected[i].counter);
		assert_int_equal(vrrp_snmp_drop_proto_err(i), expected[i].err);
	}
	assert_int_equal(vrrp_snmp_drop_counter(VRRP_DROP_MAX), VRRP_SNMP_CNT_NONE);
	assert_int_equal(vrrp_snmp_drop_proto_err(VRRP_DROP_MAX), VRRP_SNMP_NO_ERROR);
}

static void test_drop_sum(void **state)
{
	uint32_t drops[VRRP_DROP_MAX];

	/* Reason r counted r * 10 times, so each sum names its reasons. */
	for (unsigned int r = 0; r < VRRP_DROP_MAX; r++)
		drops[r] = r * 10;
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_IP_TTL), 20);
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_PKT_LENGTH), 30 + 70);
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_ADDR_LIST), 60 + 110);
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_ADV_INTERVAL), 90 + 140);
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_VERSION), 40 + 130);
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_CHECKSUM), 80);
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_VRID), 120);
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_INVALID_TYPE), 50);
	assert_int_equal(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_NONE), 0);
	assert_int_equal(vrrp_snmp_drop_sum(NULL, VRRP_SNMP_CNT_VRID), 0);
	/* Counter64: no 32-bit wrap in the sum. */
	drops[VRRP_DROP_INTERVAL] = UINT32_MAX;
	drops[VRRP_DROP_INTERVAL_MISMATCH] = UINT32_MAX;
	assert_true(vrrp_snmp_drop_sum(drops, VRRP_SNMP_CNT_ADV_INTERVAL) == 2ULL * UINT32_MAX);
}

static void test_enums(void **state)
{
	assert_int_equal(vrrp_snmp_status(VRRP_STATE_INITIALIZE), 1);
	assert_int_equal(vrrp_snmp_status(VRRP_STATE_BACKUP), 2);
	assert_int_equal(vrrp_snmp_status(VRRP_STATE_MASTER), 3);

	assert_int_equal(vrrp_snmp_master_reason(VRRP_REASON_OWNER, false),
			 VRRP_SNMP_MASTER_PRIORITY);
	assert_int_equal(vrrp_snmp_master_reason(VRRP_REASON_RESUMED, true),
			 VRRP_SNMP_MASTER_PRIORITY);
	assert_int_equal(vrrp_snmp_master_reason(VRRP_REASON_MASTER_TIMEOUT, false),
			 VRRP_SNMP_MASTER_NO_RESPONSE);
	assert_int_equal(vrrp_snmp_master_reason(VRRP_REASON_MASTER_TIMEOUT, true),
			 VRRP_SNMP_MASTER_PREEMPTED);
	for (enum vrrp_reason r = VRRP_REASON_NONE; r < VRRP_REASON_MAX; r++)
		if (r != VRRP_REASON_OWNER && r != VRRP_REASON_RESUMED &&
		    r != VRRP_REASON_MASTER_TIMEOUT)
			assert_int_equal(vrrp_snmp_master_reason(r, true), VRRP_SNMP_NOT_MASTER);

	/* Heard a lower Master since entering Backup: preempted. */
	assert_true(vrrp_snmp_preempted(12, 10, 100, 200));
	/* The Master it heard was higher (it went silent, or released): no response. */
	assert_false(vrrp_snmp_preempted(12, 10, 250, 200));
	/* Equal priority does not preempt (RFC 9568 6.4.2). */
	assert_false(vrrp_snmp_preempted(12, 10, 200, 200));
	/* Heard nothing in this Backup period: an old Master's priority does not count. */
	assert_false(vrrp_snmp_preempted(10, 10, 100, 200));
	assert_false(vrrp_snmp_preempted(12, 10, 0, 200));
}

static void test_index(void **state)
{
	struct vrrp_snmp_key k = {.ifindex = 3, .vrid = 5, .inet_type = VRRP_SNMP_INET_IPV4};
	vrrp_snmp_oid o[VRRP_SNMP_INDEX_MAX];
	static const vrrp_snmp_oid v4[] = {3, 5, 1, 4, 10, 10, 10, 16};
	/* clang-format off */
	static const vrrp_snmp_oid v6[] = {
		3, 5, 2, 16,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16,
	};
	/* clang-format on */
	size_t n;

	assert_int_equal(vrrp_snmp_index(&k, false, o), 3);
	assert_memory_equal(o, v4, 3 * sizeof(o[0]));
	k.addrlen = 4;
	memcpy(k.addr, (uint8_t[]){10, 10, 10, 16}, 4);
	n = vrrp_snmp_index(&k, true, o);
	assert_int_equal(n, array_size(v4));
	assert_memory_equal(o, v4, sizeof(v4));

	memset(&k, 0, sizeof(k));
	k = (struct vrrp_snmp_key){.ifindex = 3, .vrid = 5, .inet_type = VRRP_SNMP_INET_IPV6};
	k.addrlen = 16;
	memcpy(k.addr, (uint8_t[]){0x20, 0x01, 0x0d, 0xb8, [15] = 0x16}, 16);
	n = vrrp_snmp_index(&k, true, o);
	assert_int_equal(n, VRRP_SNMP_INDEX_MAX);
	assert_memory_equal(o, v6, sizeof(v6));
}

static void test_oid_order(void **state)
{
	const vrrp_snmp_oid a[] = {1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 3, 2, 5, 1};
	const vrrp_snmp_oid b[] = {1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 3, 10, 1, 1};
	const vrrp_snmp_oid col[] = {1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 3};

	/* ifIndex 2 before ifIndex 10: numbers, not strings. */
	assert_true(vrrp_snmp_oid_cmp(a, array_size(a), b, array_size(b)) < 0);
	assert_true(vrrp_snmp_oid_cmp(b, array_size(b), a, array_size(a)) > 0);
	assert_int_equal(vrrp_snmp_oid_cmp(a, array_size(a), a, array_size(a)), 0);
	/* A column (a walk's start) comes before each of its instances. */
	assert_true(vrrp_snmp_oid_cmp(col, array_size(col), a, array_size(a)) < 0);
	assert_true(vrrp_snmp_oid_cmp(a, array_size(a), col, array_size(col)) > 0);
	/* Sub-identifiers above 255 (ifIndex) compare as numbers too. */
	const vrrp_snmp_oid big[] = {1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 3, 300, 1, 1};
	assert_true(vrrp_snmp_oid_cmp(b, array_size(b), big, array_size(big)) < 0);
}

static void test_rate_limit(void **state)
{
	uint64_t last = 0, s = 1000 * 1000;

	assert_true(vrrp_snmp_rate_ok(&last, 5 * s, VRRP_SNMP_PROTO_TRAP_INTERVAL_US));
	assert_false(vrrp_snmp_rate_ok(&last, 6 * s, VRRP_SNMP_PROTO_TRAP_INTERVAL_US));
	assert_false(vrrp_snmp_rate_ok(&last, 15 * s - 1, VRRP_SNMP_PROTO_TRAP_INTERVAL_US));
	assert_true(vrrp_snmp_rate_ok(&last, 15 * s, VRRP_SNMP_PROTO_TRAP_INTERVAL_US));
	assert_true(last == 15 * s);
	/* A clock at 0 still arms the limit. */
	last = 0;
	assert_true(vrrp_snmp_rate_ok(&last, 0, 10));
	assert_false(vrrp_snmp_rate_ok(&last, 5, 10));
}

static void test_time(void **state)
{
	uint64_t s = 1000 * 1000;

	/* sysUpTime 500 s now; an event 20 s ago happened at 480 s. */
	assert_int_equal(vrrp_snmp_timestamp(80 * s, 100 * s, 50000), 48000);
	/* Before the agent started, or never: zero. */
	assert_int_equal(vrrp_snmp_timestamp(10 * s, 100 * s, 5000), 0);
	assert_int_equal(vrrp_snmp_timestamp(0, 100 * s, 50000), 0);
	assert_int_equal(vrrp_snmp_timestamp(101 * s, 100 * s, 50000), 0);
	assert_int_equal(vrrp_snmp_ticks(10 * s, 12 * s + 345678), 234);
	assert_int_equal(vrrp_snmp_ticks(0, 12 * s), 0);
	assert_int_equal(vrrp_snmp_ticks(13 * s, 12 * s), 0);
}

/* protodown-off <=> the step entered Master, for every state, event and kind of packet. */
static void check_steps(const struct vrrp_fsm_config *cfg, const struct vrrp_fsm_vars *cur)
{
	static const struct vrrp_fsm_rx rxs[] = {
		{.priority = 0, .adver_interval = 100, .addr_cmp = 1},
		{.priority = 50, .adver_interval = 100, .addr_cmp = -1},
		{.priority = 100, .adver_interval = 100, .addr_cmp = 1},
		{.priority = 100, .adver_interval = 100, .addr_cmp = -1},
		{.priority = 254, .adver_interval = 100, .addr_cmp = 1},
	};
	uint64_t nows[] = {cur->adver_deadline, cur->master_down_deadline, 1, UINT64_MAX / 2};

	for (enum vrrp_event ev = 0; ev < VRRP_EV_MAX; ev++)
		for (unsigned int i = 0; i < array_size(rxs); i++)
			for (unsigned int t = 0; t < array_size(nows); t++) {
				struct vrrp_fsm_out out;
				bool entered;

				vrrp_fsm_step(cfg, cur, ev, &rxs[i], nows[t], &out);
				entered = out.next.state == VRRP_STATE_MASTER &&
					  cur->state != VRRP_STATE_MASTER;
				assert_int_equal(!!(out.actions & VRRP_ACT_PROTODOWN_OFF),
						 entered);
			}
}

static void test_master_entry_action(void **state)
{
	struct vrrp_fsm_config cfg = {
		.version = 3, .priority = 100, .preempt = true, .adver_interval = 100};
	struct vrrp_fsm_vars v;
	struct vrrp_fsm_out out;

	assert_int_equal(1u << vrrp_snmp_master_entry_action(), VRRP_ACT_PROTODOWN_OFF);
	for (int owner = 0; owner < 2; owner++) {
		cfg.priority = owner ? 255 : 100;
		vrrp_fsm_init(&cfg, &v);
		check_steps(&cfg, &v);
		vrrp_fsm_step(&cfg, &v, VRRP_EV_STARTUP, NULL, 1, &out);
		v = out.next;
		check_steps(&cfg, &v);
		if (v.state == VRRP_STATE_BACKUP) {
			vrrp_fsm_step(&cfg, &v, VRRP_EV_MASTER_DOWN_TIMER, NULL,
				      v.master_down_deadline, &out);
			v = out.next;
		}
		assert_int_equal(v.state, VRRP_STATE_MASTER);
		check_steps(&cfg, &v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_mapping), cmocka_unit_test(test_drop_sum),
		cmocka_unit_test(test_enums),	     cmocka_unit_test(test_index),
		cmocka_unit_test(test_oid_order),    cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_time),	     cmocka_unit_test(test_master_entry_action),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
