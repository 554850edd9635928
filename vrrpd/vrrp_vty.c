// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration commands and the running-config printers. Command strings and printed lines are
 * those of FRR's vrrpd, because Debian's vtysh has that grammar compiled in. Handlers only turn
 * arguments into YANG changes; the northbound validates and applies them.
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/if.h"
#include "lib/northbound_cli.h"
#include "lib/vrf.h"
#include "lib/vty.h"
#include "lib/yang.h"

#include "vrrp.h"
#include "vrrp_cfgload.h"
#include "vrrp_nb.h"
#include "vrrp_track.h"
#include "vrrp_vty.h"

#define VRRP_STR "Virtual Router Redundancy Protocol\n"
#define VRRP_VRID_STR "Virtual Router ID\n"
#define VRRP_PRIORITY_STR "Virtual Router priority\n"
#define VRRP_ADVINT_STR "Virtual Router advertisement interval\n"
#define VRRP_TRACK_STR "Track an object that lowers the priority or stops the router\n"
#define VRRP_DECREMENT_STR "Lower the priority while it fails, instead of stopping\n"
#define VRRP_GARP_STR "How a new Master announces its addresses (ARP and IPv6 NA alike)\n"
#define VRRP_AUTOCREATE_DELAY_STR                                                                 \
	"Wait this long for a macvlan made by an interface manager first\n"
#define VRRP_GARP_HELP                                                                            \
	"Messages per virtual address in each burst\n"                                            \
	"Messages\n"                                                                              \
	"Seconds from becoming Master to a second burst (0: none)\n"                              \
	"Seconds\n"                                                                               \
	"Seconds between refresh bursts while Master (0: none)\n"                                 \
	"Seconds\n"
#define VRRP_NOTIFY_STR "Notify scripts and FIFO on state changes\n"
#define VRRP_NOTIFY_SCRIPT_STR                                                                    \
	"Run a script on every state change, with keepalived's notify arguments\n"                \
	"Absolute path of the script\n"                                                           \
	"Kill the script if it runs longer (default 10 s)\n"                                      \
	"Seconds\n"                                                                               \
	"Run the script as this user (default: FRR's user)\n"                                     \
	"User name\n"

/*
 * The CLI speaks milliseconds and YANG centiseconds. A value that does not convert exactly is
 * refused here, the only place that sees the user's unit.
 */
static bool vrrp_ms_to_cs(struct vty *vty, long ms, char *buf, size_t len)
{
	if (ms % VRRP_MS_PER_CS) {
		vty_out(vty,
			"%% Advertisement interval %ld ms is not a multiple of %d ms; use %ld or %ld\n",
			ms, VRRP_MS_PER_CS, ms - ms % VRRP_MS_PER_CS,
			ms - ms % VRRP_MS_PER_CS + VRRP_MS_PER_CS);
		return false;
	}
	snprintf(buf, len, "%ld", ms / VRRP_MS_PER_CS);
	return true;
}

/* The candidate's protocol version of a virtual router on the current interface, 0 if absent. */
static int vrrp_candidate_version(struct vty *vty, long vrid)
{
	const struct lyd_node *dnode;

	dnode = yang_dnode_getf(vty->candidate_config->dnode, "%s/" VRRP_XPATH_GROUP "/version",
				VTY_CURR_XPATH, vrid);
	return dnode ? yang_dnode_get_enum(dnode, NULL) : 0;
}

static bool vrrp_candidate_has_v6(struct vty *vty, long vrid)
{
	return yang_dnode_existsf(vty->candidate_config->dnode,
				  "%s/" VRRP_XPATH_GROUP "/v6/virtual-address", VTY_CURR_XPATH,
				  vrid);
}

/*
 * One tracker's changes: its list entry (fmt names it under track/, with key) and its decrement
 * (NULL: none, a failure stops the router), or the entry's removal (del).
 */
static void vrrp_track_change(struct vty *vty, const char *fmt, const char *key, const char *dec,
			      bool del)
{
	char xpath[XPATH_MAXLEN];
	int off = snprintf(xpath, sizeof(xpath), "./vrrpd-ext:track/");

	snprintf(xpath + off, sizeof(xpath) - off, fmt, key);
	if (del) {
		nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
		return;
	}
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	strlcat(xpath, "/priority-decrement", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, dec ? NB_OP_MODIFY : NB_OP_DESTROY, dec);
}

/*
 * A notify script under base ("./notify" or the group's "./vrrpd-ext:notify"): the whole
 * setting at once, so an option left out goes back to its default; no path removes it.
 */
static void vrrp_notify_change(struct vty *vty, const char *base, const char *path,
			       const char *timeout, const char *user)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "%s/script", base);
	if (!path) {
		nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
		return;
	}
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	snprintf(xpath, sizeof(xpath), "%s/script/path", base);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, path);
	snprintf(xpath, sizeof(xpath), "%s/script/timeout", base);
	nb_cli_enqueue_change(vty, xpath, timeout ? NB_OP_MODIFY : NB_OP_DESTROY, timeout);
	snprintf(xpath, sizeof(xpath), "%s/script/user", base);
	nb_cli_enqueue_change(vty, xpath, user ? NB_OP_MODIFY : NB_OP_DESTROY, user);
}

/* vtysh's extract.pl reads this file without clippy's output. */
#ifndef VTYSH_EXTRACT_PL
#include "vrrp_vty_clippy.c"
#endif

/* clang-format off */

/*
 * XPath: /frr-interface:lib/interface/frr-vrrpd:vrrp/vrrp-group
 */
DEFPY_YANG(vrrp_vrid, vrrp_vrid_cmd,
	   "[no] vrrp (1-255)$vrid [version (2-3)]",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "VRRP protocol version\n"
	   "VRRP protocol version\n")
{
	char ver[24];

	if (no) {
		nb_cli_enqueue_change(vty, ".", NB_OP_DESTROY, NULL);
		return vrrp_cfgload_apply_group(vty, vrid);
	}

	/* As in FRR, "vrrp N" without a version means version 3. */
	if (!version)
		version = VRRP_DEFAULT_VERSION;
	if (version == 2 && vrrp_candidate_has_v6(vty, vrid)) {
		vty_out(vty,
			"%% VRRP version 2 supports only IPv4; remove the IPv6 addresses of VRID %ld first\n",
			vrid);
		return CMD_WARNING_CONFIG_FAILED;
	}
	snprintf(ver, sizeof(ver), "%ld", version);
	nb_cli_enqueue_change(vty, ".", NB_OP_CREATE, NULL);
	nb_cli_enqueue_change(vty, "./version", NB_OP_MODIFY, ver);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_shutdown, vrrp_shutdown_cmd,
	   "[no] vrrp (1-255)$vrid shutdown",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Administratively disable the virtual router\n")
{
	nb_cli_enqueue_change(vty, "./shutdown", NB_OP_MODIFY, no ? "false" : "true");
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_priority, vrrp_priority_cmd,
	   "vrrp (1-255)$vrid priority (1-254)",
	   VRRP_STR VRRP_VRID_STR VRRP_PRIORITY_STR
	   "Priority value\n")
{
	nb_cli_enqueue_change(vty, "./priority", NB_OP_MODIFY, priority_str);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(no_vrrp_priority, no_vrrp_priority_cmd,
	   "no vrrp (1-255)$vrid priority [(1-254)]",
	   NO_STR VRRP_STR VRRP_VRID_STR VRRP_PRIORITY_STR
	   "Priority value\n")
{
	nb_cli_enqueue_change(vty, "./priority", NB_OP_MODIFY, NULL);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_advertisement_interval, vrrp_advertisement_interval_cmd,
	   "vrrp (1-255)$vrid advertisement-interval (10-40950)",
	   VRRP_STR VRRP_VRID_STR VRRP_ADVINT_STR
	   "Advertisement interval in milliseconds; must be a multiple of 10\n")
{
	char cs[24];

	if (!vrrp_ms_to_cs(vty, advertisement_interval, cs, sizeof(cs)))
		return CMD_WARNING_CONFIG_FAILED;
	nb_cli_enqueue_change(vty, "./advertisement-interval", NB_OP_MODIFY, cs);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(no_vrrp_advertisement_interval, no_vrrp_advertisement_interval_cmd,
	   "no vrrp (1-255)$vrid advertisement-interval [(10-40950)]",
	   NO_STR VRRP_STR VRRP_VRID_STR VRRP_ADVINT_STR
	   "Advertisement interval in milliseconds; must be a multiple of 10\n")
{
	nb_cli_enqueue_change(vty, "./advertisement-interval", NB_OP_MODIFY, NULL);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_ip, vrrp_ip_cmd,
	   "[no] vrrp (1-255)$vrid ip A.B.C.D",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Add IPv4 address\n"
	   "Virtual IPv4 address\n")
{
	nb_cli_enqueue_change(vty, "./v4/virtual-address", no ? NB_OP_DESTROY : NB_OP_CREATE,
			      ip_str);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_ip6, vrrp_ip6_cmd,
	   "[no] vrrp (1-255)$vrid ipv6 X:X::X:X",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Add IPv6 address\n"
	   "Virtual IPv6 address\n")
{
	/* YANG would reject this too, but only with the text of its "when" expression. */
	if (!no && vrrp_candidate_version(vty, vrid) == 2) {
		vty_out(vty,
			"%% VRRP version 2 supports only IPv4; use \"vrrp %ld version 3\" for IPv6 addresses\n",
			vrid);
		return CMD_WARNING_CONFIG_FAILED;
	}
	nb_cli_enqueue_change(vty, "./v6/virtual-address", no ? NB_OP_DESTROY : NB_OP_CREATE,
			      ipv6_str);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_preempt, vrrp_preempt_cmd,
	   "[no] vrrp (1-255)$vrid preempt",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Preempt mode\n")
{
	nb_cli_enqueue_change(vty, "./preempt", NB_OP_MODIFY, no ? "false" : "true");
	return vrrp_cfgload_apply_group(vty, vrid);
}

/*
 * FRR 8.5's command; Debian's 8.4 vtysh does not know it yet (see the README).
 */
DEFPY_YANG(vrrp_checksum, vrrp_checksum_cmd,
	   "[no] vrrp (1-255)$vrid checksum-with-ipv4-pseudoheader",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Checksum VRRPv3 IPv4 advertisements over the IPv4 pseudo-header too\n")
{
	/* A fixed mode, as in FRR 8.5: it ends the auto mode. */
	nb_cli_enqueue_change(vty, "./vrrpd-ext:checksum-with-ipv4-pseudoheader", NB_OP_MODIFY,
			      no ? "false" : "true");
	nb_cli_enqueue_change(vty, "./vrrpd-ext:checksum-auto", NB_OP_MODIFY, "false");
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_checksum_auto, vrrp_checksum_auto_cmd,
	   "[no] vrrp (1-255)$vrid checksum-with-ipv4-pseudoheader auto",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Checksum VRRPv3 IPv4 advertisements over the IPv4 pseudo-header too\n"
	   "Send in the mode the peers use, starting with the configured one\n")
{
	nb_cli_enqueue_change(vty, "./vrrpd-ext:checksum-auto", NB_OP_MODIFY,
			      no ? "false" : "true");
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_autocreate, vrrp_autocreate_cmd,
	   "[no] vrrp (1-255)$vrid macvlan-autocreate",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Create and remove the macvlan interfaces of this virtual router\n")
{
	nb_cli_enqueue_change(vty, "./vrrpd-ext:macvlan-autocreate", NB_OP_MODIFY,
			      no ? "false" : "true");
	return vrrp_cfgload_apply_group(vty, vrid);
}

/* XPath: .../vrrp-group/vrrpd-ext:preempt-hold-time (RFC 8347's preempt/hold-time). */
DEFPY_YANG(vrrp_preempt_delay, vrrp_preempt_delay_cmd,
	   "vrrp (1-255)$vrid preempt delay (1-3600)$secs",
	   VRRP_STR VRRP_VRID_STR
	   "Preempt mode\n"
	   "Follow a lower-priority Master this long before preempting it\n"
	   "Seconds\n")
{
	nb_cli_enqueue_change(vty, "./vrrpd-ext:preempt-hold-time", NB_OP_MODIFY, secs_str);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(no_vrrp_preempt_delay, no_vrrp_preempt_delay_cmd,
	   "no vrrp (1-255)$vrid preempt delay [(1-3600)]",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Preempt mode\n"
	   "Follow a lower-priority Master this long before preempting it\n"
	   "Seconds\n")
{
	nb_cli_enqueue_change(vty, "./vrrpd-ext:preempt-hold-time", NB_OP_DESTROY, NULL);
	return vrrp_cfgload_apply_group(vty, vrid);
}

/* XPath: .../vrrp-group/vrrpd-ext:sync-group. */
DEFPY_YANG(vrrp_sync_group, vrrp_sync_group_cmd,
	   "vrrp (1-255)$vrid sync-group WORD$name",
	   VRRP_STR VRRP_VRID_STR
	   "Be Master together with the other virtual routers of a group, or not at all\n"
	   "Group name\n")
{
	/* YANG's pattern says the same, less readably. */
	if (strlen(name) > 63 || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					    "0123456789_.:-") != strlen(name)) {
		vty_out(vty,
			"%% Sync group name \"%s\" is not valid: use at most 63 letters, digits "
			"and _ . : -\n",
			name);
		return CMD_WARNING_CONFIG_FAILED;
	}
	nb_cli_enqueue_change(vty, "./vrrpd-ext:sync-group", NB_OP_MODIFY, name);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(no_vrrp_sync_group, no_vrrp_sync_group_cmd,
	   "no vrrp (1-255)$vrid sync-group [WORD]",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Be Master together with the other virtual routers of a group, or not at all\n"
	   "Group name\n")
{
	nb_cli_enqueue_change(vty, "./vrrpd-ext:sync-group", NB_OP_DESTROY, NULL);
	return vrrp_cfgload_apply_group(vty, vrid);
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:unicast-peer (keepalived's unicast_peer). Validation names
 * what is wrong with an address; the leaf-list takes each peer once.
 */
DEFPY_YANG(vrrp_unicast_peer, vrrp_unicast_peer_cmd,
	   "[no] vrrp (1-255)$vrid unicast-peer <A.B.C.D|X:X::X:X>$peer",
	   NO_STR VRRP_STR VRRP_VRID_STR
	   "Send advertisements to this peer by unicast, and accept only the peers'\n"
	   "IPv4 address of the peer\n"
	   "IPv6 address of the peer (link-local or global)\n")
{
	nb_cli_enqueue_change(vty, "./vrrpd-ext:unicast-peer", no ? NB_OP_DESTROY : NB_OP_CREATE,
			      peer_str);
	return vrrp_cfgload_apply_group(vty, vrid);
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:track (RFC 8347's names): without a decrement a failure
 * stops the virtual router.
 */
DEFPY_YANG(vrrp_track_interface, vrrp_track_interface_cmd,
	   "[no] vrrp (1-255)$vrid track interface IFNAME$ifname [decrement (1-254)$dec]",
	   NO_STR VRRP_STR VRRP_VRID_STR VRRP_TRACK_STR
	   "Track an interface: down, without carrier or absent is a failure\n"
	   "Interface name\n"
	   VRRP_DECREMENT_STR
	   "Priority decrement\n")
{
	vrrp_track_change(vty, "interfaces/interface[interface='%s']", ifname, dec_str, no);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(vrrp_track_route, vrrp_track_route_cmd,
	   "[no] vrrp (1-255)$vrid track route <A.B.C.D/M|X:X::X:X/M>$prefix [decrement (1-254)$dec]",
	   NO_STR VRRP_STR VRRP_VRID_STR VRRP_TRACK_STR
	   "Track a route: up while zebra has exactly this prefix with a nexthop\n"
	   "IPv4 prefix\n"
	   "IPv6 prefix\n"
	   VRRP_DECREMENT_STR
	   "Priority decrement\n")
{
	char why[128];

	/* Refused here: the northbound only sees the prefix with its host bits cleared. */
	if (!no && vrrp_track_route_problem(prefix, why, sizeof(why))) {
		vty_out(vty, "%% %s\n", why);
		return CMD_WARNING_CONFIG_FAILED;
	}
	vrrp_track_change(vty, "networks/network[prefix='%s']", prefix_str, dec_str, no);
	return vrrp_cfgload_apply_group(vty, vrid);
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:gratuitous-arp: how a new Master announces its addresses. The
 * no form removes the router's own value, so the global default applies again.
 */
DEFPY_YANG(vrrp_garp, vrrp_garp_cmd,
	   "vrrp (1-255)$vrid gratuitous-arp <repeat$leaf (1-20)$val|delay$leaf (0-3600)$val|refresh$leaf (0-86400)$val>",
	   VRRP_STR VRRP_VRID_STR VRRP_GARP_STR VRRP_GARP_HELP)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./vrrpd-ext:gratuitous-arp/%s", leaf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, val_str);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(no_vrrp_garp, no_vrrp_garp_cmd,
	   "no vrrp (1-255)$vrid gratuitous-arp <repeat$leaf [(1-20)$val]|delay$leaf [(0-3600)$val]|refresh$leaf [(0-86400)$val]>",
	   NO_STR VRRP_STR VRRP_VRID_STR VRRP_GARP_STR VRRP_GARP_HELP)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./vrrpd-ext:gratuitous-arp/%s", leaf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return vrrp_cfgload_apply_group(vty, vrid);
}

/*
 * XPath: .../vrrp-group/vrrpd-ext:notify/script (this router's, instead of the global one)
 */
DEFPY_YANG(vrrp_vr_notify_script, vrrp_vr_notify_script_cmd,
	   "vrrp (1-255)$vrid notify script PATH$path [{timeout (1-3600)$timeout|user WORD$user}]",
	   VRRP_STR VRRP_VRID_STR VRRP_NOTIFY_STR VRRP_NOTIFY_SCRIPT_STR)
{
	vrrp_notify_change(vty, "./vrrpd-ext:notify", path, timeout_str, user);
	return vrrp_cfgload_apply_group(vty, vrid);
}

DEFPY_YANG(no_vrrp_vr_notify_script, no_vrrp_vr_notify_script_cmd,
	   "no vrrp (1-255)$vrid notify script [PATH [{timeout (1-3600)|user WORD}]]",
	   NO_STR VRRP_STR VRRP_VRID_STR VRRP_NOTIFY_STR VRRP_NOTIFY_SCRIPT_STR)
{
	vrrp_notify_change(vty, "./vrrpd-ext:notify", NULL, NULL, NULL);
	return vrrp_cfgload_apply_group(vty, vrid);
}

/*
 * XPath: /vrrpd-ext:vrrp (global settings; outside frr-vrrpd, which never modelled them)
 */
DEFPY_YANG(vrrp_autoconfigure, vrrp_autoconfigure_cmd,
	   "[no] vrrp autoconfigure [version (2-3)]",
	   NO_STR VRRP_STR
	   "Automatically set up VRRP instances on VRRP-compatible interfaces\n"
	   "Version for automatically configured instances\n"
	   "VRRP protocol version\n")
{
	char ver[24];

	if (no) {
		nb_cli_enqueue_change(vty, "./autoconfigure", NB_OP_DESTROY, NULL);
	} else {
		snprintf(ver, sizeof(ver), "%ld", version ? version : VRRP_DEFAULT_VERSION);
		nb_cli_enqueue_change(vty, "./autoconfigure", NB_OP_CREATE, NULL);
		nb_cli_enqueue_change(vty, "./autoconfigure/version", NB_OP_MODIFY, ver);
	}
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(vrrp_default, vrrp_default_cmd,
	   "[no] vrrp default <advertisement-interval$adv (10-40950)$advint|preempt$p|priority$prio (1-254)$prioval|shutdown$s>",
	   NO_STR VRRP_STR
	   "Configure defaults for new VRRP instances\n"
	   VRRP_ADVINT_STR
	   "Advertisement interval in milliseconds\n"
	   "Preempt mode\n"
	   VRRP_PRIORITY_STR
	   "Priority value\n"
	   "Administratively disable the virtual router\n")
{
	char cs[24];

	if (adv) {
		if (no)
			nb_cli_enqueue_change(vty, "./defaults/advertisement-interval",
					      NB_OP_MODIFY, NULL);
		else if (vrrp_ms_to_cs(vty, advint, cs, sizeof(cs)))
			nb_cli_enqueue_change(vty, "./defaults/advertisement-interval",
					      NB_OP_MODIFY, cs);
		else
			return CMD_WARNING_CONFIG_FAILED;
	}
	if (p)
		nb_cli_enqueue_change(vty, "./defaults/preempt", NB_OP_MODIFY,
				      no ? "false" : "true");
	if (prio)
		nb_cli_enqueue_change(vty, "./defaults/priority", NB_OP_MODIFY,
				      no ? NULL : prioval_str);
	if (s)
		nb_cli_enqueue_change(vty, "./defaults/shutdown", NB_OP_MODIFY,
				      no ? "false" : "true");
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(vrrp_default_autocreate, vrrp_default_autocreate_cmd,
	   "[no] vrrp default macvlan-autocreate",
	   NO_STR VRRP_STR
	   "Configure defaults for new VRRP instances\n"
	   "Create and remove the macvlan interfaces of virtual routers\n")
{
	nb_cli_enqueue_change(vty, "./defaults/macvlan-autocreate", NB_OP_MODIFY,
			      no ? "false" : "true");
	return vrrp_cfgload_apply_global(vty);
}

/* Room for an interface manager to make the macvlan before the daemon makes its own. */
DEFPY_YANG(vrrp_default_autocreate_delay, vrrp_default_autocreate_delay_cmd,
	   "vrrp default macvlan-autocreate delay (1-3600)$secs",
	   VRRP_STR
	   "Configure defaults for new VRRP instances\n"
	   "Create and remove the macvlan interfaces of virtual routers\n"
	   VRRP_AUTOCREATE_DELAY_STR
	   "Seconds\n")
{
	nb_cli_enqueue_change(vty, "./defaults/macvlan-autocreate-delay", NB_OP_MODIFY,
			      secs_str);
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(no_vrrp_default_autocreate_delay, no_vrrp_default_autocreate_delay_cmd,
	   "no vrrp default macvlan-autocreate delay [(1-3600)]",
	   NO_STR VRRP_STR
	   "Configure defaults for new VRRP instances\n"
	   "Create and remove the macvlan interfaces of virtual routers\n"
	   VRRP_AUTOCREATE_DELAY_STR
	   "Seconds\n")
{
	nb_cli_enqueue_change(vty, "./defaults/macvlan-autocreate-delay", NB_OP_DESTROY, NULL);
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(vrrp_startup_delay, vrrp_startup_delay_cmd,
	   "vrrp startup-delay (1-3600)$secs",
	   VRRP_STR
	   "After the daemon starts, become Master by timeout only after this delay\n"
	   "Seconds\n")
{
	nb_cli_enqueue_change(vty, "./startup-delay", NB_OP_MODIFY, secs_str);
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(no_vrrp_startup_delay, no_vrrp_startup_delay_cmd,
	   "no vrrp startup-delay [(1-3600)]",
	   NO_STR VRRP_STR
	   "After the daemon starts, become Master by timeout only after this delay\n"
	   "Seconds\n")
{
	nb_cli_enqueue_change(vty, "./startup-delay", NB_OP_DESTROY, NULL);
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(vrrp_graceful_restart, vrrp_graceful_restart_cmd,
	   "[no] vrrp graceful-restart",
	   NO_STR VRRP_STR
	   "On SIGTERM keep Masters live for the next start to resume, without releasing\n")
{
	nb_cli_enqueue_change(vty, "./graceful-restart", NB_OP_MODIFY, no ? "false" : "true");
	return vrrp_cfgload_apply_global(vty);
}

/* The announcement policy of routers that do not set their own; no: the built-in value. */
DEFPY_YANG(vrrp_default_garp, vrrp_default_garp_cmd,
	   "vrrp default gratuitous-arp <repeat$leaf (1-20)$val|delay$leaf (0-3600)$val|refresh$leaf (0-86400)$val>",
	   VRRP_STR
	   "Configure defaults for new VRRP instances\n"
	   VRRP_GARP_STR VRRP_GARP_HELP)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./defaults/gratuitous-arp/%s", leaf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, val_str);
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(no_vrrp_default_garp, no_vrrp_default_garp_cmd,
	   "no vrrp default gratuitous-arp <repeat$leaf [(1-20)$val]|delay$leaf [(0-3600)$val]|refresh$leaf [(0-86400)$val]>",
	   NO_STR VRRP_STR
	   "Configure defaults for new VRRP instances\n"
	   VRRP_GARP_STR VRRP_GARP_HELP)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), "./defaults/gratuitous-arp/%s", leaf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, NULL);
	return vrrp_cfgload_apply_global(vty);
}

/* XPath: /vrrpd-ext:vrrp/notify (script, FIFO) */
DEFPY_YANG(vrrp_notify_script, vrrp_notify_script_cmd,
	   "vrrp notify script PATH$path [{timeout (1-3600)$timeout|user WORD$user}]",
	   VRRP_STR VRRP_NOTIFY_STR VRRP_NOTIFY_SCRIPT_STR)
{
	vrrp_notify_change(vty, "./notify", path, timeout_str, user);
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(no_vrrp_notify_script, no_vrrp_notify_script_cmd,
	   "no vrrp notify script [PATH [{timeout (1-3600)|user WORD}]]",
	   NO_STR VRRP_STR VRRP_NOTIFY_STR VRRP_NOTIFY_SCRIPT_STR)
{
	vrrp_notify_change(vty, "./notify", NULL, NULL, NULL);
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(vrrp_notify_fifo, vrrp_notify_fifo_cmd,
	   "vrrp notify fifo PATH$path",
	   VRRP_STR VRRP_NOTIFY_STR
	   "Write a line per state change to a named pipe, in keepalived's format\n"
	   "Absolute path of the FIFO (created if missing)\n")
{
	nb_cli_enqueue_change(vty, "./notify/fifo", NB_OP_MODIFY, path);
	return vrrp_cfgload_apply_global(vty);
}

DEFPY_YANG(no_vrrp_notify_fifo, no_vrrp_notify_fifo_cmd,
	   "no vrrp notify fifo [PATH]",
	   NO_STR VRRP_STR VRRP_NOTIFY_STR
	   "Write a line per state change to a named pipe, in keepalived's format\n"
	   "Absolute path of the FIFO (created if missing)\n")
{
	nb_cli_enqueue_change(vty, "./notify/fifo", NB_OP_DESTROY, NULL);
	return vrrp_cfgload_apply_global(vty);
}

/* clang-format on */

/* Global lines come after the interfaces, as VRRP_NODE follows INTERFACE_NODE. */
static int vrrp_config_write_global(struct vty *vty)
{
	const struct lyd_node *dnode = yang_dnode_get(running_config->dnode, VRRP_XPATH_GLOBAL);
	int lines = 0;

	if (!dnode)
		return 0;
	lines += yang_dnode_exists(dnode, "./autoconfigure");
	lines += !yang_dnode_is_default(dnode, "./defaults/priority");
	lines += !yang_dnode_is_default(dnode, "./defaults/advertisement-interval");
	lines += !yang_dnode_is_default(dnode, "./defaults/preempt");
	lines += !yang_dnode_is_default(dnode, "./defaults/shutdown");
	lines += !yang_dnode_is_default(dnode, "./defaults/macvlan-autocreate");
	lines += yang_dnode_exists(dnode, "./defaults/macvlan-autocreate-delay");
	lines += yang_dnode_exists(dnode, "./startup-delay");
	lines += !yang_dnode_is_default(dnode, "./graceful-restart");
	lines += !yang_dnode_is_default(dnode, "./defaults/gratuitous-arp/repeat");
	lines += !yang_dnode_is_default(dnode, "./defaults/gratuitous-arp/delay");
	lines += !yang_dnode_is_default(dnode, "./defaults/gratuitous-arp/refresh");
	lines += yang_dnode_exists(dnode, "./notify/script");
	lines += yang_dnode_exists(dnode, "./notify/fifo");
	nb_cli_show_dnode_cmds(vty, dnode, false);
	return lines;
}

static struct cmd_node vrrp_node = {
	.name = "vrrp",
	.node = VRRP_NODE,
	.prompt = "",
	.config_write = vrrp_config_write_global,
};

void vrrp_vty_init(void)
{
	install_node(&vrrp_node);
	vrrp_cfgload_init();
	vrf_cmd_init(NULL);
	if_cmd_init_default();
	vrrp_cfgload_cmd_init();

	install_element(CONFIG_NODE, &vrrp_autoconfigure_cmd);
	install_element(CONFIG_NODE, &vrrp_default_cmd);
	install_element(CONFIG_NODE, &vrrp_default_autocreate_cmd);
	install_element(CONFIG_NODE, &vrrp_default_autocreate_delay_cmd);
	install_element(CONFIG_NODE, &no_vrrp_default_autocreate_delay_cmd);
	install_element(CONFIG_NODE, &vrrp_startup_delay_cmd);
	install_element(CONFIG_NODE, &no_vrrp_startup_delay_cmd);
	install_element(CONFIG_NODE, &vrrp_graceful_restart_cmd);
	install_element(CONFIG_NODE, &vrrp_default_garp_cmd);
	install_element(CONFIG_NODE, &no_vrrp_default_garp_cmd);
	install_element(CONFIG_NODE, &vrrp_notify_script_cmd);
	install_element(CONFIG_NODE, &no_vrrp_notify_script_cmd);
	install_element(CONFIG_NODE, &vrrp_notify_fifo_cmd);
	install_element(CONFIG_NODE, &no_vrrp_notify_fifo_cmd);
	install_element(INTERFACE_NODE, &vrrp_vrid_cmd);
	install_element(INTERFACE_NODE, &vrrp_shutdown_cmd);
	install_element(INTERFACE_NODE, &vrrp_priority_cmd);
	install_element(INTERFACE_NODE, &no_vrrp_priority_cmd);
	install_element(INTERFACE_NODE, &vrrp_advertisement_interval_cmd);
	install_element(INTERFACE_NODE, &no_vrrp_advertisement_interval_cmd);
	install_element(INTERFACE_NODE, &vrrp_ip_cmd);
	install_element(INTERFACE_NODE, &vrrp_ip6_cmd);
	install_element(INTERFACE_NODE, &vrrp_preempt_cmd);
	install_element(INTERFACE_NODE, &vrrp_preempt_delay_cmd);
	install_element(INTERFACE_NODE, &no_vrrp_preempt_delay_cmd);
	install_element(INTERFACE_NODE, &vrrp_sync_group_cmd);
	install_element(INTERFACE_NODE, &no_vrrp_sync_group_cmd);
	install_element(INTERFACE_NODE, &vrrp_checksum_cmd);
	install_element(INTERFACE_NODE, &vrrp_checksum_auto_cmd);
	install_element(INTERFACE_NODE, &vrrp_autocreate_cmd);
	install_element(INTERFACE_NODE, &vrrp_unicast_peer_cmd);
	install_element(INTERFACE_NODE, &vrrp_track_interface_cmd);
	install_element(INTERFACE_NODE, &vrrp_track_route_cmd);
	install_element(INTERFACE_NODE, &vrrp_garp_cmd);
	install_element(INTERFACE_NODE, &no_vrrp_garp_cmd);
	install_element(INTERFACE_NODE, &vrrp_vr_notify_script_cmd);
	install_element(INTERFACE_NODE, &no_vrrp_vr_notify_script_cmd);
}
