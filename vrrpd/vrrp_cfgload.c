// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading a configuration in few northbound transactions.
 *
 * In libfrr's classic CLI every configuration line is its own commit, and a commit validates,
 * diffs and copies the whole configuration, so reading vrrpd.conf line by line is quadratic.
 * libfrr can group lines into one commit (vty->pending_allowed; vtysh -b turns it on with
 * XFRR_start_configuration), but a group that fails is rejected as a whole. Here the daemon's
 * own file is read the same grouped way, and either way a command that could fail validation
 * is committed alone, after the group before it: each rejected line is rejected with its own
 * message, as a line-by-line load would, and the others are applied.
 *
 * Could fail (all else is checked by the parser or by the command itself, against the
 * candidate, before anything is enqueued): a virtual address that is invalid or already on the
 * interface, an interface tracker, a router that `vrrp autoconfigure` made, and
 * `vrrp autoconfigure` itself (later lines are checked against the routers it makes); a
 * notify script or FIFO path that is not absolute, or a notify user that does not exist.
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/ipaddr.h"
#include "lib/libfrr.h"
#include "lib/monotime.h"
#include "lib/northbound.h"
#include "lib/northbound_cli.h"
#include "lib/vty.h"
#include "lib/yang.h"

#include "vrrp.h"
#include "vrrp_cfgload.h"
#include "vrrp_unicast.h"
#include "vrrp_nb.h"

unsigned long vrrp_cfgload_reloads;

/* Commits and reloads at the start of the current load, for its log line. */
static uint32_t vrrp_load_version;
static unsigned long vrrp_load_reloads;
static struct timeval vrrp_load_start;

/* Whether one enqueued change of a group could fail the northbound's validation. */
static bool vrrp_group_change_risky(struct vty *vty, long vrid, const struct vty_cfg_change *c)
{
	const char *x = c->xpath;

	if (vrrp_nb_notify_risky(x, c->value))
		return true;
	if (c->operation != NB_OP_CREATE)
		return false;
	if (!strcmp(x, ".")) {
		struct interface *ifp = nb_running_get_entry(NULL, VTY_CURR_XPATH, false);
		struct vrrp_vr *vr = ifp ? vrrp_vr_lookup(ifp, vrid) : NULL;

		return vr && vr->autoconf;
	}
	if (!strcmp(x, "./v4/virtual-address") || !strcmp(x, "./v6/virtual-address")) {
		const struct lyd_node *vrrp;
		struct ipaddr addr;

		if (!c->value || str2ipaddr(c->value, &addr) || vrrp_vaddr_problem(&addr))
			return true;
		/* Anywhere on the interface, this router included: its commit decides. */
		vrrp = yang_dnode_getf(vty->candidate_config->dnode, "%s/frr-vrrpd:vrrp",
				       VTY_CURR_XPATH);
		return vrrp && vrrp_vaddr_owner(vrrp, &addr, NULL);
	}
	if (!strcmp(x, "./vrrpd-ext:unicast-peer")) {
		struct ipaddr addr;

		/* An IPv6 peer fails on a version 2 router, which the commit decides. */
		return !c->value || str2ipaddr(c->value, &addr) || vrrp_unicast_problem(&addr) ||
		       IS_IPADDR_V6(&addr);
	}
	return !strncmp(x, "./vrrpd-ext:track/interfaces/", 29);
}

static int vrrp_cfgload_apply(struct vty *vty, bool risky, const char *xpath_base_fmt, long vrid)
{
	int ret;

	/* The daemon's own configuration file: group like vtysh -b (sticky until it is read). */
	if (vty->type == VTY_FILE && frr_get_cli_mode() == FRR_CLI_CLASSIC)
		vty->pending_allowed = true;
	if (!risky || !vty->pending_allowed)
		return nb_cli_apply_changes(vty, xpath_base_fmt, vrid);

	(void)nb_cli_pending_commit_check(vty);
	vty->pending_allowed = false;
	ret = nb_cli_apply_changes(vty, xpath_base_fmt, vrid);
	vty->pending_allowed = true;
	return ret;
}

int vrrp_cfgload_apply_group(struct vty *vty, long vrid)
{
	bool risky = false;

	for (size_t i = 0; i < vty->num_cfg_changes && !risky; i++)
		risky = vrrp_group_change_risky(vty, vrid, &vty->cfg_changes[i]);
	return vrrp_cfgload_apply(vty, risky, VRRP_XPATH_GROUP, vrid);
}

int vrrp_cfgload_apply_global(struct vty *vty)
{
	bool risky = false;

	for (size_t i = 0; i < vty->num_cfg_changes && !risky; i++)
		risky = !strncmp(vty->cfg_changes[i].xpath, "./autoconfigure", 15) ||
			vrrp_nb_notify_risky(vty->cfg_changes[i].xpath, vty->cfg_changes[i].value);
	return vrrp_cfgload_apply(vty, risky, VRRP_XPATH_GLOBAL, 0);
}

static void vrrp_cfgload_begin(void)
{
	vrrp_load_version = running_config->version;
	vrrp_load_reloads = vrrp_cfgload_reloads;
	monotime(&vrrp_load_start);
}

static void vrrp_count_one(struct vrrp_vr *vr, void *arg)
{
	(*(unsigned long *)arg)++;
}

static void vrrp_cfgload_end(void)
{
	unsigned long n = 0;

	vrrp_vr_foreach(vrrp_count_one, &n);
	zlog_info("configuration load: %u commits, %lu router reloads, %lu routers, %lld us",
		  running_config->version - vrrp_load_version,
		  vrrp_cfgload_reloads - vrrp_load_reloads, n,
		  (long long)monotime_since(&vrrp_load_start, NULL));
}

static int vrrp_cfgload_pre(struct thread_master *tm)
{
	vrrp_cfgload_begin();
	return 0;
}

static int vrrp_cfgload_post(struct thread_master *tm)
{
	vrrp_cfgload_end();
	return 0;
}

void vrrp_cfgload_init(void)
{
	hook_register(frr_config_pre, vrrp_cfgload_pre);
	hook_register(frr_config_post, vrrp_cfgload_post);
	/* vtysh -b: XFRR_start_configuration ... XFRR_end_configuration */
	cmd_init_config_callbacks(vrrp_cfgload_begin, vrrp_cfgload_end);
}
