// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zclient session with zebra. Interface and address events only update what the daemon knows
 * and then ask the virtual-router table to reconcile; no protocol decision is made here.
 */
#include <zebra.h>

#include "lib/if.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "lib/vrf.h"
#include "lib/zclient.h"

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_privs.h"
#include "vrrp_zebra.h"

static struct zclient *zclient;

static void vrrp_zebra_connected(struct zclient *zc)
{
	VRRP_DEBUG(zebra, "connected to zebra");
	zclient_send_reg_requests(zc, VRF_DEFAULT);
	vrrp_engine_zebra_connected();
}

static int vrrp_ifp_create(struct interface *ifp)
{
	VRRP_DEBUG(zebra, "interface %s added (ifindex %d)", ifp->name, ifp->ifindex);
	vrrp_if_changed(ifp, true);
	return 0;
}

static int vrrp_ifp_up(struct interface *ifp)
{
	VRRP_DEBUG(zebra, "interface %s up", ifp->name);
	vrrp_if_changed(ifp, true);
	return 0;
}

static int vrrp_ifp_down(struct interface *ifp)
{
	VRRP_DEBUG(zebra, "interface %s down", ifp->name);
	vrrp_if_changed(ifp, true);
	return 0;
}

static int vrrp_ifp_destroy(struct interface *ifp)
{
	VRRP_DEBUG(zebra, "interface %s deleted", ifp->name);
	/* Drop every pointer to it before the lib may free it; reconcile once it is gone. */
	vrrp_if_changed(ifp, true);
	vrrp_engine_if_gone(ifp);
	vrrp_if_delete(ifp);
	return 0;
}

static int vrrp_zebra_if_address(ZAPI_CALLBACK_ARGS)
{
	struct connected *c = zebra_interface_address_read(cmd, zclient->ibuf, vrf_id);
	char buf[PREFIX_STRLEN];

	/* The lib has already added the address to, or removed it from, the interface. */
	if (!c)
		return 0;
	VRRP_DEBUG(zebra, "address %s %s on %s", prefix2str(c->address, buf, sizeof(buf)),
		   cmd == ZEBRA_INTERFACE_ADDRESS_ADD ? "added" : "deleted", c->ifp->name);
	vrrp_if_changed(c->ifp, false);
	if (cmd == ZEBRA_INTERFACE_ADDRESS_DELETE)
		connected_free(&c);
	return 0;
}

static zclient_handler *const vrrp_zebra_handlers[] = {
	[ZEBRA_INTERFACE_ADDRESS_ADD] = vrrp_zebra_if_address,
	[ZEBRA_INTERFACE_ADDRESS_DELETE] = vrrp_zebra_if_address,
};

void vrrp_zebra_init(struct thread_master *master)
{
	if_zapi_callbacks(vrrp_ifp_create, vrrp_ifp_up, vrrp_ifp_down, vrrp_ifp_destroy);
	zclient = zclient_new(master, &zclient_options_default, vrrp_zebra_handlers,
			      array_size(vrrp_zebra_handlers));
	zclient->zebra_connected = vrrp_zebra_connected;
	/* ZEBRA_ROUTE_VRRP makes zebra file our protodown requests under its "vrrp" reason. */
	zclient_init(zclient, ZEBRA_ROUTE_VRRP, 0, &vrrp_privs);
}

void vrrp_zebra_protodown(struct interface *ifp, bool down)
{
	VRRP_DEBUG(zebra, "protodown %s on %s", down ? "on" : "off", ifp->name);
	if (zclient_send_interface_protodown(zclient, ifp->vrf->vrf_id, ifp, down) < 0)
		flog_err(EC_VRRP_ZEBRA, "could not ask zebra to set protodown %s on %s",
			 down ? "on" : "off", ifp->name);
}

void vrrp_zebra_radv(struct interface *ifp, bool enable)
{
	VRRP_DEBUG(zebra, "router advertisements %s on %s", enable ? "on" : "off", ifp->name);
	zclient_send_interface_radv_req(zclient, ifp->vrf->vrf_id, ifp, enable,
					VRRP_RADV_INTERVAL);
}

void vrrp_zebra_fini(void)
{
	zclient_stop(zclient);
	zclient_free(zclient);
	zclient = NULL;
}
