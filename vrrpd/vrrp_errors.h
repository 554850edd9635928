// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Error codes of vrrpd for flog_err()/flog_warn(). lib/ferr.h has no VRRP range, so this daemon
 * takes 0xE1000001..0xE1FFFFFF, far from the ranges FRR hands out in order.
 */
#ifndef VRRP_ERRORS_H
#define VRRP_ERRORS_H

#include "lib/ferr.h"

#define VRRP_FERR_START 0xE1000001
#define VRRP_FERR_END 0xE1FFFFFF

enum vrrp_log_refs {
	EC_VRRP_CONFIG = VRRP_FERR_START,
	EC_VRRP_SOCKET,
	EC_VRRP_PACKET,
	EC_VRRP_ZEBRA,
	EC_VRRP_INTERFACE,
	EC_VRRP_MACVLAN,
	EC_VRRP_PRIVS,
	EC_VRRP_TIMER,
	EC_VRRP_GUARDIAN,
	EC_VRRP_NOTIFY,
	EC_VRRP_LOOP,
};

void vrrp_error_init(void);

#endif /* VRRP_ERRORS_H */
