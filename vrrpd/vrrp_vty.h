// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Installation of vrrpd's commands: configuration (vrrp_vty.c) and show commands (vrrp_show.c).
 */
#ifndef VRRP_VTY_H
#define VRRP_VTY_H

void vrrp_vty_init(void);
void vrrp_show_init(void);

#endif /* VRRP_VTY_H */
