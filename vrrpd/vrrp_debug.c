// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Debug categories: their `debug vrrp ...` commands, `show debugging vrrp`, and the debug lines of
 * the running configuration. The keywords and the order of the lines are those of FRR's vrrpd.
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/debug.h"
#include "lib/vty.h"

#include "vrrp_debug.h"

struct debug vrrp_dbg_arp = {0, "VRRP ARP"};
struct debug vrrp_dbg_auto = {0, "VRRP autoconfiguration events"};
struct debug vrrp_dbg_ndisc = {0, "VRRP Neighbor Discovery"};
struct debug vrrp_dbg_pkt = {0, "VRRP packets"};
struct debug vrrp_dbg_proto = {0, "VRRP protocol events"};
struct debug vrrp_dbg_sock = {0, "VRRP sockets"};
struct debug vrrp_dbg_zebra = {0, "VRRP Zebra events"};

/* Sorted by keyword: running-config prints them in this order. */
static const struct {
	struct debug *dbg;
	const char *keyword;
} vrrp_debugs[] = {
	{&vrrp_dbg_arp, "arp"},	    {&vrrp_dbg_auto, "autoconfigure"}, {&vrrp_dbg_ndisc, "ndisc"},
	{&vrrp_dbg_pkt, "packets"}, {&vrrp_dbg_proto, "protocol"},     {&vrrp_dbg_sock, "sockets"},
	{&vrrp_dbg_zebra, "zebra"},
};

static void vrrp_debug_set_all(uint32_t flags, bool set)
{
	for (size_t i = 0; i < array_size(vrrp_debugs); i++) {
		struct debug *dbg = vrrp_debugs[i].dbg;

		DEBUG_FLAGS_SET(dbg, flags, set);
		/* Options mean nothing once every mode is off. */
		if (!DEBUG_MODE_CHECK(dbg, DEBUG_MODE_ALL))
			DEBUG_CLEAR(dbg);
	}
}

static void vrrp_debug_write(struct vty *vty, uint32_t mode)
{
	for (size_t i = 0; i < array_size(vrrp_debugs); i++)
		if (DEBUG_MODE_CHECK(vrrp_debugs[i].dbg, mode))
			vty_out(vty, "debug vrrp %s\n", vrrp_debugs[i].keyword);
}

static int vrrp_config_write_debug(struct vty *vty)
{
	vrrp_debug_write(vty, DEBUG_MODE_CONF);
	return 0;
}

/* vtysh's extract.pl reads this file without clippy's output. */
#ifndef VTYSH_EXTRACT_PL
#include "vrrp_debug_clippy.c"
#endif

/* Not _NOSH: vtysh knows `debug vrrp`, as it does for FRR's vrrpd. */
DEFPY(debug_vrrp, debug_vrrp_cmd,
	   "[no] debug vrrp [{protocol$proto|autoconfigure$ac|packets$pkt|sockets$sock|ndisc$ndisc|arp$arp|zebra$zebra}]",
	   NO_STR DEBUG_STR
	   "Virtual Router Redundancy Protocol\n"
	   "Protocol events and state changes\n"
	   "Autoconfiguration from existing interfaces\n"
	   "Packets sent and received\n"
	   "Socket setup\n"
	   "IPv6 Neighbor Discovery\n"
	   "Gratuitous ARP\n"
	   "Messages from and to zebra\n")
{
	uint32_t mode = DEBUG_NODE2MODE(vty->node);
	const char *picked[] = {arp, ac, ndisc, pkt, proto, sock, zebra};
	bool any = false;

	for (size_t i = 0; i < array_size(picked); i++)
		any |= picked[i] != NULL;

	/* With no category named, the command covers all of them. */
	for (size_t i = 0; i < array_size(vrrp_debugs); i++)
		if (!any || picked[i])
			DEBUG_MODE_SET(vrrp_debugs[i].dbg, mode, !no);

	return CMD_SUCCESS;
}

/*
 * _NOSH as in FRR's vrrpd: vtysh has its own `show debugging`, which asks every daemon for
 * it, so a vtysh built from these sources must not take this one.
 */
DEFUN_NOSH(show_debugging_vrrp, show_debugging_vrrp_cmd, "show debugging [vrrp]",
	   SHOW_STR DEBUG_STR "Virtual Router Redundancy Protocol\n")
{
	vty_out(vty, "VRRP debugging status:\n");
	vrrp_debug_write(vty, DEBUG_MODE_ALL);
	return CMD_SUCCESS;
}

static struct debug_callbacks vrrp_dbg_cbs = {.debug_set_all = vrrp_debug_set_all};

static struct cmd_node vrrp_debug_node = {
	.name = "debug",
	.node = DEBUG_NODE,
	.prompt = "",
	.config_write = vrrp_config_write_debug,
};

void vrrp_debug_init(void)
{
	debug_init(&vrrp_dbg_cbs);
	install_node(&vrrp_debug_node);
	install_element(ENABLE_NODE, &debug_vrrp_cmd);
	install_element(CONFIG_NODE, &debug_vrrp_cmd);
	install_element(ENABLE_NODE, &show_debugging_vrrp_cmd);
}
