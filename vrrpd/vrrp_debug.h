// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Debug categories of vrrpd and the guards that keep debug logging off the fast path.
 */
#ifndef VRRP_DEBUG_H
#define VRRP_DEBUG_H

#include "lib/debug.h"

extern struct debug vrrp_dbg_arp;
extern struct debug vrrp_dbg_auto;
extern struct debug vrrp_dbg_ndisc;
extern struct debug vrrp_dbg_pkt;
extern struct debug vrrp_dbg_proto;
extern struct debug vrrp_dbg_sock;
extern struct debug vrrp_dbg_zebra;

/* Log at debug level only when the category is on, in either the terminal or the config. */
#define VRRP_DEBUG(cat, fmt, ...)                                                                 \
	do {                                                                                      \
		if (DEBUG_MODE_CHECK(&vrrp_dbg_##cat, DEBUG_MODE_ALL))                            \
			zlog_debug(fmt, ##__VA_ARGS__);                                           \
	} while (0)

void vrrp_debug_init(void);

#endif /* VRRP_DEBUG_H */
