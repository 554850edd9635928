// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The running-config printers of the northbound's cli_show callbacks: each prints the line
 * of one leaf as FRR's vrrpd (or, for our extensions, our commands in vrrp_vty.c) spells it.
 */
#include <zebra.h>

#include "lib/command.h"
#include "lib/northbound_cli.h"
#include "lib/vty.h"
#include "lib/yang.h"

#include "vrrp.h"
#include "vrrp_nb.h"
#include "vrrp_unicast.h"

void vrrp_cli_show_group(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vrrp %s", yang_dnode_get_string(dnode, "./virtual-router-id"));
	/* FRR 8.4 prints the version only when it is not the default. */
	if (show_defaults || !yang_dnode_is_default(dnode, "./version"))
		vty_out(vty, " version %s", yang_dnode_get_string(dnode, "./version"));
	vty_out(vty, "\n");
}

static const char *vrrp_dnode_vrid(const struct lyd_node *dnode)
{
	return yang_dnode_get_string(dnode, "../virtual-router-id");
}

void vrrp_cli_show_priority(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vrrp %s priority %s\n", vrrp_dnode_vrid(dnode),
		yang_dnode_get_string(dnode, NULL));
}

void vrrp_cli_show_preempt(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " %svrrp %s preempt\n", yang_dnode_get_bool(dnode, NULL) ? "" : "no ",
		vrrp_dnode_vrid(dnode));
}

void vrrp_cli_show_adver_interval(struct vty *vty, const struct lyd_node *dnode,
				  bool show_defaults)
{
	vty_out(vty, " vrrp %s advertisement-interval %u\n", vrrp_dnode_vrid(dnode),
		yang_dnode_get_uint16(dnode, NULL) * VRRP_MS_PER_CS);
}

void vrrp_cli_show_shutdown(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " %svrrp %s shutdown\n", yang_dnode_get_bool(dnode, NULL) ? "" : "no ",
		vrrp_dnode_vrid(dnode));
}

void vrrp_cli_show_checksum(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " %svrrp %s checksum-with-ipv4-pseudoheader\n",
		yang_dnode_get_bool(dnode, NULL) ? "" : "no ", vrrp_dnode_vrid(dnode));
}

void vrrp_cli_show_checksum_auto(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	if (yang_dnode_get_bool(dnode, NULL))
		vty_out(vty, " vrrp %s checksum-with-ipv4-pseudoheader auto\n",
			vrrp_dnode_vrid(dnode));
}

void vrrp_cli_show_autocreate(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " %svrrp %s macvlan-autocreate\n",
		yang_dnode_get_bool(dnode, NULL) ? "" : "no ", vrrp_dnode_vrid(dnode));
}

void vrrp_cli_show_preempt_delay(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vrrp %s preempt delay %s\n", vrrp_dnode_vrid(dnode),
		yang_dnode_get_string(dnode, NULL));
}

void vrrp_cli_show_sync_group(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vrrp %s sync-group %s\n", vrrp_dnode_vrid(dnode),
		yang_dnode_get_string(dnode, NULL));
}

void vrrp_cli_show_startup_delay(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, "vrrp startup-delay %s\n", yang_dnode_get_string(dnode, NULL));
}

void vrrp_cli_show_graceful_restart(struct vty *vty, const struct lyd_node *dnode,
				    bool show_defaults)
{
	vty_out(vty, "%svrrp graceful-restart\n", yang_dnode_get_bool(dnode, NULL) ? "" : "no ");
}

void vrrp_cli_show_track(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	bool route = yang_dnode_exists(dnode, "./prefix");

	vty_out(vty, " vrrp %s track %s %s",
		yang_dnode_get_string(dnode, "../../../virtual-router-id"),
		route ? "route" : "interface",
		yang_dnode_get_string(dnode, route ? "./prefix" : "./interface"));
	if (yang_dnode_exists(dnode, "./priority-decrement"))
		vty_out(vty, " decrement %s",
			yang_dnode_get_string(dnode, "./priority-decrement"));
	vty_out(vty, "\n");
}

static int vrrp_peer_line_cmp(const void *a, const void *b)
{
	return vrrp_unicast_cmp(a, b);
}

struct vrrp_peer_lines {
	struct ipaddr addrs[256];
	unsigned int n;
};

static int vrrp_peer_collect(const struct lyd_node *dnode, void *arg)
{
	struct vrrp_peer_lines *p = arg;

	if (p->n < array_size(p->addrs))
		yang_dnode_get_ip(&p->addrs[p->n++], dnode, NULL);
	return YANG_ITER_CONTINUE;
}

/*
 * After all of a router's lines: its unicast peers, sorted (IPv4 first), because the
 * leaf-list keeps the order they were added in and the data tree puts it among the others.
 */
void vrrp_cli_show_group_end(struct vty *vty, const struct lyd_node *dnode)
{
	struct vrrp_peer_lines *p = XCALLOC(MTYPE_TMP, sizeof(*p));
	const char *vrid = yang_dnode_get_string(dnode, "./virtual-router-id");
	char buf[INET6_ADDRSTRLEN];

	yang_dnode_iterate(vrrp_peer_collect, p, dnode, "./vrrpd-ext:unicast-peer");
	qsort(p->addrs, p->n, sizeof(p->addrs[0]), vrrp_peer_line_cmp);
	for (unsigned int i = 0; i < p->n; i++)
		vty_out(vty, " vrrp %s unicast-peer %s\n", vrid,
			ipaddr2str(&p->addrs[i], buf, sizeof(buf)));
	XFREE(MTYPE_TMP, p);
}

void vrrp_cli_show_garp(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vrrp %s gratuitous-arp %s %s\n",
		yang_dnode_get_string(dnode, "../../virtual-router-id"),
		yang_dnode_get_schema_name(dnode, NULL), yang_dnode_get_string(dnode, NULL));
}

void vrrp_cli_show_vaddr(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	bool v4 = strstr(yang_dnode_get_schema_name(dnode, "..") ?: "", "v4") != NULL;

	vty_out(vty, " vrrp %s %s %s\n", yang_dnode_get_string(dnode, "../../virtual-router-id"),
		v4 ? "ip" : "ipv6", yang_dnode_get_string(dnode, NULL));
}

void vrrp_cli_show_autoconfigure(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, "vrrp autoconfigure%s\n",
		yang_dnode_get_uint8(dnode, "./version") == 2 ? " version 2" : "");
}

void vrrp_cli_show_default(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	const char *leaf = yang_dnode_get_schema_name(dnode, NULL);

	if (!strcmp(leaf, "priority"))
		vty_out(vty, "vrrp default priority %s\n", yang_dnode_get_string(dnode, NULL));
	else if (!strcmp(leaf, "advertisement-interval"))
		vty_out(vty, "vrrp default advertisement-interval %u\n",
			yang_dnode_get_uint16(dnode, NULL) * VRRP_MS_PER_CS);
	else if (!strcmp(leaf, "macvlan-autocreate-delay"))
		vty_out(vty, "vrrp default macvlan-autocreate delay %s\n",
			yang_dnode_get_string(dnode, NULL));
	else
		vty_out(vty, "%svrrp default %s\n", yang_dnode_get_bool(dnode, NULL) ? "" : "no ",
			leaf);
}

void vrrp_cli_show_default_garp(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, "vrrp default gratuitous-arp %s %s\n",
		yang_dnode_get_schema_name(dnode, NULL), yang_dnode_get_string(dnode, NULL));
}

/* "vrrp notify script ..." globally, " vrrp N notify script ..." for a router. */
void vrrp_cli_show_notify_script(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	if (!strcmp(yang_dnode_get_schema_name(dnode, "../.."), "vrrp-group"))
		vty_out(vty, " vrrp %s notify script %s",
			yang_dnode_get_string(dnode, "../../virtual-router-id"),
			yang_dnode_get_string(dnode, "./path"));
	else
		vty_out(vty, "vrrp notify script %s", yang_dnode_get_string(dnode, "./path"));
	if (yang_dnode_exists(dnode, "./timeout"))
		vty_out(vty, " timeout %s", yang_dnode_get_string(dnode, "./timeout"));
	if (yang_dnode_exists(dnode, "./user"))
		vty_out(vty, " user %s", yang_dnode_get_string(dnode, "./user"));
	vty_out(vty, "\n");
}

void vrrp_cli_show_notify_fifo(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, "vrrp notify fifo %s\n", yang_dnode_get_string(dnode, NULL));
}
