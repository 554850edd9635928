// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notify scripts and FIFO, the daemon's side (see vrrp_notify.h): settings, the state-change
 * hook, the socket to the notifier in both directions, per-router counters and their show.
 */
#include <zebra.h>

#include <sys/wait.h>

#include "lib/hook.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/termtable.h"
#include "lib/thread.h"

#include "vrrp.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_exec.h"
#include "vrrp_notifier.h"
#include "vrrp_notify.h"
#include "vrrp_timer.h"

DEFINE_MTYPE_STATIC(VRRPD, VRRP_NOTIFY_VR, "VRRP notify counters of a router");
DEFINE_MTYPE_STATIC(VRRPD, VRRP_NOTIFY_SCRIPT, "VRRP notify script of a router");

/* Warnings about dropped notifications: at most once a minute per router. */
#define VRRP_NOTIFY_WARN_US (60ULL * 1000 * 1000)
/* Looking for the exit of a notifier that closed its socket: this often, this many times. */
#define VRRP_NOTIFY_REAP_MS 500
#define VRRP_NOTIFY_REAP_TRIES 20

/* One router's notifications (vr->notify), allocated when it first has something to do. */
struct vrrp_notify_vr {
	struct vrrp_notify_script *own; /* its own script; NULL: the global one */
	bool removing;
	uint32_t seq; /* the last notification's number (VRRP_SEQUENCE) */
	uint32_t sent, dropped, fifo_dropped, ok, failed;
	uint64_t warn_us;
};

static struct {
	struct thread_master *master;
	int fd; /* the daemon's end of the socketpair; -1 without a notifier */
	pid_t pid;
	bool forked; /* a notifier was asked for (not in a dry run) */
	char default_user[VRRP_NOTIFY_USER_MAX];
	struct thread *t_read, *t_reap;
	unsigned int reap_tries;
	bool stopping;
	struct vrrp_notify_script global;
	char fifo[VRRP_NOTIFY_PATH_MAX];
	uint64_t lost_warn_us;
} vn = {.fd = -1};

static int vrrp_notify_state_change(const struct vrrp_af *af, const struct vrrp_state_event *e);

/* Settings. */

static const struct vrrp_notify_script *vrrp_notify_script_of(const struct vrrp_vr *vr)
{
	if (vr->notify && vr->notify->own)
		return vr->notify->own;
	return vn.global.path[0] ? &vn.global : NULL;
}

static struct vrrp_notify_vr *vrrp_notify_vr_get(struct vrrp_vr *vr)
{
	if (!vr->notify)
		vr->notify = XCALLOC(MTYPE_VRRP_NOTIFY_VR, sizeof(*vr->notify));
	return vr->notify;
}

void vrrp_notify_set_global(const struct vrrp_notify_script *s)
{
	if (s && s->path[0])
		vn.global = *s;
	else
		memset(&vn.global, 0, sizeof(vn.global));
}

void vrrp_notify_set_vr(struct vrrp_vr *vr, const struct vrrp_notify_script *s)
{
	struct vrrp_notify_vr *n;

	if (!s || !s->path[0]) {
		if (vr->notify)
			XFREE(MTYPE_VRRP_NOTIFY_SCRIPT, vr->notify->own);
		return;
	}
	n = vrrp_notify_vr_get(vr);
	if (!n->own)
		n->own = XCALLOC(MTYPE_VRRP_NOTIFY_SCRIPT, sizeof(*n->own));
	*n->own = *s;
}

static bool vrrp_notify_send(const struct vrrp_nmsg *m, char *why, size_t len)
{
	uint8_t buf[VRRP_NOTIFY_MSG_MAX];
	size_t n = vrrp_nmsg_encode(m, buf, sizeof(buf));

	if (!n) {
		strlcpy(why, "the notification does not fit a message", len);
		return false;
	}
	if (vn.fd < 0) {
		strlcpy(why, "the notifier process is not running", len);
		return false;
	}
	/* Never waits: a full socket means the notifier is behind, and this one is dropped. */
	if (send(vn.fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)n)
		return true;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		strlcpy(why, "the notifier's socket is full", len);
	else
		snprintf(why, len, "cannot write to the notifier: %s", safe_strerror(errno));
	return false;
}

void vrrp_notify_set_fifo(const char *path)
{
	struct vrrp_nmsg m = {.type = VRRP_NMSG_FIFO};
	char why[128];

	if (!path)
		path = "";
	if (!strcmp(path, vn.fifo))
		return;
	strlcpy(vn.fifo, path, sizeof(vn.fifo));
	/* The notifier makes the FIFO now, so a reader can open it before the first event. */
	strlcpy(m.fifo, vn.fifo, sizeof(m.fifo));
	if (!vrrp_notify_send(&m, why, sizeof(why)) && path[0])
		flog_warn(EC_VRRP_NOTIFY, "notify FIFO %s: %s; it is made with the first line",
			  path, why);
}

/* Counting what was dropped, with a warning at most once a minute per router. */
static void vrrp_notify_drop(struct vrrp_vr *vr, const char *name, const char *state, bool fifo,
			     const char *why)
{
	struct vrrp_notify_vr *n = vrrp_notify_vr_get(vr);
	uint64_t now = vrrp_now_us();

	if (fifo)
		n->fifo_dropped++;
	else
		n->dropped++;
	if (n->warn_us && now - n->warn_us < VRRP_NOTIFY_WARN_US)
		return;
	n->warn_us = now;
	flog_warn(
		EC_VRRP_NOTIFY,
		"%s %s: %s dropped: %s (%u notifications, %u FIFO lines dropped so far; logged at most once a minute)",
		name, state, fifo ? "notify FIFO line" : "notification", why, n->dropped,
		n->fifo_dropped);
}

/* The hook. */

static enum vrrp_notify_state vrrp_notify_word(const struct vrrp_af *af, enum vrrp_state st)
{
	const struct vrrp_vr *vr = af->vr;
	struct vrrp_notify_why why = {
		.daemon_stopping = vn.stopping,
		.removed = vr->notify && vr->notify->removing,
		.shutdown = vrrp_vr_shutdown(vr),
		.no_addresses = af->naddrs == 0,
		.family_disabled = !vrrp_af_enabled(af),
		/* vrrp_exec_configure() stops the old version before it takes the new one. */
		.version_change = vr->cfg.version != af->fcfg.version,
	};

	return vrrp_notify_state_map(st, &why);
}

static int vrrp_notify_state_change(const struct vrrp_af *af, const struct vrrp_state_event *e)
{
	static struct vrrp_nmsg m;
	const struct vrrp_notify_script *s = vrrp_notify_script_of(af->vr);
	struct vrrp_notify_vr *n;
	char why[128];

	if (!s && !vn.fifo[0])
		return 0;
	n = vrrp_notify_vr_get(af->vr);
	memset(&m, 0, sizeof(m));
	m.type = VRRP_NMSG_EVENT;
	m.seq = ++n->seq;
	m.vrid = e->vrid;
	m.priority = e->priority;
	strlcpy(m.ifname, e->ifname, sizeof(m.ifname));
	vrrp_notify_name(e->ifname, e->vrid, e->afi == VRRP_AFI_V6, m.name, sizeof(m.name));
	strlcpy(m.state, vrrp_notify_state_str(vrrp_notify_word(af, e->new_state)),
		sizeof(m.state));
	if (s) {
		strlcpy(m.script, s->path, sizeof(m.script));
		m.timeout = s->timeout;
		strlcpy(m.user, s->user, sizeof(m.user));
	}
	strlcpy(m.fifo, vn.fifo, sizeof(m.fifo));
	m.env_len = vrrp_notify_env(e, m.name, m.state, m.seq, m.env, sizeof(m.env));
	if (vrrp_notify_send(&m, why, sizeof(why))) {
		n->sent++;
		VRRP_DEBUG(proto, "%s %s: notification %u sent to the notifier", m.name, m.state,
			   m.seq);
	} else {
		vrrp_notify_drop(af->vr, m.name, m.state, false, why);
	}
	return 0;
}

/* Reports from the notifier. */

struct vrrp_notify_find {
	const char *ifname;
	uint8_t vrid;
	struct vrrp_vr *vr;
};

static void vrrp_notify_find_one(struct vrrp_vr *vr, void *arg)
{
	struct vrrp_notify_find *f = arg;

	if (!f->vr && vr->vrid == f->vrid && !strcmp(vr->ifp->name, f->ifname))
		f->vr = vr;
}

/* The router a report is about; NULL if it has gone since. */
static struct vrrp_vr *vrrp_notify_vr_of(const struct vrrp_nmsg *m)
{
	struct vrrp_notify_find f = {.ifname = m->ifname, .vrid = m->vrid};

	vrrp_vr_foreach(vrrp_notify_find_one, &f);
	return f.vr;
}

static void vrrp_notify_result(const struct vrrp_nmsg *m)
{
	struct vrrp_vr *vr = vrrp_notify_vr_of(m);
	const char *err = m->text[0] ? ": " : "";
	char how[64];

	if (m->outcome == VRRP_NOUT_EXITED && m->code == 0) {
		if (vr)
			vrrp_notify_vr_get(vr)->ok++;
		VRRP_DEBUG(proto, "%s %s: notify script %s succeeded after %u ms%s%s", m->name,
			   m->state, m->script, m->duration, err, m->text);
		return;
	}
	if (vr)
		vrrp_notify_vr_get(vr)->failed++;
	switch (m->outcome) {
	case VRRP_NOUT_EXITED:
		snprintf(how, sizeof(how), "exited with status %u", m->code);
		break;
	case VRRP_NOUT_SIGNALED:
		snprintf(how, sizeof(how), "was killed by signal %u", m->code);
		break;
	case VRRP_NOUT_TIMEOUT:
		snprintf(how, sizeof(how), "ran into its timeout and was killed");
		break;
	default:
		flog_warn(EC_VRRP_NOTIFY, "%s %s: notify script %s was not run: %s", m->name,
			  m->state, m->script, m->text);
		return;
	}
	flog_warn(EC_VRRP_NOTIFY, "%s %s: notify script %s %s after %u ms%s%s", m->name, m->state,
		  m->script, how, m->duration, err, m->text);
}

static void vrrp_notify_report(const struct vrrp_nmsg *m)
{
	struct vrrp_vr *vr;
	uint64_t now = vrrp_now_us();

	if (m->lost && now - vn.lost_warn_us >= VRRP_NOTIFY_WARN_US) {
		vn.lost_warn_us = now;
		flog_warn(EC_VRRP_NOTIFY,
			  "%u reports of the notifier were lost (vrrpd did not read them in time)",
			  m->lost);
	}
	switch (m->type) {
	case VRRP_NMSG_RESULT:
		vrrp_notify_result(m);
		break;
	case VRRP_NMSG_DROPPED:
		vr = vrrp_notify_vr_of(m);
		if (vr)
			vrrp_notify_drop(vr, m->name, m->state, m->outcome == VRRP_NDROP_FIFO,
					 m->text);
		else
			flog_warn(EC_VRRP_NOTIFY, "%s %s: notification dropped: %s", m->name,
				  m->state, m->text);
		break;
	case VRRP_NMSG_FIFO_STATUS:
		flog_warn(EC_VRRP_NOTIFY, "notify FIFO: %s", m->text);
		break;
	}
}

/* The notifier has gone (it never does before vrrpd): reap it if it is our child. */
static void vrrp_notify_reap(struct thread *t)
{
	pid_t got = vn.pid > 0 ? waitpid(vn.pid, NULL, WNOHANG) : -1;

	if (got == 0 && ++vn.reap_tries < VRRP_NOTIFY_REAP_TRIES) {
		thread_add_timer_msec(vn.master, vrrp_notify_reap, NULL, VRRP_NOTIFY_REAP_MS,
				      &vn.t_reap);
		return;
	}
	vn.pid = 0;
}

static void vrrp_notify_lost(const char *why)
{
	flog_err(
		EC_VRRP_NOTIFY,
		"the notifier process %d has gone (%s): notify scripts and FIFO lines are dropped and counted until vrrpd restarts",
		(int)vn.pid, why);
	close(vn.fd);
	vn.fd = -1;
	vn.reap_tries = 0;
	vrrp_notify_reap(NULL);
}

static void vrrp_notify_read(struct thread *t)
{
	static uint8_t buf[VRRP_NOTIFY_MSG_MAX];
	static struct vrrp_nmsg m;
	ssize_t n;

	for (;;) {
		n = recv(vn.fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			vrrp_notify_lost(n ? safe_strerror(errno) : "end of file");
			return;
		}
		if ((size_t)n > sizeof(buf) || vrrp_nmsg_decode(buf, n, &m)) {
			flog_warn(EC_VRRP_NOTIFY,
				  "a malformed report from the notifier was ignored");
			continue;
		}
		vrrp_notify_report(&m);
	}
	thread_add_read(vn.master, vrrp_notify_read, NULL, vn.fd, &vn.t_read);
}

/* Life. */

void vrrp_notify_fork(const char *default_user)
{
	int fd;

	strlcpy(vn.default_user, default_user ? default_user : "", sizeof(vn.default_user));
	vn.forked = true;
	fd = vrrp_notifier_fork(default_user, &vn.pid);
	if (fd < 0) {
		/* Before frr_init(): no log yet. */
		fprintf(stderr, "vrrpd: cannot start the notifier process: %s\n",
			safe_strerror(-fd));
		vn.pid = 0;
		return;
	}
	vn.fd = fd;
}

void vrrp_notify_init(struct thread_master *master)
{
	vn.master = master;
	hook_register(vrrp_state_change, vrrp_notify_state_change);
	if (vn.fd >= 0)
		thread_add_read(master, vrrp_notify_read, NULL, vn.fd, &vn.t_read);
	else if (vn.forked)
		flog_err(
			EC_VRRP_NOTIFY,
			"no notifier process: notify scripts and FIFO lines are dropped and counted");
}

void vrrp_notify_fini(void)
{
	hook_unregister(vrrp_state_change, vrrp_notify_state_change);
	THREAD_OFF(vn.t_read);
	THREAD_OFF(vn.t_reap);
	/* The notifier sees end of file, runs what it was sent (STOP notifications) and ends. */
	if (vn.fd >= 0)
		close(vn.fd);
	vn.fd = -1;
}

void vrrp_notify_stopping(void)
{
	vn.stopping = true;
}

void vrrp_notify_vr_removing(struct vrrp_vr *vr)
{
	if (vr->notify || vn.global.path[0] || vn.fifo[0])
		vrrp_notify_vr_get(vr)->removing = true;
}

void vrrp_notify_vr_free(struct vrrp_vr *vr)
{
	if (!vr->notify)
		return;
	XFREE(MTYPE_VRRP_NOTIFY_SCRIPT, vr->notify->own);
	XFREE(MTYPE_VRRP_NOTIFY_VR, vr->notify);
}

void vrrp_notify_clear_counters(struct vrrp_vr *vr)
{
	struct vrrp_notify_vr *n = vr->notify;

	if (!n)
		return;
	n->sent = n->dropped = n->fifo_dropped = n->ok = n->failed = 0;
}

/* Show. */

static const char *vrrp_notify_user(const struct vrrp_notify_script *s)
{
	return s->user[0] ? s->user : vn.default_user;
}

static unsigned int vrrp_notify_timeout(const struct vrrp_notify_script *s)
{
	return s->timeout ? s->timeout : VRRP_NOTIFY_TIMEOUT_DEFAULT;
}

void vrrp_notify_show(struct ttable *tt, const struct vrrp_vr *vr)
{
	const struct vrrp_notify_script *s = vrrp_notify_script_of(vr);
	const struct vrrp_notify_vr *n = vr->notify;
	static const struct vrrp_notify_vr zero;

	if (!n)
		n = &zero;
	/* Short cells: a row wider than FRR's would widen the padding of theirs. */
	if (s) {
		ttable_add_row(tt, "Notify script|%s (%s)", s->path,
			       s == &vn.global ? "global" : "own");
		ttable_add_row(tt, "Notify script options|timeout %u s, user %s",
			       vrrp_notify_timeout(s), vrrp_notify_user(s));
	} else {
		ttable_add_row(tt, "Notify script|None");
		ttable_add_row(tt, "Notify script options|-");
	}
	ttable_add_row(tt, "Notifications|%u sent, %u dropped", n->sent, n->dropped);
	ttable_add_row(tt, "Notify FIFO lines dropped|%u", n->fifo_dropped);
	ttable_add_row(tt, "Notify scripts run|%u succeeded, %u failed", n->ok, n->failed);
}

bool vrrp_notify_counter(const struct vrrp_vr *vr, const char *name, uint32_t *val)
{
	static const struct vrrp_notify_vr zero;
	const struct vrrp_notify_vr *n = vr->notify ? vr->notify : &zero;
	const struct {
		const char *name;
		uint32_t value;
	} leaves[] = {
		{"sent", n->sent},
		{"dropped", n->dropped},
		{"fifo-lines-dropped", n->fifo_dropped},
		{"scripts-succeeded", n->ok},
		{"scripts-failed", n->failed},
	};

	for (size_t i = 0; i < array_size(leaves); i++) {
		if (!strcmp(name, leaves[i].name)) {
			*val = leaves[i].value;
			return true;
		}
	}
	return false;
}

void vrrp_notify_json(struct json_object *j, const struct vrrp_vr *vr)
{
	const struct vrrp_notify_script *s = vrrp_notify_script_of(vr);
	const struct vrrp_notify_vr *n = vr->notify;
	static const struct vrrp_notify_vr zero;

	if (!n)
		n = &zero;
	json_object_string_add(j, "notifyScript", s ? s->path : "");
	json_object_int_add(j, "notifySent", n->sent);
	json_object_int_add(j, "notifyDropped", n->dropped);
	json_object_int_add(j, "notifyFifoDropped", n->fifo_dropped);
	json_object_int_add(j, "notifyScriptsSucceeded", n->ok);
	json_object_int_add(j, "notifyScriptsFailed", n->failed);
}
