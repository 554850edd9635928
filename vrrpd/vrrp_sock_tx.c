// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP send sockets: one raw socket per family for the daemon, the outgoing macvlan and source
 * address chosen per packet with IP_PKTINFO / IPV6_PKTINFO, and the link checks that catch a
 * macvlan which would drop the packet silently. IPv4 multicast is handed to vrrp_txframe.c,
 * which puts the same frame on the macvlan's parent.
 */
#include <zebra.h>

#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>

#include "lib/log.h"
#include "lib/privs.h"

#include "vrrp.h"
#include "vrrp_af.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_privs.h"
#include "vrrp_protodown.h"
#include "vrrp_sock.h"
#include "vrrp_timer.h"
#include "vrrp_txframe.h"

/* [0] IPv4 and [1] IPv6, opened on first use. */
static int vrrp_tx_fd[2] = {-1, -1};

/*
 * A raw socket receives a copy of every datagram of its protocol, bound or not. The send
 * sockets are never read, so a filter that accepts nothing keeps them from queueing copies.
 */
static int vrrp_sock_drop_all(int fd)
{
	static struct sock_filter insn[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
	struct sock_fprog prog = {.len = array_size(insn), .filter = insn};

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* The kernel's interface flags of ifindex: 0 or -errno (-ENXIO: it does not exist). */
static int vrrp_sock_link_flags(int fd, ifindex_t ifindex, short *flags)
{
	struct ifreq ifr = {};

	if (ifindex == IFINDEX_INTERNAL)
		return -ENXIO;
	ifr.ifr_ifindex = ifindex;
	if (ioctl(fd, SIOCGIFNAME, &ifr) < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return errno == ENODEV ? -ENXIO : -errno;
	*flags = ifr.ifr_flags;
	return 0;
}

int vrrp_sock_link_check(int fd, ifindex_t ifindex)
{
	short flags;
	int ret = vrrp_sock_link_flags(fd, ifindex, &flags);

	if (ret)
		return ret;
	/*
	 * A protodown or carrier-less macvlan keeps IFF_UP, and the kernel accepts a datagram
	 * for it and drops it in the qdisc without an error. IFF_RUNNING is the oper state.
	 */
	if (!(flags & IFF_UP) || !(flags & IFF_RUNNING))
		return -ENETDOWN;
	return 0;
}

/*
 * How long after lifting protodown a macvlan that is up but not yet running counts as live for
 * a frame sent on its parent. Lifting clears the flag at once; the kernel marks the link
 * running only when its link-watch work gets to it, a fraction of a millisecond later on a
 * quiet host and more while other links change (a failover's link-down, a flap storm).
 */
#define VRRP_LINKWATCH_GRACE_US 200000

/*
 * Whether an advertisement with the virtual MAC may leave as a frame on parent now: 0, 1 (yes,
 * but only because protodown was lifted just now), or -errno. The frame does not pass through
 * the macvlan, so the link-watch lag after this daemon lifted its protodown does not hold it
 * up; anything else that keeps the macvlan from running does.
 */
static int vrrp_sock_frame_link_check(int fd, const struct interface *mvl,
				      const struct interface *parent)
{
	uint64_t lifted;
	short flags;
	int ret = vrrp_sock_link_flags(fd, mvl->ifindex, &flags);

	if (ret)
		return ret;
	if ((flags & IFF_UP) && (flags & IFF_RUNNING))
		return 0;
	lifted = vrrp_protodown_lifted_at(mvl->ifindex);
	if (!(flags & IFF_UP) || !lifted || vrrp_now_us() - lifted > VRRP_LINKWATCH_GRACE_US)
		return -ENETDOWN;
	ret = vrrp_sock_link_check(fd, parent->ifindex);
	return ret ? ret : 1;
}


struct vrrp_sockopt {
	int level, name, value;
	const char *label;
};

static const struct vrrp_sockopt vrrp_tx4_opts[] = {
	{IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL, "IP_MULTICAST_TTL"},
	/* Unicast peers need 255 too (RFC 9568 5.1.1.3): receivers drop anything less. */
	{IPPROTO_IP, IP_TTL, VRRP_TTL, "IP_TTL"},
	{IPPROTO_IP, IP_TOS, VRRP_TOS_CS6, "IP_TOS"},
	{IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP"},
};

static const struct vrrp_sockopt vrrp_tx6_opts[] = {
	{IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL, "IPV6_MULTICAST_HOPS"},
	{IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL, "IPV6_UNICAST_HOPS"},
	{IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS_CS6, "IPV6_TCLASS"},
	{IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP"},
	/*
	 * The macvlan link-local is tentative for a second after protodown is lifted, and
	 * IPV6_PKTINFO refuses a tentative source with EINVAL unless the socket may use
	 * non-local addresses; without this a new Active would be mute for the whole DAD time.
	 */
	{IPPROTO_IPV6, IPV6_FREEBIND, 1, "IPV6_FREEBIND"},
};

static int vrrp_sock_tx_open(int family)
{
	const struct vrrp_sockopt *opts = family == AF_INET ? vrrp_tx4_opts : vrrp_tx6_opts;
	size_t nopts = family == AF_INET ? array_size(vrrp_tx4_opts) : array_size(vrrp_tx6_opts);
	const char *step = "socket";
	int fd, ret;

	frr_with_privs (&vrrp_privs) {
		fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	}
	ret = fd < 0 ? -1 : 0;
	for (size_t i = 0; ret == 0 && i < nopts; i++) {
		step = opts[i].label;
		ret = vrrp_sock_setint(fd, opts[i].level, opts[i].name, opts[i].value);
	}
	if (ret == 0) {
		step = "receive filter";
		ret = vrrp_sock_drop_all(fd);
	}
	if (ret < 0) {
		ret = -errno;
		flog_err(EC_VRRP_SOCKET, "cannot open the %s VRRP send socket: %s: %s",
			 vrrp_sock_family_str(family), step, safe_strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	VRRP_DEBUG(sock, "opened the %s VRRP send socket (fd %d)", vrrp_sock_family_str(family),
		   fd);
	return fd;
}

/* The one control message of msg, whose buffer has room for it. */
static void vrrp_sock_cmsg(struct msghdr *msg, int level, int type, const void *data, size_t len)
{
	struct cmsghdr *c;

	msg->msg_controllen = CMSG_SPACE(len);
	c = CMSG_FIRSTHDR(msg);
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
}

int vrrp_sock_send(int family, struct interface *ifp, const struct interface *lower,
		   const union vrrp_addr *src, const union vrrp_addr *dst, const uint8_t *buf,
		   size_t len, bool check_link)
{
	int *fdp;
	union {
		char space[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf = {};
	struct sockaddr_in sin = {.sin_family = AF_INET};
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cbuf};
	int ret;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if (!ifp)
		return -ENXIO;
	fdp = &vrrp_tx_fd[family == AF_INET6];
	if (*fdp < 0) {
		ret = vrrp_sock_tx_open(family);
		if (ret < 0)
			return ret;
		*fdp = ret;
	}

	/* IPv4 multicast leaves as a frame on the parent (vrrp_txframe.c). */
	if (family == AF_INET && !dst && vrrp_txframe_usable(ifp, lower)) {
		union vrrp_addr group = {.v4 = vrrp_af_ipv4.group.v4};
		int early = 0;

		if (check_link) {
			early = vrrp_sock_frame_link_check(*fdp, ifp, lower);
			if (early == -ENETDOWN || early == -ENXIO)
				return early;
		}
		ret = vrrp_txframe_send4(ifp, lower, src, &group, buf, len);
		return ret == 0 && early == 1 ? 1 : ret;
	}
	if (check_link) {
		ret = vrrp_sock_link_check(*fdp, ifp->ifindex);
		if (ret == -ENETDOWN || ret == -ENXIO)
			return ret;
	}

	if (family == AF_INET) {
		struct in_pktinfo pi = {.ipi_ifindex = ifp->ifindex, .ipi_spec_dst = src->v4};

		sin.sin_addr = dst ? dst->v4 : vrrp_af_ipv4.group.v4;
		msg.msg_name = &sin;
		msg.msg_namelen = sizeof(sin);
		vrrp_sock_cmsg(&msg, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = {.ipi6_addr = src->v6, .ipi6_ifindex = ifp->ifindex};

		sin6.sin6_addr = dst ? dst->v6 : vrrp_af_ipv6.group.v6;
		sin6.sin6_scope_id = ifp->ifindex;
		msg.msg_name = &sin6;
		msg.msg_namelen = sizeof(sin6);
		vrrp_sock_cmsg(&msg, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	}

	return vrrp_sock_sendmsg(*fdp, &msg, len, family, ifp, src);
}

int vrrp_sock_sendmsg(int fd, const struct msghdr *msg, size_t len, int family,
		      const struct interface *ifp, const union vrrp_addr *src)
{
	char addr[INET6_ADDRSTRLEN];
	ssize_t n;
	int ret;

	do
		n = sendmsg(fd, msg, 0);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len)
		return 0;

	ret = n < 0 ? -errno : -EMSGSIZE;
	if (ret == -ENODEV)
		return -ENXIO;
	if (ret == -ENETDOWN || ret == -ENXIO)
		return ret;
	inet_ntop(family, src->bytes, addr, sizeof(addr));
	flog_err(EC_VRRP_SOCKET, "cannot send an %s VRRP advertisement on %s from %s: %s",
		 vrrp_sock_family_str(family), ifp->name, addr, safe_strerror(-ret));
	return ret;
}

void vrrp_sock_tx_fini(void)
{
	vrrp_txframe_fini();
	for (size_t i = 0; i < array_size(vrrp_tx_fd); i++) {
		if (vrrp_tx_fd[i] >= 0)
			close(vrrp_tx_fd[i]);
		vrrp_tx_fd[i] = -1;
	}
}
