// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The notifier process (see vrrp_notifier.h): its fork and set-up, its loop over the socket,
 * SIGCHLD and the scripts' stderr, each router's queue (a lane) with the one script it runs,
 * timeouts, reaping, the reports to the daemon, and the end once the daemon has gone.
 */
#include <zebra.h>

#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <syslog.h>

#include "lib/memory.h"

#include "vrrp_notifier.h"
#include "vrrp_notifier_int.h"

/* A process of its own, so a group of its own: vrrpd's `show memory` never counts these. */
DEFINE_MGROUP(VRRP_NOTIFIER, "vrrpd notifier process");
DEFINE_MTYPE_STATIC(VRRP_NOTIFIER, VRRP_NOTIFIER_JOB, "VRRP notifier: queued event");
DEFINE_MTYPE_STATIC(VRRP_NOTIFIER, VRRP_NOTIFIER_LANE, "VRRP notifier: one router's scripts");

struct vn_job {
	struct vn_job *next;
	struct vrrp_nmsg m;
};

/* One router (interface and VRID, both families): its queue and the script that runs. */
struct vn_lane {
	struct vn_lane *next;
	char ifname[VRRP_NOTIFY_NAME_MAX];
	uint32_t vrid;
	struct vn_job *head, *tail;
	unsigned int queued;
	/* The running script while pid > 0. */
	struct vn_job *cur;
	pid_t pid;
	int errfd;
	uint64_t start_ms, deadline_ms, kill_ms;
	bool timed_out;
	size_t errlen;
	char err[VRRP_NOTIFY_TEXT_MAX];
};

static struct {
	int fd; /* our end of the socketpair; -1 once the daemon's end is closed */
	int sigfd;
	struct vn_user owner; /* the daemon's user: default for scripts, owner of the FIFO */
	struct vn_lane *lanes;
	unsigned int running, queued;
	uint64_t drain_ms; /* when the daemon has gone: the end of what is left */
	uint32_t lost;	   /* reports that could not be sent since the last one sent */
	int fifo_fd;
	char fifo[VRRP_NOTIFY_PATH_MAX];
} vn = {.fd = -1, .sigfd = -1, .fifo_fd = -1};

static uint64_t vn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reports. */

/* After the daemon has gone, the failures go to syslog: nobody else would hear of them. */
static void vn_syslog(const struct vrrp_nmsg *m)
{
	if (m->type == VRRP_NMSG_RESULT && !(m->outcome == VRRP_NOUT_EXITED && m->code == 0))
		syslog(LOG_WARNING, "%s %s: notify script %s failed (%u %u): %s", m->name,
		       m->state, m->script, m->outcome, m->code, m->text);
	else if (m->type == VRRP_NMSG_DROPPED)
		syslog(LOG_WARNING, "%s %s: notification dropped: %s", m->name, m->state, m->text);
}

static void vn_report(struct vrrp_nmsg *m)
{
	uint8_t buf[VRRP_NOTIFY_MSG_MAX];
	size_t len;

	if (vn.fd < 0) {
		vn_syslog(m);
		return;
	}
	m->lost = vn.lost;
	len = vrrp_nmsg_encode(m, buf, sizeof(buf));
	/* Never blocks: a daemon that does not read loses reports, counted in the next one. */
	if (len && send(vn.fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)len)
		vn.lost = 0;
	else
		vn.lost++;
}

/* The start of a report about an event. */
static void vn_report_init(struct vrrp_nmsg *r, uint8_t type, const struct vrrp_nmsg *ev)
{
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->seq = ev->seq;
	r->vrid = ev->vrid;
	strlcpy(r->ifname, ev->ifname, sizeof(r->ifname));
	strlcpy(r->name, ev->name, sizeof(r->name));
	strlcpy(r->state, ev->state, sizeof(r->state));
	strlcpy(r->script, ev->script, sizeof(r->script));
}

static void vn_dropped(const struct vrrp_nmsg *ev, enum vrrp_nmsg_what what, const char *why)
{
	struct vrrp_nmsg r;

	vn_report_init(&r, VRRP_NMSG_DROPPED, ev);
	r.outcome = what;
	strlcpy(r.text, why, sizeof(r.text));
	vn_report(&r);
}

static void vn_refused(const struct vrrp_nmsg *ev, const char *why)
{
	struct vrrp_nmsg r;

	vn_report_init(&r, VRRP_NMSG_RESULT, ev);
	r.outcome = VRRP_NOUT_REFUSED;
	strlcpy(r.text, why, sizeof(r.text));
	vn_report(&r);
}

/* The FIFO. */

static void vn_fifo_set(const char *path)
{
	struct vrrp_nmsg r = {.type = VRRP_NMSG_FIFO_STATUS};

	if (!strcmp(path, vn.fifo) && (vn.fifo_fd >= 0 || !path[0]))
		return;
	if (vn.fifo_fd >= 0)
		close(vn.fifo_fd);
	vn.fifo_fd = -1;
	strlcpy(vn.fifo, path, sizeof(vn.fifo));
	/* Made now, so a reader can open it before the first event. */
	if (path[0] && vn_fifo_prepare(path, &vn.owner, r.text, sizeof(r.text))) {
		strlcpy(r.fifo, path, sizeof(r.fifo));
		vn_report(&r);
	}
}

/* One line per event, in the order the daemon sent them; dropped, never waited for. */
static void vn_fifo_write(const struct vrrp_nmsg *m)
{
	char line[VRRP_NOTIFY_NAME_MAX + 64], why[VRRP_NOTIFY_TEXT_MAX] = "line too long";
	size_t len = vrrp_notify_fifo_line(m->name, m->state, m->priority, line, sizeof(line));
	ssize_t n;

	if (strcmp(m->fifo, vn.fifo)) {
		if (vn.fifo_fd >= 0)
			close(vn.fifo_fd);
		vn.fifo_fd = -1;
		strlcpy(vn.fifo, m->fifo, sizeof(vn.fifo));
	}
	/* A second try: the reader that was there may have gone and a new one come. */
	for (int attempt = 0; len && attempt < 2; attempt++) {
		if (vn.fifo_fd < 0)
			vn.fifo_fd = vn_fifo_open(vn.fifo, &vn.owner, why, sizeof(why));
		if (vn.fifo_fd < 0)
			break;
		n = write(vn.fifo_fd, line, len);
		if (n == (ssize_t)len)
			return;
		if (n < 0 && errno == EAGAIN) {
			snprintf(why, sizeof(why), "the reader of %.400s is not keeping up",
				 vn.fifo);
			break;
		}
		snprintf(why, sizeof(why), "%.400s: %s", vn.fifo,
			 n < 0 ? strerror(errno) : "short write");
		close(vn.fifo_fd);
		vn.fifo_fd = -1;
	}
	vn_dropped(m, VRRP_NDROP_FIFO, why);
}

/* Lanes and jobs. */

static struct vn_lane *vn_lane_get(const char *ifname, uint32_t vrid)
{
	struct vn_lane *l, **tail = &vn.lanes;

	for (l = vn.lanes; l; tail = &l->next, l = l->next)
		if (l->vrid == vrid && !strcmp(l->ifname, ifname))
			return l;
	l = XCALLOC(MTYPE_VRRP_NOTIFIER_LANE, sizeof(*l));
	strlcpy(l->ifname, ifname, sizeof(l->ifname));
	l->vrid = vrid;
	l->errfd = -1;
	*tail = l;
	return l;
}

/* A lane with nothing queued and nothing running goes. */
static void vn_lanes_prune(void)
{
	struct vn_lane **pp = &vn.lanes, *l;

	while ((l = *pp)) {
		if (l->head || l->pid > 0) {
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		XFREE(MTYPE_VRRP_NOTIFIER_LANE, l);
	}
}

static void vn_event(const struct vrrp_nmsg *m)
{
	struct vn_lane *l;
	struct vn_job *j;

	if (m->fifo[0])
		vn_fifo_write(m);
	if (!m->script[0])
		return;
	if (vn.queued >= VRRP_NOTIFIER_QUEUE) {
		vn_dropped(m, VRRP_NDROP_EVENT, "the notifier's queue is full");
		return;
	}
	l = vn_lane_get(m->ifname, m->vrid);
	if (l->queued >= VRRP_NOTIFIER_LANE_QUEUE) {
		vn_dropped(m, VRRP_NDROP_EVENT, "this router's queue of scripts is full");
		return;
	}
	j = XCALLOC(MTYPE_VRRP_NOTIFIER_JOB, sizeof(*j));
	j->m = *m;
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	l->queued++;
	vn.queued++;
}

static struct vn_job *vn_lane_pop(struct vn_lane *l)
{
	struct vn_job *j = l->head;

	l->head = j->next;
	if (!l->head)
		l->tail = NULL;
	j->next = NULL;
	l->queued--;
	vn.queued--;
	return j;
}

/* Start the lane's next script; false if it could not start (reported). */
static bool vn_lane_start(struct vn_lane *l, struct vn_job *j, uint64_t now)
{
	char why[VRRP_NOTIFY_TEXT_MAX], path[PATH_MAX];
	struct vn_user u;
	uint32_t tmo = j->m.timeout ? j->m.timeout : VRRP_NOTIFY_TIMEOUT_DEFAULT;
	bool ok = false;

	if (!vn_user(j->m.user[0] ? j->m.user : vn.owner.name, &u, why, sizeof(why)) &&
	    !vn_check_script(j->m.script, &u, path, why, sizeof(why))) {
		l->pid = vn_spawn(&j->m, &u, path, &l->errfd, why, sizeof(why));
		ok = l->pid > 0;
	}
	if (!ok) {
		l->pid = 0;
		vn_refused(&j->m, why);
		return false;
	}
	l->cur = j;
	l->start_ms = now;
	l->deadline_ms = now + tmo * 1000ULL;
	if (vn.drain_ms && vn.drain_ms < l->deadline_ms)
		l->deadline_ms = vn.drain_ms;
	l->kill_ms = 0;
	l->timed_out = false;
	l->errlen = 0;
	vn.running++;
	return true;
}

/* Start what may start: one script per lane, VRRP_NOTIFIER_PARALLEL in all. */
static void vn_start_ready(uint64_t now)
{
	for (struct vn_lane *l = vn.lanes; l && vn.running < VRRP_NOTIFIER_PARALLEL; l = l->next) {
		while (l->pid <= 0 && l->head) {
			struct vn_job *j = vn_lane_pop(l);

			if (vn_lane_start(l, j, now))
				break;
			XFREE(MTYPE_VRRP_NOTIFIER_JOB, j);
		}
	}
	vn_lanes_prune();
}

static void vn_err_read(struct vn_lane *l)
{
	char scratch[512];
	ssize_t n;

	while (l->errfd >= 0) {
		size_t room = sizeof(l->err) - 1 - l->errlen;

		/* Beyond what is kept, the pipe is still drained, so the script never blocks. */
		n = read(l->errfd, room ? l->err + l->errlen : scratch,
			 room ? room : sizeof(scratch));
		if (n > 0) {
			if (room)
				l->errlen += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(l->errfd);
		l->errfd = -1;
	}
}

/* The lane's script was reaped: report how it ended. */
static void vn_lane_done(struct vn_lane *l, int status, uint64_t now)
{
	struct vrrp_nmsg r;

	vn_err_read(l);
	if (l->errfd >= 0)
		close(l->errfd);
	l->errfd = -1;
	vn_report_init(&r, VRRP_NMSG_RESULT, &l->cur->m);
	r.duration = now - l->start_ms;
	if (l->timed_out) {
		r.outcome = VRRP_NOUT_TIMEOUT;
		r.code = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		/* Whatever it left in its process group goes with it. */
		kill(-l->pid, SIGKILL);
	} else if (WIFSIGNALED(status)) {
		r.outcome = VRRP_NOUT_SIGNALED;
		r.code = WTERMSIG(status);
	} else {
		r.outcome = VRRP_NOUT_EXITED;
		r.code = WEXITSTATUS(status);
	}
	vrrp_notify_first_lines(l->err, l->errlen, 3, r.text, sizeof(r.text));
	vn_report(&r);
	XFREE(MTYPE_VRRP_NOTIFIER_JOB, l->cur);
	l->pid = 0;
	vn.running--;
}

/* Every child that ended: our scripts, and what they left behind (we are a subreaper). */
static void vn_reap(uint64_t now)
{
	struct signalfd_siginfo si;
	int status;
	pid_t pid;

	while (read(vn.sigfd, &si, sizeof(si)) == sizeof(si))
		;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (struct vn_lane *l = vn.lanes; l; l = l->next)
			if (l->pid == pid) {
				vn_lane_done(l, status, now);
				break;
			}
}

/* Timeouts: SIGTERM to the process group, SIGKILL after a grace. */
static void vn_timeouts(uint64_t now)
{
	for (struct vn_lane *l = vn.lanes; l; l = l->next) {
		if (l->pid <= 0)
			continue;
		if (!l->timed_out && now >= l->deadline_ms) {
			l->timed_out = true;
			l->kill_ms = now + VRRP_NOTIFIER_KILL_GRACE_MS;
			kill(-l->pid, SIGTERM);
		} else if (l->timed_out && l->kill_ms && now >= l->kill_ms) {
			l->kill_ms = 0;
			kill(-l->pid, SIGKILL);
		}
	}
}

/* The daemon has gone: what is queued may still start until the drain deadline. */
static void vn_daemon_gone(uint64_t now)
{
	close(vn.fd);
	vn.fd = -1;
	vn.drain_ms = now + VRRP_NOTIFIER_DRAIN_S * 1000ULL;
	openlog("vrrpd-notify", LOG_PID, LOG_DAEMON);
	for (struct vn_lane *l = vn.lanes; l; l = l->next)
		if (l->pid > 0 && l->deadline_ms > vn.drain_ms)
			l->deadline_ms = vn.drain_ms;
}

static void vn_drain_expired(uint64_t now)
{
	if (!vn.drain_ms || now < vn.drain_ms)
		return;
	for (struct vn_lane *l = vn.lanes; l; l = l->next)
		while (l->head) {
			struct vn_job *j = vn_lane_pop(l);

			vn_dropped(&j->m, VRRP_NDROP_EVENT, "vrrpd has gone and time is up");
			XFREE(MTYPE_VRRP_NOTIFIER_JOB, j);
		}
}

static void vn_read(uint64_t now)
{
	static uint8_t buf[VRRP_NOTIFY_MSG_MAX];
	static struct vrrp_nmsg m;
	ssize_t n;

	while (vn.fd >= 0) {
		n = recv(vn.fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			vn_daemon_gone(now);
			return;
		}
		/* Not from our daemon, or from another version of it: nothing to act on. */
		if ((size_t)n > sizeof(buf) || vrrp_nmsg_decode(buf, n, &m))
			continue;
		if (m.type == VRRP_NMSG_EVENT)
			vn_event(&m);
		else if (m.type == VRRP_NMSG_FIFO)
			vn_fifo_set(m.fifo);
	}
}

/* The poll set and the time to the next deadline (-1: none). */
static int vn_poll_set(struct pollfd *pfd, struct vn_lane **who, nfds_t *n, uint64_t now)
{
	uint64_t next = vn.drain_ms ? vn.drain_ms : UINT64_MAX;

	/* 0: SIGCHLD; 1: the socket (-1, which poll skips, once the daemon has gone). */
	*n = 0;
	pfd[(*n)++] = (struct pollfd){.fd = vn.sigfd, .events = POLLIN};
	pfd[(*n)++] = (struct pollfd){.fd = vn.fd, .events = POLLIN};
	for (struct vn_lane *l = vn.lanes; l; l = l->next) {
		if (l->pid <= 0)
			continue;
		if (l->errfd >= 0) {
			who[*n] = l;
			pfd[(*n)++] = (struct pollfd){.fd = l->errfd, .events = POLLIN};
		}
		next = MIN(next, l->timed_out ? (l->kill_ms ? l->kill_ms : next) : l->deadline_ms);
	}
	if (next == UINT64_MAX)
		return -1;
	return next > now ? (int)MIN(next - now, 60000U) : 0;
}

static void __attribute__((noreturn)) vn_loop(void)
{
	struct pollfd pfd[VRRP_NOTIFIER_PARALLEL + 2];
	struct vn_lane *who[VRRP_NOTIFIER_PARALLEL + 2] = {};
	nfds_t n;
	uint64_t now;
	int tmo;

	for (;;) {
		now = vn_now_ms();
		vn_drain_expired(now);
		vn_start_ready(now);
		if (vn.fd < 0 && !vn.running && !vn.queued)
			_exit(0);
		tmo = vn_poll_set(pfd, who, &n, now);
		if (poll(pfd, n, tmo) < 0 && errno != EINTR)
			_exit(1);
		now = vn_now_ms();
		for (nfds_t i = 2; i < n; i++)
			if (who[i] && pfd[i].revents)
				vn_err_read(who[i]);
		if (pfd[0].revents)
			vn_reap(now);
		if (vn.fd >= 0 && pfd[1].revents)
			vn_read(now);
		vn_timeouts(now);
	}
}

/* The set-up. */

/*
 * Only /dev/null on 0-2 (never a pipe of whoever started vrrpd), the socket on 3 and nothing
 * else: not libfrr's descriptors, not the daemon's end of the socketpair.
 */
static int vn_fds(int fd)
{
	int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	int keep = fcntl(fd, F_DUPFD_CLOEXEC, 16);

	if (nul < 0 || keep < 0)
		_exit(1);
	for (int i = 0; i < 3; i++)
		dup2(nul, i);
	dup2(keep, 3);
	fcntl(3, F_SETFD, FD_CLOEXEC);
	fcntl(3, F_SETFL, O_NONBLOCK);
	close_range(4, ~0U, 0);
	return 3;
}

/*
 * Its own session, so a terminal's signals do not reach it; the daemon's stop signals ignored,
 * so the STOP notifications of a stopping vrrpd still run; SIGCHLD through a signalfd.
 */
static int vn_signals(void)
{
	static const int ignored[] = {SIGPIPE, SIGINT,	SIGHUP,	 SIGTERM, SIGQUIT,
				      SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2};
	struct sigaction sa = {.sa_handler = SIG_DFL};
	sigset_t chld;

	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < array_size(ignored); i++)
		sigaction(ignored[i], &sa, NULL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_SETMASK, &chld, NULL);
	return signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
}

void vrrp_notifier_main(int fd, const char *default_user)
{
	char why[VRRP_NOTIFY_TEXT_MAX];

	prctl(PR_SET_NAME, "vrrpd-notify", 0, 0, 0);
	setsid();
	vn.fd = vn_fds(fd);
	vn.sigfd = vn_signals();
	if (vn.sigfd < 0)
		_exit(1);
	/* What a script leaves behind comes back to us to be reaped, not to init. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (vn_user(default_user, &vn.owner, why, sizeof(why)))
		/* Scripts that name no user are refused with this reason. */
		strlcpy(vn.owner.name, default_user ? default_user : "?", sizeof(vn.owner.name));
	vn_loop();
}

int vrrp_notifier_fork(const char *default_user, pid_t *pid)
{
	int sv[2], bytes = 1 << 20;
	pid_t p;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv))
		return -errno;
	/* Room for about a thousand events: the notifier reads them at once anyway. */
	if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes));
	p = fork();
	if (p < 0) {
		int rc = -errno;

		close(sv[0]);
		close(sv[1]);
		return rc;
	}
	if (p == 0)
		vrrp_notifier_main(sv[1], default_user);
	close(sv[1]);
	*pid = p;
	return sv[0];
}
