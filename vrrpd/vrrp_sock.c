// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP sockets. Receive: one raw IPPROTO_VRRP socket per (parent interface, family), shared by
 * every virtual router on that parent through a reference count, read on the FRR event loop and
 * handed to the engine whole. Send: one raw socket per family for the daemon, the outgoing
 * macvlan and source address chosen per packet with IP_PKTINFO / IPV6_PKTINFO; IPv4 multicast
 * is handed to vrrp_txframe.c instead, which puts the same frame on the macvlan's parent.
 */
#include <zebra.h>

#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>

#include "lib/jhash.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/privs.h"
#include "lib/thread.h"
#include "lib/typesafe.h"

#include "vrrp.h"
#include "vrrp_debug.h"
#include "vrrp_errors.h"
#include "vrrp_loop.h"
#include "vrrp_protodown.h"
#include "vrrp_sock.h"
#include "vrrp_privs.h"
#include "vrrp_timer.h"
#include "vrrp_txframe.h"

#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62
#endif
#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND 78
#endif
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif

DEFINE_MTYPE_STATIC(VRRPD, VRRP_RXSOCK, "VRRP receive socket");

/* Datagrams read per wakeup, so one busy parent cannot starve the rest of the daemon. */
#define VRRP_RX_BURST 32
/* The largest valid datagram: an IPv4 header with options plus the largest message. */
#define VRRP_RX_BUFLEN (60 + VRRP_PKT_MAX_LEN)
/*
 * Receive queue of a socket, in bytes (the kernel doubles it for its overhead). One socket
 * serves every router of its interface: 255 at 10 ms are 25,500 datagrams a second, and the
 * default queue (about 200 small datagrams) overflows when the daemon is held up for 10 ms.
 * This one holds about 2,000, a fifth of a second of that or of a 10,000 packet/s flood.
 */
#define VRRP_RX_RCVBUF (1 << 20)
/* A drain reads at most this many a socket: a flood must not hold the timers up for long. */
#define VRRP_RX_DRAIN_MAX (VRRP_RX_BURST * 32)

/*
 * The most a datagram's kernel arrival stamp may predate its reading. The Master_Down timer
 * runs from arrival, so a Backup slow to read does not fail over late. The stamp is on the
 * realtime clock; the cap keeps what a step of that clock can take off a deadline below half
 * an advertisement interval of the fastest routers (10 ms).
 */
#define VRRP_RX_AGE_MAX_US 5000

PREDECL_HASH(vrrp_rxsocks);

struct vrrp_rxsock {
	struct vrrp_rxsocks_item hitem;

	struct interface *ifp;
	int family;
	/* The ifindex the socket was bound to; the parent's may change while we still hold it. */
	ifindex_t ifindex;
	int fd;
	unsigned int refcnt;
	/* Set while the read handler runs, so an unref from the callback defers the free. */
	bool reading;
	/* The kernel's count of datagrams lost at the queue, as last reported (SO_RXQ_OVFL). */
	uint32_t rxq_drops;
	struct vrrp_watch w_read;
};

static int vrrp_rxsock_cmp(const struct vrrp_rxsock *a, const struct vrrp_rxsock *b)
{
	if (a->ifp != b->ifp)
		return a->ifp < b->ifp ? -1 : 1;
	return numcmp(a->family, b->family);
}

static uint32_t vrrp_rxsock_hash(const struct vrrp_rxsock *rs)
{
	return jhash_2words((uint32_t)(uintptr_t)rs->ifp, rs->family, 0x52585348);
}

DECLARE_HASH(vrrp_rxsocks, struct vrrp_rxsock, hitem, vrrp_rxsock_cmp, vrrp_rxsock_hash);

static struct vrrp_rxsocks_head vrrp_rxsocks = INIT_HASH(vrrp_rxsocks);
static struct thread_master *vrrp_sock_master;
static vrrp_sock_rx_fn vrrp_sock_rx;
/* Send sockets, [0] IPv4 and [1] IPv6, opened on first use. */
static int vrrp_tx_fd[2] = {-1, -1};

static const char *vrrp_family_str(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

static struct in_addr vrrp_group4(void)
{
	return vrrp_af_ipv4.group.v4;
}

static struct in6_addr vrrp_group6(void)
{
	return vrrp_af_ipv6.group.v6;
}

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

static int vrrp_setsockopt_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
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

/* Receive. */

uint32_t vrrp_sock_rxq_lost(uint32_t *seen, uint32_t now)
{
	/* A 32-bit counter: the difference is right across a wrap. */
	uint32_t lost = now - *seen;

	*seen = now;
	return lost;
}

/* Count, on the interface, what the kernel dropped at the queue before this datagram. */
static void vrrp_sock_report_lost(struct vrrp_rxsock *rs, uint32_t lost)
{
	struct vrrp_rx_meta none = {};

	if (lost)
		VRRP_DEBUG(sock,
			   "%s VRRP socket on %s: the kernel dropped %u datagrams at the queue",
			   vrrp_family_str(rs->family), rs->ifp->name, lost);
	/*
	 * One call per datagram, as each was one drop; the engine may unref us on the way. The
	 * reason is a daemon one, which the drop argument carries like the codec's.
	 */
	while (lost-- && rs->refcnt)
		vrrp_sock_rx(rs->ifp, rs->family, NULL, 0, &none,
			     (enum vrrp_drop)VRRP_DROP_QUEUE_OVERFLOW);
}

enum vrrp_drop vrrp_sock_datagram_drop(int msg_flags)
{
	/*
	 * Longer than the buffer, which holds the largest valid datagram: no address count can
	 * match its length. Counted like any other bad length, on the interface, since only a
	 * prefix of it was read.
	 */
	if (msg_flags & MSG_TRUNC)
		return VRRP_DROP_LENGTH;
	return VRRP_DROP_NONE;
}

/* Per-datagram receive state of a batch. */
union vrrp_rx_cbuf {
	char space[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) +
		   CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(uint32_t)) +
		   CMSG_SPACE(sizeof(struct timespec))];
	struct cmsghdr align;
};

static uint8_t vrrp_rx_buf[VRRP_RX_BURST][VRRP_RX_BUFLEN];
static union vrrp_rx_cbuf vrrp_rx_cbuf[VRRP_RX_BURST];
static struct sockaddr_storage vrrp_rx_from[VRRP_RX_BURST];
static struct iovec vrrp_rx_iov[VRRP_RX_BURST];
static struct mmsghdr vrrp_rx_msgs[VRRP_RX_BURST];

/*
 * Hand one received datagram to the engine, after the checks only the socket layer can make;
 * drop is the socket layer's own verdict. IPv4 raw sockets deliver the IP header, IPv6 ones
 * the message: the core gets the message, or the whole datagram with a drop reason.
 */
static void vrrp_sock_hand_over(struct vrrp_rxsock *rs, const uint8_t *buf, size_t n,
				struct vrrp_rx_meta *meta, enum vrrp_drop drop)
{
	const uint8_t *msg = buf;
	size_t mlen = n;

	/* Even a dropped IPv4 datagram names its sender in meta, for the debug log. */
	if (rs->family == AF_INET) {
		enum vrrp_drop ip = vrrp_ipv4_strip(buf, n, meta, &msg, &mlen);

		if (!drop)
			drop = ip;
	}
	if (drop) {
		msg = buf;
		mlen = n;
	}
	vrrp_sock_rx(rs->ifp, rs->family, msg, mlen, meta, drop);
}

/* Both clocks, read once per batch: what a datagram's realtime arrival stamp is set against. */
struct vrrp_rx_clocks {
	uint64_t real_us;
	uint64_t mono_us;
};

static void vrrp_rx_clocks_now(struct vrrp_rx_clocks *c)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	c->real_us = (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
	c->mono_us = vrrp_now_us();
}

static void vrrp_sock_deliver(struct vrrp_rxsock *rs, struct msghdr *msg, size_t n,
			      const struct vrrp_rx_clocks *clk)
{
	struct sockaddr_storage *from = msg->msg_name;
	struct vrrp_rx_meta meta = {};
	ifindex_t ifindex = IFINDEX_INTERNAL;
	enum vrrp_drop drop = vrrp_sock_datagram_drop(msg->msg_flags);
	struct cmsghdr *c;

	if (drop)
		VRRP_DEBUG(sock, "%s VRRP socket on %s: dropped a datagram longer than %d bytes",
			   vrrp_family_str(rs->family), rs->ifp->name, VRRP_RX_BUFLEN);

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL &&
		    c->cmsg_len >= CMSG_LEN(sizeof(uint32_t))) {
			uint32_t ovfl;

			memcpy(&ovfl, CMSG_DATA(c), sizeof(ovfl));
			vrrp_sock_report_lost(rs, vrrp_sock_rxq_lost(&rs->rxq_drops, ovfl));
			if (!rs->refcnt)
				return;
		} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ifindex = pi.ipi6_ifindex;
			meta.dst.v6 = pi.ipi6_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT &&
			   c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int hl;

			memcpy(&hl, CMSG_DATA(c), sizeof(hl));
			meta.ttl = hl < 0 || hl > 255 ? 0 : hl;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;
			uint64_t real;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			real = (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
			meta.arrival_us = vrrp_mono_of_real(real, clk->real_us, clk->mono_us,
							    VRRP_RX_AGE_MAX_US);
		}
	}

	/*
	 * The socket sees every interface between socket() and the bind to the parent; anything
	 * queued in that window is recognised by its arrival interface and ignored.
	 */
	if (ifindex != IFINDEX_INTERNAL && ifindex != rs->ifindex) {
		VRRP_DEBUG(sock, "%s VRRP socket on %s: ignored a datagram from ifindex %d",
			   vrrp_family_str(rs->family), rs->ifp->name, ifindex);
		return;
	}

	if (rs->family == AF_INET6) {
		if (msg->msg_namelen < sizeof(struct sockaddr_in6) ||
		    from->ss_family != AF_INET6) {
			VRRP_DEBUG(sock,
				   "IPv6 VRRP socket on %s: datagram without a source address",
				   rs->ifp->name);
			return;
		}
		meta.src.v6 = ((struct sockaddr_in6 *)from)->sin6_addr;
		if (meta.ttl == 0)
			VRRP_DEBUG(sock, "IPv6 VRRP socket on %s: no hop limit delivered",
				   rs->ifp->name);
	}
	vrrp_sock_hand_over(rs, msg->msg_iov->iov_base, n, &meta, drop);
}

/*
 * Read up to VRRP_RX_BURST datagrams with one system call. Returns how many were read; fewer
 * than asked means the socket is drained, -1 that it failed.
 */
static int vrrp_sock_read_batch(struct vrrp_rxsock *rs)
{
	struct vrrp_rx_clocks clk;
	int n;

	/* The kernel shrinks these two to what it filled in; the rest stays as set up. */
	for (int i = 0; i < VRRP_RX_BURST; i++) {
		vrrp_rx_msgs[i].msg_hdr.msg_namelen = sizeof(vrrp_rx_from[i]);
		vrrp_rx_msgs[i].msg_hdr.msg_controllen = sizeof(vrrp_rx_cbuf[i]);
	}
	do
		n = recvmmsg(rs->fd, vrrp_rx_msgs, VRRP_RX_BURST, MSG_DONTWAIT, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			flog_err(EC_VRRP_SOCKET, "%s VRRP socket on %s: recvmmsg: %s",
				 vrrp_family_str(rs->family), rs->ifp->name, safe_strerror(errno));
		return -1;
	}
	vrrp_rx_clocks_now(&clk);
	/* The engine may drop the last reference while handling one: stop there. */
	for (int i = 0; i < n && rs->refcnt; i++)
		vrrp_sock_deliver(rs, &vrrp_rx_msgs[i].msg_hdr, vrrp_rx_msgs[i].msg_len, &clk);
	return n;
}

static void vrrp_sock_read(void *arg)
{
	struct vrrp_rxsock *rs = arg;

	rs->reading = true;
	vrrp_sock_read_batch(rs);
	rs->reading = false;

	/* The callback dropped the last reference: the socket is closed and unhashed already. */
	if (!rs->refcnt)
		XFREE(MTYPE_VRRP_RXSOCK, rs);
}

/*
 * The sockets are taken out of the hash first: delivering may unref and close any of them,
 * which the reading flag turns into a deferred free, as in vrrp_sock_read().
 */
void vrrp_sock_rx_drain(void)
{
	size_t n = vrrp_rxsocks_count(&vrrp_rxsocks), i = 0;
	struct vrrp_rxsock **all, *rs;

	if (!n)
		return;
	all = XCALLOC(MTYPE_TMP, n * sizeof(*all));
	frr_each (vrrp_rxsocks, &vrrp_rxsocks, rs) {
		rs->reading = true;
		all[i++] = rs;
	}
	for (i = 0; i < n; i++) {
		rs = all[i];
		for (int got = 0; rs->refcnt && got < VRRP_RX_DRAIN_MAX;) {
			int r = vrrp_sock_read_batch(rs);

			if (r < VRRP_RX_BURST)
				break;
			got += r;
		}
	}
	for (i = 0; i < n; i++) {
		all[i]->reading = false;
		if (!all[i]->refcnt)
			XFREE(MTYPE_VRRP_RXSOCK, all[i]);
	}
	XFREE(MTYPE_TMP, all);
}

/* Configures an rx socket; on failure returns -errno and names the failed step in *step. */
static int vrrp_sock_rx_setup(int fd, int family, ifindex_t ifindex, const char **step)
{
	int ret;

	/* By index, not by name: a rename must not move the socket to another interface. */
	*step = "bind to interface";
	frr_with_privs (&vrrp_privs) {
		ret = vrrp_setsockopt_int(fd, SOL_SOCKET, SO_BINDTOIFINDEX, ifindex);
	}
	if (ret < 0)
		return -errno;
	/* Beyond net.core.rmem_max with CAP_NET_ADMIN; the default queue still works. */
	frr_with_privs (&vrrp_privs) {
		ret = vrrp_setsockopt_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, VRRP_RX_RCVBUF);
	}
	if (ret < 0 && vrrp_setsockopt_int(fd, SOL_SOCKET, SO_RCVBUF, VRRP_RX_RCVBUF) < 0)
		VRRP_DEBUG(sock,
			   "VRRP socket on ifindex %d: receive buffer left at the default: %s",
			   ifindex, safe_strerror(errno));
	/* Each datagram then carries the count of those lost at the queue: none goes uncounted. */
	*step = "SO_RXQ_OVFL";
	if (vrrp_setsockopt_int(fd, SOL_SOCKET, SO_RXQ_OVFL, 1) < 0)
		return -errno;
	*step = "SO_TIMESTAMPNS";
	if (vrrp_setsockopt_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) < 0)
		return -errno;

	/*
	 * Joined to the group but bound to no address: unicast advertisements to the parent's
	 * own addresses must arrive too. Without IP(V6)_MULTICAST_ALL off the socket would also
	 * see VRRP sent to groups other sockets joined.
	 */
	if (family == AF_INET) {
		struct ip_mreqn mreq = {.imr_multiaddr = vrrp_group4(), .imr_ifindex = ifindex};

		*step = "join 224.0.0.18";
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
			return -errno;
		*step = "IP_MULTICAST_ALL";
		if (vrrp_setsockopt_int(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) < 0)
			return -errno;
		*step = "IP_PKTINFO";
		if (vrrp_setsockopt_int(fd, IPPROTO_IP, IP_PKTINFO, 1) < 0)
			return -errno;
	} else {
		struct ipv6_mreq mreq = {.ipv6mr_multiaddr = vrrp_group6(),
					 .ipv6mr_interface = ifindex};

		*step = "join ff02::12";
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) < 0)
			return -errno;
		*step = "IPV6_MULTICAST_ALL";
		if (vrrp_setsockopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0) < 0)
			return -errno;
		*step = "IPV6_RECVPKTINFO";
		if (vrrp_setsockopt_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0)
			return -errno;
		*step = "IPV6_RECVHOPLIMIT";
		if (vrrp_setsockopt_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0)
			return -errno;
	}
	return 0;
}

int vrrp_sock_rx_ref(struct interface *parent, int family)
{
	struct vrrp_rxsock key = {.ifp = parent, .family = family};
	struct vrrp_rxsock *rs;
	const char *step = "socket";
	int fd, ret;

	if (family != AF_INET && family != AF_INET6) {
		flog_err(EC_VRRP_SOCKET, "VRRP socket on %s: unknown address family %d",
			 parent->name, family);
		return -EAFNOSUPPORT;
	}
	rs = vrrp_rxsocks_find(&vrrp_rxsocks, &key);
	if (rs) {
		rs->refcnt++;
		return 0;
	}
	if (!vrrp_sock_master || parent->ifindex == IFINDEX_INTERNAL) {
		flog_err(EC_VRRP_SOCKET, "cannot open the %s VRRP socket on %s: %s",
			 vrrp_family_str(family), parent->name,
			 vrrp_sock_master ? "interface has no ifindex"
					  : "sockets not initialised");
		return vrrp_sock_master ? -ENODEV : -EINVAL;
	}

	frr_with_privs (&vrrp_privs) {
		fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	}
	ret = fd < 0 ? -errno : vrrp_sock_rx_setup(fd, family, parent->ifindex, &step);
	if (ret < 0) {
		flog_err(EC_VRRP_SOCKET,
			 "cannot open the %s VRRP socket on %s (ifindex %d): %s: %s",
			 vrrp_family_str(family), parent->name, parent->ifindex, step,
			 safe_strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}

	rs = XCALLOC(MTYPE_VRRP_RXSOCK, sizeof(*rs));
	rs->ifp = parent;
	rs->family = family;
	rs->ifindex = parent->ifindex;
	rs->fd = fd;
	rs->refcnt = 1;
	vrrp_rxsocks_add(&vrrp_rxsocks, rs);
	vrrp_loop_watch(vrrp_sock_master, &rs->w_read, fd, vrrp_sock_read, rs);
	VRRP_DEBUG(sock, "opened the %s VRRP socket on %s (ifindex %d, fd %d)",
		   vrrp_family_str(family), parent->name, parent->ifindex, fd);
	return 0;
}

/* Closes and unhashes; frees unless the read handler is running and will do it. */
static void vrrp_rxsock_close(struct vrrp_rxsock *rs)
{
	vrrp_loop_unwatch(&rs->w_read);
	close(rs->fd);
	rs->fd = -1;
	rs->refcnt = 0;
	vrrp_rxsocks_del(&vrrp_rxsocks, rs);
	if (!rs->reading)
		XFREE(MTYPE_VRRP_RXSOCK, rs);
}

void vrrp_sock_rx_unref(struct interface *parent, int family)
{
	struct vrrp_rxsock key = {.ifp = parent, .family = family};
	struct vrrp_rxsock *rs = vrrp_rxsocks_find(&vrrp_rxsocks, &key);

	if (!rs)
		return;
	if (--rs->refcnt)
		return;
	VRRP_DEBUG(sock, "closing the %s VRRP socket on %s (ifindex %d)", vrrp_family_str(family),
		   parent->name, rs->ifindex);
	vrrp_rxsock_close(rs);
}

/* Send. */

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
		ret = vrrp_setsockopt_int(fd, opts[i].level, opts[i].name, opts[i].value);
	}
	if (ret == 0) {
		step = "receive filter";
		ret = vrrp_sock_drop_all(fd);
	}
	if (ret < 0) {
		ret = -errno;
		flog_err(EC_VRRP_SOCKET, "cannot open the %s VRRP send socket: %s: %s",
			 vrrp_family_str(family), step, safe_strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	VRRP_DEBUG(sock, "opened the %s VRRP send socket (fd %d)", vrrp_family_str(family), fd);
	return fd;
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
	struct cmsghdr *c = &cbuf.align;
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
		union vrrp_addr group = {.v4 = vrrp_group4()};
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

		sin.sin_addr = dst ? dst->v4 : vrrp_group4();
		msg.msg_name = &sin;
		msg.msg_namelen = sizeof(sin);
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = {.ipi6_addr = src->v6, .ipi6_ifindex = ifp->ifindex};

		sin6.sin6_addr = dst ? dst->v6 : vrrp_group6();
		sin6.sin6_scope_id = ifp->ifindex;
		msg.msg_name = &sin6;
		msg.msg_namelen = sizeof(sin6);
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
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
		 vrrp_family_str(family), ifp->name, addr, safe_strerror(-ret));
	return ret;
}

/* Setup and teardown. */

void vrrp_sock_init(struct thread_master *master, vrrp_sock_rx_fn rx)
{
	/* The receive batch points at the same buffers for the daemon's lifetime. */
	for (int i = 0; i < VRRP_RX_BURST; i++) {
		vrrp_rx_iov[i] = (struct iovec){.iov_base = vrrp_rx_buf[i],
						.iov_len = sizeof(vrrp_rx_buf[i])};
		vrrp_rx_msgs[i].msg_hdr = (struct msghdr){
			.msg_name = &vrrp_rx_from[i],
			.msg_iov = &vrrp_rx_iov[i],
			.msg_iovlen = 1,
			.msg_control = &vrrp_rx_cbuf[i],
		};
	}
	vrrp_rxsocks_init(&vrrp_rxsocks);
	vrrp_sock_master = master;
	vrrp_sock_rx = rx;
}

void vrrp_sock_fini(void)
{
	struct vrrp_rxsock *rs;

	while ((rs = vrrp_rxsocks_first(&vrrp_rxsocks)))
		vrrp_rxsock_close(rs);
	vrrp_rxsocks_fini(&vrrp_rxsocks);
	vrrp_sock_master = NULL;
	vrrp_txframe_fini();
	for (size_t i = 0; i < array_size(vrrp_tx_fd); i++) {
		if (vrrp_tx_fd[i] >= 0)
			close(vrrp_tx_fd[i]);
		vrrp_tx_fd[i] = -1;
	}
}
