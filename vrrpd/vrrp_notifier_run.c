// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The notifier's hands (see vrrp_notifier.h): who a script runs as and whether it is safe to
 * run, the fork and exec of one script in a process group of its own, and the notify FIFO.
 * Runs in the notifier process only.
 */
#include <zebra.h>

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "vrrp_notifier_int.h"

#define VN_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int vn_user(const char *name, struct vn_user *u, char *why, size_t len)
{
	struct passwd *pw;

	errno = 0;
	pw = name && name[0] ? getpwnam(name) : getpwuid(geteuid());
	if (!pw) {
		snprintf(why, len, "user %s does not exist", name && name[0] ? name : "(current)");
		return -1;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	strlcpy(u->name, pw->pw_name, sizeof(u->name));
	strlcpy(u->home, pw->pw_dir ? pw->pw_dir : "/", sizeof(u->home));
	return 0;
}

/* Owned by root or by the user the script runs as: nobody else may change it. */
static bool vn_owner_ok(const struct stat *st, const struct vn_user *u)
{
	return st->st_uid == 0 || st->st_uid == u->uid;
}

/*
 * Every directory above the resolved script: owned by root or the user, and writable by
 * nobody else unless sticky (as /tmp is), so nobody else can swap the script.
 */
static int vn_dirs_ok(const char *path, const struct vn_user *u, char *why, size_t len)
{
	char dir[VRRP_NOTIFY_PATH_MAX];
	struct stat st;
	char *slash;

	strlcpy(dir, path, sizeof(dir));
	while ((slash = strrchr(dir, '/'))) {
		slash[slash == dir ? 1 : 0] = '\0';
		if (stat(dir, &st)) {
			snprintf(why, len, "cannot stat %s: %s", dir, strerror(errno));
			return -1;
		}
		if (!vn_owner_ok(&st, u) ||
		    ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))) {
			snprintf(why, len,
				 "directory %s may be changed by users other than root and %s",
				 dir, u->name);
			return -1;
		}
		if (slash == dir)
			break;
	}
	return 0;
}

static bool vn_executable(const struct stat *st, const struct vn_user *u)
{
	if (u->uid == 0)
		return st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH);
	if (st->st_uid == u->uid)
		return st->st_mode & S_IXUSR;
	if (st->st_gid == u->gid)
		return st->st_mode & S_IXGRP;
	return st->st_mode & S_IXOTH;
}

int vn_check_script(const char *script, const struct vn_user *u, char *resolved, char *why,
		    size_t len)
{
	struct stat st;

	if (script[0] != '/') {
		snprintf(why, len, "%s is not an absolute path", script);
		return -1;
	}
	if (!realpath(script, resolved)) {
		snprintf(why, len, "%s: %s", script, strerror(errno));
		return -1;
	}
	if (stat(resolved, &st)) {
		snprintf(why, len, "%s: %s", resolved, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s is not a regular file", resolved);
		return -1;
	}
	if (!vn_owner_ok(&st, u) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, len, "%s may be changed by users other than root and %s", resolved,
			 u->name);
		return -1;
	}
	if (!vn_executable(&st, u)) {
		snprintf(why, len, "%s is not executable by %s", resolved, u->name);
		return -1;
	}
	return vn_dirs_ok(resolved, u, why, len);
}

/* The environment: a few basics of the user, then the event's VRRP_* strings. */
static void vn_envp(const struct vrrp_nmsg *m, const struct vn_user *u, char *const *slots,
		    const char **envp, size_t n)
{
	size_t i = 0;

	snprintf(slots[0], VN_ENV_SLOT, "PATH=%s", VN_PATH);
	snprintf(slots[1], VN_ENV_SLOT, "HOME=%s", u->home);
	snprintf(slots[2], VN_ENV_SLOT, "USER=%s", u->name);
	snprintf(slots[3], VN_ENV_SLOT, "LOGNAME=%s", u->name);
	for (; i < 4; i++)
		envp[i] = slots[i];
	for (size_t off = 0; off < m->env_len && i + 1 < n; off += strlen(m->env + off) + 1)
		envp[i++] = m->env + off;
	envp[i] = NULL;
}

static void vn_child_signals(void)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};
	sigset_t none;

	/* Ignored signals stay ignored across exec: give the script the defaults. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int vn_become(const struct vn_user *u)
{
	if (geteuid() != 0)
		return u->uid == geteuid() ? 0 : -EPERM;
	if (initgroups(u->name, u->gid) || setgid(u->gid) || setuid(u->uid))
		return -errno;
	return 0;
}

/* The child: its own process group, /dev/null in, stderr to the pipe, the user, exec. */
static void __attribute__((noreturn))
vn_child(const struct vrrp_nmsg *m, const struct vn_user *u, const char *path, int errw)
{
	static char slot_mem[4][VN_ENV_SLOT];
	char *const slots[4] = {slot_mem[0], slot_mem[1], slot_mem[2], slot_mem[3]};
	const char *envp[VRRP_NOTIFY_ENV_COUNT + 6];
	const char *argv[6];
	char prio[12];
	int rc;

	vn_child_signals();
	setpgid(0, 0);
	if (dup2(errw, STDERR_FILENO) < 0)
		_exit(126);
	close_range(3, ~0U, 0);
	if (chdir("/"))
		_exit(126);
	rc = vn_become(u);
	if (rc) {
		dprintf(STDERR_FILENO, "vrrpd-notify: cannot run as %s: %s\n", u->name,
			strerror(-rc));
		_exit(126);
	}
	/* Set after the user change, which clears it: the script goes if the notifier dies. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	vrrp_notify_argv(path, m->name, m->state, m->priority, prio, sizeof(prio), argv);
	vn_envp(m, u, slots, envp, array_size(envp));
	execve(path, (char *const *)argv, (char *const *)envp);
	rc = errno;
	dprintf(STDERR_FILENO, "vrrpd-notify: cannot execute %s: %s\n", path, strerror(rc));
	_exit(rc == ENOENT ? 127 : 126);
}

pid_t vn_spawn(const struct vrrp_nmsg *m, const struct vn_user *u, const char *path, int *errfd,
	       char *why, size_t len)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		vn_child(m, u, path, p[1]);
	close(p[1]);
	/* Also here, so a kill of the group cannot miss a child that has not run yet. */
	setpgid(pid, pid);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	*errfd = p[0];
	return pid;
}

/* The FIFO. */

static int vn_fifo_make(const char *path, const struct vn_user *owner, char *why, size_t len)
{
	if (mkfifo(path, 0600) && errno != EEXIST) {
		snprintf(why, len, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	/* lchown: never the target of a link someone put there meanwhile. */
	if (geteuid() == 0 && lchown(path, owner->uid, owner->gid)) {
		snprintf(why, len, "cannot give %s to %s: %s", path, owner->name, strerror(errno));
		return -1;
	}
	return 0;
}

/* A FIFO that root or the daemon's user owns, nothing else (never a file someone planted). */
static int vn_fifo_check(const struct stat *st, const char *path, const struct vn_user *owner,
			 char *why, size_t len)
{
	if (!S_ISFIFO(st->st_mode)) {
		snprintf(why, len, "%s exists and is not a FIFO", path);
		return -1;
	}
	if (st->st_uid != 0 && st->st_uid != owner->uid) {
		snprintf(why, len, "%s is owned by neither root nor %s", path, owner->name);
		return -1;
	}
	return 0;
}

int vn_fifo_prepare(const char *path, const struct vn_user *owner, char *why, size_t len)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return vn_fifo_check(&st, path, owner, why, len);
	if (errno != ENOENT) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	return vn_fifo_make(path, owner, why, len);
}

int vn_fifo_open(const char *path, const struct vn_user *owner, char *why, size_t len)
{
	struct stat st;
	int fd;

	if (vn_fifo_prepare(path, owner, why, len))
		return -1;
	/* Write-only and non-blocking: no reader is ENXIO, and we never wait for one. */
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENXIO)
			snprintf(why, len, "no reader has %s open", path);
		else
			snprintf(why, len, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || vn_fifo_check(&st, path, owner, why, len)) {
		close(fd);
		return -1;
	}
	return fd;
}
