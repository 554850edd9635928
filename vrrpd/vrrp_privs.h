// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's privileges (defined in vrrp_main.c, or by a test program): the adapters raise
 * them around the few calls that need CAP_NET_RAW or CAP_NET_ADMIN.
 */
#ifndef VRRP_PRIVS_H
#define VRRP_PRIVS_H

#include "lib/privs.h"

extern struct zebra_privs_t vrrp_privs;

#endif /* VRRP_PRIVS_H */
