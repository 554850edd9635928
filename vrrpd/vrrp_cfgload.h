// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading a configuration in few northbound transactions (vrrp_cfgload.c).
 */
#ifndef VRRP_CFGLOAD_H
#define VRRP_CFGLOAD_H

struct vty;

/* Apply the changes a command enqueued for VRID vrid of the current interface. */
int vrrp_cfgload_apply_group(struct vty *vty, long vrid);
/* Apply the changes a command enqueued for the global settings. */
int vrrp_cfgload_apply_global(struct vty *vty);

/* Virtual routers reloaded from the configuration since start (one per apply_finish). */
extern unsigned long vrrp_cfgload_reloads;

void vrrp_cfgload_init(void);
/* Replace libfrr's `interface` and interface-node `exit` (after if_cmd_init). */
void vrrp_cfgload_cmd_init(void);

#endif /* VRRP_CFGLOAD_H */
