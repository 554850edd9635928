// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table of real adapters the protocol core calls through (see vrrp_io.h).
 */
#include <zebra.h>

#include "vrrp_announce.h"
#include "vrrp_io.h"
#include "vrrp_macvlan.h"
#include "vrrp_protodown.h"
#include "vrrp_sock.h"
#include "vrrp_zebra.h"

static void vrrp_io_protodown_init(struct thread_master *master, vrrp_protodown_done_fn done)
{
	vrrp_protodown_init(master, NULL, done);
}

static void vrrp_io_kernel_fini(void)
{
	/* Before the macvlan session closes: pending protodown goes out over it. */
	vrrp_protodown_fini();
	vrrp_announce_fini();
	vrrp_sock_fini();
	vrrp_macvlan_fini();
}

const struct vrrp_io vrrp_io_kernel = {
	.sock_init = vrrp_sock_init,
	.rx_ref = vrrp_sock_rx_ref,
	.rx_unref = vrrp_sock_rx_unref,
	.send = vrrp_sock_send,
	.rx_drain = vrrp_sock_rx_drain,
	.rx_quiet = vrrp_sock_rx_quiet,
	.garp = vrrp_garp_send,
	.una = vrrp_una_send,
	.protodown_init = vrrp_io_protodown_init,
	.protodown = vrrp_protodown_request,
	.radv = vrrp_zebra_radv,
	.nht_register = vrrp_zebra_nht_register,
	.nht_unregister = vrrp_zebra_nht_unregister,
	.mvl_create = vrrp_macvlan_create,
	.mvl_delete = vrrp_macvlan_delete,
	.mvl_set_up = vrrp_macvlan_set_up,
	.mvl_hold_down = vrrp_macvlan_hold_down,
	.mvl_live = vrrp_macvlan_live,
	.mvl_lookup = vrrp_macvlan_lookup,
	.mvl_keep_addrs = vrrp_macvlan_keep_addrs,
	.parent_arp = vrrp_macvlan_parent_arp,
	.addr_add = vrrp_macvlan_addr_add,
	.addr_del = vrrp_macvlan_addr_del,
	.get_alias = vrrp_macvlan_get_alias,
	.link_info = vrrp_macvlan_link_info,
	.addrs = vrrp_macvlan_addrs,
	.walk_owned = vrrp_macvlan_walk_owned,
	.fini = vrrp_io_kernel_fini,
};

const struct vrrp_io *vrrp_io = &vrrp_io_kernel;
