// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * YANG notifications of vrrpd-ext, sent through libfrr's northbound (nb_notification_send), so
 * any northbound plugin loaded into the daemon delivers them.
 */
#ifndef VRRP_NB_NOTIF_H
#define VRRP_NB_NOTIF_H

#include "vrrp_exec.h"

/* RFC 8347 new-master-reason of a state change that gives the router a new Master; NULL if
 * the change names no new Master. */
const char *vrrp_nb_new_master_reason(const struct vrrp_state_event *e);

void vrrp_nb_notif_init(void);
void vrrp_nb_notif_fini(void);

#endif /* VRRP_NB_NOTIF_H */
