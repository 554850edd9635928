// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recent state changes of each instance, for `show vrrp ... events`: a small ring per
 * family, filled by the executor from the same event the state-change hook carries.
 */
#ifndef VRRP_HISTORY_H
#define VRRP_HISTORY_H

#include "vrrp.h"
#include "vrrp_exec.h"

/* Transitions kept per instance; the oldest go first. */
#define VRRP_HISTORY_LEN 16

/* Remember e for af (allocates the ring on the first transition). */
void vrrp_history_add(struct vrrp_af *af, const struct vrrp_state_event *e);
/* How many are kept, and the i-th oldest (0 <= i < count), or NULL. */
unsigned int vrrp_history_count(const struct vrrp_af *af);
const struct vrrp_state_event *vrrp_history_get(const struct vrrp_af *af, unsigned int i);
/* Forget af's events (the instance is being freed, or counters are cleared). */
void vrrp_history_free(struct vrrp_af *af);

#endif /* VRRP_HISTORY_H */
