// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Gratuitous ARP and unsolicited Neighbor Advertisements for the virtual addresses. This file
 * owns the two sockets they leave on; both are opened on first use and never read.
 *
 * ARP goes out on a packet socket, since ARP is not IP and only a link-layer socket can send it;
 * it leaves on the macvlan's parent, so the macvlan's siblings do not each get a copy.
 *
 * The NA goes out on a raw ICMPv6 socket rather than a packet socket with a hand-built IPv6
 * header: the kernel then builds the IPv6 header, computes the ICMPv6 checksum, maps ff02::1 to
 * its multicast MAC and applies the host's output policy, exactly as for the advertisements.
 * Its source is the virtual address itself, an address of the sending interface as RFC 4861
 * 4.4 requires, and what Linux uses for its own unsolicited NAs; vrrp_una_opts[] makes the
 * kernel accept it while that address is still tentative.
 */
#include <zebra.h>

#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>

#include "lib/log.h"
#include "lib/privs.h"
#include "lib/prefix.h"

#include "vrrp_announce.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_sock.h"
#include "vrrp_privs.h"

#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND 78
#endif

#define VRRP_ND_HOPLIMIT 255

static int vrrp_garp_fd = -1;
static int vrrp_una_fd = -1;

/* The ARP payload for Ethernet and IPv4 (RFC 826), packed as on the wire. */
struct vrrp_arp_eth_ipv4 {
	struct arphdr hdr;
	uint8_t sha[ETH_ALEN];
	struct in_addr spa;
	uint8_t tha[ETH_ALEN];
	struct in_addr tpa;
} __attribute__((packed));

struct vrrp_garp_frame {
	struct ether_header eth;
	struct vrrp_arp_eth_ipv4 arp;
} __attribute__((packed));

/* An NA with one option, the target link-layer address (RFC 4861 4.4, 4.6.1). */
struct vrrp_una_msg {
	struct nd_neighbor_advert na;
	struct nd_opt_hdr opt;
	uint8_t lladdr[ETH_ALEN];
} __attribute__((packed));

/* Maps the result of a send to the contract: silent for "not yet", logged for the rest. */
static int vrrp_announce_result(ssize_t n, size_t len, const char *what, const char *ifname)
{
	int ret;

	if (n == (ssize_t)len)
		return 0;
	ret = n < 0 ? -errno : -EMSGSIZE;
	if (ret == -ENODEV)
		ret = -ENXIO;
	if (ret != -ENETDOWN && ret != -ENXIO)
		flog_err(EC_VRRP_SOCKET, "cannot send %s on %s: %s", what, ifname,
			 safe_strerror(-ret));
	return ret;
}

static int vrrp_garp_open(void)
{
	int fd;

	/*
	 * Protocol 0 registers no receive hook, so the socket never queues incoming frames; the
	 * protocol of each frame is given to sendto() instead.
	 */
	frr_with_privs (&vrrp_privs) {
		fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (fd < 0) {
		int ret = -errno;

		flog_err(EC_VRRP_SOCKET, "cannot open the gratuitous ARP socket: %s",
			 safe_strerror(errno));
		return ret;
	}
	VRRP_DEBUG(arp, "opened the gratuitous ARP socket (fd %d)", fd);
	return fd;
}

int vrrp_garp_send(struct interface *mvl, const struct ethaddr *vmac, struct in_addr vip)
{
	struct vrrp_garp_frame f = {};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_halen = ETH_ALEN,
	};
	ssize_t n;
	int ret;

	if (!mvl)
		return -ENXIO;
	if (vrrp_garp_fd < 0) {
		ret = vrrp_garp_open();
		if (ret < 0)
			return ret;
		vrrp_garp_fd = ret;
	}
	/* A packet socket hands frames to a protodown macvlan, whose queue drops them silently. */
	ret = vrrp_sock_link_check(vrrp_garp_fd, mvl->ifindex);
	if (ret == -ENETDOWN || ret == -ENXIO)
		return ret;

	memset(f.eth.ether_dhost, 0xff, ETH_ALEN);
	memcpy(f.eth.ether_shost, vmac->octet, ETH_ALEN);
	f.eth.ether_type = htons(ETHERTYPE_ARP);
	f.arp.hdr.ar_hrd = htons(ARPHRD_ETHER);
	f.arp.hdr.ar_pro = htons(ETHERTYPE_IP);
	f.arp.hdr.ar_hln = ETH_ALEN;
	f.arp.hdr.ar_pln = sizeof(struct in_addr);
	f.arp.hdr.ar_op = htons(ARPOP_REQUEST);
	memcpy(f.arp.sha, vmac->octet, ETH_ALEN);
	f.arp.spa = vip;
	f.arp.tpa = vip;
	/*
	 * Out through the parent, the virtual MAC as source: the wire sees the frame a send on the
	 * macvlan would give, but a macvlan in bridge mode also hands each broadcast it sends to
	 * every sibling, and with hundreds of virtual routers on one parent those copies cost more
	 * than the rest of a takeover (bench/README.md, Finding 12). The check above stays on the
	 * macvlan: no announcement before the virtual MAC answers.
	 */
	sll.sll_ifindex = mvl->link_ifindex != IFINDEX_INTERNAL ? mvl->link_ifindex : mvl->ifindex;
	memset(sll.sll_addr, 0xff, ETH_ALEN);

	do
		n = sendto(vrrp_garp_fd, &f, sizeof(f), 0, (struct sockaddr *)&sll, sizeof(sll));
	while (n < 0 && errno == EINTR);
	ret = vrrp_announce_result(n, sizeof(f), "a gratuitous ARP", mvl->name);
	if (ret == 0)
		VRRP_DEBUG(arp, "sent gratuitous ARP for %pI4 on %s", &vip, mvl->name);
	return ret;
}

static const struct {
	int name, value;
	const char *label;
} vrrp_una_opts[] = {
	/* Receivers drop NAs whose hop limit is not 255 (RFC 4861 7.1.2). */
	{IPV6_MULTICAST_HOPS, VRRP_ND_HOPLIMIT, "IPV6_MULTICAST_HOPS"},
	{IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP"},
	/*
	 * The virtual address is tentative (DAD) for a second after the macvlan leaves protodown,
	 * exactly when the NA must go out, and IPV6_PKTINFO refuses a tentative source with
	 * EINVAL unless the socket may use non-local addresses.
	 */
	{IPV6_FREEBIND, 1, "IPV6_FREEBIND"},
};

static int vrrp_una_open(void)
{
	struct icmp6_filter filter;
	const char *step = "socket";
	int fd, ret;

	frr_with_privs (&vrrp_privs) {
		fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	}
	ret = fd < 0 ? -1 : 0;
	/* A raw ICMPv6 socket gets a copy of all incoming ICMPv6; this one is never read. */
	if (ret == 0) {
		step = "ICMP6_FILTER";
		ICMP6_FILTER_SETBLOCKALL(&filter);
		ret = setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter));
	}
	for (size_t i = 0; ret == 0 && i < array_size(vrrp_una_opts); i++) {
		step = vrrp_una_opts[i].label;
		ret = setsockopt(fd, IPPROTO_IPV6, vrrp_una_opts[i].name, &vrrp_una_opts[i].value,
				 sizeof(int));
	}
	if (ret < 0) {
		ret = -errno;
		flog_err(EC_VRRP_SOCKET, "cannot open the Neighbor Advertisement socket: %s: %s",
			 step, safe_strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	VRRP_DEBUG(ndisc, "opened the Neighbor Advertisement socket (fd %d)", fd);
	return fd;
}

int vrrp_una_send(struct interface *mvl, const struct ethaddr *vmac, const struct in6_addr *vip)
{
	struct vrrp_una_msg m = {};
	struct sockaddr_in6 dst = {.sin6_family = AF_INET6};
	struct in6_pktinfo pi = {.ipi6_addr = *vip};
	union {
		char space[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf = {};
	struct iovec iov = {.iov_base = &m, .iov_len = sizeof(m)};
	struct msghdr msg = {
		.msg_name = &dst,
		.msg_namelen = sizeof(dst),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = &cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	ssize_t n;
	int ret;

	if (!mvl)
		return -ENXIO;
	if (vrrp_una_fd < 0) {
		ret = vrrp_una_open();
		if (ret < 0)
			return ret;
		vrrp_una_fd = ret;
	}
	ret = vrrp_sock_link_check(vrrp_una_fd, mvl->ifindex);
	if (ret == -ENETDOWN || ret == -ENXIO)
		return ret;

	/* All-nodes, ff02::1, scoped to the macvlan. */
	dst.sin6_addr.s6_addr[0] = 0xff;
	dst.sin6_addr.s6_addr[1] = 0x02;
	dst.sin6_addr.s6_addr[15] = 0x01;
	dst.sin6_scope_id = mvl->ifindex;
	pi.ipi6_ifindex = mvl->ifindex;

	/* The kernel fills the checksum of raw ICMPv6 sockets. */
	m.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	m.na.nd_na_code = 0;
	m.na.nd_na_flags_reserved = ND_NA_FLAG_ROUTER | ND_NA_FLAG_OVERRIDE;
	m.na.nd_na_target = *vip;
	m.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	m.opt.nd_opt_len = 1; /* in units of 8 octets */
	memcpy(m.lladdr, vmac->octet, ETH_ALEN);

	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));

	do
		n = sendmsg(vrrp_una_fd, &msg, 0);
	while (n < 0 && errno == EINTR);
	ret = vrrp_announce_result(n, sizeof(m), "an unsolicited Neighbor Advertisement",
				   mvl->name);
	if (ret == 0)
		VRRP_DEBUG(ndisc, "sent unsolicited Neighbor Advertisement for %pI6 on %s", vip,
			   mvl->name);
	return ret;
}

void vrrp_announce_fini(void)
{
	if (vrrp_garp_fd >= 0)
		close(vrrp_garp_fd);
	if (vrrp_una_fd >= 0)
		close(vrrp_una_fd);
	vrrp_garp_fd = vrrp_una_fd = -1;
}
