// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zclient session with zebra. Interface and address events only update what the daemon knows
 * and then ask the virtual-router table to reconcile; nexthop-tracking answers go to the route
 * trackers (vrrp_track.c), which decide what they mean. No protocol decision is made here.
 */
#include <zebra.h>

#include <sys/ioctl.h>

#include "lib/if.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "lib/thread.h"
#include "lib/vrf.h"
#include "lib/zclient.h"

#include "vrrp.h"
#include "vrrp_engine.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_iflearn.h"
#include "vrrp_privs.h"
#include "vrrp_protodown.h"
#include "vrrp_track.h"
#include "vrrp_zebra.h"

static struct zclient *zclient;
static struct thread_master *vrrp_zmaster;
static struct thread *vrrp_t_zdrain;

/*
 * libfrr 8.4 reads one zebra message per wake-up of the event loop. Zebra sends an interface
 * and an address message for every kernel change of every macvlan, and queues what the client
 * has not read in a 16 KiB buffer each: while a busy daemon served a thousand routers' sockets
 * and timers, one message per pass fell behind a flap storm and zebra grew by hundreds of MiB.
 * So, once per pass in which a message came, up to this many more are read while the socket
 * has data, as a batch of datagrams is on the protocol sockets.
 */
#define VRRP_ZAPI_BURST 32

static void vrrp_zebra_drain(struct thread *t)
{
	for (int i = 0; i < VRRP_ZAPI_BURST; i++) {
		struct thread *rd = zclient->t_read;
		void (*read_fn)(struct thread *);
		int pending = 0;

		/* Not connected, or reconnecting: the lib's own task (or none) stays. */
		if (!rd || zclient->sock < 0 || ioctl(zclient->sock, FIONREAD, &pending) < 0 ||
		    pending <= 0)
			return;
		/* zclient_read() is static in libfrr: its pending task is the one handle to it.
		 * Run now rather than at the next wake-up, it reads one message and re-arms. */
		read_fn = rd->func;
		THREAD_OFF(zclient->t_read);
		thread_execute(vrrp_zmaster, read_fn, zclient, 0);
	}
}

/* A message from zebra was handled: read on while more are waiting. */
static void vrrp_zebra_more(void)
{
	thread_add_event(vrrp_zmaster, vrrp_zebra_drain, NULL, 0, &vrrp_t_zdrain);
}

static void vrrp_zebra_connected(struct zclient *zc)
{
	VRRP_DEBUG(zebra, "connected to zebra");
	zclient_send_reg_requests(zc, VRF_DEFAULT);
	/* A starting zebra rewrites the protodown of interfaces it finds in it: restate ours. */
	vrrp_protodown_forget_all();
	vrrp_engine_zebra_connected();
	/* A restarted zebra forgot our nexthop registrations. */
	vrrp_track_zebra_connected();
}

static int vrrp_ifp_create(struct interface *ifp)
{
	VRRP_DEBUG(zebra, "interface %s added (ifindex %d)", ifp->name, ifp->ifindex);
	vrrp_iflearn_reported(ifp);
	vrrp_if_changed(ifp, true);
	vrrp_zebra_more();
	return 0;
}

static int vrrp_ifp_up(struct interface *ifp)
{
	VRRP_DEBUG(zebra, "interface %s up", ifp->name);
	vrrp_iflearn_reported(ifp);
	vrrp_if_changed(ifp, true);
	vrrp_zebra_more();
	return 0;
}

static int vrrp_ifp_down(struct interface *ifp)
{
	VRRP_DEBUG(zebra, "interface %s down", ifp->name);
	vrrp_iflearn_reported(ifp);
	vrrp_if_changed(ifp, true);
	vrrp_zebra_more();
	return 0;
}

static int vrrp_ifp_destroy(struct interface *ifp)
{
	VRRP_DEBUG(zebra, "interface %s deleted", ifp->name);
	/* Drop every pointer to it before the lib may free it; reconcile once it is gone. */
	vrrp_if_changed(ifp, true);
	vrrp_engine_if_gone(ifp);
	vrrp_protodown_forget(ifp->ifindex);
	vrrp_iflearn_gone(ifp);
	vrrp_if_delete(ifp);
	vrrp_zebra_more();
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
	vrrp_zebra_more();
	return 0;
}

static int vrrp_zebra_nexthop_update(ZAPI_CALLBACK_ARGS)
{
	struct zapi_route nhr;
	struct prefix match;

	if (!zapi_nexthop_update_decode(zclient->ibuf, &match, &nhr)) {
		flog_err(EC_VRRP_ZEBRA, "could not decode a nexthop update from zebra");
		return -1;
	}
	vrrp_track_route_update(vrf_id, &match, &nhr.prefix, nhr.nexthop_num);
	return 0;
}

static zclient_handler *const vrrp_zebra_handlers[] = {
	[ZEBRA_NEXTHOP_UPDATE] = vrrp_zebra_nexthop_update,
	[ZEBRA_INTERFACE_ADDRESS_ADD] = vrrp_zebra_if_address,
	[ZEBRA_INTERFACE_ADDRESS_DELETE] = vrrp_zebra_if_address,
};

void vrrp_zebra_init(struct thread_master *master)
{
	vrrp_zmaster = master;
	if_zapi_callbacks(vrrp_ifp_create, vrrp_ifp_up, vrrp_ifp_down, vrrp_ifp_destroy);
	zclient = zclient_new(master, &zclient_options_default, vrrp_zebra_handlers,
			      array_size(vrrp_zebra_handlers));
	zclient->zebra_connected = vrrp_zebra_connected;
	/* ZEBRA_ROUTE_VRRP is the protocol zebra files stock vrrpd's requests under. */
	zclient_init(zclient, ZEBRA_ROUTE_VRRP, 0, &vrrp_privs);
}

void vrrp_zebra_radv(struct interface *ifp, bool enable)
{
	VRRP_DEBUG(zebra, "router advertisements %s on %s", enable ? "on" : "off", ifp->name);
	zclient_send_interface_radv_req(zclient, ifp->vrf->vrf_id, ifp, enable,
					VRRP_RADV_INTERVAL);
}

static void vrrp_zebra_nht(int cmd, const struct prefix *p, vrf_id_t vrf_id)
{
	VRRP_DEBUG(zebra, "nexthop tracking %s %pFX", cmd == ZEBRA_NEXTHOP_REGISTER ? "on" : "off",
		   p);
	/* Not connected: vrrp_zebra_connected() registers everything again. zebra drops a
	 * registration for an unknown VRF without a word, so none is sent. */
	if (zclient->sock < 0 || vrf_id == VRF_UNKNOWN)
		return;
	if (zclient_send_rnh(zclient, cmd, p, SAFI_UNICAST, false, true, vrf_id) ==
	    ZCLIENT_SEND_FAILURE)
		flog_warn(EC_VRRP_ZEBRA, "could not ask zebra to track %pFX", p);
}

void vrrp_zebra_nht_register(const struct prefix *p, vrf_id_t vrf_id)
{
	vrrp_zebra_nht(ZEBRA_NEXTHOP_REGISTER, p, vrf_id);
}

void vrrp_zebra_nht_unregister(const struct prefix *p, vrf_id_t vrf_id)
{
	vrrp_zebra_nht(ZEBRA_NEXTHOP_UNREGISTER, p, vrf_id);
}

void vrrp_zebra_fini(void)
{
	THREAD_OFF(vrrp_t_zdrain);
	zclient_stop(zclient);
	zclient_free(zclient);
	zclient = NULL;
}
