// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The doorbell of a lazy Backup's receive socket. A Backup that hears its Master does nothing
 * with an advertisement but restart the Master_Down_Timer, and since that restarts from the
 * datagram's kernel arrival time, the advertisement may as well wait in the queue until a timer
 * falls due: the Backup then wakes about once per Master_Down_Interval instead of once per
 * advertisement (bench/README.md, Finding 19). What must not wait (a release, an advertisement
 * for a VRID that is not quiet, one whose version or interval differs from what the Backup
 * knows) is let through by the bell socket's filter, and its arrival wakes the protocol thread,
 * which then reads the receive socket in order. A random sample of the quiet ones rings too, so
 * a flood of them cannot fill the queue unseen.
 *
 * This file owns the bell's filter program and its socket's reads; vrrp_sock.c owns the pairing.
 * The filter sees IPv4 datagrams from the IP header and IPv6 ones from the VRRP header: the
 * index register holds the VRRP header's offset, and that is the only difference.
 */
#include <zebra.h>

#include <linux/filter.h>
#include <netinet/in.h>

#include "vrrp_debug.h"
#include "vrrp_packet.h"
#include "vrrp_rxbell.h"

/* The VRRP header's octets the filter reads. */
#define BELL_OFF_VERTYPE 0
#define BELL_OFF_VRID 1
#define BELL_OFF_PRIO 2
#define BELL_OFF_V3_INTERVAL 4 /* 16 bits: 4 reserved, 12 of cs */
#define BELL_OFF_V2_INTERVAL 5 /* 8 bits of seconds */

#define BELL_RET_PASS BPF_STMT(BPF_RET | BPF_K, VRRP_BELL_SNAP)

unsigned int vrrp_bell_sample = VRRP_BELL_SAMPLE;

static size_t vrrp_bell_prologue(int family, struct sock_filter *p)
{
	size_t n = 0;

	/* The sample first, so that it also covers datagrams too short for the checks below. */
	if (vrrp_bell_sample) {
		p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						      SKF_AD_OFF + SKF_AD_RANDOM);
		p[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K,
						      vrrp_bell_sample - 1);
		p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
		p[n++] = (struct sock_filter)BELL_RET_PASS;
	}
	if (family == AF_INET)
		p[n++] = (struct sock_filter)BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0);
	else
		p[n++] = (struct sock_filter)BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 0);
	/* A release always rings: the Backup answers it within Skew_Time. */
	p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_IND, BELL_OFF_PRIO);
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
	p[n++] = (struct sock_filter)BELL_RET_PASS;
	p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_IND, BELL_OFF_VRID);
	return n;
}

/*
 * One quiet VRID. The accumulator holds the VRID; a mismatch skips to the next entry without
 * touching it. Jumps are relative and at most 255 forward, so each entry returns on its own.
 */
static size_t vrrp_bell_entry(const struct vrrp_bell_table *t, unsigned int vrid,
			      struct sock_filter *p)
{
	bool v3 = (t->vertype[vrid] >> 4) == 3;
	uint8_t len = v3 ? 8 : 7;
	size_t n = 0;

	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vrid, 0, len - 1);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_IND, BELL_OFF_VERTYPE);
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, t->vertype[vrid], 0,
					      len - 4);
	if (v3) {
		p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_IND,
						      BELL_OFF_V3_INTERVAL);
		p[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x0fff);
	} else {
		p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_IND,
						      BELL_OFF_V2_INTERVAL);
	}
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, t->field[vrid], 0, 1);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	p[n++] = (struct sock_filter)BELL_RET_PASS;
	return n;
}

size_t vrrp_bell_prog(const struct vrrp_bell_table *t, int family, struct sock_filter *out)
{
	size_t n;

	/* Nothing quiet: the receive socket is watched itself, and the bell stays mute. */
	if (!t->nquiet) {
		out[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
		return 1;
	}
	n = vrrp_bell_prologue(family, out);
	for (unsigned int vrid = 1; vrid < 256; vrid++)
		if (t->vertype[vrid])
			n += vrrp_bell_entry(t, vrid, out + n);
	out[n++] = (struct sock_filter)BELL_RET_PASS;
	return n;
}

/* Attach t's program, or with t NULL one that passes everything. */
static int vrrp_bell_attach(struct vrrp_bell *b, const struct vrrp_bell_table *t)
{
	static struct sock_filter prog[VRRP_BELL_PROG_MAX];
	struct sock_fprog fp = {.filter = prog, .len = 1};

	if (t)
		fp.len = vrrp_bell_prog(t, b->family, prog);
	else
		prog[0] = (struct sock_filter)BELL_RET_PASS;
	if (setsockopt(b->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0)
		return -errno;
	if (!t)
		memset(&b->att, 0, sizeof(b->att));
	else if (t != &b->att)
		b->att = *t;
	return 0;
}

int vrrp_bell_init(struct vrrp_bell *b, int fd, int family)
{
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->family = family;
	return vrrp_bell_commit(b);
}

/* The wire form of q: false when no advertisement of that version can carry it. */
static bool vrrp_bell_wire(const struct vrrp_rx_quiet *q, uint8_t *vertype, uint16_t *field)
{
	*vertype = (q->version << 4) | VRRP_TYPE_ADVERTISEMENT;
	if (q->version == 3) {
		*field = q->interval & 0x0fff;
		return q->interval <= 0x0fff;
	}
	*field = q->interval / 100;
	return q->version == 2 && q->interval % 100 == 0 && *field <= 255;
}

bool vrrp_bell_note(struct vrrp_bell *b, uint8_t vrid, const struct vrrp_rx_quiet *q)
{
	struct vrrp_bell_table *w = &b->want;
	uint8_t vertype = 0;
	uint16_t field = 0;

	if (q && !vrrp_bell_wire(q, &vertype, &field))
		vertype = field = 0;
	if (w->vertype[vrid] == vertype && w->field[vrid] == field)
		return false;
	if (vertype && !w->vertype[vrid])
		w->nquiet++;
	else if (!vertype && w->vertype[vrid])
		w->nquiet--;
	w->vertype[vrid] = vertype;
	w->field[vrid] = field;
	b->dirty = true;
	/* Unsafe when the filter keeps quiet what is no longer quiet in exactly that form. */
	return b->att.vertype[vrid] &&
	       (b->att.vertype[vrid] != vertype || b->att.field[vrid] != field);
}

/* Waking too often is safe; sleeping through what needs an answer is not. */
static int vrrp_bell_fallback(struct vrrp_bell *b, int ret)
{
	memset(&b->att, 0, sizeof(b->att));
	if (setsockopt(b->fd, SOL_SOCKET, SO_DETACH_FILTER, NULL, 0) < 0)
		VRRP_DEBUG(sock, "doorbell fd %d: no filter to detach: %s", b->fd,
			   safe_strerror(errno));
	return ret;
}

int vrrp_bell_open(struct vrrp_bell *b)
{
	int ret = vrrp_bell_attach(b, NULL);

	b->dirty = b->want.nquiet > 0;
	return ret ? vrrp_bell_fallback(b, ret) : 0;
}

int vrrp_bell_commit(struct vrrp_bell *b)
{
	int ret = vrrp_bell_attach(b, &b->want);

	b->dirty = false;
	return ret ? vrrp_bell_fallback(b, ret) : 0;
}

#define BELL_BATCH 16

uint64_t vrrp_bell_read(struct vrrp_bell *b)
{
	static uint8_t buf[BELL_BATCH][VRRP_BELL_SNAP];
	static union {
		char space[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(uint32_t)) +
			   CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) +
			   CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cbuf[BELL_BATCH];
	struct iovec iov[BELL_BATCH];
	struct mmsghdr msgs[BELL_BATCH];
	uint64_t latest = 0;
	int n;

	do {
		for (int i = 0; i < BELL_BATCH; i++) {
			iov[i] = (struct iovec){.iov_base = buf[i], .iov_len = sizeof(buf[i])};
			msgs[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i],
							  .msg_iovlen = 1,
							  .msg_control = &cbuf[i],
							  .msg_controllen = sizeof(cbuf[i])};
		}
		n = recvmmsg(b->fd, msgs, BELL_BATCH, MSG_DONTWAIT, NULL);
		for (int i = 0; i < n; i++) {
			struct msghdr *m = &msgs[i].msg_hdr;

			for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
				struct timespec ts;
				uint64_t us;

				if (c->cmsg_level != SOL_SOCKET ||
				    c->cmsg_type != SCM_TIMESTAMPNS ||
				    c->cmsg_len < CMSG_LEN(sizeof(ts)))
					continue;
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				us = (uint64_t)ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
				latest = MAX(latest, us);
			}
		}
	} while (n == BELL_BATCH || (n < 0 && errno == EINTR));
	return latest;
}

void vrrp_bell_close(struct vrrp_bell *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}
