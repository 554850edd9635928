// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sync groups: virtual routers on this router that are Master together or not at all
 * (keepalived's vrrp_sync_group). A member may be Master only while every other member is
 * Master or would be (its Master_Down_Timer ran out): otherwise the group holds it, so a
 * Master releases with priority 0 and stays Backup, and a Backup does not take over. Members
 * name their group (`vrrp (1-255) sync-group NAME`); a group exists while it has members.
 */
#ifndef VRRP_SYNC_H
#define VRRP_SYNC_H

#include "vrrp.h"

/* Put vr into the group called name, or into none for NULL or "". */
void vrrp_sync_set(struct vrrp_vr *vr, const char *name);
/* The group's name, or NULL. */
const char *vrrp_sync_name(const struct vrrp_vr *vr);
/* Whether the group holds this family; if so and why is given, which member and why. */
bool vrrp_sync_holds(const struct vrrp_af *af, char *why, size_t len);
/* A member changed state or wish: reconcile every member, which re-evaluates the holds. */
void vrrp_sync_changed(const struct vrrp_af *af);
/* Number of members of vr's group (0 if none). */
unsigned int vrrp_sync_size(const struct vrrp_vr *vr);

void vrrp_sync_init(void);
void vrrp_sync_fini(void);

#endif /* VRRP_SYNC_H */
