// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrpd's entry point: daemon identity (the name, vty port and YANG modules FRR's tools expect of
 * "vrrpd"), privileges, signals and start-up order. Everything else is in libvrrp.a.
 */
#include <zebra.h>

#include "lib/filter.h"
#include "lib/getopt.h"
#include "lib/version.h"
#include "lib/if.h"
#include "lib/libfrr.h"
#include "lib/log.h"
#include "lib/privs.h"
#include "lib/sigevent.h"
#include "lib/thread.h"
#include "lib/vrf.h"

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_guardian.h"
#include "vrrp_loop.h"
#include "vrrp_nb.h"
#include "vrrp_nb_notif.h"
#include "vrrp_notify.h"
#include "vrrp_vty.h"
#include "vrrp_privs.h"
#include "vrrp_zebra.h"

/* Same port as FRR's vrrpd, so `telnet localhost 2619` and watchfrr keep working. */
#define VRRP_VTY_PORT 2619

/* NET_RAW for VRRP and announcement sockets; NET_ADMIN for the macvlan interfaces. */
static zebra_capabilities_t vrrp_caps[] = {
	ZCAP_NET_RAW,
	ZCAP_NET_ADMIN,
};

struct zebra_privs_t vrrp_privs = {
	.user = FRR_USER,
	.group = FRR_GROUP,
	.vty_group = VTY_GROUP,
	.caps_p = vrrp_caps,
	.cap_num_p = array_size(vrrp_caps),
	.cap_num_i = 0,
};

static struct option vrrp_longopts[] = {{0}};
static struct frr_daemon_info vrrpd_di;
static char vrrp_backup_config[256];

static void vrrp_sighup(void)
{
	zlog_info("SIGHUP received");
	/* Signal handlers run inside thread_fetch(), outside any task: take the protocol lock. */
	vrrp_loop_lock();
	vty_read_config(NULL, vrrpd_di.config_file, config_default);
	vrrp_loop_unlock();
}

static void __attribute__((noreturn)) vrrp_sigterm(void)
{
	/* From here on the main thread is alone and needs no lock. */
	vrrp_loop_stop();
	/* Graceful restart: the next start resumes the Masters; otherwise they release with
	 * priority 0 and protodown while zebra still listens. */
	if (vrrp_globals.graceful_restart) {
		zlog_notice("Terminating on signal; graceful restart: Masters stay live");
		vrrp_engine_detach();
	} else {
		zlog_notice("Terminating on signal");
	}
	vrrp_notify_stopping();
	vrrp_fini();
	vrrp_notify_fini();
	vrrp_engine_fini();
	vrrp_zebra_fini();
	frr_fini();
	exit(0);
}

static void vrrp_sigusr1(void)
{
	zlog_rotate();
}

static struct frr_signal_t vrrp_signals[] = {
	{.signal = SIGHUP, .handler = vrrp_sighup},
	{.signal = SIGUSR1, .handler = vrrp_sigusr1},
	{.signal = SIGINT, .handler = vrrp_sigterm},
	{.signal = SIGTERM, .handler = vrrp_sigterm},
};

static const struct frr_yang_module_info *const vrrp_yang_modules[] = {
	&frr_filter_info, &frr_vrf_info, &frr_interface_info, &frr_vrrpd_info, &vrrpd_ext_info,
};

/* clang-format off */
FRR_DAEMON_INFO(vrrpd, VRRP,
	.vty_port = VRRP_VTY_PORT,
	.proghelp = "Virtual Router Redundancy Protocol (VRRPv2 and VRRPv3).",
	.signals = vrrp_signals,
	.n_signals = array_size(vrrp_signals),
	.privs = &vrrp_privs,
	.yang_modules = vrrp_yang_modules,
	.n_yang_modules = array_size(vrrp_yang_modules),
);
/* clang-format on */

int main(int argc, char **argv)
{
	struct thread_master *master;

	frr_preinit(&vrrpd_di, argc, argv);
	frr_opt_add("", vrrp_longopts, "");

	while (1) {
		int opt = frr_getopt(argc, argv, NULL);

		if (opt == EOF)
			break;
		if (opt != 0)
			frr_help_exit(1);
	}

	/* Still root: the notifier can run scripts as their users. Before the fork to the
	 * background and the pid file, neither of which it must hold. A dry run (-C) runs none. */
	if (!vrrpd_di.dryrun)
		vrrp_notify_fork(vrrp_privs.user);
	master = frr_init();

	vrrp_error_init();
	/* The default VRF exists, with its id, before zebra reports it: configuration read at
	 * start (nexthop registrations among it) must not carry VRF_UNKNOWN. */
	vrf_init(NULL, NULL, NULL, NULL);
	access_list_init();
	vrrp_debug_init();
	vrrp_init();
	vrrp_zebra_init(master);
	/* Before anything that watches a file descriptor (the timers, the sockets). */
	vrrp_loop_init(master, true);
	vrrp_engine_init(master);
	vrrp_nb_notif_init();
	vrrp_vty_init();
	vrrp_show_init();
	vrrp_notify_init(master);

	snprintf(vrrp_backup_config, sizeof(vrrp_backup_config), "%s/vrrpd.conf", frr_sysconfdir);
	vrrpd_di.backup_config_file = vrrp_backup_config;

	frr_config_fork();
	/* Daemonized, the pid file locked, the event loop not yet running: the time to fork. */
	vrrp_guardian_start(vrrpd_di.pid_file);
	/* The protocol thread starts from the loop's first task, after every fork. */
	vrrp_loop_run(master);
	frr_run(master);
	return 0;
}
