// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Northbound callbacks of the notify settings (vrrpd-ext: /vrrp/notify and a router's
 * notify): validation refuses a relative path and a user that does not exist, with a message;
 * the global and group apply_finish callbacks (vrrp_nb_config.c) load them with the rest.
 */
#include <zebra.h>

#include <pwd.h>

#include "lib/northbound.h"
#include "lib/yang.h"

#include "vrrp.h"
#include "vrrp_nb.h"
#include "vrrp_notify.h"

int vrrp_nb_notify_create(struct nb_cb_create_args *args)
{
	return NB_OK;
}

int vrrp_nb_notify_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

int vrrp_nb_notify_modify(struct nb_cb_modify_args *args)
{
	return NB_OK;
}

/*
 * What is wrong with a script or FIFO path, or NULL. Relative paths would depend on the
 * directory vrrpd was started in, and the notifier runs scripts from /.
 */
static const char *vrrp_nb_notify_path_problem(const char *path)
{
	if (path[0] != '/')
		return "the path must be absolute (start with /)";
	if (path[strlen(path) - 1] == '/')
		return "the path names a directory, not a file";
	return NULL;
}

/* XPath: .../notify/script/path and /vrrpd-ext:vrrp/notify/fifo */
int vrrp_nb_notify_path_modify(struct nb_cb_modify_args *args)
{
	const char *path = yang_dnode_get_string(args->dnode, NULL);
	bool fifo = !strcmp(yang_dnode_get_schema_name(args->dnode, NULL), "fifo");
	const char *problem;

	if (args->event != NB_EV_VALIDATE)
		return NB_OK;
	problem = vrrp_nb_notify_path_problem(path);
	if (problem) {
		snprintf(args->errmsg, args->errmsg_len, "notify %s %s: %s",
			 fifo ? "FIFO" : "script", path, problem);
		return NB_ERR_VALIDATION;
	}
	return NB_OK;
}

/* XPath: .../notify/script/user. root is allowed, but only when named (see doc/notify.rst). */
int vrrp_nb_notify_user_modify(struct nb_cb_modify_args *args)
{
	const char *user = yang_dnode_get_string(args->dnode, NULL);

	if (args->event != NB_EV_VALIDATE)
		return NB_OK;
	if (!getpwnam(user)) {
		snprintf(args->errmsg, args->errmsg_len,
			 "notify script user %s does not exist on this system", user);
		return NB_ERR_VALIDATION;
	}
	return NB_OK;
}

bool vrrp_nb_notify_risky(const char *xpath, const char *value)
{
	const char *leaf = strrchr(xpath, '/');

	if (!value || !leaf || !strstr(xpath, "notify/"))
		return false;
	leaf++;
	if (!strcmp(leaf, "path") || !strcmp(leaf, "fifo"))
		return vrrp_nb_notify_path_problem(value) != NULL;
	return !strcmp(leaf, "user") && !getpwnam(value);
}

/* A script container (or none) as a setting. */
static void vrrp_nb_notify_script(const struct lyd_node *parent, struct vrrp_notify_script *s)
{
	const struct lyd_node *d = yang_dnode_get(parent, "./script");

	memset(s, 0, sizeof(*s));
	if (!d)
		return;
	strlcpy(s->path, yang_dnode_get_string(d, "./path"), sizeof(s->path));
	if (yang_dnode_exists(d, "./timeout"))
		s->timeout = yang_dnode_get_uint16(d, "./timeout");
	if (yang_dnode_exists(d, "./user"))
		strlcpy(s->user, yang_dnode_get_string(d, "./user"), sizeof(s->user));
}

void vrrp_nb_notify_load_global(const struct lyd_node *vrrp)
{
	const struct lyd_node *n = yang_dnode_get(vrrp, "./notify");
	struct vrrp_notify_script s = {};

	if (n)
		vrrp_nb_notify_script(n, &s);
	vrrp_notify_set_global(&s);
	vrrp_notify_set_fifo(
		n && yang_dnode_exists(n, "./fifo") ? yang_dnode_get_string(n, "./fifo") : NULL);
}

void vrrp_nb_notify_load_vr(struct vrrp_vr *vr, const struct lyd_node *group)
{
	const struct lyd_node *n = yang_dnode_get(group, "./vrrpd-ext:notify");
	struct vrrp_notify_script s = {};

	if (n)
		vrrp_nb_notify_script(n, &s);
	vrrp_notify_set_vr(vr, &s);
}
