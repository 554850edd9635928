// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Multicast IPv4 advertisements as pre-built Ethernet frames on the parent. This file owns the
 * packet socket they leave on, opened on first use and never read.
 *
 * A send on the raw IP socket through the macvlan costs the kernel a route lookup, IP output
 * and the macvlan's transmit, and a macvlan in bridge mode hands every multicast frame it sends
 * to each of its siblings: with 255 routers on a parent that loop was the largest symbol of a
 * Master's profile (bench/README.md, Finding 13). The frame built here is the one the IP path
 * puts on the wire, so the LAN cannot tell; it goes to the parent directly, as gratuitous ARP
 * does. IPv6 stays on the IP path: Linux fills its flow label from a keyed hash of the flow
 * that user space cannot reproduce.
 */
#include <zebra.h>

#include <linux/if_packet.h>
#include <net/ethernet.h>

#include "lib/log.h"
#include "lib/network.h"
#include "lib/privs.h"

#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_privs.h"
#include "vrrp_sock.h"
#include "vrrp_txframe.h"

static int vrrp_txframe_fd = -1;
/*
 * The IPv4 identification. Linux draws it for these datagrams from a counter per (source,
 * destination) bucket that moves by one per datagram; all advertisements of one source share
 * it, and so they share this one, started at a random value as the kernel's are.
 */
static uint16_t vrrp_txframe_id;

static int vrrp_txframe_open(void)
{
	int fd;

	/* Protocol 0 registers no receive hook: the socket never queues incoming frames. */
	frr_with_privs (&vrrp_privs) {
		fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (fd < 0) {
		int ret = -errno;

		flog_err(EC_VRRP_SOCKET, "cannot open the IPv4 VRRP frame socket: %s",
			 safe_strerror(errno));
		return ret;
	}
	vrrp_txframe_id = (uint16_t)frr_weak_random();
	VRRP_DEBUG(sock, "opened the IPv4 VRRP frame socket (fd %d)", fd);
	return fd;
}

bool vrrp_txframe_usable(const struct interface *mvl, const struct interface *lower)
{
	return lower && lower->ifindex != IFINDEX_INTERNAL && mvl->hw_addr_len == ETH_ALEN;
}

int vrrp_txframe_send4(const struct interface *mvl, const struct interface *lower,
		       const union vrrp_addr *src, const union vrrp_addr *group,
		       const uint8_t *msg, size_t len)
{
	uint8_t hdr[VRRP_FRAME4_HDR_LEN];
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = lower->ifindex,
	};
	struct iovec iov[2] = {{.iov_base = hdr, .iov_len = sizeof(hdr)},
			       {.iov_base = (void *)msg, .iov_len = len}};
	struct msghdr mh = {
		.msg_name = &sll,
		.msg_namelen = sizeof(sll),
		.msg_iov = iov,
		.msg_iovlen = array_size(iov),
	};
	int ret;

	if (vrrp_txframe_fd < 0) {
		ret = vrrp_txframe_open();
		if (ret < 0)
			return ret;
		vrrp_txframe_fd = ret;
	}
	if (!vrrp_ipv4_frame_hdr(hdr, mvl->hw_addr, src, group, VRRP_TOS_CS6, vrrp_txframe_id,
				 len))
		return -EINVAL;

	ret = vrrp_sock_sendmsg(vrrp_txframe_fd, &mh, sizeof(hdr) + len, AF_INET, mvl, src);
	if (ret == 0)
		vrrp_txframe_id++;
	return ret;
}

void vrrp_txframe_fini(void)
{
	if (vrrp_txframe_fd >= 0)
		close(vrrp_txframe_fd);
	vrrp_txframe_fd = -1;
}
