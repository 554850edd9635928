// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the notifier process (vrrpd/vrrp_notifier*.c), run for real: each test forks
 * one on a socketpair and plays the daemon. A script gets keepalived's arguments and only the
 * VRRP_* environment; exit status and stderr come back; one router's scripts run in order,
 * different routers' at the same time; a timeout kills the script's whole process group and
 * the next script starts; unsafe or missing scripts are refused; the FIFO gets keepalived's
 * lines, and without a reader they are dropped and reported; a full queue drops and reports;
 * nothing is left as a zombie; the notifier runs what it was sent after the daemon's end
 * closes, then ends.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vrrp_notifier.h"
#include "vrrp_notify_msg.h"

static int nfd = -1;
static pid_t npid;
static char dir[64];
static char path[VRRP_NOTIFY_PATH_MAX];

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int setup(void **state)
{
	int sv[2];

	strlcpy(dir, "/tmp/vrrp-notifier-XXXXXX", sizeof(dir));
	assert_non_null(mkdtemp(dir));
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	npid = fork();
	assert_true(npid >= 0);
	if (npid == 0) {
		close(sv[0]);
		vrrp_notifier_main(sv[1], NULL);
	}
	close(sv[1]);
	nfd = sv[0];
	return 0;
}

/* Wait for the notifier to end (it must, once our end is closed); 0 if it did. */
static int wait_notifier(unsigned int ms)
{
	uint64_t until = now_ms() + ms;
	int status;

	while (now_ms() < until) {
		if (waitpid(npid, &status, WNOHANG) == npid) {
			npid = 0;
			return 0;
		}
		usleep(5000);
	}
	return -1;
}

static int teardown(void **state)
{
	char cmd[128];

	if (nfd >= 0)
		close(nfd);
	nfd = -1;
	if (npid > 0 && wait_notifier(15000)) {
		kill(npid, SIGKILL);
		waitpid(npid, NULL, 0);
		fail_msg("the notifier did not end after its socket closed");
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static const char *script(const char *name, const char *body, mode_t mode)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void send_msg(const struct vrrp_nmsg *m)
{
	uint8_t buf[VRRP_NOTIFY_MSG_MAX];
	size_t len = vrrp_nmsg_encode(m, buf, sizeof(buf));

	assert_true(len > 0);
	assert_int_equal(send(nfd, buf, len, 0), (ssize_t)len);
}

static void send_event(const char *ifname, uint32_t vrid, uint32_t seq, const char *state,
		       const char *script_path, uint32_t timeout, const char *fifo)
{
	static struct vrrp_nmsg m;

	memset(&m, 0, sizeof(m));
	m.type = VRRP_NMSG_EVENT;
	m.seq = seq;
	m.vrid = vrid;
	m.priority = 210;
	m.timeout = timeout;
	strlcpy(m.ifname, ifname, sizeof(m.ifname));
	vrrp_notify_name(ifname, vrid, false, m.name, sizeof(m.name));
	strlcpy(m.state, state, sizeof(m.state));
	strlcpy(m.script, script_path ? script_path : "", sizeof(m.script));
	strlcpy(m.fifo, fifo ? fifo : "", sizeof(m.fifo));
	m.env_len = snprintf(m.env, sizeof(m.env), "VRRP_NAME=%s", m.name) + 1;
	send_msg(&m);
}

/* The next report within ms, or -1. */
static int report(struct vrrp_nmsg *m, unsigned int ms)
{
	static uint8_t buf[VRRP_NOTIFY_MSG_MAX];
	struct pollfd pfd = {.fd = nfd, .events = POLLIN};
	ssize_t n;

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	n = recv(nfd, buf, sizeof(buf), 0);
	assert_true(n > 0);
	assert_int_equal(vrrp_nmsg_decode(buf, n, m), 0);
	return 0;
}

static void expect_result(uint32_t seq, uint32_t outcome, uint32_t code, struct vrrp_nmsg *m)
{
	assert_int_equal(report(m, 5000), 0);
	assert_int_equal(m->type, VRRP_NMSG_RESULT);
	assert_int_equal(m->seq, seq);
	assert_int_equal(m->outcome, outcome);
	assert_int_equal(m->code, code);
}

static char *slurp(const char *name)
{
	static char buf[4096];
	char p[128];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_args_env_and_status(void **state)
{
	static struct vrrp_nmsg m;
	char body[512], *env, *line, *save = NULL;

	snprintf(body, sizeof(body),
		 "printf '%%s\\n' \"$@\" > %s/args\nenv > %s/env\n"
		 "echo one >&2; echo two >&2; echo three >&2; echo four >&2\nexit 3",
		 dir, dir);
	send_event("eth1", 5, 1, "MASTER", script("a.sh", body, 0755), 0, NULL);
	expect_result(1, VRRP_NOUT_EXITED, 3, &m);
	assert_string_equal(m.name, "eth1-5-v4");
	assert_string_equal(m.text, "one | two | three");
	assert_string_equal(slurp("args"), "INSTANCE\neth1-5-v4\nMASTER\n210\n");
	env = slurp("env");
	assert_non_null(strstr(env, "VRRP_NAME=eth1-5-v4\n"));
	/* Only what the notifier sets, whatever its own environment holds. */
	for (line = strtok_r(env, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		assert_true(!strncmp(line, "VRRP_", 5) || !strncmp(line, "PATH=", 5) ||
			    !strncmp(line, "HOME=", 5) || !strncmp(line, "USER=", 5) ||
			    !strncmp(line, "LOGNAME=", 8) || !strncmp(line, "PWD=", 4) ||
			    !strncmp(line, "SHLVL=", 6) || !strncmp(line, "_=", 2));
}

static void test_one_router_in_order(void **state)
{
	static struct vrrp_nmsg m;
	static const char *const states[] = {"BACKUP", "MASTER", "FAULT"};
	char body[256], want[256] = "";
	const char *s;

	snprintf(body, sizeof(body), "echo start $3 >> %s/log; sleep 0.2; echo end $3 >> %s/log",
		 dir, dir);
	s = script("o.sh", body, 0700);
	for (int i = 0; i < 3; i++)
		send_event("eth1", 5, i + 1, states[i], s, 0, NULL);
	for (int i = 0; i < 3; i++) {
		expect_result(i + 1, VRRP_NOUT_EXITED, 0, &m);
		assert_string_equal(m.state, states[i]);
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "start %s\nend %s\n",
			 states[i], states[i]);
	}
	assert_string_equal(slurp("log"), want);
}

static void test_routers_in_parallel(void **state)
{
	static struct vrrp_nmsg m;
	const char *s = script("p.sh", "sleep 0.5", 0700);
	uint64_t t0 = now_ms();

	send_event("eth1", 5, 1, "MASTER", s, 0, NULL);
	send_event("eth1", 6, 1, "MASTER", s, 0, NULL);
	send_event("eth2", 5, 1, "MASTER", s, 0, NULL);
	for (int i = 0; i < 3; i++)
		expect_result(1, VRRP_NOUT_EXITED, 0, &m);
	assert_true(now_ms() - t0 < 1200);
}

/* Children of pid that are zombies. */
static int zombies_of(pid_t pid)
{
	char cmd[160], out[64] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ps -o stat= --ppid %d | grep -c Z", (int)pid);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	pclose(p);
	return atoi(out);
}

static void test_timeout_kills_the_group(void **state)
{
	static struct vrrp_nmsg m;
	char body[256], *pidtxt;
	const char *s;
	uint64_t t0 = now_ms();
	pid_t bg;

	snprintf(body, sizeof(body), "sleep 30 & echo $! > %s/bg\nwait", dir);
	s = script("t.sh", body, 0700);
	send_event("eth1", 5, 1, "BACKUP", s, 1, NULL);
	/* Queued behind it: starts once the first is killed, not 30 s later. */
	send_event("eth1", 5, 2, "MASTER", script("u.sh", "exit 0", 0700), 0, NULL);
	expect_result(1, VRRP_NOUT_TIMEOUT, SIGTERM, &m);
	assert_true(m.duration >= 1000 && m.duration < 1500);
	expect_result(2, VRRP_NOUT_EXITED, 0, &m);
	assert_true(now_ms() - t0 < 2500);
	pidtxt = slurp("bg");
	assert_non_null(pidtxt);
	bg = atoi(pidtxt);
	for (int i = 0; i < 100 && kill(bg, 0) == 0; i++)
		usleep(10000);
	/* The background sleep went with its group, and was reaped by the notifier. */
	assert_int_equal(kill(bg, 0), -1);
	assert_int_equal(zombies_of(npid), 0);
}

static void test_refusals(void **state)
{
	static struct vrrp_nmsg m;
	char sub[96];

	send_event("eth1", 5, 1, "MASTER", "relative.sh", 0, NULL);
	expect_result(1, VRRP_NOUT_REFUSED, 0, &m);
	assert_non_null(strstr(m.text, "not an absolute path"));
	snprintf(sub, sizeof(sub), "%s/missing.sh", dir);
	send_event("eth1", 5, 2, "MASTER", sub, 0, NULL);
	expect_result(2, VRRP_NOUT_REFUSED, 0, &m);
	assert_non_null(strstr(m.text, "No such file"));
	send_event("eth1", 5, 3, "MASTER", script("w.sh", "exit 0", 0775), 0, NULL);
	expect_result(3, VRRP_NOUT_REFUSED, 0, &m);
	assert_non_null(strstr(m.text, "may be changed by users other than root"));
	send_event("eth1", 5, 4, "MASTER", script("x.sh", "exit 0", 0644), 0, NULL);
	expect_result(4, VRRP_NOUT_REFUSED, 0, &m);
	assert_non_null(strstr(m.text, "not executable"));
	/* A group-writable directory above it. */
	snprintf(sub, sizeof(sub), "%s/open", dir);
	assert_int_equal(mkdir(sub, 0775), 0);
	assert_int_equal(chmod(sub, 0775), 0);
	send_event("eth1", 5, 5, "MASTER", script("open/y.sh", "exit 0", 0755), 0, NULL);
	expect_result(5, VRRP_NOUT_REFUSED, 0, &m);
	assert_non_null(strstr(m.text, "directory"));
	/* A sticky one, as /tmp is, is fine. */
	assert_int_equal(chmod(sub, 01777), 0);
	send_event("eth1", 5, 6, "MASTER", path, 0, NULL);
	expect_result(6, VRRP_NOUT_EXITED, 0, &m);
}

/* Read from a non-blocking FIFO until it gave `want` lines, 3 s at most. */
static void read_lines(int fd, char *buf, size_t len, int want)
{
	uint64_t until = now_ms() + 3000;
	size_t n = 0;
	int lines = 0;

	buf[0] = '\0';
	while (lines < want && now_ms() < until) {
		ssize_t r = read(fd, buf + n, len - 1 - n);

		if (r > 0) {
			for (ssize_t i = 0; i < r; i++)
				lines += buf[n + i] == '\n';
			n += r;
			buf[n] = '\0';
			continue;
		}
		usleep(10000);
	}
}

static void test_fifo(void **state)
{
	static struct vrrp_nmsg m;
	char fifo[96], line[128];
	struct stat st;
	int rd;

	snprintf(fifo, sizeof(fifo), "%s/notify.fifo", dir);
	m = (struct vrrp_nmsg){.type = VRRP_NMSG_FIFO};
	strlcpy(m.fifo, fifo, sizeof(m.fifo));
	send_msg(&m);
	/* No reader yet: the line is dropped and said so, never waited for. */
	send_event("eth1", 5, 1, "BACKUP", NULL, 0, fifo);
	assert_int_equal(report(&m, 3000), 0);
	assert_int_equal(m.type, VRRP_NMSG_DROPPED);
	assert_int_equal(m.outcome, VRRP_NDROP_FIFO);
	assert_non_null(strstr(m.text, "no reader"));
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);

	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	send_event("eth1", 5, 2, "MASTER", NULL, 0, fifo);
	send_event("eth2", 7, 1, "FAULT", NULL, 0, fifo);
	read_lines(rd, line, sizeof(line), 2);
	assert_string_equal(line,
			    "INSTANCE \"eth1-5-v4\" MASTER 210\n"
			    "INSTANCE \"eth2-7-v4\" FAULT 210\n");
	close(rd);
	/* Not a FIFO there: refused, reported. */
	snprintf(fifo, sizeof(fifo), "%s/plain", dir);
	close(open(fifo, O_CREAT | O_WRONLY, 0600));
	m = (struct vrrp_nmsg){.type = VRRP_NMSG_FIFO};
	strlcpy(m.fifo, fifo, sizeof(m.fifo));
	send_msg(&m);
	assert_int_equal(report(&m, 3000), 0);
	assert_int_equal(m.type, VRRP_NMSG_FIFO_STATUS);
	assert_non_null(strstr(m.text, "is not a FIFO"));
}

static void test_full_queue_drops(void **state)
{
	static struct vrrp_nmsg m;
	char body[256], go[96];
	const char *s;
	unsigned int dropped = 0, done = 0;
	const unsigned int sent = VRRP_NOTIFIER_LANE_QUEUE + 4;

	snprintf(go, sizeof(go), "%s/go", dir);
	snprintf(body, sizeof(body), "while [ ! -e %s ]; do sleep 0.02; done", go);
	s = script("q.sh", body, 0700);
	for (unsigned int i = 1; i <= sent; i++)
		send_event("eth1", 5, i, "MASTER", s, 0, NULL);
	/* Up to one running and a full queue; the rest dropped, each one said so. */
	while (report(&m, 1000) == 0) {
		assert_int_equal(m.type, VRRP_NMSG_DROPPED);
		assert_int_equal(m.outcome, VRRP_NDROP_EVENT);
		dropped++;
	}
	assert_true(dropped == 3 || dropped == 4);
	close(open(go, O_CREAT | O_WRONLY, 0600));
	while (done + dropped < sent) {
		assert_int_equal(report(&m, 5000), 0);
		assert_int_equal(m.type, VRRP_NMSG_RESULT);
		done++;
	}
}

static void test_runs_what_it_was_sent_then_ends(void **state)
{
	char body[128];

	snprintf(body, sizeof(body), "sleep 0.3; echo $3 > %s/after", dir);
	send_event("eth1", 5, 1, "STOP", script("s.sh", body, 0700), 0, NULL);
	close(nfd);
	nfd = -1;
	assert_int_equal(wait_notifier(3000), 0);
	assert_string_equal(slurp("after"), "STOP\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_args_env_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_router_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routers_in_parallel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kills_the_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_queue_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs_what_it_was_sent_then_ends, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
