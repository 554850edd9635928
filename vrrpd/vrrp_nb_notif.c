// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrp-new-master-event (see vrrp_nb_notif.h), built from the executor's state-change event.
 * Debian's FRR 8.4 loads no northbound plugin that transports notifications, so this costs a
 * list and a hook call per transition until one is loaded.
 */
#include <zebra.h>

#include "lib/hook.h"
#include "lib/linklist.h"
#include "lib/northbound.h"
#include "lib/yang.h"

#include "vrrp.h"
#include "vrrp_nb_notif.h"

#define NEW_MASTER "/vrrpd-ext:vrrp-new-master-event"

const char *vrrp_nb_new_master_reason(const struct vrrp_state_event *e)
{
	if (e->new_state == VRRP_STATE_MASTER) {
		switch (e->reason) {
		case VRRP_REASON_MASTER_TIMEOUT:
			/* A Master we still heard at a lower priority is one we preempted. */
			if (!IS_IPADDR_NONE(&e->prev_master) && e->prev_master_priority &&
			    e->prev_master_priority < e->priority)
				return "preempted";
			return "no-response";
		case VRRP_REASON_OWNER:
			return "priority";
		case VRRP_REASON_RESUMED:
			/* Master all along as the LAN saw it: no new Master. */
			return NULL;
		default:
			return "priority";
		}
	}
	/* We lost to a higher priority: the winner is the new Master. */
	if (e->old_state == VRRP_STATE_MASTER && e->new_state == VRRP_STATE_BACKUP &&
	    !IS_IPADDR_NONE(&e->master))
		return "priority";
	return NULL;
}

static void vrrp_notif_add(struct list *args, struct yang_data *d)
{
	listnode_add(args, d);
}

static int vrrp_nb_notif_state(const struct vrrp_af *af, const struct vrrp_state_event *e)
{
	const char *reason = vrrp_nb_new_master_reason(e);
	struct list *args;

	if (!reason)
		return 0;
	args = yang_data_list_new();
	vrrp_notif_add(args, yang_data_new_string(NEW_MASTER "/interface", e->ifname));
	vrrp_notif_add(args, yang_data_new_uint8(NEW_MASTER "/vrid", e->vrid));
	vrrp_notif_add(args, yang_data_new(NEW_MASTER "/address-family",
					   e->afi == VRRP_AFI_V4 ? "ipv4" : "ipv6"));
	if (!IS_IPADDR_NONE(&e->master)) {
		vrrp_notif_add(args,
			       yang_data_new_ip(NEW_MASTER "/master-ip-address", &e->master));
		vrrp_notif_add(args, yang_data_new_uint8(NEW_MASTER "/master-priority",
							 e->master_priority));
	}
	vrrp_notif_add(args, yang_data_new(NEW_MASTER "/new-master-reason", reason));
	nb_notification_send(NEW_MASTER, args);
	return 0;
}

void vrrp_nb_notif_init(void)
{
	hook_register(vrrp_state_change, vrrp_nb_notif_state);
}

void vrrp_nb_notif_fini(void)
{
	hook_unregister(vrrp_state_change, vrrp_nb_notif_state);
}
