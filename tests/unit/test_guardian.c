// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the guardian (vrrpd/vrrp_guardian.c): the hold formula, the slot table, the pid
 * file check, and the guardian's life with a forked stand-in for the daemon. That stand-in
 * holds an ifindex no interface has, so the guardian's protodown fails harmlessly; this process
 * is the subreaper that collects the orphaned guardian and times its end.
 */
#include <zebra.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "vrrp_guardian.h"
#include "vrrp_timer.h"

#define MS 1000ULL
/* No interface has this index, so RTM_SETLINK on it fails with ENODEV (or EPERM). */
#define BOGUS_IFINDEX 0x7ffffff0

static void test_hold_until(void **state)
{
	/* 3 x 1 s - 1 ms, 3 x 100 ms - 1 ms, 3 x 10 ms - 1 ms, the longest interval, none. */
	assert_int_equal(vrrp_guardian_hold_until(5000000, 100), 5000000 + 2999 * MS);
	assert_int_equal(vrrp_guardian_hold_until(5000000, 10), 5000000 + 299 * MS);
	assert_int_equal(vrrp_guardian_hold_until(5000000, 1), 5000000 + 29 * MS);
	assert_int_equal(vrrp_guardian_hold_until(0, 4095), 122849 * MS);
	assert_int_equal(vrrp_guardian_hold_until(7, 0), 7);
	/* Always before the earliest Master_Down_Interval: 3 x interval, Skew_Time 0. */
	for (unsigned int cs = 1; cs <= 4095; cs++)
		assert_true(vrrp_guardian_hold_until(0, cs) < 3ULL * cs * 10000);
}

static int table_setup(void **state)
{
	vrrp_guardian_table_fini();
	return vrrp_guardian_table_init();
}

static int table_teardown(void **state)
{
	vrrp_guardian_table_fini();
	return 0;
}

static void test_slots(void **state)
{
	const struct vrrp_guard_slot *t = vrrp_guardian_table();
	int a, b, c;

	assert_non_null(t);
	a = vrrp_guardian_slot_get();
	b = vrrp_guardian_slot_get();
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	/* A slot just taken holds nothing. */
	assert_int_equal(t[a].ifindex, 0);
	vrrp_guardian_hold(a, 7, 1234);
	assert_int_equal(t[a].ifindex, 7);
	assert_int_equal(t[a].hold_until_us, 1234);
	vrrp_guardian_hold(a, 7, 5678);
	assert_int_equal(t[a].hold_until_us, 5678);
	vrrp_guardian_release(a);
	assert_int_equal(t[a].ifindex, 0);
	vrrp_guardian_hold(a, 8, 9999);
	/* Put clears the slot and makes it the next one handed out. */
	vrrp_guardian_slot_put(a);
	assert_int_equal(t[a].ifindex, 0);
	assert_int_equal(t[a].hold_until_us, 0);
	c = vrrp_guardian_slot_get();
	assert_int_equal(c, a);
	vrrp_guardian_slot_put(c);
	vrrp_guardian_slot_put(b);
	/* Slots nobody owns, and -1, are left alone. */
	vrrp_guardian_hold(5, 9, 1);
	vrrp_guardian_hold(-1, 9, 1);
	vrrp_guardian_hold(VRRP_GUARD_SLOTS, 9, 1);
	vrrp_guardian_release(-1);
	vrrp_guardian_slot_put(-1);
	assert_int_equal(t[5].ifindex, 0);
}

static void test_table_full(void **state)
{
	for (int i = 0; i < VRRP_GUARD_SLOTS; i++)
		assert_int_equal(vrrp_guardian_slot_get(), i);
	assert_int_equal(vrrp_guardian_slot_get(), -1);
	vrrp_guardian_slot_put(100);
	assert_int_equal(vrrp_guardian_slot_get(), 100);
	for (int i = 0; i < VRRP_GUARD_SLOTS; i++)
		vrrp_guardian_slot_put(i);
	assert_int_equal(vrrp_guardian_slot_get(), 0);
	vrrp_guardian_slot_put(0);
}

static void test_no_table(void **state)
{
	vrrp_guardian_table_fini();
	assert_null(vrrp_guardian_table());
	/* Without a guardian the executor's calls do nothing. */
	assert_int_equal(vrrp_guardian_slot_get(), -1);
	vrrp_guardian_hold(0, 3, 1);
	vrrp_guardian_release(0);
	vrrp_guardian_slot_put(0);
}

static void test_snapshot(void **state)
{
	struct vrrp_guard_slot out[VRRP_GUARD_SLOTS];
	int s[4];

	for (int i = 0; i < 4; i++)
		s[i] = vrrp_guardian_slot_get();
	vrrp_guardian_hold(s[0], 10, 300);
	vrrp_guardian_hold(s[1], 11, 100);
	vrrp_guardian_hold(s[2], 12, 200);
	vrrp_guardian_hold(s[3], 13, 50);
	vrrp_guardian_release(s[3]);
	/* Live slots only, earliest deadline first. */
	assert_int_equal(vrrp_guardian_snapshot(vrrp_guardian_table(), VRRP_GUARD_SLOTS, out), 3);
	assert_int_equal(out[0].ifindex, 11);
	assert_int_equal(out[1].ifindex, 12);
	assert_int_equal(out[2].ifindex, 10);
	assert_int_equal(out[0].hold_until_us, 100);
	for (int i = 0; i < 4; i++)
		vrrp_guardian_slot_put(s[i]);
	assert_int_equal(vrrp_guardian_snapshot(vrrp_guardian_table(), VRRP_GUARD_SLOTS, out), 0);
}

/* A pid file in a fresh directory; path has room for PATH_MAX. */
static void tmp_pidfile(char *path, bool create)
{
	char dir[] = "/tmp/test_guardian.XXXXXX";

	assert_non_null(mkdtemp(dir));
	snprintf(path, PATH_MAX, "%s/vrrpd.pid", dir);
	if (create) {
		int fd = open(path, O_RDWR | O_CREAT, 0644);

		assert_true(fd >= 0);
		close(fd);
	}
}

static void tmp_pidfile_rm(const char *path)
{
	char dir[PATH_MAX];

	unlink(path);
	strlcpy(dir, path, sizeof(dir));
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

/* The write lock FRR's pid_output() takes; held until the descriptor is closed. */
static int lock_pidfile(const char *path)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_SETLK, &fl), 0);
	return fd;
}

static void test_claimed(void **state)
{
	char path[PATH_MAX], c = 0;
	int fd, ready[2], hold[2];
	pid_t child;

	tmp_pidfile(path, false);
	/* No file: nobody has claimed anything. */
	assert_false(vrrp_guardian_claimed(path, 4242));
	assert_false(vrrp_guardian_claimed(NULL, 4242));
	fd = open(path, O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	/* Unlocked: the old daemon died and no new one started. */
	assert_false(vrrp_guardian_claimed(path, 4242));

	/* Locked by a child (a process sees no conflict with its own locks). */
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(hold), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		lock_pidfile(path);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		/* Keep the lock until the parent closes the pipe. */
		close(hold[1]);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(hold[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_true(vrrp_guardian_claimed(path, 4242));
	/* The dead daemon's own lock is no claim. */
	assert_false(vrrp_guardian_claimed(path, child));
	close(hold[1]);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_false(vrrp_guardian_claimed(path, 4242));
	close(ready[0]);
	close(ready[1]);
	tmp_pidfile_rm(path);
}

enum fake_end {
	FAKE_KILLED,
	FAKE_EXIT
};

/*
 * A stand-in for the daemon: it starts a guardian, holds BOGUS_IFINDEX until hold_us (none if
 * 0), then ends as told. Its stderr, which the guardian inherits, goes to errfd.
 */
static pid_t fake_daemon(const char *pidfile, uint64_t hold_us, enum fake_end end, int errfd)
{
	pid_t pid;

	/* exit() in the child must not print cmocka's buffered output a second time. */
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid)
		return pid;
	dup2(errfd, STDERR_FILENO);
	vrrp_guardian_table_fini();
	if (vrrp_guardian_start(pidfile))
		_exit(2);
	if (hold_us)
		vrrp_guardian_hold(vrrp_guardian_slot_get(), BOGUS_IFINDEX, hold_us);
	if (end == FAKE_KILLED)
		raise(SIGKILL);
	exit(0);
}

struct guard_end {
	pid_t daemon;
	int daemon_status;
	pid_t guardian; /* 0 if it was gone when the daemon was */
	uint64_t guardian_end;
	char log[512];
};

/* Run a fake daemon to its end and collect the guardian it orphaned, if any. */
static void run_fake(const char *pidfile, uint64_t hold_us, enum fake_end end, struct guard_end *r)
{
	FILE *err = tmpfile();
	int status;
	size_t n;

	assert_non_null(err);
	memset(r, 0, sizeof(*r));
	r->daemon = fake_daemon(pidfile, hold_us, end, fileno(err));
	assert_int_equal(waitpid(r->daemon, &r->daemon_status, 0), r->daemon);
	r->guardian = waitpid(-1, &status, WNOHANG);
	if (r->guardian < 0 && errno == ECHILD) {
		r->guardian = 0;
	} else {
		if (r->guardian == 0)
			r->guardian = waitpid(-1, &status, 0);
		r->guardian_end = vrrp_now_us();
		assert_true(r->guardian > 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	rewind(err);
	n = fread(r->log, 1, sizeof(r->log) - 1, err);
	r->log[n] = '\0';
	fclose(err);
}

static int subreaper_setup(void **state)
{
	vrrp_guardian_table_fini();
	/* The orphaned guardians come to us, so we can time and reap them. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		return -1;
	/* A guardian that never ends must not hang `make check`. */
	alarm(30);
	return 0;
}

/* Killed while Master, no new daemon: the guardian acts at the deadline, not before. */
static void test_guardian_acts_at_deadline(void **state)
{
	char path[PATH_MAX];
	struct guard_end r;
	uint64_t hold = vrrp_now_us() + 300 * MS;

	tmp_pidfile(path, true);
	run_fake(path, hold, FAKE_KILLED, &r);
	assert_true(WIFSIGNALED(r.daemon_status));
	assert_true(r.guardian > 0);
	assert_true(r.guardian_end >= hold);
	assert_true(r.guardian_end < hold + 5000 * MS);
	assert_non_null(strstr(r.log, "vrrpd-guard["));
	assert_non_null(strstr(r.log, "protodown of ? (ifindex 2147483632) failed"));
	tmp_pidfile_rm(path);
}

/* A new daemon holds the pid file at the deadline: the guardian leaves without a protodown. */
static void test_guardian_yields_to_new_daemon(void **state)
{
	char path[PATH_MAX];
	struct guard_end r;
	uint64_t hold = vrrp_now_us() + 200 * MS;
	int fd;

	tmp_pidfile(path, true);
	fd = lock_pidfile(path);
	run_fake(path, hold, FAKE_KILLED, &r);
	close(fd);
	assert_true(r.guardian > 0);
	assert_true(r.guardian_end >= hold);
	assert_non_null(strstr(r.log, "a new vrrpd holds"));
	assert_null(strstr(r.log, "protodown"));
	tmp_pidfile_rm(path);
}

/* Killed with nothing held (a Backup): the guardian ends at once, quietly. */
static void test_guardian_nothing_held(void **state)
{
	char path[PATH_MAX];
	struct guard_end r;
	uint64_t t0 = vrrp_now_us();

	tmp_pidfile(path, true);
	run_fake(path, 0, FAKE_KILLED, &r);
	assert_true(r.guardian > 0);
	/* "At once" with room for a loaded machine; a held slot would wait for its deadline. */
	assert_true(r.guardian_end < t0 + 5000 * MS);
	assert_string_equal(r.log, "");
	tmp_pidfile_rm(path);
}

/* A pipe on stderr reaches end of file when the daemon dies, not when the guardian does. */
static void test_guardian_drops_stderr_pipe(void **state)
{
	struct pollfd pfd = {.events = POLLIN};
	char path[PATH_MAX], c;
	int p[2], status;
	pid_t daemon, guardian;

	tmp_pidfile(path, true);
	assert_int_equal(pipe(p), 0);
	daemon = fake_daemon(path, vrrp_now_us() + 2000 * MS, FAKE_KILLED, p[1]);
	close(p[1]);
	assert_int_equal(waitpid(daemon, &status, 0), daemon);
	pfd.fd = p[0];
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(read(p[0], &c, 1), 0);
	/* The guardian is still holding its macvlan: it let go of the pipe at its start. */
	assert_int_equal(waitpid(-1, &status, WNOHANG), 0);
	guardian = waitpid(-1, &status, 0);
	assert_true(guardian > 0 && WIFEXITED(status));
	close(p[0]);
	tmp_pidfile_rm(path);
}

/* A normal exit waits for its guardian: nothing is left to reap when the daemon is. */
static void test_normal_exit_reaps_guardian(void **state)
{
	char path[PATH_MAX];
	struct guard_end r;

	tmp_pidfile(path, true);
	run_fake(path, 0, FAKE_EXIT, &r);
	assert_true(WIFEXITED(r.daemon_status));
	assert_int_equal(WEXITSTATUS(r.daemon_status), 0);
	assert_int_equal(r.guardian, 0);
	assert_string_equal(r.log, "");
	tmp_pidfile_rm(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hold_until),
		cmocka_unit_test_setup_teardown(test_slots, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_table_full, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_no_table, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot, table_setup, table_teardown),
		cmocka_unit_test(test_claimed),
		cmocka_unit_test_setup(test_guardian_acts_at_deadline, subreaper_setup),
		cmocka_unit_test_setup(test_guardian_yields_to_new_daemon, subreaper_setup),
		cmocka_unit_test_setup(test_guardian_nothing_held, subreaper_setup),
		cmocka_unit_test_setup(test_guardian_drops_stderr_pipe, subreaper_setup),
		cmocka_unit_test_setup(test_normal_exit_reaps_guardian, subreaper_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
