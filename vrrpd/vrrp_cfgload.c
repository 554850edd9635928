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
 * libfrr's `interface IFNAME` commits the group before it and itself, and `exit`, not a YANG
 * command, commits it again; vtysh follows every `exit` with `end` and `configure`, and `end`
 * commits too. That is a commit of the whole configuration per interface, quadratic with one
 * interface per router. So the daemon puts its own `interface`, interface-node `exit` and
 * `end` in place of libfrr's (same strings, help and grammar): while lines are grouped the
 * interface is created in the group, `exit` only leaves the node, and vtysh's `end` leaves
 * the group in the shared candidate for `configure` to take up again. A whole file is then
 * one transaction, plus one per line that could fail. Outside a grouped load the commands are
 * libfrr's own.
 *
 * Could fail (all else is checked by the parser or by the command itself, against the
 * candidate, before anything is enqueued): a virtual address that is invalid or already on the
 * interface, an interface tracker, a router that `vrrp autoconfigure` made, and
 * `vrrp autoconfigure` itself (later lines are checked against the routers it makes); a
 * notify script or FIFO path that is not absolute, or a notify user that does not exist.
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/if.h"
#include "lib/ipaddr.h"
#include "lib/libfrr.h"
#include "lib/monotime.h"
#include "lib/northbound.h"
#include "lib/northbound_cli.h"
#include "lib/vrf.h"
#include "lib/vty.h"
#include "lib/yang.h"

#include "vrrp.h"
#include "vrrp_cfgload.h"
#include "vrrp_errors.h"
#include "vrrp_nb.h"
#include "vrrp_unicast.h"

unsigned long vrrp_cfgload_reloads;

/* Commits and reloads at the start of the current load, for its log line. */
static uint32_t vrrp_load_version;
static unsigned long vrrp_load_reloads;
static struct timeval vrrp_load_start;

/*
 * A node of the candidate by a path whose predicates are list keys, or NULL: libyang's path
 * lookup costs the depth of the path, where an XPath evaluation (yang_dnode_get()) parses the
 * expression and walks a set, and this runs for every line of a load.
 */
static struct lyd_node *vrrp_candidate_find(struct vty *vty, const char *path)
{
	struct lyd_node *match = NULL;
	const struct lyd_node *root = vty->candidate_config->dnode;

	if (!root || lyd_find_path(root, path, 0, &match) != LY_SUCCESS)
		return NULL;
	return match;
}

/* Whether one enqueued change of a group could fail the northbound's validation. */
static bool vrrp_group_change_risky(struct vty *vty, long vrid, const struct vty_cfg_change *c)
{
	const char *x = c->xpath;

	if (vrrp_nb_notify_risky(x, c->value))
		return true;
	if (c->operation != NB_OP_CREATE)
		return false;
	if (!strcmp(x, ".")) {
		/* By name: in a grouped load the interface may not be committed yet. */
		struct interface *ifp = vrrp_nb_ifp_of(vrrp_candidate_find(vty, VTY_CURR_XPATH));
		struct vrrp_vr *vr = ifp ? vrrp_vr_lookup(ifp, vrid) : NULL;

		return vr && vr->autoconf;
	}
	if (!strcmp(x, "./v4/virtual-address") || !strcmp(x, "./v6/virtual-address")) {
		char path[XPATH_MAXLEN];
		const struct lyd_node *vrrp;
		struct ipaddr addr;

		if (!c->value || str2ipaddr(c->value, &addr) || vrrp_vaddr_problem(&addr))
			return true;
		/* Anywhere on the interface, this router included: its commit decides. */
		snprintf(path, sizeof(path), "%s/frr-vrrpd:vrrp", VTY_CURR_XPATH);
		vrrp = vrrp_candidate_find(vty, path);
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

/*
 * libfrr lists every grouped line in one string, appending each with strlcat(), which reads the
 * whole string first: quadratic in the group's length. The list is printed only if the group's
 * commit fails, after the error, so its last lines are the ones that matter: keep those.
 */
#define VRRP_PENDING_LIST_MAX 4096

static void vrrp_cfgload_trim_pending(struct vty *vty)
{
	static const char earlier[] = "- (earlier lines of this group)\n";
	char *buf = vty->pending_cmds_buf;
	size_t len, keep;
	char *from;

	if (!vty->pending_commit || !buf || vty->pending_cmds_bufpos < VRRP_PENDING_LIST_MAX)
		return;
	len = vty->pending_cmds_bufpos;
	/* Lines from a file end in a newline; lines from vtysh do not. */
	from = strstr(buf + len - VRRP_PENDING_LIST_MAX / 2, "\n- ");
	from = from ? from + 1 : strstr(buf + len - VRRP_PENDING_LIST_MAX / 2, "- ");
	if (!from)
		return;
	keep = buf + len - from;
	memmove(buf + sizeof(earlier) - 1, from, keep + 1);
	memcpy(buf, earlier, sizeof(earlier) - 1);
	vty->pending_cmds_bufpos = sizeof(earlier) - 1 + keep;
}

/* Whether this vty's lines are grouped; the daemon's own file is, like vtysh -b, until read. */
static bool vrrp_cfgload_grouping(struct vty *vty)
{
	if (vty->type == VTY_FILE && frr_get_cli_mode() == FRR_CLI_CLASSIC)
		vty->pending_allowed = true;
	return vty->pending_allowed;
}

static int vrrp_cfgload_apply(struct vty *vty, bool risky, const char *xpath_base_fmt, long vrid)
{
	int ret;

	if (!vrrp_cfgload_grouping(vty))
		return nb_cli_apply_changes(vty, xpath_base_fmt, vrid);
	if (!risky) {
		ret = nb_cli_apply_changes(vty, xpath_base_fmt, vrid);
		vrrp_cfgload_trim_pending(vty);
		return ret;
	}

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

/* libfrr's commands that a grouped load replaces, and the daemon's copies of them. */
enum vrrp_cfgload_cmd {
	VRRP_CMD_INTERFACE,
	VRRP_CMD_EXIT,
	VRRP_CMD_END,
	VRRP_CMD_MAX
};
static const struct cmd_element *vrrp_lib_cmd[VRRP_CMD_MAX];
static struct cmd_element vrrp_own_cmd[VRRP_CMD_MAX];

static int vrrp_lib_func(enum vrrp_cfgload_cmd which, struct vty *vty, int argc,
			 struct cmd_token *argv[])
{
	return vrrp_lib_cmd[which]->func(vrrp_lib_cmd[which], vty, argc, argv);
}

/*
 * `interface IFNAME [vrf NAME]` in a grouped load: the interface joins the group instead of
 * committing it. Without a VRF backend libfrr ignores the VRF name too (8.4 keys interfaces by
 * name alone); with one, and outside a grouped load, libfrr's own command runs.
 */
static int vrrp_interface_func(const struct cmd_element *self, struct vty *vty, int argc,
			       struct cmd_token *argv[])
{
	char xpath[XPATH_MAXLEN];
	struct interface *ifp;
	struct vrf *vrf;
	int ret;

	if (!vrrp_cfgload_grouping(vty) || vrf_is_backend_netns())
		return vrrp_lib_func(VRRP_CMD_INTERFACE, vty, argc, argv);

	snprintf(xpath, sizeof(xpath), "/frr-interface:lib/interface[name='%s']", argv[1]->arg);
	nb_cli_enqueue_change(vty, ".", NB_OP_CREATE, NULL);
	ret = nb_cli_apply_changes(vty, xpath);
	if (ret != CMD_SUCCESS)
		return ret;
	vrrp_cfgload_trim_pending(vty);
	VTY_PUSH_XPATH(INTERFACE_NODE, xpath);
	/* As libfrr does, for commands that still use the qobj context. */
	RB_FOREACH (vrf, vrf_name_head, &vrfs_by_name) {
		ifp = if_lookup_by_name_vrf(argv[1]->arg, vrf);
		if (ifp) {
			VTY_PUSH_CONTEXT(INTERFACE_NODE, ifp);
			break;
		}
	}
	return CMD_SUCCESS;
}

/* The interface node's `exit`, registered as a YANG command: leaving a node needs no commit. */
static int vrrp_exit_func(const struct cmd_element *self, struct vty *vty, int argc,
			  struct cmd_token *argv[])
{
	return vrrp_lib_func(VRRP_CMD_EXIT, vty, argc, argv);
}

/*
 * vtysh follows every `exit` back to the configuration node with `end` and `configure` to all
 * daemons, to resync them, and libfrr commits at `end`. In vtysh's grouped load (vtysh -b,
 * which uses the shared candidate) the group outlives `end`: it stays in that candidate, which
 * `configure` takes up again, and XFRR_end_configuration commits it. Anywhere else `end`
 * commits as libfrr's does: a file's last line is often `end`, and nothing would follow it.
 */
static int vrrp_end_func(const struct cmd_element *self, struct vty *vty, int argc,
			 struct cmd_token *argv[])
{
	bool keep = vty->type == VTY_SHELL_SERV && vty->pending_allowed && vty->pending_commit &&
		    !vty->private_config && vty->candidate_config == vty_shared_candidate_config &&
		    frr_get_cli_mode() == FRR_CLI_CLASSIC && !vty->t_confirmed_commit_timeout;
	int ret;

	if (!keep)
		return vrrp_lib_func(VRRP_CMD_END, vty, argc, argv);
	vty->pending_commit = 0;
	ret = vrrp_lib_func(VRRP_CMD_END, vty, argc, argv);
	vty->pending_commit = 1;
	return ret;
}

static const struct cmd_element *vrrp_cmd_find(enum node_type node, const char *string)
{
	struct cmd_node *cnode = vector_lookup(cmdvec, node);

	for (unsigned int i = 0; cnode && i < vector_active(cnode->cmd_vector); i++) {
		const struct cmd_element *cmd = vector_slot(cnode->cmd_vector, i);

		if (cmd && !strcmp(cmd->string, string))
			return cmd;
	}
	return NULL;
}

/*
 * Put ours in place of libfrr's, keeping string, help and daemon flags, so the grammar (and
 * vtysh's copy of it) is unchanged. A libfrr without the command keeps what it has.
 */
static void vrrp_cmd_replace(enum vrrp_cfgload_cmd which, enum node_type node, const char *string,
			     int (*func)(const struct cmd_element *, struct vty *, int,
					 struct cmd_token *[]),
			     bool yang)
{
	const struct cmd_element *lib = vrrp_cmd_find(node, string);
	struct cmd_element *ours = &vrrp_own_cmd[which];

	if (!lib) {
		flog_warn(
			EC_VRRP_CONFIG,
			"configuration load: libfrr has no \"%s\" command; lines are committed at each interface",
			string);
		return;
	}
	vrrp_lib_cmd[which] = lib;
	*ours = *lib;
	ours->func = func;
	if (yang)
		ours->attr = CMD_ATTR_YANG;
	ours->name = "vrrp_cfgload";
	uninstall_element(node, lib);
	/* Not install_element(): its xref wants a constant element, and ours is in an array. */
	_install_element(node, ours);
}

void vrrp_cfgload_cmd_init(void)
{
	vrrp_cmd_replace(VRRP_CMD_INTERFACE, CONFIG_NODE, "interface IFNAME [vrf NAME$vrf_name]",
			 vrrp_interface_func, false);
	vrrp_cmd_replace(VRRP_CMD_EXIT, INTERFACE_NODE, "exit", vrrp_exit_func, true);
	vrrp_cmd_replace(VRRP_CMD_END, CONFIG_NODE, "end", vrrp_end_func, true);
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
