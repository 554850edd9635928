// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Inside the notifier process: what its loop (vrrp_notifier.c) uses of its hands
 * (vrrp_notifier_run.c). Nothing else includes this.
 */
#ifndef VRRP_NOTIFIER_INT_H
#define VRRP_NOTIFIER_INT_H

#include <sys/types.h>

#include "vrrp_notify_msg.h"

#define VN_ENV_SLOT 1100 /* "HOME=" and a path */

/* Who a script runs as. */
struct vn_user {
	uid_t uid;
	gid_t gid;
	char name[VRRP_NOTIFY_USER_MAX];
	char home[VRRP_NOTIFY_PATH_MAX];
};

/* Look up name (NULL or "": the notifier's own user); 0, or -1 with why. */
int vn_user(const char *name, struct vn_user *u, char *why, size_t len);
/*
 * Whether script may run as u: an absolute path to a regular file u may execute, which only
 * root or u can change, nor any directory above it (sticky ones aside). resolved (PATH_MAX
 * bytes) gets the path without symbolic links, which is what runs. 0, or -1 with why.
 */
int vn_check_script(const char *script, const struct vn_user *u, char *resolved, char *why,
		    size_t len);
/*
 * Fork and exec path for m as u in a new process group; *errfd reads its stderr
 * (non-blocking). The pid, or -1 with why.
 */
pid_t vn_spawn(const struct vrrp_nmsg *m, const struct vn_user *u, const char *path, int *errfd,
	       char *why, size_t len);

/* Make the FIFO (mode 0600, owned by owner) if it is missing, or check the one there. */
int vn_fifo_prepare(const char *path, const struct vn_user *owner, char *why, size_t len);
/* Open it to write, never blocking: -1 with why when no reader has it open. */
int vn_fifo_open(const char *path, const struct vn_user *owner, char *why, size_t len);

#endif /* VRRP_NOTIFIER_INT_H */
