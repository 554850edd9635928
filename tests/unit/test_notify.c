// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for what a notify script, a FIFO reader and the notifier get (vrrpd/
 * vrrp_notify_msg.c): keepalived's state words and the rule for FAULT and STOP, the instance
 * name, the FIFO line with its quotes and the argument vector without them, the VRRP_*
 * environment, and the message codec with everything it must refuse.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vrrp_exec.h"
#include "vrrp_notify_msg.h"

static void test_state_words(void **state)
{
	struct vrrp_notify_why none = {};

	assert_string_equal(vrrp_notify_state_str(VRRP_NOTIFY_MASTER), "MASTER");
	assert_string_equal(vrrp_notify_state_str(VRRP_NOTIFY_BACKUP), "BACKUP");
	assert_string_equal(vrrp_notify_state_str(VRRP_NOTIFY_FAULT), "FAULT");
	assert_string_equal(vrrp_notify_state_str(VRRP_NOTIFY_STOP), "STOP");
	assert_string_equal(vrrp_notify_state_str(VRRP_NOTIFY_STATE_MAX), "{UNKNOWN}");
	assert_int_equal(vrrp_notify_state_map(VRRP_STATE_MASTER, &none), VRRP_NOTIFY_MASTER);
	assert_int_equal(vrrp_notify_state_map(VRRP_STATE_BACKUP, &none), VRRP_NOTIFY_BACKUP);
	/* Initialize with no administrative reason: something it needs failed. */
	assert_int_equal(vrrp_notify_state_map(VRRP_STATE_INITIALIZE, &none), VRRP_NOTIFY_FAULT);
}

static void test_stop_reasons(void **state)
{
	static const size_t offsets[] = {
		offsetof(struct vrrp_notify_why, daemon_stopping),
		offsetof(struct vrrp_notify_why, removed),
		offsetof(struct vrrp_notify_why, shutdown),
		offsetof(struct vrrp_notify_why, no_addresses),
		offsetof(struct vrrp_notify_why, family_disabled),
		offsetof(struct vrrp_notify_why, version_change),
	};

	for (size_t i = 0; i < array_size(offsets); i++) {
		struct vrrp_notify_why why = {};

		*(bool *)((char *)&why + offsets[i]) = true;
		assert_int_equal(vrrp_notify_state_map(VRRP_STATE_INITIALIZE, &why),
				 VRRP_NOTIFY_STOP);
		/* The reasons only ever matter for Initialize. */
		assert_int_equal(vrrp_notify_state_map(VRRP_STATE_MASTER, &why),
				 VRRP_NOTIFY_MASTER);
		assert_int_equal(vrrp_notify_state_map(VRRP_STATE_BACKUP, &why),
				 VRRP_NOTIFY_BACKUP);
	}
}

static void test_name_line_argv(void **state)
{
	char name[VRRP_NOTIFY_NAME_MAX], line[64], prio[4];
	const char *argv[6];

	vrrp_notify_name("eth1", 5, false, name, sizeof(name));
	assert_string_equal(name, "eth1-5-v4");
	vrrp_notify_name("br-lan.10", 255, true, name, sizeof(name));
	assert_string_equal(name, "br-lan.10-255-v6");

	/* The FIFO line quotes the name (keepalived's notify_fifo()). */
	assert_int_equal(vrrp_notify_fifo_line("eth1-5-v4", "MASTER", 210, line, sizeof(line)),
			 strlen("INSTANCE \"eth1-5-v4\" MASTER 210\n"));
	assert_string_equal(line, "INSTANCE \"eth1-5-v4\" MASTER 210\n");
	assert_int_equal(vrrp_notify_fifo_line("eth1-5-v4", "MASTER", 210, line, 20), 0);

	/* A script gets the name as one plain argument (keepalived's notify_script_exec()). */
	vrrp_notify_argv("/etc/frr/n.sh", "eth1-5-v4", "BACKUP", 200, prio, sizeof(prio), argv);
	assert_string_equal(argv[0], "/etc/frr/n.sh");
	assert_string_equal(argv[1], "INSTANCE");
	assert_string_equal(argv[2], "eth1-5-v4");
	assert_string_equal(argv[3], "BACKUP");
	assert_string_equal(argv[4], "200");
	assert_null(argv[5]);
}

static struct vrrp_state_event takeover(void)
{
	struct vrrp_state_event e = {
		.ifname = "eth1",
		.vrid = 5,
		.afi = VRRP_AFI_V4,
		.old_state = VRRP_STATE_BACKUP,
		.new_state = VRRP_STATE_MASTER,
		.event = VRRP_EV_MASTER_DOWN_TIMER,
		.reason = VRRP_REASON_MASTER_TIMEOUT,
		.priority = 200,
		.master_priority = 200,
		.prev_master_priority = 210,
		.when = {.tv_sec = 1796094764, .tv_usec = 1234},
		.why = "RFC 9568 §6.4.2: Master_Down_Timer fired",
	};

	str2ipaddr("10.10.10.10", &e.master);
	str2ipaddr("10.10.10.15", &e.prev_master);
	return e;
}

/* The value of NAME in a NUL-separated environment, or NULL. */
static const char *env_get(const char *env, size_t len, const char *name)
{
	size_t nl = strlen(name);

	for (size_t off = 0; off < len; off += strlen(env + off) + 1)
		if (!strncmp(env + off, name, nl) && env[off + nl] == '=')
			return env + off + nl + 1;
	return NULL;
}

static void test_env(void **state)
{
	struct vrrp_state_event e = takeover();
	char env[VRRP_NOTIFY_ENV_MAX];
	size_t len = vrrp_notify_env(&e, "eth1-5-v4", "MASTER", 7, env, sizeof(env));
	static const char *const want[][2] = {
		{"VRRP_NAME", "eth1-5-v4"},
		{"VRRP_STATE", "MASTER"},
		{"VRRP_INTERFACE", "eth1"},
		{"VRRP_VRID", "5"},
		{"VRRP_FAMILY", "v4"},
		{"VRRP_OLD_STATE", "Backup"},
		{"VRRP_NEW_STATE", "Master"},
		{"VRRP_REASON", "master-timeout"},
		{"VRRP_PRIORITY", "200"},
		{"VRRP_MASTER", "10.10.10.10"},
		{"VRRP_MASTER_PRIORITY", "200"},
		{"VRRP_PREVIOUS_MASTER", "10.10.10.15"},
		{"VRRP_PREVIOUS_MASTER_PRIORITY", "210"},
		{"VRRP_TIME", "2026-12-01T03:12:44.001234Z"},
		{"VRRP_SEQUENCE", "7"},
		{"VRRP_WHY", "RFC 9568 §6.4.2: Master_Down_Timer fired"},
	};
	unsigned int n = 0;

	assert_true(len > 0);
	for (size_t i = 0; i < array_size(want); i++) {
		const char *v = env_get(env, len, want[i][0]);

		assert_non_null(v);
		assert_string_equal(v, want[i][1]);
	}
	assert_non_null(env_get(env, len, "VRRP_EVENT"));
	for (size_t off = 0; off < len; off += strlen(env + off) + 1, n++)
		assert_true(vrrp_notify_env_ok(env + off));
	assert_true(n <= VRRP_NOTIFY_ENV_COUNT);

	/* An unknown Master is empty, priority and all, so scripts can test with -n. */
	e.master.ipa_type = IPADDR_NONE;
	e.prev_master.ipa_type = IPADDR_NONE;
	e.afi = VRRP_AFI_V6;
	len = vrrp_notify_env(&e, "eth1-5-v6", "FAULT", 8, env, sizeof(env));
	assert_string_equal(env_get(env, len, "VRRP_MASTER"), "");
	assert_string_equal(env_get(env, len, "VRRP_MASTER_PRIORITY"), "");
	assert_string_equal(env_get(env, len, "VRRP_PREVIOUS_MASTER"), "");
	assert_string_equal(env_get(env, len, "VRRP_PREVIOUS_MASTER_PRIORITY"), "");
	assert_string_equal(env_get(env, len, "VRRP_FAMILY"), "v6");

	/* Too small: nothing rather than half an environment. */
	assert_int_equal(vrrp_notify_env(&e, "eth1-5-v6", "FAULT", 8, env, 100), 0);
}

static void test_env_ok(void **state)
{
	assert_true(vrrp_notify_env_ok("VRRP_X=1"));
	assert_true(vrrp_notify_env_ok("VRRP_MASTER_PRIORITY="));
	assert_false(vrrp_notify_env_ok("VRRP_=1"));
	assert_false(vrrp_notify_env_ok("VRRP_x=1"));
	assert_false(vrrp_notify_env_ok("VRRP_X"));
	/* What the daemon must never be able to hand a root script. */
	assert_false(vrrp_notify_env_ok("LD_PRELOAD=/tmp/x.so"));
	assert_false(vrrp_notify_env_ok("PATH=/tmp"));
	assert_false(vrrp_notify_env_ok("VRRP_A-B=1"));
}

static void full_event(struct vrrp_nmsg *m)
{
	struct vrrp_state_event e = takeover();

	memset(m, 0, sizeof(*m));
	m->type = VRRP_NMSG_EVENT;
	m->seq = 7;
	m->vrid = 5;
	m->priority = 200;
	m->timeout = 30;
	strlcpy(m->ifname, "eth1", sizeof(m->ifname));
	strlcpy(m->name, "eth1-5-v4", sizeof(m->name));
	strlcpy(m->state, "MASTER", sizeof(m->state));
	strlcpy(m->script, "/etc/frr/notify.sh", sizeof(m->script));
	strlcpy(m->user, "frr", sizeof(m->user));
	strlcpy(m->fifo, "/run/frr/vrrp.fifo", sizeof(m->fifo));
	m->env_len = vrrp_notify_env(&e, m->name, m->state, m->seq, m->env, sizeof(m->env));
}

static void test_codec_round_trip(void **state)
{
	static struct vrrp_nmsg m, d;
	uint8_t buf[VRRP_NOTIFY_MSG_MAX];
	size_t len;

	full_event(&m);
	len = vrrp_nmsg_encode(&m, buf, sizeof(buf));
	assert_true(len > 8);
	/* The header: magic, version, type, total length. */
	assert_memory_equal(buf, "VN\1\1", 4);
	assert_int_equal((buf[4] << 24) | (buf[5] << 16) | (buf[6] << 8) | buf[7], len);
	assert_int_equal(vrrp_nmsg_decode(buf, len, &d), 0);
	assert_memory_equal(&m, &d, sizeof(m));

	/* A report, every number set. */
	memset(&m, 0, sizeof(m));
	m.type = VRRP_NMSG_RESULT;
	m.outcome = VRRP_NOUT_TIMEOUT;
	m.code = 15;
	m.duration = 2001;
	m.lost = 3;
	strlcpy(m.text, "line one | line two", sizeof(m.text));
	len = vrrp_nmsg_encode(&m, buf, sizeof(buf));
	assert_int_equal(vrrp_nmsg_decode(buf, len, &d), 0);
	assert_memory_equal(&m, &d, sizeof(m));

	/* The largest possible message fits the limit. */
	full_event(&m);
	memset(m.script, 'a', sizeof(m.script) - 1);
	memset(m.fifo, 'b', sizeof(m.fifo) - 1);
	memset(m.text, 'c', sizeof(m.text) - 1);
	memset(m.user, 'd', sizeof(m.user) - 1);
	assert_true(vrrp_nmsg_encode(&m, buf, sizeof(buf)) > 0);
	assert_int_equal(vrrp_nmsg_encode(&m, buf, 100), 0);
}

static void test_codec_refuses(void **state)
{
	static struct vrrp_nmsg m, d;
	uint8_t buf[VRRP_NOTIFY_MSG_MAX], bad[VRRP_NOTIFY_MSG_MAX + 8];
	size_t len;

	full_event(&m);
	len = vrrp_nmsg_encode(&m, buf, sizeof(buf));

	/* Truncated anywhere: the header's length no longer matches. */
	for (size_t cut = 0; cut < len; cut += 7)
		assert_int_equal(vrrp_nmsg_decode(buf, cut, &d), -1);
	/* Bad magic, version. */
	memcpy(bad, buf, len);
	bad[0] = 'X';
	assert_int_equal(vrrp_nmsg_decode(bad, len, &d), -1);
	memcpy(bad, buf, len);
	bad[2] = 2;
	assert_int_equal(vrrp_nmsg_decode(bad, len, &d), -1);
	/* A record running past the end. */
	memcpy(bad, buf, len);
	bad[8 + 3] = 0xff;
	assert_int_equal(vrrp_nmsg_decode(bad, len, &d), -1);

	/* A number of the wrong size, a string holding a NUL, a string too long. */
	{
		uint8_t one[] = {'V', 'N', 1, 1, 0, 0, 0, 15, 1, 0, 0, 3, 0, 0, 7};
		uint8_t nul[] = {'V', 'N', 1, 1, 0, 0, 0, 15, 17, 0, 0, 3, 'a', 0, 'b'};
		uint8_t ok[] = {'V', 'N', 1, 1, 0, 0, 0, 15, 17, 0, 0, 3, 'a', 'b', 'c'};
		uint8_t unknown[] = {'V', 'N', 1, 1, 0, 0, 0, 15, 99, 0, 0, 3, 'a', 'b', 'c'};

		assert_int_equal(vrrp_nmsg_decode(one, sizeof(one), &d), -1);
		assert_int_equal(vrrp_nmsg_decode(nul, sizeof(nul), &d), -1);
		assert_int_equal(vrrp_nmsg_decode(ok, sizeof(ok), &d), 0);
		assert_string_equal(d.name, "abc");
		/* A newer peer's field is skipped. */
		assert_int_equal(vrrp_nmsg_decode(unknown, sizeof(unknown), &d), 0);
		assert_string_equal(d.name, "");
	}
	{
		uint8_t state40[8 + 4 + 40] = {'V', 'N', 1, 1, 0, 0, 0, sizeof(state40),
					       18,  0,	 0, 40};

		memset(state40 + 12, 'S', 40);
		assert_int_equal(vrrp_nmsg_decode(state40, sizeof(state40), &d), -1);
	}
	/* The environment: only VRRP_* assignments, each NUL-terminated. */
	{
		uint8_t env[8 + 4 + 11] = {'V', 'N', 1, 1, 0, 0, 0, sizeof(env), 23, 0, 0, 11};
		uint8_t noterm[8 + 4 + 8] = {'V', 'N', 1, 1, 0, 0, 0, sizeof(noterm), 23, 0, 0, 8};

		memcpy(env + 12, "LD_X=1\0A=2", 11);
		assert_int_equal(vrrp_nmsg_decode(env, sizeof(env), &d), -1);
		memcpy(env + 12, "VRRP_X=1\0\0", 11);
		assert_int_equal(vrrp_nmsg_decode(env, sizeof(env), &d), -1);
		memcpy(env + 12, "VRRP_X=1\0Y", 11);
		assert_int_equal(vrrp_nmsg_decode(env, sizeof(env), &d), -1);
		memcpy(noterm + 12, "VRRP_X=1", 8);
		assert_int_equal(vrrp_nmsg_decode(noterm, sizeof(noterm), &d), -1);
	}
}

static void test_first_lines(void **state)
{
	const char *err = "first\nsecond\nthird\nfourth\n";
	char buf[64];

	vrrp_notify_first_lines(err, strlen(err), 3, buf, sizeof(buf));
	assert_string_equal(buf, "first | second | third");
	vrrp_notify_first_lines(err, strlen(err), 1, buf, sizeof(buf));
	assert_string_equal(buf, "first");
	vrrp_notify_first_lines("no newline", 10, 3, buf, sizeof(buf));
	assert_string_equal(buf, "no newline");
	vrrp_notify_first_lines("bell\a\n", 6, 3, buf, sizeof(buf));
	assert_string_equal(buf, "bell?");
	vrrp_notify_first_lines(err, strlen(err), 3, buf, 8);
	assert_string_equal(buf, "first");
	vrrp_notify_first_lines("", 0, 3, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_words),    cmocka_unit_test(test_stop_reasons),
		cmocka_unit_test(test_name_line_argv), cmocka_unit_test(test_env),
		cmocka_unit_test(test_env_ok),	       cmocka_unit_test(test_codec_round_trip),
		cmocka_unit_test(test_codec_refuses),  cmocka_unit_test(test_first_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
