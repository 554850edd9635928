// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP receive sockets: one raw IPPROTO_VRRP socket per (parent interface, family), shared by
 * every virtual router on that parent through a reference count, read on the protocol thread
 * and handed to the engine whole, each datagram with its kernel arrival time. A lazy Backup's
 * socket is read when its doorbell rings (vrrp_rxbell.c) or a timer falls due. Sending is in
 * vrrp_sock_tx.c.
 */
#include <zebra.h>

#include <netinet/in.h>

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
#include "vrrp_privs.h"
#include "vrrp_rxbell.h"
#include "vrrp_sock.h"
#include "vrrp_timer.h"

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
DEFINE_MTYPE_STATIC(VRRPD, VRRP_BELL, "VRRP receive doorbell");

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
 * A bell may ring before the receive socket holds its copy of the datagram (the kernel queues
 * one copy per socket, one after the other): reads of it allowed to find nothing new.
 */
#define VRRP_RX_BELL_RETRIES 3

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
	/*
	 * When a read last found the queue empty (monotonic us): whatever is read later arrived
	 * after it, so an arrival stamp is never taken as older, whatever the realtime clock did.
	 */
	uint64_t empty_at;
	/* The arrival stamp of the last datagram read (realtime us). */
	uint64_t last_real;
	/*
	 * The doorbell, while the protocol has its epoll set; watched instead of fd while a VRID
	 * is quiet (vrrp_sock_rewatch()).
	 */
	struct vrrp_bell *bell;
	struct vrrp_timer t_commit;
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
/* Receive sockets with a lazy Backup on them. */
static unsigned int vrrp_sock_nlazy;

const char *vrrp_sock_family_str(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}


int vrrp_sock_setint(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
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
			   vrrp_sock_family_str(rs->family), rs->ifp->name, lost);
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
			   vrrp_sock_family_str(rs->family), rs->ifp->name, VRRP_RX_BUFLEN);

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
			rs->last_real = real;
			meta.arrival_us = vrrp_mono_of_real(real, clk->real_us, clk->mono_us,
							    clk->mono_us - rs->empty_at);
		}
	}

	/*
	 * The socket sees every interface between socket() and the bind to the parent; anything
	 * queued in that window is recognised by its arrival interface and ignored.
	 */
	if (ifindex != IFINDEX_INTERNAL && ifindex != rs->ifindex) {
		VRRP_DEBUG(sock, "%s VRRP socket on %s: ignored a datagram from ifindex %d",
			   vrrp_sock_family_str(rs->family), rs->ifp->name, ifindex);
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
				 vrrp_sock_family_str(rs->family), rs->ifp->name,
				 safe_strerror(errno));
		else
			rs->empty_at = vrrp_now_us();
		return -1;
	}
	vrrp_rx_clocks_now(&clk);
	/* The engine may drop the last reference while handling one: stop there. */
	for (int i = 0; i < n && rs->refcnt; i++)
		vrrp_sock_deliver(rs, &vrrp_rx_msgs[i].msg_hdr, vrrp_rx_msgs[i].msg_len, &clk);
	if (n < VRRP_RX_BURST)
		rs->empty_at = clk.mono_us;
	return n;
}

/*
 * Read until the queue is empty or VRRP_RX_DRAIN_MAX datagrams are read, and, when a bell rang
 * for a datagram that arrived at rang (realtime us), until that one is read too.
 */
static void vrrp_sock_read_all(struct vrrp_rxsock *rs, uint64_t rang)
{
	int tries = 0;

	for (int got = 0; rs->refcnt && got < VRRP_RX_DRAIN_MAX;) {
		int r = vrrp_sock_read_batch(rs);

		if (r == VRRP_RX_BURST) {
			got += r;
			continue;
		}
		if (rs->last_real >= rang || ++tries > VRRP_RX_BELL_RETRIES)
			break;
		got += MAX(r, 0);
	}
}

static void vrrp_rxsock_free(struct vrrp_rxsock *rs)
{
	XFREE(MTYPE_VRRP_BELL, rs->bell);
	XFREE(MTYPE_VRRP_RXSOCK, rs);
}

static void vrrp_sock_read(void *arg)
{
	struct vrrp_rxsock *rs = arg;

	rs->reading = true;
	if (rs->bell && rs->w_read.fd == rs->bell->fd)
		vrrp_sock_read_all(rs, vrrp_bell_read(rs->bell));
	else
		vrrp_sock_read_batch(rs);
	rs->reading = false;

	/* The callback dropped the last reference: the socket is closed and unhashed already. */
	if (!rs->refcnt)
		vrrp_rxsock_free(rs);
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
	for (i = 0; i < n; i++)
		vrrp_sock_read_all(all[i], 0);
	for (i = 0; i < n; i++) {
		all[i]->reading = false;
		if (!all[i]->refcnt)
			vrrp_rxsock_free(all[i]);
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
		ret = vrrp_sock_setint(fd, SOL_SOCKET, SO_BINDTOIFINDEX, ifindex);
	}
	if (ret < 0)
		return -errno;
	/* Beyond net.core.rmem_max with CAP_NET_ADMIN; the default queue still works. */
	frr_with_privs (&vrrp_privs) {
		ret = vrrp_sock_setint(fd, SOL_SOCKET, SO_RCVBUFFORCE, VRRP_RX_RCVBUF);
	}
	if (ret < 0 && vrrp_sock_setint(fd, SOL_SOCKET, SO_RCVBUF, VRRP_RX_RCVBUF) < 0)
		VRRP_DEBUG(sock,
			   "VRRP socket on ifindex %d: receive buffer left at the default: %s",
			   ifindex, safe_strerror(errno));
	/* Each datagram then carries the count of those lost at the queue: none goes uncounted. */
	*step = "SO_RXQ_OVFL";
	if (vrrp_sock_setint(fd, SOL_SOCKET, SO_RXQ_OVFL, 1) < 0)
		return -errno;
	*step = "SO_TIMESTAMPNS";
	if (vrrp_sock_setint(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) < 0)
		return -errno;

	/*
	 * Joined to the group but bound to no address: unicast advertisements to the parent's
	 * own addresses must arrive too. Without IP(V6)_MULTICAST_ALL off the socket would also
	 * see VRRP sent to groups other sockets joined.
	 */
	if (family == AF_INET) {
		struct ip_mreqn mreq = {.imr_multiaddr = vrrp_af_ipv4.group.v4,
					.imr_ifindex = ifindex};

		*step = "join 224.0.0.18";
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
			return -errno;
		*step = "IP_MULTICAST_ALL";
		if (vrrp_sock_setint(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) < 0)
			return -errno;
		*step = "IP_PKTINFO";
		if (vrrp_sock_setint(fd, IPPROTO_IP, IP_PKTINFO, 1) < 0)
			return -errno;
	} else {
		struct ipv6_mreq mreq = {.ipv6mr_multiaddr = vrrp_af_ipv6.group.v6,
					 .ipv6mr_interface = ifindex};

		*step = "join ff02::12";
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) < 0)
			return -errno;
		*step = "IPV6_MULTICAST_ALL";
		if (vrrp_sock_setint(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0) < 0)
			return -errno;
		*step = "IPV6_RECVPKTINFO";
		if (vrrp_sock_setint(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0)
			return -errno;
		*step = "IPV6_RECVHOPLIMIT";
		if (vrrp_sock_setint(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0)
			return -errno;
	}
	return 0;
}

/* A raw socket set up for receiving on ifindex: its fd, or -errno with the step in *step. */
static int vrrp_sock_rx_open(int family, ifindex_t ifindex, const char **step)
{
	int fd, ret;

	*step = "socket";
	frr_with_privs (&vrrp_privs) {
		fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	}
	ret = fd < 0 ? -errno : vrrp_sock_rx_setup(fd, family, ifindex, step);
	if (ret < 0 && fd >= 0)
		close(fd);
	return ret < 0 ? ret : fd;
}

/*
 * The doorbell, opened before its receive socket: the kernel hands a datagram to the newest raw
 * socket first, so the receive socket's copy is queued by the time the bell rings. Without one
 * the receive socket is watched itself.
 */
static struct vrrp_bell *vrrp_sock_bell_open(int family, ifindex_t ifindex)
{
	struct vrrp_bell *b;
	const char *step;
	int fd, ret;

	if (!vrrp_loop_epoll())
		return NULL;
	fd = vrrp_sock_rx_open(family, ifindex, &step);
	if (fd < 0) {
		VRRP_DEBUG(sock, "no doorbell on ifindex %d: %s: %s", ifindex, step,
			   safe_strerror(-fd));
		return NULL;
	}
	/*
	 * Twice the receive socket's queue: it holds a subset of the same datagrams and is read
	 * first, so it never drops one the socket keeps. The kernel's drop counts of VRRP
	 * sockets are then the datagrams really lost, each counted as a queue overflow.
	 */
	frr_with_privs (&vrrp_privs) {
		ret = vrrp_sock_setint(fd, SOL_SOCKET, SO_RCVBUFFORCE, 2 * VRRP_RX_RCVBUF);
	}
	if (ret < 0)
		VRRP_DEBUG(sock, "doorbell on ifindex %d: queue left as set up: %s", ifindex,
			   safe_strerror(errno));
	b = XCALLOC(MTYPE_VRRP_BELL, sizeof(*b));
	ret = vrrp_bell_init(b, fd, family);
	if (ret == 0)
		return b;
	VRRP_DEBUG(sock, "no doorbell on ifindex %d: filter: %s", ifindex, safe_strerror(-ret));
	close(fd);
	XFREE(MTYPE_VRRP_BELL, b);
	return NULL;
}

int vrrp_sock_rx_ref(struct interface *parent, int family)
{
	struct vrrp_rxsock key = {.ifp = parent, .family = family};
	struct vrrp_rxsock *rs;
	struct vrrp_bell *bell;
	const char *step;
	int fd;

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
			 vrrp_sock_family_str(family), parent->name,
			 vrrp_sock_master ? "interface has no ifindex"
					  : "sockets not initialised");
		return vrrp_sock_master ? -ENODEV : -EINVAL;
	}

	bell = vrrp_sock_bell_open(family, parent->ifindex);
	fd = vrrp_sock_rx_open(family, parent->ifindex, &step);
	if (fd < 0) {
		flog_err(EC_VRRP_SOCKET,
			 "cannot open the %s VRRP socket on %s (ifindex %d): %s: %s",
			 vrrp_sock_family_str(family), parent->name, parent->ifindex, step,
			 safe_strerror(-fd));
		if (bell) {
			vrrp_bell_close(bell);
			XFREE(MTYPE_VRRP_BELL, bell);
		}
		return fd;
	}

	rs = XCALLOC(MTYPE_VRRP_RXSOCK, sizeof(*rs));
	rs->ifp = parent;
	rs->family = family;
	rs->ifindex = parent->ifindex;
	rs->fd = fd;
	rs->refcnt = 1;
	rs->bell = bell;
	rs->empty_at = vrrp_now_us();
	vrrp_rxsocks_add(&vrrp_rxsocks, rs);
	vrrp_loop_watch(vrrp_sock_master, &rs->w_read, fd, vrrp_sock_read, rs);
	VRRP_DEBUG(sock, "opened the %s VRRP socket on %s (ifindex %d, fd %d, doorbell fd %d)",
		   vrrp_sock_family_str(family), parent->name, parent->ifindex, fd,
		   bell ? bell->fd : -1);
	return 0;
}

/* Closes and unhashes; frees unless the read handler is running and will do it. */
static void vrrp_rxsock_close(struct vrrp_rxsock *rs)
{
	vrrp_loop_unwatch(&rs->w_read);
	close(rs->fd);
	rs->fd = -1;
	if (rs->bell) {
		if (rs->bell->want.nquiet)
			vrrp_sock_nlazy--;
		vrrp_timer_cancel(&rs->t_commit);
		vrrp_bell_close(rs->bell);
	}
	rs->refcnt = 0;
	vrrp_rxsocks_del(&vrrp_rxsocks, rs);
	if (!rs->reading)
		vrrp_rxsock_free(rs);
}

static void vrrp_sock_bell_report(const struct vrrp_rxsock *rs, const char *what, int ret)
{
	flog_err(EC_VRRP_SOCKET,
		 "%s VRRP socket on %s: doorbell filter: %s: %s; every advertisement wakes the "
		 "protocol now",
		 vrrp_sock_family_str(rs->family), rs->ifp->name, what, safe_strerror(-ret));
}

static void vrrp_sock_bell_commit(void *arg)
{
	struct vrrp_rxsock *rs = arg;
	int ret = vrrp_bell_commit(rs->bell);

	if (ret < 0)
		vrrp_sock_bell_report(rs, "refused", ret);
}

/*
 * The bell is watched while something is quiet; otherwise the socket itself, and the bell is
 * mute, so a socket with nothing to leave queued costs a read per wake-up, as without one.
 */
static void vrrp_sock_rewatch(struct vrrp_rxsock *rs)
{
	int fd = rs->bell->want.nquiet ? rs->bell->fd : rs->fd;

	if (rs->w_read.fd == fd)
		return;
	vrrp_loop_unwatch(&rs->w_read);
	vrrp_loop_watch(vrrp_sock_master, &rs->w_read, fd, vrrp_sock_read, rs);
}

void vrrp_sock_rx_quiet(struct interface *parent, int family, uint8_t vrid,
			const struct vrrp_rx_quiet *q)
{
	struct vrrp_rxsock key = {.ifp = parent, .family = family};
	struct vrrp_rxsock *rs = vrrp_rxsocks_find(&vrrp_rxsocks, &key);
	bool was, unsafe;
	int ret;

	if (!rs || !rs->bell)
		return;
	was = rs->bell->want.nquiet;
	/* What must ring rings from now on; what may wait is compiled in one go, later. */
	unsafe = vrrp_bell_note(rs->bell, vrid, q);
	if (!rs->bell->want.nquiet) {
		/* The socket is watched itself again; muting the bell is one instruction. */
		vrrp_timer_cancel(&rs->t_commit);
		ret = was ? vrrp_bell_commit(rs->bell) : 0;
	} else {
		/* A bell that starts being watched was mute: it passes all until the commit. */
		ret = unsafe || !was ? vrrp_bell_open(rs->bell) : 0;
		if (rs->bell->dirty && !vrrp_timer_armed(&rs->t_commit))
			vrrp_timer_arm(&rs->t_commit, vrrp_now_us() + VRRP_BELL_SETTLE_US, 0,
				       vrrp_sock_bell_commit, rs);
	}
	if (ret < 0)
		vrrp_sock_bell_report(rs, "cannot change", ret);
	if (was != !!rs->bell->want.nquiet) {
		vrrp_sock_nlazy += was ? -1 : 1;
		vrrp_sock_rewatch(rs);
	}
}

/* Before a main-thread task: what lazy Backups left queued, so state and counters are current. */
static void vrrp_sock_rx_drain_lazy(void)
{
	if (vrrp_sock_nlazy)
		vrrp_sock_rx_drain();
}

void vrrp_sock_rx_unref(struct interface *parent, int family)
{
	struct vrrp_rxsock key = {.ifp = parent, .family = family};
	struct vrrp_rxsock *rs = vrrp_rxsocks_find(&vrrp_rxsocks, &key);

	if (!rs)
		return;
	if (--rs->refcnt)
		return;
	VRRP_DEBUG(sock, "closing the %s VRRP socket on %s (ifindex %d)",
		   vrrp_sock_family_str(family), parent->name, rs->ifindex);
	vrrp_rxsock_close(rs);
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
	vrrp_loop_set_before_task(vrrp_sock_rx_drain_lazy);
}

void vrrp_sock_fini(void)
{
	struct vrrp_rxsock *rs;

	while ((rs = vrrp_rxsocks_first(&vrrp_rxsocks)))
		vrrp_rxsock_close(rs);
	vrrp_rxsocks_fini(&vrrp_rxsocks);
	vrrp_loop_set_before_task(NULL);
	vrrp_sock_master = NULL;
	vrrp_sock_tx_fini();
}
