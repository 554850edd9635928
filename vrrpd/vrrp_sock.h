// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP sockets: one shared receive socket per (parent interface, address family) and one send
 * socket per family for the whole daemon. The only place that reads or writes IP protocol 112
 * (vrrp_sock.c receives, vrrp_sock_tx.c sends).
 */
#ifndef VRRP_SOCK_H
#define VRRP_SOCK_H

#include "lib/if.h"
#include "lib/thread.h"

#include "vrrp_packet.h"

/*
 * Called for every datagram received on a parent interface, in the same shape for both
 * families: msg is the VRRP message, meta holds the sender, the destination and the TTL / hop
 * limit (0 if the kernel delivered none). ip_drop is the socket layer's verdict: for IPv4 the
 * adapter validates the header (vrrp_ipv4_strip()) and a bad one arrives as
 * VRRP_DROP_IP_HEADER; a datagram longer than any valid one as VRRP_DROP_LENGTH
 * (vrrp_sock_datagram_drop()); msg is then the whole datagram, or the prefix that was read.
 * The callback may unref any socket, including the one being read.
 */
typedef void (*vrrp_sock_rx_fn)(struct interface *parent, int family, const uint8_t *msg,
				size_t len, const struct vrrp_rx_meta *meta,
				enum vrrp_drop ip_drop);

void vrrp_sock_init(struct thread_master *master, vrrp_sock_rx_fn rx);

/*
 * Take a reference on the receive socket of (parent, family). The first reference opens a raw
 * IPPROTO_VRRP socket bound to parent->ifindex and joined to 224.0.0.18 / ff02::12 there,
 * but bound to no address, so unicast advertisements to the parent's own addresses arrive
 * too (the receive decision drops those no unicast peer explains), and registers a read
 * event; later ones only count. Sockets are keyed by the interface pointer, so after an
 * ifindex change the caller unrefs and refs again to get a fresh socket.
 * Returns 0 or -errno, with one flog_err saying why on failure.
 */
int vrrp_sock_rx_ref(struct interface *parent, int family);
/* Drop a reference; the last one closes the socket. Unknown (parent, family) is ignored. */
void vrrp_sock_rx_unref(struct interface *parent, int family);
/*
 * Read and deliver what every receive socket holds now, up to VRRP_RX_DRAIN_MAX datagrams a
 * socket, without waiting for the event loop to serve them (vrrp_timer_set_rx_drain()).
 */
void vrrp_sock_rx_drain(void);

/*
 * A Backup is lazy: advertisements for vrid on (parent, family) that match q and do not
 * release (priority > 0) wait in the receive queue, read in order with their arrival times
 * when a timer falls due, before any main-thread task, when the doorbell rings for anything
 * else, or at random about every VRRP_BELL_SAMPLE datagrams, so a flood cannot fill the queue.
 * q NULL: every advertisement for vrid is read at once again. Ignored for a (parent, family)
 * without a socket and while the protocol runs on the main loop.
 */
void vrrp_sock_rx_quiet(struct interface *parent, int family, uint8_t vrid,
			const struct vrrp_rx_quiet *q);

/*
 * Send one VRRP message (no IP header) out of ifp from src, to dst or, when dst is NULL, to
 * 224.0.0.18 / ff02::12, with TTL / hop limit 255, traffic class CS6 and no multicast
 * loopback. Multicast goes out of the macvlan, so the source MAC is the virtual MAC; the
 * executor sends unicast out of the parent. lower, when not NULL, is the parent of the
 * macvlan ifp: IPv4 multicast then leaves as a frame on it (vrrp_txframe.c) with ifp's MAC as
 * source, the frame the macvlan would send. With check_link, first asks the kernel whether
 * ifp can transmit (two ioctls), because a down or protodown macvlan drops the packet
 * silently; the caller skips the check once a checked send worked and nothing about the
 * interface changed since. Returns 0, -ENETDOWN while ifp is down or protodown, -ENXIO if it
 * no longer exists (both without logging: the caller retries), or another -errno after a
 * flog_err. An IPv4 frame on the parent may go out before the kernel has marked ifp running
 * again after its protodown was lifted (vrrp_protodown_lifted_at()): it returns 1 then, sent
 * but with the link not confirmed, so the caller checks again the next time.
 */
int vrrp_sock_send(int family, struct interface *ifp, const struct interface *lower,
		   const union vrrp_addr *src, const union vrrp_addr *dst, const uint8_t *buf,
		   size_t len, bool check_link);

/*
 * One send of a whole datagram or frame of len bytes (retried on EINTR), for vrrp_sock_send()
 * and vrrp_txframe.c. 0; -ENETDOWN or -ENXIO (the link is down or gone: not logged); any other
 * -errno is logged with the interface and source.
 */
int vrrp_sock_sendmsg(int fd, const struct msghdr *msg, size_t len, int family,
		      const struct interface *ifp, const union vrrp_addr *src);
/*
 * Whether ifindex can transmit now: 0, -ENETDOWN if it is admin down or not operationally up
 * (carrier off, protodown, lower device down), -ENXIO if it does not exist. fd is any socket.
 * Shared with vrrp_announce.c, whose packet sockets have the same silent-drop problem.
 */
int vrrp_sock_link_check(int fd, ifindex_t ifindex);

/*
 * The socket layer's verdict on a datagram from its recvmsg flags alone: VRRP_DROP_LENGTH for
 * one cut short (MSG_TRUNC: longer than any valid VRRP datagram), else VRRP_DROP_NONE. The
 * datagram is still handed to the callback, with this as ip_drop, so that it is counted.
 */
enum vrrp_drop vrrp_sock_datagram_drop(int msg_flags);

/*
 * How many datagrams the kernel dropped at a receive queue since *seen, its SO_RXQ_OVFL count
 * as last reported, given the count a datagram now carries; stores now in *seen. The socket
 * layer hands each lost one to the callback as VRRP_DROP_QUEUE_OVERFLOW (msg NULL, len 0).
 */
uint32_t vrrp_sock_rxq_lost(uint32_t *seen, uint32_t now);

/* Close every socket; rx references still held are forgotten. */
void vrrp_sock_fini(void);
void vrrp_sock_tx_fini(void);

/* For the socket layer's own files. */
const char *vrrp_sock_family_str(int family);
int vrrp_sock_setint(int fd, int level, int name, int val);

#endif /* VRRP_SOCK_H */
