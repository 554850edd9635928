// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Titles, descriptions and suggestions for vrrpd's error codes, shown by `show error`.
 */
#include <zebra.h>

#include "lib/ferr.h"

#include "vrrp_errors.h"

static struct log_ref vrrp_log_refs[] = {
	{
		.code = EC_VRRP_CONFIG,
		.title = "VRRP configuration error",
		.description = "A configuration change could not be applied.",
		.suggestion = "Check the configuration against 'show running-config' and the log.",
	},
	{
		.code = EC_VRRP_SOCKET,
		.title = "VRRP socket error",
		.description =
			"A socket for sending or receiving VRRP traffic could not be opened or used.",
		.suggestion =
			"Check that vrrpd has CAP_NET_RAW and that the interface exists and is up.",
	},
	{
		.code = EC_VRRP_PACKET,
		.title = "VRRP packet error",
		.description = "A VRRP packet could not be built or sent.",
		.suggestion =
			"Check the interface state; 'show vrrp' counts dropped packets by reason.",
	},
	{
		.code = EC_VRRP_ZEBRA,
		.title = "VRRP zebra error",
		.description = "A request to zebra failed or zebra sent something unexpected.",
		.suggestion = "Check that zebra is running and of the same FRR version.",
	},
	{
		.code = EC_VRRP_INTERFACE,
		.title = "VRRP interface error",
		.description = "An interface needed by a virtual router is missing or unusable.",
		.suggestion = "Check the interface named in the message with 'show interface'.",
	},
	{
		.code = EC_VRRP_MACVLAN,
		.title = "VRRP macvlan error",
		.description =
			"A macvlan interface for a virtual router could not be created, adopted or removed.",
		.suggestion =
			"Check that vrrpd has CAP_NET_ADMIN and that no other interface uses the name.",
	},
	{
		.code = EC_VRRP_PRIVS,
		.title = "VRRP privilege error",
		.description = "Privileges needed for a kernel operation could not be raised.",
		.suggestion = "Run vrrpd as root so it can keep CAP_NET_RAW and CAP_NET_ADMIN.",
	},
	{
		.code = EC_VRRP_TIMER,
		.title = "VRRP timer error",
		.description =
			"The timerfd that drives the protocol timers could not be created or "
			"programmed; timers then run on libfrr's, which fire less precisely.",
		.suggestion = "Check the daemon's file descriptor limit (ulimit -n).",
	},
	{
		.code = EC_VRRP_GUARDIAN,
		.title = "VRRP guardian error",
		.description =
			"The guardian process, which puts a dead daemon's Master macvlans into "
			"protodown before a Backup takes over, could not be started or has died.",
		.suggestion = "Check the process and memory limits; without a guardian a "
			      "crashed Master keeps answering for its virtual addresses until "
			      "vrrpd is started again.",
	},
	{
		.code = EC_VRRP_NOTIFY,
		.title = "VRRP notify error",
		.description =
			"A notify script failed, ran into its timeout or could not be run, or a "
			"notification or notify FIFO line was dropped.",
		.suggestion =
			"Run the script by hand as its user with the arguments in the message; "
			"'show vrrp' counts what was dropped. See the notify chapter of the docs.",
	},
	{
		.code = EC_VRRP_LOOP,
		.title = "VRRP protocol thread error",
		.description =
			"The thread that waits for the protocol's sockets and timers could not be "
			"started or its epoll set failed; the protocol then runs on the main event "
			"loop, correct but with more system calls per advertisement.",
		.suggestion = "Check the daemon's thread and file descriptor limits.",
	},
	{
		.code = END_FERR,
	},
};

void vrrp_error_init(void)
{
	log_ref_add(vrrp_log_refs);
}
