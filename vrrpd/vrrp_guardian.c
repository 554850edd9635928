// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guardian (see vrrp_guardian.h): the shared slot table the daemon writes, the fork, and the
 * child's whole life: wait for the daemon to go, then protodown what it left as Master unless a
 * new daemon holds the pid file. The child uses system calls and libc, never libfrr: the
 * daemon's log and sockets are not its to use.
 */
#include <zebra.h>

#include <net/if.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <syslog.h>

#include "lib/log.h"

#include "vrrp_errors.h"
#include "vrrp_guardian.h"

static struct {
	struct vrrp_guard_slot *table;
	/* Which slots an instance owns: a slot between get and its first hold has ifindex 0. */
	bool used[VRRP_GUARD_SLOTS];
	/* The guardian while it is our unreaped child, else 0; the SIGCHLD handler clears it. */
	volatile pid_t pid;
	volatile sig_atomic_t lost;
	bool lost_logged;
	int wfd;
} vg = {.wfd = -1};

/* The slot table. */

int vrrp_guardian_table_init(void)
{
	void *p;

	if (vg.table)
		return 0;
	p = mmap(NULL, sizeof(struct vrrp_guard_slot) * VRRP_GUARD_SLOTS, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	vg.table = p;
	return 0;
}

void vrrp_guardian_table_fini(void)
{
	if (vg.table)
		munmap(vg.table, sizeof(struct vrrp_guard_slot) * VRRP_GUARD_SLOTS);
	vg.table = NULL;
	memset(vg.used, 0, sizeof(vg.used));
}

const struct vrrp_guard_slot *vrrp_guardian_table(void)
{
	return vg.table;
}

static bool vrrp_guardian_slot_ok(int slot)
{
	return vg.table && slot >= 0 && slot < VRRP_GUARD_SLOTS && vg.used[slot];
}

int vrrp_guardian_slot_get(void)
{
	if (vg.lost && !vg.lost_logged) {
		vg.lost_logged = true;
		flog_warn(EC_VRRP_GUARDIAN,
			  "the guardian process ended; a Master's macvlan stays up if vrrpd dies");
	}
	if (!vg.table || vg.lost)
		return -1;
	for (int i = 0; i < VRRP_GUARD_SLOTS; i++)
		if (!vg.used[i]) {
			vg.used[i] = true;
			return i;
		}
	return -1;
}

void vrrp_guardian_slot_put(int slot)
{
	if (!vrrp_guardian_slot_ok(slot))
		return;
	vrrp_guardian_release(slot);
	vg.table[slot].hold_until_us = 0;
	vg.used[slot] = false;
}

void vrrp_guardian_hold(int slot, ifindex_t mvl_ifindex, uint64_t hold_until_us)
{
	struct vrrp_guard_slot *s;

	if (!vrrp_guardian_slot_ok(slot))
		return;
	s = &vg.table[slot];
	/* A kill between the two stores leaves a free slot or the old deadline, never a live
	 * slot without its deadline; the release store keeps the compiler from swapping them. */
	__atomic_store_n(&s->hold_until_us, hold_until_us, __ATOMIC_RELAXED);
	__atomic_store_n(&s->ifindex, mvl_ifindex, __ATOMIC_RELEASE);
}

void vrrp_guardian_release(int slot)
{
	if (!vrrp_guardian_slot_ok(slot))
		return;
	__atomic_store_n(&vg.table[slot].ifindex, 0, __ATOMIC_RELEASE);
}

uint64_t vrrp_guardian_hold_until(uint64_t now_us, uint16_t adver_interval_cs)
{
	uint64_t hold = 3ULL * adver_interval_cs * 10000ULL;

	/* The 1 ms margin keeps the guardian ahead of a Backup whose Skew_Time rounds to 0. */
	return hold > 1000 ? now_us + hold - 1000 : now_us;
}

static int vrrp_guard_slot_cmp(const void *a, const void *b)
{
	const struct vrrp_guard_slot *x = a, *y = b;

	if (x->hold_until_us != y->hold_until_us)
		return x->hold_until_us < y->hold_until_us ? -1 : 1;
	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

size_t vrrp_guardian_snapshot(const struct vrrp_guard_slot *table, size_t n,
			      struct vrrp_guard_slot *out)
{
	size_t live = 0;

	for (size_t i = 0; i < n; i++) {
		ifindex_t ifindex = __atomic_load_n(&table[i].ifindex, __ATOMIC_ACQUIRE);

		if (!ifindex)
			continue;
		out[live].ifindex = ifindex;
		out[live].hold_until_us =
			__atomic_load_n(&table[i].hold_until_us, __ATOMIC_RELAXED);
		live++;
	}
	qsort(out, live, sizeof(*out), vrrp_guard_slot_cmp);
	return live;
}

bool vrrp_guardian_claimed(const char *pidfile, pid_t dead_pid)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int fd, rc;

	/* The path, not a descriptor kept open: a new daemon may have made a new file there. */
	fd = pidfile ? open(pidfile, O_RDONLY | O_CLOEXEC | O_NOCTTY) : -1;
	if (fd < 0)
		return false;
	rc = fcntl(fd, F_GETLK, &fl);
	close(fd);
	return rc == 0 && fl.l_type != F_UNLCK && fl.l_pid != dead_pid;
}

/* The guardian process. */

static void vrrp_guard_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void vrrp_guard_log(int prio, const char *fmt, ...)
{
	va_list ap;

	/* openlog() below also copies each line to stderr (LOG_PERROR). */
	va_start(ap, fmt);
	vsyslog(prio, fmt, ap);
	va_end(ap);
}

/* Raise or drop CAP_NET_ADMIN, which FRR's privileges left permitted but not effective. */
static int vrrp_guard_net_admin(bool raise)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	unsigned int i = CAP_TO_INDEX(CAP_NET_ADMIN);
	uint32_t bit = CAP_TO_MASK(CAP_NET_ADMIN);

	if (capget(&hdr, data) < 0)
		return -errno;
	if (raise)
		data[i].effective |= bit & data[i].permitted;
	else
		data[i].effective &= ~bit;
	return capset(&hdr, data) < 0 ? -errno : 0;
}

/* RTM_SETLINK with IFLA_PROTO_DOWN=1, acknowledged; 0 or a negative errno. */
static int vrrp_guard_protodown_nl(int fd, ifindex_t ifindex)
{
	union {
		struct nlmsghdr nh;
		char buf[NLMSG_SPACE(sizeof(struct ifinfomsg)) + RTA_SPACE(1)];
	} req = {};
	union {
		struct nlmsghdr nh;
		char buf[1024];
	} ack;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	struct ifinfomsg *ifi = NLMSG_DATA(&req.nh);
	struct rtattr *rta;
	ssize_t n;

	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.nh.nlmsg_type = RTM_SETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = 1;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	rta = (struct rtattr *)(req.buf + NLMSG_ALIGN(req.nh.nlmsg_len));
	rta->rta_type = IFLA_PROTO_DOWN;
	rta->rta_len = RTA_LENGTH(1);
	*(uint8_t *)RTA_DATA(rta) = 1;
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_SPACE(1);

	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	do
		n = recv(fd, &ack, sizeof(ack), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (!NLMSG_OK(&ack.nh, (size_t)n) || ack.nh.nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ((struct nlmsgerr *)NLMSG_DATA(&ack.nh))->error;
}

static int vrrp_guard_protodown(ifindex_t ifindex)
{
	struct timeval tmo = {.tv_sec = 1};
	int fd, rc;

	/* Netlink checks the capability of the socket's opener too, so it is raised first. */
	rc = vrrp_guard_net_admin(true);
	if (rc)
		return rc;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		rc = -errno;
	} else {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
		rc = vrrp_guard_protodown_nl(fd, ifindex);
		close(fd);
	}
	vrrp_guard_net_admin(false);
	return rc;
}

static void vrrp_guard_sleep_until(uint64_t us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Close lo..hi; one close_range(), or one close() each on kernels before 5.9. */
static void vrrp_guard_close(unsigned int lo, unsigned int hi)
{
	long max = sysconf(_SC_OPEN_MAX);
	unsigned int end = max > 0 ? MIN(hi, (unsigned long)max - 1) : MIN(hi, 65535U);

	if (lo > hi || !close_range(lo, hi, 0))
		return;
	for (unsigned int fd = lo; fd <= end; fd++)
		close(fd);
}

/*
 * libfrr gives up the daemon's stderr when it goes to the background, so that whoever started
 * it and reads a pipe or socket from it sees end of file; the guardian must not hold one open
 * either. A file or a terminal it keeps for its log lines.
 */
static void vrrp_guard_stderr(int keep)
{
	struct stat st;
	int fd;

	if (keep == STDERR_FILENO)
		return;
	if (fstat(STDERR_FILENO, &st) == 0 && (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
		return;
	fd = open("/dev/null", O_WRONLY | O_NOCTTY);
	if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
		close(STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/*
 * Keep only the pipe and stderr: libfrr's daemon_ctl socket among the rest must close, or
 * `vrrpd -d` would wait for its end forever. Default signals but for the four a guardian
 * outlives.
 */
static void vrrp_guard_detach(int keep)
{
	static const int ignored[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE};
	struct sigaction sa = {.sa_handler = SIG_DFL};
	sigset_t none;

	closelog();
	vrrp_guard_stderr(keep);
	for (int fd = 0; fd < 3; fd++)
		if (fd != keep && fd != STDERR_FILENO)
			close(fd);
	if (keep > 3)
		vrrp_guard_close(3, keep - 1);
	vrrp_guard_close(MAX(keep + 1, 3), ~0U);
	/* libfrr's handlers would write crash logs into descriptors that are gone. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < array_size(ignored); i++)
		sigaction(ignored[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_NAME, "vrrpd-guard", 0, 0, 0);
	openlog("vrrpd-guard", LOG_PID | LOG_PERROR, LOG_DAEMON);
}

static void __attribute__((noreturn))
vrrp_guard_main(int rfd, pid_t daemon_pid, const char *pidfile)
{
	static struct vrrp_guard_slot live[VRRP_GUARD_SLOTS];
	size_t n;
	ssize_t r;
	char c;

	vrrp_guard_detach(rfd);
	/* The daemon never writes: end of file is its end, however it came. */
	do
		r = read(rfd, &c, 1);
	while (r > 0 || (r < 0 && errno == EINTR));

	n = vrrp_guardian_snapshot(vg.table, VRRP_GUARD_SLOTS, live);
	for (size_t i = 0; i < n; i++) {
		char name[IF_NAMESIZE];
		int rc;

		vrrp_guard_sleep_until(live[i].hold_until_us);
		if (vrrp_guardian_claimed(pidfile, daemon_pid)) {
			vrrp_guard_log(
				LOG_NOTICE,
				"vrrpd %d is gone and a new vrrpd holds %s; leaving %zu macvlan(s) to it",
				(int)daemon_pid, pidfile, n - i);
			_exit(0);
		}
		if (!if_indextoname(live[i].ifindex, name))
			strlcpy(name, "?", sizeof(name));
		rc = vrrp_guard_protodown(live[i].ifindex);
		if (rc)
			vrrp_guard_log(LOG_ERR,
				       "vrrpd %d is gone; protodown of %s (ifindex %d) failed: %s",
				       (int)daemon_pid, name, live[i].ifindex, strerror(-rc));
		else
			vrrp_guard_log(
				LOG_WARNING,
				"vrrpd %d is gone; %s (ifindex %d) put into protodown before its Backups take over",
				(int)daemon_pid, name, live[i].ifindex);
	}
	_exit(0);
}

/* The daemon's side. */

/* A guardian that died before the daemon is reaped here; nothing else of ours forks. */
static void vrrp_guardian_sigchld(int sig)
{
	int saved = errno;
	pid_t pid = vg.pid;

	if (pid > 0 && waitpid(pid, NULL, WNOHANG) == pid) {
		vg.pid = 0;
		vg.lost = 1;
	}
	errno = saved;
}

/*
 * A normal exit released every slot, so the guardian ends as soon as it reads end of file:
 * wait for it (1 s at most), so no guardian outlives a daemon that had nothing to guard. One
 * with slots still held is left to do its work; init reaps it.
 */
static void vrrp_guardian_atexit(void)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};
	struct timespec ms = {.tv_nsec = 1000000};
	pid_t pid;

	sigaction(SIGCHLD, &sa, NULL);
	pid = vg.pid;
	if (vg.wfd >= 0)
		close(vg.wfd);
	vg.wfd = -1;
	if (pid <= 0)
		return;
	for (int i = 0; i < VRRP_GUARD_SLOTS; i++)
		if (vg.table[i].ifindex)
			return;
	for (int i = 0; i < 1000 && waitpid(pid, NULL, WNOHANG) == 0; i++)
		nanosleep(&ms, NULL);
}

static int vrrp_guardian_fork(const char *pidfile)
{
	struct sigaction sa = {.sa_handler = vrrp_guardian_sigchld,
			       .sa_flags = SA_RESTART | SA_NOCLDSTOP};
	pid_t daemon_pid = getpid(), pid;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int rc = -errno;

		close(fds[0]);
		close(fds[1]);
		return rc;
	}
	if (pid == 0)
		vrrp_guard_main(fds[0], daemon_pid, pidfile);
	close(fds[0]);
	vg.wfd = fds[1];
	vg.pid = pid;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	/* It may have died before the handler was there. */
	vrrp_guardian_sigchld(SIGCHLD);
	atexit(vrrp_guardian_atexit);
	return 0;
}

int vrrp_guardian_start(const char *pidfile)
{
	int rc;

	if (vg.pid > 0 || vg.wfd >= 0)
		return -EALREADY;
	rc = vrrp_guardian_table_init();
	if (!rc)
		rc = vrrp_guardian_fork(pidfile);
	if (rc) {
		vrrp_guardian_table_fini();
		flog_err(
			EC_VRRP_GUARDIAN,
			"cannot start the guardian process (%s); a Master's macvlan stays up if vrrpd dies",
			safe_strerror(-rc));
		return rc;
	}
	zlog_info("guardian process %d watches over the Masters' macvlans", (int)vg.pid);
	return 0;
}
