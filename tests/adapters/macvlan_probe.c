// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * macvlan_probe: drives the real macvlan adapter (vrrpd/vrrp_macvlan.c) on the running kernel,
 * for tests/integration/test_macvlan_nl.py. It is linked against libvrrp.a, libfrr and libnl
 * like the daemon and runs as root inside a test namespace.
 *
 *   macvlan_probe [--as-frr] [--debug] COMMAND ARGS... [COMMAND ARGS...]...
 *
 * --as-frr drops to user frr keeping CAP_NET_RAW and CAP_NET_ADMIN permitted but not effective,
 * exactly as vrrpd runs, so every request that needs privileges must raise them itself.
 * --debug turns on vrrpd's zebra debug category (stderr). Commands run in order, and each prints
 * one result line; RC is 0, an ifindex or "-errno (text)":
 *
 *   create NAME PARENT MAC 4|6 ALIAS  vrrp_macvlan_create()         -> "create NAME RC"
 *   delete IF                         vrrp_macvlan_delete()         -> "delete IF RC"
 *   up IF                             vrrp_macvlan_set_up()         -> "up IF RC"
 *   addr-add IF PREFIX                vrrp_macvlan_addr_add()       -> "addr-add IF PREFIX RC"
 *   addr-del IF PREFIX                vrrp_macvlan_addr_del()       -> "addr-del IF PREFIX RC"
 *   alias IF                          vrrp_macvlan_get_alias()      -> "alias IF RC ALIAS"
 *   walk PREFIX                       vrrp_macvlan_walk_owned(), one line per macvlan
 *                                       "owned ifindex=N name=X parent=P alias=A", then
 *                                                                   -> "walk PREFIX RC"
 *   walk-delete PREFIX                the same, deleting each macvlan from the callback
 *   alias-make PARENT VRID 4|6        vrrp_macvlan_alias_make()     -> "alias-make RC ALIAS"
 *   alias-parse ALIAS                 vrrp_macvlan_alias_parse()
 *                                       -> "alias-parse parent=P vrid=N family=4" or "... invalid"
 *   fini                              vrrp_macvlan_fini()           -> "fini"
 *   capeff                            CapEff of /proc/self/status   -> "capeff HEX"
 *
 * IF and PARENT are an ifindex (digits) or a name, resolved when the command runs (0 if there is
 * none). Any malformed command exits with status 2; otherwise the probe exits 0 and the caller
 * judges the printed results.
 */
#include <zebra.h>

#include <net/if.h>

#include "lib/debug.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "lib/privs.h"
#include "lib/zlog.h"

#include "vrrp_debug.h"
#include "vrrp_macvlan.h"

/* vrrp_main.c is not linked. Left empty it is the "null" privs of a plain root process. */
struct zebra_privs_t vrrp_privs;

/* The daemon's privileges, for --as-frr. */
static zebra_capabilities_t frr_caps[] = {ZCAP_NET_RAW, ZCAP_NET_ADMIN};

static void __attribute__((noreturn)) usage(const char *why)
{
	fprintf(stderr,
		"macvlan_probe: %s (see the comment at the top of tests/adapters/macvlan_probe.c)\n",
		why);
	exit(2);
}

static ifindex_t if_arg(const char *s)
{
	if (*s && strspn(s, "0123456789") == strlen(s))
		return atoi(s);
	return if_nametoindex(s);
}

static void print_rc(const char *prefix, int rc, const char *tail)
{
	if (rc < 0)
		printf("%s %d (%s)%s%s\n", prefix, rc, safe_strerror(-rc),
		       tail && *tail ? " " : "", tail ? tail : "");
	else
		printf("%s %d%s%s\n", prefix, rc, tail && *tail ? " " : "", tail ? tail : "");
}

static bool family_v6(const char *s)
{
	if (!strcmp(s, "4"))
		return false;
	if (!strcmp(s, "6"))
		return true;
	usage("family must be 4 or 6");
}

static void walk_print(ifindex_t ifindex, const char *name, ifindex_t parent, const char *alias,
		       void *arg)
{
	printf("owned ifindex=%d name=%s parent=%d alias=%s\n", ifindex, name, parent, alias);
}

static void walk_delete(ifindex_t ifindex, const char *name, ifindex_t parent, const char *alias,
			void *arg)
{
	walk_print(ifindex, name, parent, alias, arg);
	print_rc("deleted", vrrp_macvlan_delete(ifindex), name);
}

static void cmd_capeff(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		usage("cannot read /proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			printf("capeff %s", line + strspn(line + 7, " \t") + 7);
	fclose(f);
}

int main(int argc, char **argv)
{
	char prefix[256];
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	zlog_aux_init("macvlan_probe: ", LOG_DEBUG);

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--as-frr")) {
			vrrp_privs.user = "frr";
			vrrp_privs.group = "frr";
			vrrp_privs.caps_p = frr_caps;
			vrrp_privs.cap_num_p = array_size(frr_caps);
		} else if (!strcmp(argv[i], "--debug")) {
			DEBUG_MODE_SET(&vrrp_dbg_zebra, DEBUG_MODE_ALL, true);
		} else {
			usage("unknown option");
		}
	}
	zprivs_preinit(&vrrp_privs);
	zprivs_init(&vrrp_privs);

#define NEED(n)                                                                                   \
	do {                                                                                      \
		if (i + (n) >= argc)                                                              \
			usage("missing arguments");                                               \
	} while (0)

	while (i < argc) {
		const char *cmd = argv[i];

		if (!strcmp(cmd, "create")) {
			struct ethaddr mac;

			NEED(5);
			if (!prefix_str2mac(argv[i + 3], &mac))
				usage("bad MAC address");
			snprintf(prefix, sizeof(prefix), "create %s", argv[i + 1]);
			print_rc(prefix,
				 vrrp_macvlan_create(argv[i + 1], if_arg(argv[i + 2]), &mac,
						     family_v6(argv[i + 4]), argv[i + 5]),
				 NULL);
			i += 6;
		} else if (!strcmp(cmd, "delete") || !strcmp(cmd, "up")) {
			ifindex_t ifindex;

			NEED(1);
			ifindex = if_arg(argv[i + 1]);
			snprintf(prefix, sizeof(prefix), "%s %s", cmd, argv[i + 1]);
			print_rc(prefix,
				 cmd[0] == 'd' ? vrrp_macvlan_delete(ifindex)
					       : vrrp_macvlan_set_up(ifindex),
				 NULL);
			i += 2;
		} else if (!strcmp(cmd, "protodown")) {
			NEED(2);
			snprintf(prefix, sizeof(prefix), "protodown %s %s", argv[i + 1],
				 argv[i + 2]);
			print_rc(prefix,
				 vrrp_macvlan_set_protodown(if_arg(argv[i + 1]),
							    !strcmp(argv[i + 2], "on")),
				 NULL);
			i += 3;
		} else if (!strcmp(cmd, "addr-add") || !strcmp(cmd, "addr-del")) {
			struct prefix p;

			NEED(2);
			if (!str2prefix(argv[i + 2], &p))
				usage("bad prefix");
			snprintf(prefix, sizeof(prefix), "%s %s %s", cmd, argv[i + 1],
				 argv[i + 2]);
			print_rc(prefix,
				 cmd[5] == 'a' ? vrrp_macvlan_addr_add(if_arg(argv[i + 1]), &p)
					       : vrrp_macvlan_addr_del(if_arg(argv[i + 1]), &p),
				 NULL);
			i += 3;
		} else if (!strcmp(cmd, "alias")) {
			char alias[VRRP_MACVLAN_ALIAS_MAX];
			int rc;

			NEED(1);
			rc = vrrp_macvlan_get_alias(if_arg(argv[i + 1]), alias, sizeof(alias));
			snprintf(prefix, sizeof(prefix), "alias %s", argv[i + 1]);
			print_rc(prefix, rc, alias);
			i += 2;
		} else if (!strcmp(cmd, "walk") || !strcmp(cmd, "walk-delete")) {
			NEED(1);
			snprintf(prefix, sizeof(prefix), "walk %s", argv[i + 1]);
			print_rc(prefix,
				 vrrp_macvlan_walk_owned(argv[i + 1],
							 cmd[4] ? walk_delete : walk_print, NULL),
				 NULL);
			i += 2;
		} else if (!strcmp(cmd, "alias-make")) {
			char alias[VRRP_MACVLAN_ALIAS_MAX];
			unsigned long vrid;
			int rc;

			NEED(3);
			vrid = strtoul(argv[i + 2], NULL, 10);
			if (vrid > 255)
				usage("bad VRID");
			rc = vrrp_macvlan_alias_make(alias, sizeof(alias), argv[i + 1], vrid,
						     family_v6(argv[i + 3]));
			print_rc("alias-make", rc, rc < 0 ? NULL : alias);
			i += 4;
		} else if (!strcmp(cmd, "alias-parse")) {
			char parent[INTERFACE_NAMSIZ];
			uint8_t vrid;
			bool v6;

			NEED(1);
			if (vrrp_macvlan_alias_parse(argv[i + 1], parent, sizeof(parent), &vrid,
						     &v6))
				printf("alias-parse parent=%s vrid=%u family=%c\n", parent, vrid,
				       v6 ? '6' : '4');
			else
				printf("alias-parse invalid\n");
			i += 2;
		} else if (!strcmp(cmd, "fini")) {
			vrrp_macvlan_fini();
			printf("fini\n");
			i += 1;
		} else if (!strcmp(cmd, "capeff")) {
			cmd_capeff();
			i += 1;
		} else {
			usage("unknown command");
		}
	}

	vrrp_macvlan_fini();
	zprivs_terminate(&vrrp_privs);
	return 0;
}
